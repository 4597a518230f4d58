/* Unit tests of the record model: accessors, subfield iteration, tag
 * patterns, lookup and cloning. */
#include "check.h"
#include "unit/mkrec.h"

#include <stdlib.h>

static int sf_is(const marc_subfield *sf, char code, const char *value) {
  return sf->code == code && sf->len == strlen(value) &&
         memcmp(sf->value, value, sf->len) == 0;
}

static const mk_field fields[] = {
    {"001", "ocm00012345", 0},
    {"005", "20240101120000.0", 0},
    {"100",
     "1 \x1f"
     "aDoe, Jane,\x1f"
     "d1950-",
     0},
    {"245",
     "14\x1f"
     "aThe title :\x1f"
     "bsub /\x1f"
     "cJane Doe.",
     0},
    {"600",
     "10\x1f"
     "aSomeone.",
     0},
    {"650",
     " 0\x1f"
     "aTopic\x1f"
     "xSub.",
     0},
    {"700",
     "1 \x1f"
     "aOther.",
     0},
    {"651",
     " 0\x1f"
     "aPlace.",
     0},
    {"500",
     "  before\x1f"
     "aafter",
     0},              /* bytes before the delimiter */
    {"590", "  ", 0}, /* no subfields at all */
    {"591",
     "  \x1f"
     "aend\x1f",
     0}, /* a lone trailing delimiter */
    {"592",
     "  \x1f"
     "a\x1f"
     "b",
     0}, /* empty subfields */
};
enum { NFIELDS = sizeof fields / sizeof *fields };

static void test_accessors(const marc_record *rec, size_t raw_len) {
  CHECK(memcmp(marc_record_leader(rec) + 5, "nam a22", 7) == 0);
  CHECK_EQ_INT(marc_record_field_count(rec), NFIELDS);
  CHECK(marc_record_field(rec, NFIELDS) == NULL);
  CHECK_EQ_INT(marc_record_index(rec), 0);
  CHECK_EQ_INT(marc_record_offset(rec), 0);
  CHECK_EQ_INT(marc_record_raw_length(rec), raw_len);
  CHECK_EQ_INT(marc_record_diag_count(rec), 1); /* the 500 */
  CHECK(marc_record_diag(rec, 1) == NULL);
  const marc_field *f = marc_record_field(rec, 0);
  CHECK_EQ_STR(f->tag, "001");
  CHECK_EQ_INT(f->ind1, 0);
  CHECK_EQ_INT(f->len, 11);
  CHECK(memcmp(marc_field_data(rec, f), "ocm00012345", 11) == 0);
  CHECK(marc_field_data(rec, f) == marc_record_bytes(rec) + f->off);
  f = marc_record_field(rec, 3);
  CHECK_EQ_STR(f->tag, "245");
  CHECK_EQ_INT(f->ind1, '1');
  CHECK_EQ_INT(f->ind2, '4');
  CHECK_EQ_INT(f->len, strlen(fields[3].data) - 2);
  CHECK(marc_record_bytes(rec)[f->off] == 0x1f);
  f = marc_record_field(rec, 5);
  CHECK_EQ_INT(f->ind1, ' ');
  CHECK_EQ_INT(f->ind2, '0');
  CHECK(marc_tag_is_control("001"));
  CHECK(marc_tag_is_control("009"));
  CHECK(marc_tag_is_control("00A"));
  CHECK(!marc_tag_is_control("010"));
  CHECK(!marc_tag_is_control("245"));
  /* The whole array is the fields one by one. */
  const marc_field *all = marc_record_fields(rec);
  CHECK(all != NULL);
  for (size_t i = 0; all && i < NFIELDS; i++)
    CHECK(memcmp(&all[i], marc_record_field(rec, i), sizeof *all) == 0);
  marc_record *empty = marc_record_new();
  CHECK(empty && marc_record_fields(empty) == NULL);
  marc_record_free(empty);
}

static void test_subfields(const marc_record *rec) {
  marc_subfield sf;
  marc_subfield_iter it = marc_subfields(rec, marc_record_field(rec, 3));
  CHECK(marc_subfield_next(&it, &sf) && sf_is(&sf, 'a', "The title :"));
  CHECK(marc_subfield_next(&it, &sf) && sf_is(&sf, 'b', "sub /"));
  CHECK(marc_subfield_next(&it, &sf) && sf_is(&sf, 'c', "Jane Doe."));
  CHECK(!marc_subfield_next(&it, &sf));
  CHECK(!marc_subfield_next(&it, &sf)); /* stays finished */

  it = marc_subfields(rec, marc_record_field(rec, 8)); /* 500 */
  CHECK(marc_subfield_next(&it, &sf) && sf_is(&sf, 0, "before"));
  CHECK(marc_subfield_next(&it, &sf) && sf_is(&sf, 'a', "after"));
  CHECK(!marc_subfield_next(&it, &sf));

  it = marc_subfields(rec, marc_record_field(rec, 9)); /* 590: none */
  CHECK(!marc_subfield_next(&it, &sf));

  it = marc_subfields(rec, marc_record_field(rec, 10)); /* 591 */
  CHECK(marc_subfield_next(&it, &sf) && sf_is(&sf, 'a', "end"));
  CHECK(!marc_subfield_next(&it, &sf));

  it = marc_subfields(rec, marc_record_field(rec, 11)); /* 592 */
  CHECK(marc_subfield_next(&it, &sf) && sf_is(&sf, 'a', ""));
  CHECK(marc_subfield_next(&it, &sf) && sf_is(&sf, 'b', ""));
  CHECK(!marc_subfield_next(&it, &sf));

  /* Control fields have no subfields. */
  it = marc_subfields(rec, marc_record_field(rec, 0));
  CHECK(!marc_subfield_next(&it, &sf));
}

static void test_tag_match(void) {
  CHECK(marc_tag_match("245", "245"));
  CHECK(!marc_tag_match("245", "246"));
  CHECK(!marc_tag_match("245", "145"));
  CHECK(marc_tag_match("6XX", "600"));
  CHECK(marc_tag_match("6XX", "651"));
  CHECK(marc_tag_match("6xx", "699"));
  CHECK(!marc_tag_match("6XX", "700"));
  CHECK(marc_tag_match("1..", "100"));
  CHECK(marc_tag_match("1..", "130"));
  CHECK(!marc_tag_match("1..", "010"));
  CHECK(marc_tag_match("00.", "001"));
  CHECK(marc_tag_match("00.", "008"));
  CHECK(!marc_tag_match("00.", "010"));
  CHECK(marc_tag_match("X4X", "245"));
  CHECK(marc_tag_match("...", "FMT"));
  CHECK(!marc_tag_match("...", "24")); /* a short tag never matches */
}

static void test_find(const marc_record *rec) {
  /* Every 6XX field, in order: 600, 650, 651. */
  int64_t want[] = {4, 5, 7};
  size_t n = 0;
  for (int64_t i = marc_record_find(rec, "6XX", 0); i >= 0;
       i = marc_record_find(rec, "6XX", (size_t)i + 1)) {
    CHECK(n < 3);
    if (n < 3) CHECK_EQ_INT(i, want[n]);
    n++;
  }
  CHECK_EQ_INT(n, 3);
  CHECK_EQ_INT(marc_record_find(rec, "245", 0), 3);
  CHECK_EQ_INT(marc_record_find(rec, "245", 4), -1);
  CHECK_EQ_INT(marc_record_find(rec, "00.", 1), 1);
  CHECK_EQ_INT(marc_record_find(rec, "999", 0), -1);
  CHECK_EQ_INT(marc_record_find(rec, "...", NFIELDS), -1);

  marc_subfield sf;
  CHECK(marc_record_subfield(rec, 3, 'c', &sf) && sf_is(&sf, 'c', "Jane Doe."));
  CHECK(marc_record_subfield(rec, 5, 'x', &sf) && sf_is(&sf, 'x', "Sub."));
  CHECK(!marc_record_subfield(rec, 3, 'z', &sf));
  CHECK(!marc_record_subfield(rec, 0, 'a', &sf)); /* control field */
  CHECK(!marc_record_subfield(rec, NFIELDS, 'a', &sf));
}

/* A clone owns its bytes: it survives the reader and the input, and can
 * be edited, while the view cannot. */
static void test_clone(void) {
  marc_buf in = {0};
  mk_record(&in, fields, NFIELDS);
  uint8_t *copy = malloc(in.len);
  memcpy(copy, in.data, in.len);
  marc_reader *r = marc_reader_new(NULL);
  marc_record *view = NULL;
  marc_reader_feed(r, copy, in.len);
  marc_reader_finish(r);
  CHECK_EQ_INT(marc_reader_next(r, &view), MARC_OK);
  CHECK_EQ_INT(marc_record_append_field(view, "999", ' ', ' ',
                                        "\x1f"
                                        "ax",
                                        3),
               MARC_E_READONLY);
  marc_record *c = marc_record_clone(view);
  CHECK(c != NULL);
  memset(copy, 0xAA, in.len); /* the input is gone ... */
  free(copy);
  marc_reader_free(r); /* ... and so is the reader */
  if (!c) return;
  test_accessors(c, in.len);
  test_subfields(c);
  test_find(c);
  const marc_diag *d = marc_record_diag(c, 0);
  CHECK(d && d->code == MARC_D_SUBFIELD_DELIMITER && !strcmp(d->tag, "500"));
  CHECK(d && d->msg[0]);
  CHECK_EQ_INT(marc_record_append_field(c, "999", ' ', ' ',
                                        "\x1f"
                                        "ax",
                                        3),
               MARC_OK);
  CHECK_EQ_INT(marc_record_field_count(c), NFIELDS + 1);
  marc_subfield sf;
  CHECK(marc_record_subfield(c, NFIELDS, 'a', &sf) && sf_is(&sf, 'a', "x"));
  /* A clone of a clone is independent of the first. */
  marc_record *c2 = marc_record_clone(c);
  marc_record_remove_field(c, 0);
  CHECK_EQ_INT(marc_record_field_count(c2), NFIELDS + 1);
  CHECK_EQ_STR(marc_record_field(c2, 0)->tag, "001");
  marc_record_free(c2);
  marc_record_free(c);
  CHECK(marc_record_clone(NULL) == NULL);
  marc_record_free(NULL);
  marc_buf_free(&in);
}

/* The diagnostics of the record in `in` as "CODE@OFFSET ..." (reads one
 * record). */
static void diags_of(const marc_buf *in, char *out, size_t cap) {
  marc_reader *r;
  marc_record *rec = mk_read_one(&r, in);
  size_t n = 0;
  out[0] = 0;
  for (size_t i = 0; rec && i < marc_record_diag_count(rec); i++) {
    const marc_diag *d = marc_record_diag(rec, i);
    n += (size_t)snprintf(out + n, cap - n, "%s%s@%llu", i ? " " : "",
                          marc_code_name(d->code),
                          (unsigned long long)d->offset);
  }
  marc_reader_free(r);
}

/* The data area must be laid out as the writer would lay it out: checked
 * in one pass when the fields follow the directory, else in data order. */
static void test_layout(void) {
  char got[256];
  marc_buf in = {0};
  /* Data in another order than the directory, end to end: sound. */
  static const size_t order[] = {2, 0, 3, 1};
  mk_record_ordered(&in, "00000nam a2200000   4500", fields, 4, order);
  diags_of(&in, got, sizeof got);
  CHECK_EQ_STR(got, "");
  /* A data field of one byte is reported as too short, and only so (its
   * bytes still tile the data area). */
  static const mk_field short_field[] = {{"001", "x", 0}, {"500", "a", 0}};
  in.len = 0;
  mk_record(&in, short_field, 2);
  diags_of(&in, got, sizeof got);
  CHECK_EQ_STR(got, "FIELD_TOO_SHORT@51");
  /* A byte between two fields that no field owns. */
  in.len = 0;
  mk_record(&in, fields, 2);
  uint8_t *e = in.data + 24 + 12; /* the second entry: one byte later */
  e[6]--;                         /* length 0017 -> 0016 */
  e[11]++;                        /* start 00012 -> 00013 */
  diags_of(&in, got, sizeof got);
  CHECK_EQ_STR(got, "DATA_LAYOUT@49");
  marc_buf_free(&in);
}

int main(void) {
  marc_buf in = {0};
  size_t len = mk_record(&in, fields, NFIELDS);
  marc_reader *r;
  marc_record *rec = mk_read_one(&r, &in);
  CHECK(rec != NULL);
  if (rec) {
    test_accessors(rec, len);
    test_subfields(rec);
    test_find(rec);
  }
  marc_reader_free(r);
  marc_buf_free(&in);
  test_tag_match();
  test_clone();
  test_layout();
  return check_done("unit_record");
}
