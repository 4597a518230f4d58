/* module.c: the module marcato._marcato, the classes the Python layer
 * registers, text decoding and how problems become exceptions. */
#include "ext.h"

#include <string.h>

PyTypeObject *py_record_class, *py_field_class;
PyObject *py_subfield_class, *py_leader_class, *py_error_factory,
    *py_warning_class;

const char *text_errors(int text) {
  return text == TEXT_REPLACE  ? "replace"
         : text == TEXT_IGNORE ? "ignore"
                               : "strict";
}

PyObject *text_decode(const uint8_t *p, size_t n, int text) {
  if (text == TEXT_LATIN1)
    return PyUnicode_DecodeLatin1((const char *)p, (Py_ssize_t)n, NULL);
  return PyUnicode_DecodeUTF8((const char *)p, (Py_ssize_t)n,
                              text_errors(text));
}

int text_mode(int to_unicode, const char *utf8_handling) {
  if (!to_unicode) return TEXT_LATIN1;
  if (utf8_handling && !strcmp(utf8_handling, "replace")) return TEXT_REPLACE;
  if (utf8_handling && !strcmp(utf8_handling, "ignore")) return TEXT_IGNORE;
  return TEXT_STRICT;
}

PyObject *diag_str(const char *s) {
  return PyUnicode_DecodeUTF8(s ? s : "", (Py_ssize_t)strlen(s ? s : ""),
                              "backslashreplace");
}

PyObject *make_problem(const char *code, const char *msg, uint64_t offset,
                       uint64_t record, const char *tag) {
  if (!py_error_factory) {
    PyErr_SetString(PyExc_RuntimeError, "marcato._marcato not configured");
    return NULL;
  }
  PyObject *m = diag_str(msg), *t = m ? diag_str(tag) : NULL;
  if (!t) {
    Py_XDECREF(m);
    return NULL;
  }
  return PyObject_CallFunction(py_error_factory, "sNKKN", code, m,
                               (unsigned long long)offset,
                               (unsigned long long)record, t);
}

PyObject *raise_problem(const char *code, const char *msg, uint64_t offset,
                        uint64_t record, const char *tag) {
  PyObject *e = make_problem(code, msg, offset, record, tag);
  if (e) {
    PyErr_SetObject((PyObject *)Py_TYPE(e), e);
    Py_DECREF(e);
  }
  return NULL;
}

PyObject *path_bytes(PyObject *obj) {
  if (!PyUnicode_Check(obj) && !PyObject_HasAttrString(obj, "__fspath__"))
    return NULL;
  PyObject *out = NULL;
  if (!PyUnicode_FSConverter(obj, &out)) return NULL;
  return out;
}

static PyObject *configure(PyObject *self, PyObject *args) {
  (void)self;
  PyObject *rec, *field, *sub, *leader, *err, *warn;
  if (!PyArg_ParseTuple(args, "OOOOOO", &rec, &field, &sub, &leader, &err,
                        &warn))
    return NULL;
  if (!PyType_Check(rec) ||
      !PyType_IsSubtype((PyTypeObject *)rec, &RecordBaseType) ||
      !PyType_Check(field) ||
      !PyType_IsSubtype((PyTypeObject *)field, &FieldBaseType)) {
    PyErr_SetString(PyExc_TypeError, "_configure needs Record, Field types");
    return NULL;
  }
  Py_XSETREF(py_record_class, (PyTypeObject *)Py_NewRef(rec));
  Py_XSETREF(py_field_class, (PyTypeObject *)Py_NewRef(field));
  Py_XSETREF(py_subfield_class, Py_NewRef(sub));
  Py_XSETREF(py_leader_class, Py_NewRef(leader));
  Py_XSETREF(py_error_factory, Py_NewRef(err));
  Py_XSETREF(py_warning_class, Py_NewRef(warn));
  Py_RETURN_NONE;
}

/* encode(record, format="iso2709", flags=0) -> bytes */
static PyObject *encode(PyObject *self, PyObject *args, PyObject *kw) {
  (void)self;
  static char *names[] = {"record", "format", "flags", NULL};
  PyObject *rec;
  const char *fmt_name = "iso2709";
  unsigned flags = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "O|sI", names, &rec, &fmt_name,
                                   &flags))
    return NULL;
  marc_format fmt = marc_format_from_name(fmt_name);
  if (fmt <= MARC_FORMAT_AUTO) {
    PyErr_Format(PyExc_ValueError, "unknown format '%s'", fmt_name);
    return NULL;
  }
  int owned;
  marc_record *core = record_build(rec, &owned);
  if (!core) return NULL;
  marc_buf b = {0};
  marc_status s;
  marc_diag err = {0};
  Py_BEGIN_ALLOW_THREADS;
  s = fmt == MARC_FORMAT_ISO2709 ? marc_write_iso2709(core, &b, &err)
                                 : marc_write(core, fmt, flags, &b);
  Py_END_ALLOW_THREADS;
  if (owned) marc_record_free(core);
  PyObject *out = NULL;
  if (s == MARC_OK)
    out = PyBytes_FromStringAndSize(b.data ? (const char *)b.data : "",
                                    (Py_ssize_t)b.len);
  else raise_write_error(s, &err);
  marc_buf_free(&b);
  return out;
}

PyObject *raise_write_error(marc_status s, const marc_diag *err) {
  /* A record the format cannot hold: too long, or a field holding a
   * terminator or an indicator that is a structural byte (BAD_VALUE). */
  if (s == MARC_E_TOO_LONG || (s == MARC_E_INVALID && err->code))
    return raise_problem(
        marc_code_name(err->code ? err->code : MARC_D_RECORD_TOO_LONG_TO_WRITE),
        err->msg ? err->msg : "record too long for ISO 2709", err->offset,
        err->record, err->tag);
  PyErr_SetString(s == MARC_E_NOMEM ? PyExc_MemoryError : PyExc_ValueError,
                  marc_status_str(s));
  return NULL;
}

/* stream_frame(format, end, flags) -> bytes: what comes before the first
 * record (end False) or after the last (end True) of a stream. */
static PyObject *stream_frame(PyObject *self, PyObject *args) {
  (void)self;
  const char *fmt_name;
  int end;
  unsigned flags = 0;
  if (!PyArg_ParseTuple(args, "sp|I", &fmt_name, &end, &flags)) return NULL;
  marc_format fmt = marc_format_from_name(fmt_name);
  if (fmt <= MARC_FORMAT_AUTO) {
    PyErr_Format(PyExc_ValueError, "unknown format '%s'", fmt_name);
    return NULL;
  }
  marc_buf b = {0};
  marc_status s =
      end ? marc_write_end(fmt, flags, &b) : marc_write_begin(fmt, flags, &b);
  PyObject *out =
      s == MARC_OK ? PyBytes_FromStringAndSize(
                         b.data ? (const char *)b.data : "", (Py_ssize_t)b.len)
                   : PyErr_NoMemory();
  marc_buf_free(&b);
  return out;
}

static PyObject *sniff(PyObject *self, PyObject *arg) {
  (void)self;
  Py_buffer view;
  if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) return NULL;
  marc_format f = marc_sniff(view.buf, (size_t)view.len);
  PyBuffer_Release(&view);
  return PyUnicode_FromString(marc_format_name(f));
}

/* marc8_to_utf8(bytes, nfc=False) -> str */
static PyObject *marc8_to_utf8(PyObject *self, PyObject *args) {
  (void)self;
  Py_buffer view;
  int nfc = 0;
  if (!PyArg_ParseTuple(args, "y*|p", &view, &nfc)) return NULL;
  marc_buf b = {0};
  marc_charset_options opt = {0};
  opt.nfc = nfc;
  marc_status s;
  Py_BEGIN_ALLOW_THREADS;
  s = marc_marc8_to_utf8(view.buf, (size_t)view.len, &b, &opt, NULL);
  Py_END_ALLOW_THREADS;
  PyBuffer_Release(&view);
  PyObject *out = s == MARC_OK
                      ? PyUnicode_DecodeUTF8(b.data ? (const char *)b.data : "",
                                             (Py_ssize_t)b.len, "replace")
                      : PyErr_NoMemory();
  marc_buf_free(&b);
  return out;
}

static PyMethodDef methods[] = {
    {"marc8_to_utf8", marc8_to_utf8, METH_VARARGS,
     "MARC-8 text as str (the core's decoder, every LC code table)"},
    {"_configure", configure, METH_VARARGS, "register the Python classes"},
    {"encode", (PyCFunction)(void (*)(void))encode,
     METH_VARARGS | METH_KEYWORDS, "a record in one format, as bytes"},
    {"stream_frame", stream_frame, METH_VARARGS,
     "what begins or ends a stream of records in a format"},
    {"sniff", sniff, METH_O, "the format of input starting with these bytes"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_def = {PyModuleDef_HEAD_INIT, "_marcato",
                                        "marcato's C core for Python", -1,
                                        methods};

static int add_methods(PyObject *m, PyMethodDef *defs) {
  for (PyMethodDef *d = defs; d->ml_name; d++) {
    PyObject *f = PyCFunction_NewEx(d, NULL, NULL);
    if (!f || PyModule_AddObject(m, d->ml_name, f) < 0) {
      Py_XDECREF(f);
      return -1;
    }
  }
  return 0;
}

PyMODINIT_FUNC PyInit__marcato(void) {
  PyTypeObject *types[] = {&RecordBaseType, &FieldBaseType, &ReaderType,
                           &WriterType, &PipelineType};
  for (size_t i = 0; i < sizeof types / sizeof *types; i++)
    if (PyType_Ready(types[i]) < 0) return NULL;
  PyObject *m = PyModule_Create(&module_def);
  if (!m) return NULL;
  if (add_methods(m, spec_methods) < 0 || add_methods(m, range_methods) < 0)
    goto fail;
  for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
    const char *dot = strrchr(types[i]->tp_name, '.');
    if (PyModule_AddObjectRef(m, dot ? dot + 1 : types[i]->tp_name,
                              (PyObject *)types[i]) < 0)
      goto fail;
  }
  if (PyModule_AddStringConstant(m, "core_version", marc_version()) < 0)
    goto fail;
  return m;
fail:
  Py_DECREF(m);
  return NULL;
}
