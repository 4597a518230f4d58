/* dict.c: a record as the dict MARC-in-JSON describes:
 *   {"leader": "...", "fields": [{"001": "..."},
 *    {"245": {"ind1": "1", "ind2": "0", "subfields": [{"a": "..."}]}}]} */
#include "ext.h"

static int set_item(PyObject *d, PyObject *key, PyObject *value) {
  if (!value) return -1;
  int rc = PyDict_SetItem(d, key, value);
  Py_DECREF(value);
  return rc;
}

static PyObject *subfield_list(const marc_record *rec, const marc_field *f,
                               int text) {
  PyObject *list = PyList_New(0);
  marc_subfield_iter it = marc_subfields(rec, f);
  marc_subfield sf;
  while (list && marc_subfield_next(&it, &sf)) {
    if (!sf.code) continue; /* bytes before the first delimiter */
    /* A code that is a multibyte UTF-8 character takes its continuation
     * bytes from the value (as Field does). */
    uint8_t code[4] = {(uint8_t)sf.code};
    size_t clen = 1, want = code[0] < 0xC0   ? 1
                            : code[0] < 0xE0 ? 2
                            : code[0] < 0xF0 ? 3
                                             : 4;
    if (text == TEXT_LATIN1) want = 1;
    while (clen < want && clen - 1 < sf.len && sf.value[clen - 1] != 0x1F)
      code[clen] = sf.value[clen - 1], clen++;
    PyObject *k =
        text_decode(code, clen, text == TEXT_LATIN1 ? text : TEXT_REPLACE);
    PyObject *v =
        k ? text_decode(sf.value + (clen - 1), sf.len - (clen - 1), text)
          : NULL;
    PyObject *one = v ? PyDict_New() : NULL;
    if (!one || PyDict_SetItem(one, k, v) < 0 || PyList_Append(list, one) < 0)
      Py_CLEAR(list);
    Py_XDECREF(k);
    Py_XDECREF(v);
    Py_XDECREF(one);
  }
  return list;
}

PyObject *core_as_dict(const marc_record *rec, int text) {
  static PyObject *k_leader, *k_fields, *k_ind1, *k_ind2, *k_subfields;
  if (!k_leader) {
    k_leader = PyUnicode_InternFromString("leader");
    k_fields = PyUnicode_InternFromString("fields");
    k_ind1 = PyUnicode_InternFromString("ind1");
    k_ind2 = PyUnicode_InternFromString("ind2");
    k_subfields = PyUnicode_InternFromString("subfields");
    if (!k_leader || !k_fields || !k_ind1 || !k_ind2 || !k_subfields)
      return NULL;
  }
  size_t n = marc_record_field_count(rec);
  const marc_field *fs = marc_record_fields(rec);
  PyObject *out = PyDict_New();
  PyObject *fields = PyList_New((Py_ssize_t)n);
  if (!out || !fields) goto fail;
  if (set_item(out, k_leader,
               PyUnicode_DecodeLatin1(marc_record_leader(rec), 24, NULL)) < 0)
    goto fail;
  for (size_t i = 0; i < n; i++) {
    const marc_field *f = &fs[i];
    PyObject *tag = PyUnicode_DecodeLatin1(f->tag, 3, NULL), *value;
    if (!tag) goto fail;
    if (marc_tag_is_control(f->tag)) {
      value = text_decode(marc_field_data(rec, f), f->len, text);
    } else {
      value = PyDict_New();
      if (value &&
          (set_item(value, k_ind1, PyUnicode_FromOrdinal(f->ind1)) < 0 ||
           set_item(value, k_ind2, PyUnicode_FromOrdinal(f->ind2)) < 0 ||
           set_item(value, k_subfields, subfield_list(rec, f, text)) < 0))
        Py_CLEAR(value);
    }
    PyObject *one = value ? PyDict_New() : NULL;
    if (!one || PyDict_SetItem(one, tag, value) < 0) {
      Py_DECREF(tag);
      Py_XDECREF(value);
      Py_XDECREF(one);
      goto fail;
    }
    Py_DECREF(tag);
    Py_DECREF(value);
    PyList_SET_ITEM(fields, (Py_ssize_t)i, one);
  }
  if (PyDict_SetItem(out, k_fields, fields) < 0) goto fail;
  Py_DECREF(fields);
  return out;
fail:
  Py_XDECREF(out);
  Py_XDECREF(fields);
  return NULL;
}
