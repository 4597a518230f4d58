/* field.c: the C base of marcato.Field. A field read from a record keeps
 * its subfield data as bytes and splits it into Subfield tuples only when
 * `subfields` is asked for; field['a'], get() and get_subfields() scan the
 * bytes without making the list. */
#include "ext.h"

#include <structmember.h>

static Py_ssize_t utf8_len(uint8_t c) {
  return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Subfield n of wire data: code at [*c, *c + *clen), value [*v, *v + *vlen).
 * Returns 0 when no subfield is left. Bytes before the first delimiter
 * are not a subfield. */
typedef struct sf_scan {
  const uint8_t *p, *end;
} sf_scan;

static int sf_next(sf_scan *s, const uint8_t **c, Py_ssize_t *clen,
                   const uint8_t **v, Py_ssize_t *vlen) {
  while (s->p < s->end && *s->p != 0x1F) s->p++;
  if (s->p >= s->end) return 0;
  const uint8_t *q = s->p + 1;
  Py_ssize_t n = q < s->end ? utf8_len(*q) : 0;
  if (q + n > s->end) n = s->end - q;
  for (Py_ssize_t i = 1; i < n; i++)
    if (q[i] == 0x1F) n = i;
  *c = q;
  *clen = n;
  const uint8_t *val = q + n, *e = val;
  while (e < s->end && *e != 0x1F) e++;
  *v = val;
  *vlen = e - val;
  s->p = e;
  return 1;
}

static int code_equals(PyObject *code, const uint8_t *c, Py_ssize_t clen,
                       int text) {
  Py_ssize_t n;
  if (text == TEXT_LATIN1) {
    if (clen != 1 || PyUnicode_GET_LENGTH(code) != 1) return 0;
    return PyUnicode_READ_CHAR(code, 0) == *c;
  }
  const char *u = PyUnicode_AsUTF8AndSize(code, &n);
  return u && n == clen && !memcmp(u, c, (size_t)n);
}

static PyObject *subfield_new(PyObject *code, PyObject *value) {
  PyTypeObject *t = (PyTypeObject *)py_subfield_class;
  PyObject *sf = t->tp_alloc(t, 2);
  if (!sf) {
    Py_DECREF(code);
    Py_DECREF(value);
    return NULL;
  }
  PyTuple_SET_ITEM(sf, 0, code);
  PyTuple_SET_ITEM(sf, 1, value);
  return sf;
}

static PyObject *materialise(FieldObject *f) {
  if (f->subfields || f->data) return f->subfields;
  PyObject *list = PyList_New(0);
  if (!list) return NULL;
  if (f->raw) {
    sf_scan s = {(const uint8_t *)PyBytes_AS_STRING(f->raw),
                 (const uint8_t *)PyBytes_AS_STRING(f->raw) +
                     PyBytes_GET_SIZE(f->raw)};
    const uint8_t *c, *v;
    Py_ssize_t clen, vlen;
    while (sf_next(&s, &c, &clen, &v, &vlen)) {
      PyObject *code = text_decode(c, (size_t)clen, f->text);
      PyObject *val = code ? text_decode(v, (size_t)vlen, f->text) : NULL;
      PyObject *sf = val ? subfield_new(code, val) : NULL;
      if (!val) Py_XDECREF(code);
      if (!sf || PyList_Append(list, sf) < 0) {
        Py_XDECREF(sf);
        Py_DECREF(list);
        return NULL;
      }
      Py_DECREF(sf);
    }
    Py_CLEAR(f->raw);
  }
  f->subfields = list;
  return list;
}

/* Call fn(value) for each subfield whose code is in `codes` (all when
 * codes is empty); stop at the first when `first`. */
static PyObject *values(FieldObject *f, PyObject *codes, int first) {
  PyObject *out = first ? NULL : PyList_New(0);
  if (!first && !out) return NULL;
  Py_ssize_t nc = PyTuple_GET_SIZE(codes);
  if (f->subfields) {
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(f->subfields); i++) {
      PyObject *sf = PyList_GET_ITEM(f->subfields, i);
      if (!PyTuple_Check(sf) || PyTuple_GET_SIZE(sf) != 2) continue;
      PyObject *code = PyTuple_GET_ITEM(sf, 0);
      int hit = nc == 0;
      for (Py_ssize_t k = 0; !hit && k < nc; k++) {
        int eq =
            PyObject_RichCompareBool(code, PyTuple_GET_ITEM(codes, k), Py_EQ);
        if (eq < 0) goto fail;
        hit = eq;
      }
      if (!hit) continue;
      PyObject *v = PyTuple_GET_ITEM(sf, 1);
      if (first) return Py_NewRef(v);
      if (PyList_Append(out, v) < 0) goto fail;
    }
  } else if (f->raw) {
    for (Py_ssize_t k = 0; k < nc; k++)
      if (!PyUnicode_Check(PyTuple_GET_ITEM(codes, k))) {
        PyErr_SetString(PyExc_TypeError, "subfield codes are str");
        goto fail;
      }
    sf_scan s = {(const uint8_t *)PyBytes_AS_STRING(f->raw),
                 (const uint8_t *)PyBytes_AS_STRING(f->raw) +
                     PyBytes_GET_SIZE(f->raw)};
    const uint8_t *c, *v;
    Py_ssize_t clen, vlen;
    while (sf_next(&s, &c, &clen, &v, &vlen)) {
      int hit = nc == 0;
      for (Py_ssize_t k = 0; !hit && k < nc; k++)
        hit = code_equals(PyTuple_GET_ITEM(codes, k), c, clen, f->text);
      if (!hit) continue;
      PyObject *val = text_decode(v, (size_t)vlen, f->text);
      if (!val) goto fail;
      if (first) return val;
      int rc = PyList_Append(out, val);
      Py_DECREF(val);
      if (rc < 0) goto fail;
    }
  }
  if (first) Py_RETURN_NONE;
  return out;
fail:
  Py_XDECREF(out);
  return NULL;
}

static PyObject *field_getitem(PyObject *self, PyObject *code) {
  PyObject *codes = PyTuple_Pack(1, code);
  if (!codes) return NULL;
  PyObject *v = values((FieldObject *)self, codes, 1);
  Py_DECREF(codes);
  return v;
}

static PyObject *field_get(PyObject *self, PyObject *args) {
  PyObject *code, *dflt = Py_None;
  if (!PyArg_ParseTuple(args, "O|O:get", &code, &dflt)) return NULL;
  PyObject *v = field_getitem(self, code);
  if (v == Py_None) {
    Py_DECREF(v);
    return Py_NewRef(dflt);
  }
  return v;
}

static PyObject *field_get_subfields(PyObject *self, PyObject *codes) {
  return values((FieldObject *)self, codes, 0);
}

PyObject *field_from_core(const marc_record *rec, const marc_field *f,
                          int text) {
  FieldObject *o = (FieldObject *)py_field_class->tp_alloc(py_field_class, 0);
  if (!o) return NULL;
  o->text = text;
  o->tag = PyUnicode_DecodeLatin1(f->tag, 3, NULL);
  const uint8_t *d = marc_field_data(rec, f);
  if (!o->tag) goto fail;
  if (marc_tag_is_control(f->tag)) {
    if (!(o->data = text_decode(d, f->len, text))) goto fail;
  } else {
    o->ind1 = PyUnicode_FromOrdinal(f->ind1);
    o->ind2 = PyUnicode_FromOrdinal(f->ind2);
    o->raw = PyBytes_FromStringAndSize((const char *)d, f->len);
    if (!o->ind1 || !o->ind2 || !o->raw) goto fail;
  }
  return (PyObject *)o;
fail:
  Py_DECREF(o);
  return NULL;
}

static int append_text(marc_buf *b, PyObject *s, int text) {
  if (!PyUnicode_Check(s)) {
    PyErr_Format(PyExc_TypeError, "field text must be str, not %.50s",
                 Py_TYPE(s)->tp_name);
    return -1;
  }
  PyObject *enc = text == TEXT_LATIN1 ? PyUnicode_AsLatin1String(s)
                                      : PyUnicode_AsUTF8String(s);
  if (!enc) return -1;
  marc_status st =
      marc_buf_append(b, PyBytes_AS_STRING(enc), (size_t)PyBytes_GET_SIZE(enc));
  Py_DECREF(enc);
  if (st != MARC_OK) PyErr_NoMemory();
  return st == MARC_OK ? 0 : -1;
}

static char indicator(PyObject *ind) {
  if (!ind || !PyUnicode_Check(ind) || PyUnicode_GET_LENGTH(ind) == 0)
    return ' ';
  Py_UCS4 c = PyUnicode_READ_CHAR(ind, 0);
  return c < 128 ? (char)c : '?';
}

int field_append(marc_record *rec, PyObject *obj) {
  if (!PyObject_TypeCheck(obj, &FieldBaseType)) {
    PyErr_Format(PyExc_TypeError, "a record holds Field objects, not %.50s",
                 Py_TYPE(obj)->tp_name);
    return -1;
  }
  FieldObject *f = (FieldObject *)obj;
  char tag[4] = "   ";
  Py_ssize_t tn;
  const char *t = f->tag ? PyUnicode_AsUTF8AndSize(f->tag, &tn) : NULL;
  if (!t) {
    if (!PyErr_Occurred())
      PyErr_SetString(PyExc_ValueError, "a field needs a tag");
    return -1;
  }
  memcpy(tag, t, tn < 3 ? (size_t)tn : 3);
  marc_buf b = {0};
  int rc = -1;
  if (f->data) {
    if (append_text(&b, f->data, f->text) < 0) goto done;
  } else if (f->raw) {
    if (marc_buf_append(&b, PyBytes_AS_STRING(f->raw),
                        (size_t)PyBytes_GET_SIZE(f->raw)) != MARC_OK)
      goto nomem;
  } else if (f->subfields) {
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(f->subfields); i++) {
      PyObject *sf = PyList_GET_ITEM(f->subfields, i);
      if (!PyTuple_Check(sf) || PyTuple_GET_SIZE(sf) != 2) {
        PyErr_SetString(PyExc_TypeError, "subfields are (code, value) pairs");
        goto done;
      }
      if (marc_buf_append(&b, "\x1F", 1) != MARC_OK) goto nomem;
      if (append_text(&b, PyTuple_GET_ITEM(sf, 0), f->text) < 0 ||
          append_text(&b, PyTuple_GET_ITEM(sf, 1), f->text) < 0)
        goto done;
    }
  }
  /* Three bytes as the tag, a NUL as read included. */
  marc_status st = marc_record_append_field_tag3(
      rec, tag, indicator(f->ind1), indicator(f->ind2),
      b.data ? b.data : (void *)"", b.len);
  if (st == MARC_E_NOMEM) goto nomem;
  if (st != MARC_OK) {
    PyErr_Format(PyExc_ValueError, "field %R: %s", f->tag, marc_status_str(st));
    goto done;
  }
  rc = 0;
  goto done;
nomem:
  PyErr_NoMemory();
done:
  marc_buf_free(&b);
  return rc;
}

static PyObject *field_new(PyTypeObject *type, PyObject *args, PyObject *kw) {
  (void)args, (void)kw;
  FieldObject *o = (FieldObject *)type->tp_alloc(type, 0);
  return (PyObject *)o;
}

static void field_dealloc(FieldObject *o) {
  Py_XDECREF(o->tag);
  Py_XDECREF(o->data);
  Py_XDECREF(o->ind1);
  Py_XDECREF(o->ind2);
  Py_XDECREF(o->raw);
  Py_XDECREF(o->subfields);
  Py_TYPE(o)->tp_free((PyObject *)o);
}

static PyObject *get_subfields_attr(FieldObject *f, void *c) {
  (void)c;
  if (f->data) return PyList_New(0);
  PyObject *l = materialise(f);
  return l ? Py_NewRef(l) : NULL;
}

static int set_subfields_attr(FieldObject *f, PyObject *v, void *c) {
  (void)c;
  if (!v || !PyList_Check(v)) {
    PyErr_SetString(PyExc_TypeError, "subfields must be a list");
    return -1;
  }
  Py_CLEAR(f->raw);
  Py_XSETREF(f->subfields, Py_NewRef(v));
  return 0;
}

/* tag, data, indicator1, indicator2: plain attributes (None allowed for
 * data and indicators). */
#define ATTR(name, member)                                                     \
  static PyObject *get_##name(FieldObject *f, void *c) {                       \
    (void)c;                                                                   \
    return Py_NewRef(f->member ? f->member : Py_None);                         \
  }                                                                            \
  static int set_##name(FieldObject *f, PyObject *v, void *c) {                \
    (void)c;                                                                   \
    if (v == Py_None) v = NULL;                                                \
    if (v && !PyUnicode_Check(v)) {                                            \
      PyErr_SetString(PyExc_TypeError, #name " must be str");                  \
      return -1;                                                               \
    }                                                                          \
    Py_XSETREF(f->member, Py_XNewRef(v));                                      \
    return 0;                                                                  \
  }
ATTR(tag, tag)
ATTR(data, data)
ATTR(indicator1, ind1)
ATTR(indicator2, ind2)

static PyGetSetDef field_getset[] = {
    {"tag", (getter)get_tag, (setter)set_tag, "the tag, e.g. '245'", NULL},
    {"data", (getter)get_data, (setter)set_data,
     "a control field's value (None for data fields)", NULL},
    {"indicator1", (getter)get_indicator1, (setter)set_indicator1,
     "first indicator", NULL},
    {"indicator2", (getter)get_indicator2, (setter)set_indicator2,
     "second indicator", NULL},
    {"subfields", (getter)get_subfields_attr, (setter)set_subfields_attr,
     "list of Subfield(code, value)", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

static PyMethodDef field_methods[] = {
    {"get", field_get, METH_VARARGS,
     "first value of a subfield code, or the default"},
    {"get_subfields", field_get_subfields, METH_VARARGS,
     "values of the subfields with these codes (all codes when none)"},
    {NULL, NULL, 0, NULL}};

static PyMappingMethods field_mapping = {NULL, field_getitem, NULL};

PyTypeObject FieldBaseType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "marcato._marcato.FieldBase",
    .tp_basicsize = sizeof(FieldObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "C base of marcato.Field",
    .tp_new = field_new,
    .tp_dealloc = (destructor)field_dealloc,
    .tp_getset = field_getset,
    .tp_methods = field_methods,
    .tp_as_mapping = &field_mapping,
};
