/* ISO 2709 written from records read in the text formats never carries a
 * structural byte where it would frame the record differently: every
 * record the writer writes reads back as the same record with no
 * diagnostics, and every repair on the way is a diagnostic (issue
 * "Nothing silently wrong", item 8). */
#include "check.h"
#include "formats/fmt_test.h"
#include "unit/mkrec.h"

#define LDR "01234nam a2200289 a 4500"

static int has_diag(const marc_record *rec, marc_code code) {
  for (size_t i = 0; i < marc_record_diag_count(rec); i++)
    if (marc_record_diag(rec, i)->code == code) return 1;
  return 0;
}

/* Counts the writer changes with one code and tag. */
typedef struct want_change {
  marc_code code;
  const char *tag;
  size_t n;
} want_change;

static void count_change(void *user, const marc_diag *d) {
  want_change *w = user;
  if (d->code == w->code && !strcmp(d->tag, w->tag)) w->n++;
}

/* The same record once the writer has filled in the leader's lengths
 * (00-04, 12-16). */
static int same_but_lengths(const marc_record *a, const marc_record *b) {
  const char *la = marc_record_leader(a), *lb = marc_record_leader(b);
  if (memcmp(la + 5, lb + 5, 7) || memcmp(la + 17, lb + 17, 7)) return 0;
  marc_record *c = marc_record_clone(b);
  int same = c && marc_record_set_leader(c, la) == MARC_OK && ft_same(a, c);
  marc_record_free(c);
  return same;
}

/* Read `in` as `fmt` (one record), check it was repaired with a
 * diagnostic, write ISO 2709 and read that back: no diagnostics, and the
 * same fields and leader as the repaired record. */
static void repaired(marc_format fmt, const char *in, const char *what) {
  ft_result res;
  ft_read(fmt, (const uint8_t *)in, strlen(in), 0, 0, 1, &res);
  CHECK_EQ_INT(res.n, 1);
  if (res.n != 1) {
    fprintf(stderr, "%s: %zu records\n", what, res.n);
    ft_result_free(&res);
    return;
  }
  const marc_record *rec = res.recs[0];
  if (!has_diag(rec, MARC_D_BAD_VALUE))
    fprintf(stderr, "%s: repaired without a diagnostic\n", what);
  CHECK(has_diag(rec, MARC_D_BAD_VALUE));
  marc_buf iso = {0};
  marc_diag err;
  CHECK_EQ_INT(marc_write_iso2709(rec, &iso, &err), MARC_OK);
  ft_result back;
  ft_read(MARC_FORMAT_ISO2709, iso.data, iso.len, 0, 0, 1, &back);
  CHECK_EQ_INT(back.n, 1);
  if (back.n == 1) {
    if (marc_record_diag_count(back.recs[0]))
      fprintf(stderr, "%s: reads back with %s\n", what,
              marc_record_diag(back.recs[0], 0)->msg);
    CHECK_EQ_INT(marc_record_diag_count(back.recs[0]), 0);
    CHECK(same_but_lengths(rec, back.recs[0]));
  }
  ft_result_free(&back);
  marc_buf_free(&iso);
  ft_result_free(&res);
}

static void test_json(void) {
  /* A subfield delimiter in a value would forge a $c. */
  repaired(MARC_FORMAT_JSON,
           "{\"leader\":\"" LDR "\",\"fields\":[{\"245\":{\"ind1\":\"1\","
           "\"ind2\":\"0\",\"subfields\":[{\"a\":\"A\\u001fcC\"}]}}]}",
           "json: 0x1F in a subfield");
  /* A record terminator in a control field would end the record. */
  repaired(MARC_FORMAT_JSON,
           "{\"leader\":\"" LDR "\",\"fields\":[{\"001\":\"a\\u001db\"}]}",
           "json: 0x1D in 001");
  /* Structural bytes as indicators. */
  repaired(MARC_FORMAT_JSON,
           "{\"leader\":\"" LDR "\",\"fields\":[{\"245\":{\"ind1\":"
           "\"\\u001e\",\"ind2\":\"\\u001f\",\"subfields\":[{\"a\":\"x\"}]}}]}",
           "json: 0x1E, 0x1F as indicators");
  /* A leader holding a record terminator. */
  repaired(MARC_FORMAT_JSON,
           "{\"leader\":\"01234nam\\u001da2200289 a 4500\",\"fields\":"
           "[{\"001\":\"x\"}]}",
           "json: 0x1D in the leader");
}

static void test_mrk(void) {
  repaired(MARC_FORMAT_MRK,
           "=LDR  " LDR "\n=001  x\x1d"
           "y\n=245  10$aA\x1f"
           "cC\n\n",
           "mrk: raw 0x1D in 001, 0x1F in 245");
}

/* What the readers cannot repair, the writer refuses, saying why. */
static void test_refused(void) {
  marc_record *rec = marc_record_new();
  marc_record_set_leader(rec, LDR);
  CHECK_EQ_INT(marc_record_append_field(rec, "24\x1e", '1', '0',
                                        "\x1f"
                                        "ax",
                                        3),
               MARC_OK);
  marc_buf iso = {0};
  marc_diag err;
  CHECK_EQ_INT(marc_write_iso2709(rec, &iso, &err), MARC_E_INVALID);
  CHECK_EQ_INT(iso.len, 0);
  CHECK_EQ_STR(err.tag, "24\x1e");
  marc_record_free(rec);
}

/* Writer changes of `rec` for ISO 2709 with `code` and `tag`. */
static size_t changes_of(const marc_record *rec, marc_code code,
                         const char *tag) {
  want_change w = {code, tag, 0};
  marc_write_changes(rec, MARC_FORMAT_ISO2709, count_change, &w);
  return w.n;
}

/* The data of the field tagged `tag`, as a C string (NULs shown '0'). */
static const char *field_text(const marc_record *rec, const char *tag) {
  static char text[256];
  for (size_t i = 0; i < marc_record_field_count(rec); i++) {
    const marc_field *f = marc_record_field(rec, i);
    if (strcmp(f->tag, tag) || f->len >= sizeof text) continue;
    const char *d = (const char *)marc_field_data(rec, f);
    for (size_t k = 0; k < f->len; k++) text[k] = d[k] ? d[k] : '0';
    text[f->len] = 0;
    return text;
  }
  return "";
}

/* Text before a data field's first delimiter and a NUL subfield code, in
 * a record from a text format: each written as the MARCXML writer writes
 * it (a subfield coded '?', the code '?'), reported, and the output reads
 * back with no diagnostic. */
static void test_text_before_delimiter(void) {
  static const char mrk[] =
      "=LDR  " LDR "\n=245  10abc$adef\n=500  \\\\$\0x$bz\n\n";
  ft_result res;
  ft_read(MARC_FORMAT_MRK, (const uint8_t *)mrk, sizeof mrk - 1, 0, 0, 1, &res);
  CHECK_EQ_INT(res.n, 1);
  if (res.n != 1) return ft_result_free(&res);
  const marc_record *rec = res.recs[0];
  CHECK_EQ_INT(changes_of(rec, MARC_D_SUBFIELD_DELIMITER, "245"), 1);
  CHECK_EQ_INT(changes_of(rec, MARC_D_SUBFIELD_CODE, "500"), 1);
  marc_buf iso = {0};
  CHECK_EQ_INT(marc_write_iso2709(rec, &iso, NULL), MARC_OK);
  ft_result back;
  ft_read(MARC_FORMAT_ISO2709, iso.data, iso.len, 0, 0, 1, &back);
  CHECK_EQ_INT(back.n, 1);
  if (back.n == 1) {
    CHECK_EQ_INT(marc_record_diag_count(back.recs[0]), 0);
    CHECK_EQ_STR(field_text(back.recs[0], "245"), "\x1f?abc\x1f"
                                                  "adef");
    CHECK_EQ_STR(field_text(back.recs[0], "500"), "\x1f?x\x1f"
                                                  "bz");
  }
  ft_result_free(&back);
  marc_buf_free(&iso);
  ft_result_free(&res);
}

/* The same bytes in a record read from ISO 2709: copied as they were
 * read, no change reported, and read back with the same diagnostics. Once
 * the record is converted (MARC-8 to UTF-8, so laid out anew) they are
 * repaired as above. */
static void test_iso_source(void) {
  mk_field f[] = {{"001", "1", 0},
                  {"245",
                   "10abc\x1f"
                   "adef caf\xe2"
                   "e",
                   0},
                  {"500",
                   "  \x1f\0x\x1f"
                   "bz",
                   7}};
  marc_buf in = {0};
  mk_record_ordered(&in, "00000nam  2200000 a 4500", f, 3, NULL);
  ft_result res;
  ft_read(MARC_FORMAT_ISO2709, in.data, in.len, 0, 0, 1, &res);
  CHECK_EQ_INT(res.n, 1);
  if (res.n != 1) return ft_result_free(&res);
  const marc_record *rec = res.recs[0];
  CHECK_EQ_INT(marc_record_diag_count(rec), 2);
  CHECK_EQ_INT(marc_write_changes(rec, MARC_FORMAT_ISO2709, NULL, NULL), 0);
  marc_buf iso = {0};
  CHECK_EQ_INT(marc_write_iso2709(rec, &iso, NULL), MARC_OK);
  CHECK(iso.len == in.len && !memcmp(iso.data, in.data, in.len));
  ft_result back;
  ft_read(MARC_FORMAT_ISO2709, iso.data, iso.len, 0, 0, 1, &back);
  CHECK_EQ_INT(back.n, 1);
  for (size_t i = 0; back.n == 1 && i < 2; i++) {
    const marc_diag *a = marc_record_diag(rec, i);
    const marc_diag *b = marc_record_diag(back.recs[0], i);
    CHECK(b && a->code == b->code && !strcmp(a->tag, b->tag) &&
          !strcmp(a->msg, b->msg));
  }
  ft_result_free(&back);

  marc_record *utf8 = NULL;
  CHECK_EQ_INT(marc_record_to_utf8(rec, NULL, &utf8, NULL), MARC_OK);
  CHECK_EQ_INT(changes_of(utf8, MARC_D_SUBFIELD_DELIMITER, "245"), 1);
  CHECK_EQ_INT(changes_of(utf8, MARC_D_SUBFIELD_CODE, "500"), 1);
  iso.len = 0;
  CHECK_EQ_INT(marc_write_iso2709(utf8, &iso, NULL), MARC_OK);
  ft_read(MARC_FORMAT_ISO2709, iso.data, iso.len, 0, 0, 1, &back);
  CHECK_EQ_INT(back.n, 1);
  if (back.n == 1) CHECK_EQ_INT(marc_record_diag_count(back.recs[0]), 0);
  ft_result_free(&back);
  marc_record_free(utf8);
  marc_buf_free(&iso);
  marc_buf_free(&in);
  ft_result_free(&res);
}

int main(void) {
  test_text_before_delimiter();
  test_iso_source();
  if (marc_format_readable(MARC_FORMAT_JSON)) test_json();
  test_mrk();
  test_refused();
  return check_done("fmt_iso_safe");
}
