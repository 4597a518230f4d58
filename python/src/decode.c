/* decode.c: one record as read becomes a Python Record (or None, or an
 * exception): the text conversion runs without the GIL, the policy for
 * problems (pymarc's permissive / strict) with it. */
#include "ext.h"

#include <stdlib.h>
#include <string.h>

/* Problems after which a record is not what its bytes meant: pymarc cannot
 * read such a record at all. The others (a field's terminator, a bad
 * subfield delimiter, character set repairs) leave a sound record and are
 * warnings. */
int diag_is_structural(const char *code) {
  static const char *const codes[] = {"LENGTH_NOT_NUMERIC",
                                      "LENGTH_TOO_SHORT",
                                      "RECORD_OVERSIZE",
                                      "TRUNCATED",
                                      "NO_TERMINATOR",
                                      "LEADER_SHORT",
                                      "BASE_ADDRESS",
                                      "DIRECTORY_TERMINATOR",
                                      "DIRECTORY_LENGTH",
                                      "ENTRY_NOT_NUMERIC",
                                      "ENTRY_OUT_OF_RANGE",
                                      "FIELD_LOST",
                                      "SYNTAX",
                                      "NO_RECORD"};
  for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
    if (!strcmp(code, codes[i])) return 1;
  return 0;
}

int decode_record(const marc_record *in, int text, int force_utf8,
                  decoded *out) {
  memset(out, 0, sizeof *out);
  marc_record *rec = NULL;
  /* Plain ASCII reads the same in MARC-8 and UTF-8: nothing to convert,
   * and leader/09 stays as it was, so the record writes back unchanged. */
  int plain = 1;
  size_t nf = marc_record_field_count(in);
  const marc_field *fs = marc_record_fields(in);
  for (size_t i = 0; plain && i < nf; i++)
    plain = marc_charset_plain(marc_field_data(in, &fs[i]), fs[i].len);
  if (text == TEXT_LATIN1 || (plain && !force_utf8)) {
    rec = marc_record_clone(in);
  } else {
    marc_charset_options opt = {0};
    opt.encoding = force_utf8 ? MARC_ENC_UTF8 : MARC_ENC_AUTO;
    opt.nfc = 1; /* as pymarc: composed characters */
    if (marc_record_to_utf8(in, &opt, &rec, NULL) != MARC_OK) rec = NULL;
    /* Text that converted to itself ('&', ESC that were not MARC-8
     * sequences): leader/09 stays, so the record writes back unchanged. */
    int same = rec && !force_utf8 && marc_record_field_count(rec) == nf;
    const marc_field *gs = same ? marc_record_fields(rec) : NULL;
    for (size_t i = 0; same && i < nf; i++)
      same = gs[i].len == fs[i].len &&
             !memcmp(marc_field_data(rec, &gs[i]), marc_field_data(in, &fs[i]),
                     fs[i].len);
    if (same) marc_record_set_leader_byte(rec, 9, marc_record_leader(in)[9]);
  }
  if (!rec) return -1;
  size_t n = marc_record_diag_count(rec);
  if (n) {
    out->diags = calloc(n, sizeof *out->diags);
    if (!out->diags) {
      marc_record_free(rec);
      return -1;
    }
    for (size_t i = 0; i < n; i++) {
      const marc_diag *g = marc_record_diag(rec, i);
      py_diag *d = &out->diags[i];
      d->code = marc_code_name(g->code);
      d->msg = strdup(g->msg ? g->msg : "");
      d->offset = g->offset;
      d->record = g->record;
      memcpy(d->tag, g->tag, 4);
      d->tag[3] = 0;
    }
    out->ndiags = n;
  }
  out->rec = rec;
  return 0;
}

void decoded_clear(decoded *d) {
  marc_record_free(d->rec);
  diags_free(d->diags, d->ndiags);
  free(d->raw);
  memset(d, 0, sizeof *d);
}

static int warn_diag(const py_diag *d) {
  PyObject *w = py_warning_class ? py_warning_class : PyExc_UserWarning;
  PyObject *tag = diag_str(d->tag), *msg = tag ? diag_str(d->msg) : NULL;
  int rc = -1;
  if (msg)
    rc = PyErr_WarnFormat(
        w, 2, "record %llu at byte %llu: %s%s%U%s %U",
        (unsigned long long)d->record + 1, (unsigned long long)d->offset,
        d->code, d->tag[0] ? " [" : "", tag, d->tag[0] ? "]" : "", msg);
  Py_XDECREF(tag);
  Py_XDECREF(msg);
  return rc;
}

int diag_is_charset(const char *code) {
  return !strncmp(code, "MARC8_", 6) || !strncmp(code, "UTF8_", 5) ||
         !strncmp(code, "ENCODING_", 9);
}

PyObject *decoded_to_python(decoded *d, int text, int permissive, int salvage,
                            int hide_charset, PyObject **problem) {
  *problem = NULL;
  const py_diag *bad = NULL;
  for (size_t i = 0; i < d->ndiags && !bad; i++)
    if (diag_is_structural(d->diags[i].code)) bad = &d->diags[i];
  if (!d->rec && !bad) {
    PyErr_SetString(PyExc_MemoryError, "out of memory decoding a record");
    goto drop;
  }
  if (bad && (!permissive || !salvage || !d->rec)) {
    PyObject *e =
        make_problem(bad->code, bad->msg, bad->offset, bad->record, bad->tag);
    if (!e) goto drop;
    if (!permissive) {
      PyErr_SetObject((PyObject *)Py_TYPE(e), e);
      Py_DECREF(e);
      goto drop;
    }
    *problem = e;
    marc_record_free(d->rec);
    diags_free(d->diags, d->ndiags);
    free(d->raw);
    memset(d, 0, sizeof *d);
    Py_RETURN_NONE;
  }
  for (size_t i = 0; i < d->ndiags; i++)
    if (!(hide_charset && diag_is_charset(d->diags[i].code)) &&
        warn_diag(&d->diags[i]) < 0)
      goto drop;
  PyObject *r = record_wrap(d->rec, d->diags, d->ndiags, text);
  free(d->raw);
  memset(d, 0, sizeof *d);
  return r;
drop:
  marc_record_free(d->rec);
  diags_free(d->diags, d->ndiags);
  free(d->raw);
  memset(d, 0, sizeof *d);
  return NULL;
}
