/* recode.c: pymarc's file_encoding. A record that is not UTF-8 (leader/09
 * not 'a', no force_utf8) is read as MARC-8 when file_encoding is pymarc's
 * default, 'iso8859-1'; any other value names the Python codec its text is
 * in (pymarc: "if you have a file in incorrect encode and you know what it
 * is"), e.g. 'cp1251'. The reader keeps such a record's bytes as read
 * (decode_record without conversion) and this file decodes every control
 * field and subfield value with the codec, with the GIL, into a UTF-8
 * record whose leader/09 is 'a', as MARC-8 records are converted. */
#include "ext.h"

#include <string.h>

int codec_applies(const char *file_encoding, const marc_record *rec,
                  int force_utf8) {
  return file_encoding && strcmp(file_encoding, "iso8859-1") != 0 &&
         !force_utf8 && marc_record_leader(rec)[9] != 'a';
}

/* Append `n` bytes of `p` decoded with the codec, as UTF-8. */
static int put_decoded(marc_buf *b, const uint8_t *p, size_t n,
                       const char *encoding, const char *errors) {
  PyObject *s =
      PyUnicode_Decode((const char *)p, (Py_ssize_t)n, encoding, errors);
  if (!s) return -1;
  Py_ssize_t len;
  const char *utf8 = PyUnicode_AsUTF8AndSize(s, &len);
  int rc = utf8 && marc_buf_append(b, utf8, (size_t)len) == MARC_OK ? 0 : -1;
  if (utf8 && rc < 0) PyErr_NoMemory();
  Py_DECREF(s);
  return rc;
}

int recode_with_codec(decoded *d, const char *encoding, const char *errors) {
  const marc_record *in = d->rec;
  marc_record *out = marc_record_new();
  marc_buf b = {0};
  int rc = -1;
  if (!out) goto nomem;
  char leader[24];
  memcpy(leader, marc_record_leader(in), 24);
  leader[9] = 'a';
  if (marc_record_set_leader(out, leader) != MARC_OK) goto nomem;
  size_t n = marc_record_field_count(in);
  for (size_t i = 0; i < n; i++) {
    const marc_field *f = marc_record_field(in, i);
    b.len = 0;
    if (marc_tag_is_control(f->tag)) {
      if (put_decoded(&b, marc_field_data(in, f), f->len, encoding, errors))
        goto done;
    } else {
      marc_subfield_iter it = marc_subfields(in, f);
      marc_subfield sf;
      while (marc_subfield_next(&it, &sf)) {
        /* code 0: bytes before the first delimiter, kept in place; a code
         * that is not ASCII is text in the codec too (the Python layer
         * reads a code of several UTF-8 bytes) */
        uint8_t head[2] = {0x1F, (uint8_t)sf.code};
        int ascii = !(head[1] & 0x80);
        if (sf.code && marc_buf_append(&b, head, ascii ? 2 : 1) != MARC_OK)
          goto nomem;
        if (!ascii && put_decoded(&b, head + 1, 1, encoding, errors)) goto done;
        if (put_decoded(&b, sf.value, sf.len, encoding, errors)) goto done;
      }
    }
    if (marc_record_append_field_tag3(out, f->tag, (char)f->ind1, (char)f->ind2,
                                      b.len ? (const void *)b.data : "",
                                      b.len) != MARC_OK)
      goto nomem;
  }
  marc_record_free(d->rec);
  d->rec = out;
  out = NULL;
  rc = 0;
  goto done;
nomem:
  PyErr_NoMemory();
done:
  marc_buf_free(&b);
  marc_record_free(out);
  return rc;
}
