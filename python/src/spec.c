/* spec.c: MARCspec (record.select) and validation (record.validate) on a
 * record's core. */
#include "ext.h"

#include <string.h>

static PyObject *spec_cache; /* text -> capsule of marc_spec */

static void spec_capsule_free(PyObject *cap) {
  marc_spec_free(PyCapsule_GetPointer(cap, "marcato.spec"));
}

const marc_spec *spec_get(PyObject *text) {
  if (!spec_cache && !(spec_cache = PyDict_New())) return NULL;
  PyObject *cap = PyDict_GetItemWithError(spec_cache, text);
  if (cap) return PyCapsule_GetPointer(cap, "marcato.spec");
  if (PyErr_Occurred()) return NULL;
  const char *t = PyUnicode_AsUTF8(text);
  if (!t) return NULL;
  marc_error err = {0};
  marc_spec *spec = marc_spec_compile_flags(t, MARC_SPEC_TRAJECT, &err);
  if (!spec) {
    PyErr_Format(PyExc_ValueError, "MARCspec '%s': position %zu: %s", t,
                 err.position, err.message);
    return NULL;
  }
  cap = PyCapsule_New(spec, "marcato.spec", spec_capsule_free);
  if (!cap) {
    marc_spec_free(spec);
    return NULL;
  }
  int rc = PyDict_SetItem(spec_cache, text, cap);
  Py_DECREF(cap);
  return rc < 0 ? NULL : spec;
}

typedef struct collect {
  PyObject *list;
  int text;
} collect;

static int collect_value(void *user, const marc_spec_value *v) {
  collect *c = user;
  PyObject *s = text_decode(v->data, v->len, c->text);
  if (!s) {
    PyErr_Clear();
    s = PyUnicode_DecodeUTF8((const char *)v->data, (Py_ssize_t)v->len,
                             "replace");
  }
  if (!s || PyList_Append(c->list, s) < 0) {
    Py_XDECREF(s);
    Py_CLEAR(c->list);
    return 1;
  }
  Py_DECREF(s);
  return 0;
}

PyObject *spec_values(const marc_spec *spec, const marc_record *rec, int text,
                      marc_buf *scratch) {
  collect c = {PyList_New(0), text};
  if (!c.list) return NULL;
  marc_status s = marc_spec_eval(spec, rec, scratch, collect_value, &c);
  if (!c.list) return NULL;
  if (s != MARC_OK) {
    Py_DECREF(c.list);
    return PyErr_NoMemory();
  }
  return c.list;
}

/* select(record, spec) -> list of str */
static PyObject *select_values(PyObject *self, PyObject *args) {
  (void)self;
  PyObject *rec, *text;
  if (!PyArg_ParseTuple(args, "OU", &rec, &text)) return NULL;
  const marc_spec *spec = spec_get(text);
  if (!spec) return NULL;
  int owned;
  marc_record *core = record_build(rec, &owned);
  if (!core) return NULL;
  PyObject *out = spec_values(spec, core, ((RecordObject *)rec)->text, NULL);
  if (owned) marc_record_free(core);
  return out;
}

static marc_schema *builtin[MARC_SCHEMA_BUILTIN_COUNT_];

typedef struct problems {
  PyObject *list;
} problems;

static int add_problem(void *ctx, const marc_schema_problem *p) {
  problems *ps = ctx;
  char msg[256];
  marc_schema_problem_message(p, msg, sizeof msg);
  char code[2] = {p->code, 0};
  PyObject *t = Py_BuildValue("(sssKs)", marc_schema_rule_name(p->rule), msg,
                              p->tag, (unsigned long long)p->offset, code);
  if (!t || PyList_Append(ps->list, t) < 0) {
    Py_XDECREF(t);
    Py_CLEAR(ps->list);
    return 1;
  }
  Py_DECREF(t);
  return 0;
}

/* validate(record) -> [(rule, message, tag, offset, code)]: structure and
 * leader values (marc_record_validate), then the built-in Avram schema of
 * the record's type. */
static PyObject *validate(PyObject *self, PyObject *rec) {
  (void)self;
  int owned;
  marc_record *core = record_build(rec, &owned);
  if (!core) return NULL;
  marc_record *copy = marc_record_clone(core);
  if (owned) marc_record_free(core);
  if (!copy) return PyErr_NoMemory();
  problems ps = {PyList_New(0)};
  size_t before = marc_record_diag_count(copy);
  int64_t n;
  Py_BEGIN_ALLOW_THREADS;
  n = marc_record_validate(copy);
  Py_END_ALLOW_THREADS;
  for (size_t i = before; ps.list && n > 0 && i < marc_record_diag_count(copy);
       i++) {
    const marc_diag *g = marc_record_diag(copy, i);
    PyObject *t = Py_BuildValue("(sssKs)", marc_code_name(g->code), g->msg,
                                g->tag, (unsigned long long)g->offset, "");
    if (!t || PyList_Append(ps.list, t) < 0) Py_CLEAR(ps.list);
    Py_XDECREF(t);
  }
  int which = marc_schema_builtin_for(marc_record_leader(copy)[6]);
  if (ps.list && which >= 0) {
    if (!builtin[which]) {
      marc_error err = {0};
      builtin[which] =
          marc_schema_load_builtin((marc_schema_builtin)which, &err);
    }
    if (builtin[which])
      marc_schema_validate(builtin[which], copy, NULL, add_problem, &ps);
  }
  marc_record_free(copy);
  return ps.list;
}

PyMethodDef spec_methods[] = {
    {"select", select_values, METH_VARARGS,
     "the values a MARCspec references in a record"},
    {"validate", validate, METH_O,
     "problems of a record against MARC 21's rules and its Avram schema"},
    {NULL, NULL, 0, NULL}};
