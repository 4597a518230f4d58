/* Fuzz target for the writer property: read -> write (every format) ->
 * read back.
 *
 * Input: the bytes of a file in any format, read as the CLI reads it by
 * default (format sniffed, lenient), so seeds of every format mutate
 * into inputs of their own reader. Every record read is brought to UTF-8
 * as the CLI and the npm package do before text output (MARC-8 decoded,
 * bytes that are not UTF-8 replaced and reported), then written in every
 * format.
 * The output must be valid for its format:
 *  - ISO 2709: reads back as one record. A record read from another
 *    format reads back with no diagnostic but those it was read with (the
 *    same code for the same tag), a reported change notwithstanding: what
 *    would read back otherwise is repaired or refused (MARC_E_TOO_LONG,
 *    MARC_E_INVALID). A record read from ISO 2709 (converted or not: an
 *    unedited one is copied as it was read) reads back with no diagnostic
 *    if it had none;
 *  - MARCXML, MARC-in-JSON, JSON Lines, .mrk: valid UTF-8 that its own
 *    reader reads back as exactly one record without an error (so the
 *    XML is well-formed; a JSON Lines record is one line);
 *  - text: valid UTF-8;
 * and what is read back must be the same record (leader but its lengths,
 * tags, indicators, field bytes) unless marc_write_changes reported a
 * change for that format. marc_write_reporting must write the same bytes
 * and report the same changes, in the same order. Any breach aborts,
 * which libFuzzer reports. */
#include "formats/fmt_test.h"
#include "fuzz_reader.h"

static void fail(marc_format fmt, const char *what) {
  fprintf(stderr, "fuzz_writer: %s: %s\n", marc_format_name(fmt), what);
  abort();
}

/* Fail, showing the record written and what came back (for triage). */
static void fail_records(marc_format fmt, const char *what,
                         const marc_record *rec, const marc_record *back) {
  marc_buf d = {0};
  ft_puts(&d, "written:\n");
  ft_dump(rec, &d, 1);
  ft_puts(&d, "read back:\n");
  ft_dump(back, &d, 1);
  fwrite(d.data, 1, d.len, stderr);
  marc_buf_free(&d);
  fail(fmt, what);
}

/* The same record, but for the lengths ISO 2709 computes (leader/00-04
 * record length, 12-16 base address). */
static int same_record(const marc_record *a, const marc_record *b) {
  const char *la = marc_record_leader(a), *lb = marc_record_leader(b);
  if (memcmp(la + 5, lb + 5, 7) || memcmp(la + 17, lb + 17, 7)) return 0;
  size_t n = marc_record_field_count(a);
  if (n != marc_record_field_count(b)) return 0;
  for (size_t i = 0; i < n; i++) {
    const marc_field *f = marc_record_field(a, i);
    const marc_field *g = marc_record_field(b, i);
    if (strcmp(f->tag, g->tag) || f->len != g->len ||
        (f->len &&
         memcmp(marc_field_data(a, f), marc_field_data(b, g), f->len)))
      return 0;
    if (!marc_tag_is_control(f->tag) &&
        (f->ind1 != g->ind1 || f->ind2 != g->ind2))
      return 0;
  }
  return 1;
}

/* Was `rec` read with diagnostic `d`'s code for `d`'s tag? (Yes for any
 * once its diagnostics were capped: the rest are unknown.) */
static int had_diag(const marc_record *rec, const marc_diag *d) {
  for (size_t i = 0; i < marc_record_diag_count(rec); i++) {
    const marc_diag *e = marc_record_diag(rec, i);
    if (e->code == MARC_D_TOO_MANY_DIAGNOSTICS ||
        (e->code == d->code && !strcmp(e->tag, d->tag)))
      return 1;
  }
  return 0;
}

/* Read one written record back with `fmt`'s reader and check it. */
static void read_back(const marc_record *rec, marc_format fmt,
                      const marc_buf *out, size_t changes, int text_source) {
  marc_format reader = fmt == MARC_FORMAT_JSONL ? MARC_FORMAT_JSON : fmt;
  if (!marc_format_readable(reader)) return;
  ft_result back;
  ft_read(reader, out->data, out->len, 0, 0, 1, &back);
  if (back.failed) fail(fmt, "reading back failed");
  if (back.errors) fail(fmt, "output reads back with an error");
  if (back.n != 1) fail(fmt, "output does not read back as one record");
  const marc_record *b = back.recs[0];
  /* ISO 2709 must read back clean: no diagnostic the record was not
   * read with, whatever the writer reported. */
  for (size_t i = 0;
       fmt == MARC_FORMAT_ISO2709 && i < marc_record_diag_count(b); i++)
    if (text_source ? !had_diag(rec, marc_record_diag(b, i))
                    : !marc_record_diag_count(rec)) {
      fprintf(stderr, "new: %s [%s] %s\n",
              marc_code_name(marc_record_diag(b, i)->code),
              marc_record_diag(b, i)->tag, marc_record_diag(b, i)->msg);
      fail_records(fmt, "reads back with a diagnostic the record did not have",
                   rec, b);
    }
  if (!changes && !same_record(rec, b))
    fail_records(fmt, "reads back as another record with no change reported",
                 rec, b);
  ft_result_free(&back);
}

/* A change as a line: code, tag, message. */
static void keep_change(void *user, const marc_diag *d) {
  marc_buf *b = user;
  char line[256];
  int n =
      snprintf(line, sizeof line, "%d [%s] %s\n", (int)d->code, d->tag, d->msg);
  if (n > 0 && (size_t)n < sizeof line) marc_buf_append(b, line, (size_t)n);
}

static int same_buf(const marc_buf *a, const marc_buf *b) {
  return a->len == b->len && (!a->len || !memcmp(a->data, b->data, a->len));
}

static void check_record(const marc_record *rec, int text_source) {
  marc_buf out = {0}, both = {0}, seen = {0}, said = {0};
  for (int f = MARC_FORMAT_ISO2709; f <= MARC_FORMAT_TEXT; f++) {
    marc_format fmt = (marc_format)f;
    seen.len = said.len = out.len = both.len = 0;
    size_t changes = marc_write_changes(rec, fmt, keep_change, &seen);
    marc_status s = marc_write(rec, fmt, 0, &out);
    if (s == MARC_E_NOMEM) fail(fmt, "out of memory");
    if (marc_write_reporting(rec, fmt, 0, &both, keep_change, &said) != s ||
        !same_buf(&out, &both))
      fail(fmt, "marc_write_reporting wrote other bytes than marc_write");
    if (!same_buf(&seen, &said)) {
      fprintf(stderr, "marc_write_changes:\n%.*s\nmarc_write_reporting:\n%.*s",
              (int)seen.len, (const char *)seen.data, (int)said.len,
              (const char *)said.data);
      fail(fmt, "marc_write_reporting reported other changes");
    }
    if (fmt == MARC_FORMAT_ISO2709 &&
        (s == MARC_E_TOO_LONG || s == MARC_E_INVALID)) {
      if (out.len) fail(fmt, "refused record left output");
      continue; /* refused, with a diagnostic saying why */
    }
    if (s != MARC_OK) fail(fmt, "a record the reader returned is unwritable");
    if (fmt != MARC_FORMAT_ISO2709 &&
        marc_utf8_check(out.data, out.len, NULL) == MARC_UTF8_INVALID)
      fail(fmt, "output is not UTF-8");
    if (fmt == MARC_FORMAT_JSONL &&
        (memchr(out.data, '\n', out.len) != out.data + out.len - 1))
      fail(fmt, "record is not one line");
    if (fmt != MARC_FORMAT_TEXT)
      read_back(rec, fmt, &out, changes, text_source);
  }
  marc_buf_free(&out);
  marc_buf_free(&both);
  marc_buf_free(&seen);
  marc_buf_free(&said);
}

int marcato_fuzz_writer(const uint8_t *data, size_t size) {
  ft_result in;
  ft_read(MARC_FORMAT_AUTO, data, size, 0, 0, 1, &in);
  for (size_t i = 0; i < in.n; i++) {
    marc_record *rec = in.recs[i], *utf8 = NULL;
    /* Text output is UTF-8: records that are not are converted first,
     * each problem reported by the conversion (as the CLI does). */
    if (marc_record_leader(rec)[9] != 'a' || marc_record_utf8_invalid(rec)) {
      marc_status s = marc_record_to_utf8(rec, NULL, &utf8, NULL);
      if (s == MARC_E_NOMEM) fail(MARC_FORMAT_AUTO, "out of memory");
      if (s != MARC_OK) {
        fprintf(stderr, "status %s\n", marc_status_str(s));
        fail(MARC_FORMAT_AUTO, "conversion failed");
      }
    }
    check_record(utf8 ? utf8 : rec, in.format != MARC_FORMAT_ISO2709);
    marc_record_free(utf8);
  }
  ft_result_free(&in);
  return 0;
}
