/* record.c: the C base of marcato.Record. The record's core stays as read;
 * Field objects are made one at a time as they are asked for (record['245']
 * makes one, not twenty), and the whole list only when the list itself is
 * wanted or changed. */
#include "ext.h"

#include <stdlib.h>
#include <string.h>

void diags_free(py_diag *d, size_t n) {
  for (size_t i = 0; i < n; i++) free(d[i].msg);
  free(d);
}

int record_check(PyObject *obj) {
  if (PyObject_TypeCheck(obj, &RecordBaseType)) return 0;
  PyErr_Format(PyExc_TypeError, "expected a Record, not %.50s",
               Py_TYPE(obj)->tp_name);
  return -1;
}

PyObject *record_wrap(marc_record *core, py_diag *diags, size_t ndiags,
                      int text) {
  RecordObject *o =
      (RecordObject *)py_record_class->tp_alloc(py_record_class, 0);
  if (!o) {
    marc_record_free(core);
    diags_free(diags, ndiags);
    return NULL;
  }
  o->core = core;
  o->diags = diags;
  o->ndiags = ndiags;
  o->text = text;
  return (PyObject *)o;
}

static PyObject *cached_field(RecordObject *r, size_t i) {
  if (!r->cache) {
    size_t n = marc_record_field_count(r->core);
    r->cache = calloc(n ? n : 1, sizeof *r->cache);
    if (!r->cache) return PyErr_NoMemory();
    r->ncache = n;
  }
  if (!r->cache[i])
    r->cache[i] =
        field_from_core(r->core, marc_record_field(r->core, i), r->text);
  return r->cache[i];
}

static PyObject *materialise(RecordObject *r) {
  if (r->fields) return r->fields;
  size_t n = marc_record_field_count(r->core);
  PyObject *list = PyList_New((Py_ssize_t)n);
  if (!list) return NULL;
  for (size_t i = 0; i < n; i++) {
    PyObject *f = cached_field(r, i);
    if (!f) {
      Py_DECREF(list);
      return NULL;
    }
    PyList_SET_ITEM(list, (Py_ssize_t)i, Py_NewRef(f));
  }
  r->fields = list;
  return list;
}

static int tag_equals(PyObject *tag, const char *want, Py_ssize_t wn) {
  Py_ssize_t n;
  const char *t =
      PyUnicode_Check(tag) ? PyUnicode_AsUTF8AndSize(tag, &n) : NULL;
  return t && n == wn && !memcmp(t, want, (size_t)n);
}

/* Fields whose tag is one of `tags` (every field when empty): the first
 * only when `first`. */
static PyObject *find_fields(RecordObject *r, PyObject *tags, int first) {
  Py_ssize_t nt = PyTuple_GET_SIZE(tags);
  const char *want_small[24];
  Py_ssize_t wn_small[24];
  const char **want = want_small;
  Py_ssize_t *wn = wn_small;
  if (nt > 24) {
    want = PyMem_Malloc((size_t)nt * sizeof *want);
    wn = PyMem_Malloc((size_t)nt * sizeof *wn);
    if (!want || !wn) {
      PyMem_Free(want == want_small ? NULL : want);
      PyMem_Free(wn == wn_small ? NULL : wn);
      return PyErr_NoMemory();
    }
  }
  PyObject *out = NULL;
  for (Py_ssize_t k = 0; k < nt; k++) {
    PyObject *t = PyTuple_GET_ITEM(tags, k);
    if (!PyUnicode_Check(t)) {
      PyErr_SetString(PyExc_TypeError, "tags are str");
      goto fail;
    }
    if (!(want[k] = PyUnicode_AsUTF8AndSize(t, &wn[k]))) goto fail;
  }
  if (!first && !(out = PyList_New(0))) goto fail;
  if (r->fields) {
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(r->fields); i++) {
      PyObject *f = PyList_GET_ITEM(r->fields, i);
      int hit = nt == 0;
      for (Py_ssize_t k = 0; !hit && k < nt; k++)
        hit = PyObject_TypeCheck(f, &FieldBaseType) &&
              tag_equals(((FieldObject *)f)->tag, want[k], wn[k]);
      if (!hit) continue;
      if (first) {
        out = Py_NewRef(f);
        goto done;
      }
      if (PyList_Append(out, f) < 0) goto fail;
    }
  } else {
    size_t n = marc_record_field_count(r->core);
    const marc_field *fs = marc_record_fields(r->core);
    for (size_t i = 0; i < n; i++) {
      int hit = nt == 0;
      for (Py_ssize_t k = 0; !hit && k < nt; k++)
        hit = wn[k] == 3 && !memcmp(fs[i].tag, want[k], 3);
      if (!hit) continue;
      PyObject *f = cached_field(r, i);
      if (!f) goto fail;
      if (first) {
        out = Py_NewRef(f);
        goto done;
      }
      if (PyList_Append(out, f) < 0) goto fail;
    }
  }
  if (first) out = Py_NewRef(Py_None);
  goto done;
fail:
  Py_CLEAR(out);
done:
  if (want != want_small) PyMem_Free(want);
  if (wn != wn_small) PyMem_Free(wn);
  return out;
}

static PyObject *record_getitem(PyObject *self, PyObject *tag) {
  PyObject *tags = PyTuple_Pack(1, tag);
  if (!tags) return NULL;
  PyObject *f = find_fields((RecordObject *)self, tags, 1);
  Py_DECREF(tags);
  return f;
}

static int record_contains(PyObject *self, PyObject *tag) {
  PyObject *f = record_getitem(self, tag);
  if (!f) return -1;
  int found = f != Py_None;
  Py_DECREF(f);
  return found;
}

static PyObject *record_get_fields(PyObject *self, PyObject *tags) {
  return find_fields((RecordObject *)self, tags, 0);
}

/* The leader as 24 bytes: what record.leader was set to, else the core's. */
static int leader_bytes(RecordObject *r, char out[24]) {
  if (!r->leader) {
    memcpy(out, marc_record_leader(r->core), 24);
    return 0;
  }
  PyObject *s = PyObject_Str(r->leader);
  if (!s) return -1;
  Py_ssize_t n;
  const char *p = PyUnicode_AsUTF8AndSize(s, &n);
  if (!p) {
    Py_DECREF(s);
    return -1;
  }
  memset(out, ' ', 24);
  memcpy(out, p, n < 24 ? (size_t)n : 24);
  Py_DECREF(s);
  /* As pymarc writes a leader set from Python: indicator and subfield
   * code counts 2, entry map 4500. */
  memcpy(out + 10, "22", 2);
  memcpy(out + 20, "4500", 4);
  return 0;
}

marc_record *record_build(PyObject *obj, int *owned) {
  if (record_check(obj) < 0) return NULL;
  RecordObject *r = (RecordObject *)obj;
  int handed_out = 0;
  for (size_t i = 0; r->cache && i < r->ncache && !handed_out; i++)
    handed_out = r->cache[i] != NULL;
  if (!r->fields && !r->leader && !handed_out) {
    *owned = 0;
    return r->core;
  }
  char leader[24];
  if (leader_bytes(r, leader) < 0) return NULL;
  marc_record *out = marc_record_new();
  if (!out || marc_record_set_leader(out, leader) != MARC_OK) goto nomem;
  if (r->fields) {
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(r->fields); i++)
      if (field_append(out, PyList_GET_ITEM(r->fields, i)) < 0) goto fail;
  } else {
    size_t n = marc_record_field_count(r->core);
    for (size_t i = 0; i < n; i++) {
      if (r->cache && r->cache[i]) {
        if (field_append(out, r->cache[i]) < 0) goto fail;
        continue;
      }
      const marc_field *f = marc_record_field(r->core, i);
      if (marc_record_append_field_tag3(
              out, f->tag, (char)f->ind1, (char)f->ind2,
              marc_field_data(r->core, f), f->len) != MARC_OK)
        goto nomem;
    }
  }
  *owned = 1;
  return out;
nomem:
  PyErr_NoMemory();
fail:
  marc_record_free(out);
  return NULL;
}

static int set_leader(RecordObject *r, PyObject *v, void *c);

static int record_init(PyObject *self, PyObject *args, PyObject *kw) {
  static char *names[] = {
      "data",          "to_unicode", "force_utf8",    "hide_utf8_warnings",
      "utf8_handling", "leader",     "file_encoding", NULL};
  RecordObject *r = (RecordObject *)self;
  Py_buffer data = {0};
  int to_unicode = 1, force_utf8 = 0, hide = 0;
  const char *handling = "strict", *enc = NULL;
  PyObject *leader = NULL;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "|y*pppsOs", names, &data,
                                   &to_unicode, &force_utf8, &hide, &handling,
                                   &leader, &enc))
    return -1;
  (void)hide; /* Record(data) keeps its problems without warning */
  int text = text_mode(to_unicode, handling);
  if (enc && !strcmp(enc, "iso8859-1")) enc = NULL;
  if (enc && !PyCodec_KnownEncoding(enc)) {
    PyErr_Format(PyExc_LookupError, "unknown file_encoding: %s", enc);
    return -1;
  }
  int have_data = data.buf && data.len > 0;
  marc_record *core = NULL;
  py_diag *diags = NULL;
  size_t ndiags = 0;
  if (data.buf && data.len > 0) {
    marc_reader *rd = marc_reader_new(NULL);
    marc_record *view = NULL;
    decoded d = {0};
    int ok = rd &&
             marc_reader_feed(rd, data.buf, (size_t)data.len) == MARC_OK &&
             marc_reader_finish(rd) == MARC_OK &&
             marc_reader_next(rd, &view) == MARC_OK;
    /* Text in file_encoding: kept as read, then decoded with the codec. */
    int codec = ok && enc && text != TEXT_LATIN1 &&
                codec_applies(enc, view, force_utf8);
    ok = ok &&
         decode_record(view, codec ? TEXT_LATIN1 : text, force_utf8, &d) == 0;
    marc_reader_free(rd);
    PyBuffer_Release(&data);
    if (!ok) {
      PyErr_SetString(PyExc_ValueError, "no MARC record in data");
      return -1;
    }
    if (codec && recode_with_codec(&d, enc, text_errors(text)) < 0) {
      decoded_clear(&d);
      return -1;
    }
    for (size_t i = 0; i < d.ndiags; i++)
      if (diag_is_structural(d.diags[i].code)) {
        raise_problem(d.diags[i].code, d.diags[i].msg, d.diags[i].offset,
                      d.diags[i].record, d.diags[i].tag);
        marc_record_free(d.rec);
        diags_free(d.diags, d.ndiags);
        return -1;
      }
    core = d.rec, diags = d.diags, ndiags = d.ndiags;
  } else {
    if (data.buf) PyBuffer_Release(&data);
    if (!(core = marc_record_new())) {
      PyErr_NoMemory();
      return -1;
    }
    marc_record_set_leader(core, "                        ");
  }
  marc_record_free(r->core);
  diags_free(r->diags, r->ndiags);
  r->core = core, r->diags = diags, r->ndiags = ndiags, r->text = text;
  Py_CLEAR(r->fields);
  for (size_t i = 0; r->cache && i < r->ncache; i++) Py_CLEAR(r->cache[i]);
  free(r->cache);
  r->cache = NULL, r->ncache = 0;
  Py_CLEAR(r->leader);
  if (!have_data && leader && leader != Py_None)
    return set_leader(r, leader, NULL);
  return 0;
}

static PyObject *record_new(PyTypeObject *type, PyObject *args, PyObject *kw) {
  (void)args, (void)kw;
  RecordObject *r = (RecordObject *)type->tp_alloc(type, 0);
  if (r && !(r->core = marc_record_new())) {
    Py_DECREF(r);
    return PyErr_NoMemory();
  }
  return (PyObject *)r;
}

static void record_dealloc(RecordObject *r) {
  for (size_t i = 0; r->cache && i < r->ncache; i++) Py_XDECREF(r->cache[i]);
  free(r->cache);
  Py_XDECREF(r->fields);
  Py_XDECREF(r->leader);
  marc_record_free(r->core);
  diags_free(r->diags, r->ndiags);
  Py_TYPE(r)->tp_free((PyObject *)r);
}

static PyObject *get_fields_attr(RecordObject *r, void *c) {
  (void)c;
  PyObject *l = materialise(r);
  return l ? Py_NewRef(l) : NULL;
}

static int set_fields_attr(RecordObject *r, PyObject *v, void *c) {
  (void)c;
  if (!v || !PyList_Check(v)) {
    PyErr_SetString(PyExc_TypeError, "fields must be a list");
    return -1;
  }
  Py_XSETREF(r->fields, Py_NewRef(v));
  return 0;
}

static PyObject *get_leader(RecordObject *r, void *c) {
  (void)c;
  if (!r->leader) {
    PyObject *s = PyUnicode_DecodeLatin1(marc_record_leader(r->core), 24, NULL);
    if (!s) return NULL;
    r->leader = PyObject_CallOneArg(py_leader_class, s);
    Py_DECREF(s);
    if (!r->leader) return NULL;
  }
  return Py_NewRef(r->leader);
}

static int set_leader(RecordObject *r, PyObject *v, void *c) {
  (void)c;
  if (!v) {
    PyErr_SetString(PyExc_TypeError, "cannot delete the leader");
    return -1;
  }
  PyObject *l = PyObject_IsInstance(v, py_leader_class) == 1
                    ? Py_NewRef(v)
                    : PyObject_CallOneArg(py_leader_class, v);
  if (!l) return -1;
  Py_XSETREF(r->leader, l);
  return 0;
}

static PyObject *get_diagnostics(RecordObject *r, void *c) {
  (void)c;
  PyObject *l = PyList_New((Py_ssize_t)r->ndiags);
  for (size_t i = 0; l && i < r->ndiags; i++) {
    py_diag *d = &r->diags[i];
    PyObject *msg = diag_str(d->msg), *tag = msg ? diag_str(d->tag) : NULL;
    PyObject *t = tag ? Py_BuildValue("(sNKKN)", d->code, msg,
                                      (unsigned long long)d->offset,
                                      (unsigned long long)d->record, tag)
                      : NULL;
    if (!tag) Py_XDECREF(msg);
    if (!t) Py_CLEAR(l);
    else PyList_SET_ITEM(l, (Py_ssize_t)i, t);
  }
  return l;
}

static PyObject *get_offset(RecordObject *r, void *c) {
  (void)c;
  return PyLong_FromUnsignedLongLong(marc_record_offset(r->core));
}

static PyObject *get_index(RecordObject *r, void *c) {
  (void)c;
  return PyLong_FromUnsignedLongLong(marc_record_index(r->core));
}

static PyObject *record_as_dict(PyObject *self, PyObject *unused) {
  (void)unused;
  int owned;
  marc_record *core = record_build(self, &owned);
  if (!core) return NULL;
  PyObject *d = core_as_dict(core, ((RecordObject *)self)->text);
  if (owned) marc_record_free(core);
  return d;
}

static PyGetSetDef record_getset[] = {
    {"fields", (getter)get_fields_attr, (setter)set_fields_attr,
     "the list of Field objects", NULL},
    {"leader", (getter)get_leader, (setter)set_leader, "the Leader", NULL},
    {"_diagnostics", (getter)get_diagnostics, NULL,
     "problems found reading the record: (code, message, offset, record, "
     "tag) tuples",
     NULL},
    {"offset", (getter)get_offset, NULL,
     "byte offset of the record in its input", NULL},
    {"index", (getter)get_index, NULL, "0-based index in its input", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

static PyMethodDef record_methods[] = {
    {"get_fields", record_get_fields, METH_VARARGS,
     "the fields with these tags (all when none)"},
    {"as_dict", record_as_dict, METH_NOARGS,
     "the record as a MARC-in-JSON shaped dict"},
    {NULL, NULL, 0, NULL}};

static PyMappingMethods record_mapping = {NULL, record_getitem, NULL};
static PySequenceMethods record_sequence = {.sq_contains = record_contains};

PyTypeObject RecordBaseType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "marcato._marcato.RecordBase",
    .tp_basicsize = sizeof(RecordObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "C base of marcato.Record",
    .tp_new = record_new,
    .tp_init = record_init,
    .tp_dealloc = (destructor)record_dealloc,
    .tp_getset = record_getset,
    .tp_methods = record_methods,
    .tp_as_mapping = &record_mapping,
    .tp_as_sequence = &record_sequence,
};
