/* Unit tests of the ISO 2709 writer: computed leader and directory,
 * the 9,999 / 99,999 byte limits, and byte-exact rewriting of records
 * whose data area is not in directory order. */
#include "check.h"
#include "unit/mkrec.h"

#include <stdlib.h>

/* Worked by hand: base address 24 + 2 * 12 + 1 = 49; 001 is "123" + FT
 * (4 bytes at 0), 245 is "10" + "\x1f" "aT" + FT (6 bytes at 4); total
 * 49 + 4 + 6 + 1 (RT) = 60. */
static void test_small(void) {
  static const char want[] = "00060nam a2200049   4500"
                             "001000400000"
                             "245000600004"
                             "\x1e"
                             "123\x1e"
                             "10\x1f"
                             "aT\x1e"
                             "\x1d";
  marc_record *rec = marc_record_new();
  marc_record_append_field(rec, "001", 0, 0, "123", 3);
  marc_record_append_field(rec, "245", '1', '0',
                           "\x1f"
                           "aT",
                           3);
  marc_buf out = {0};
  marc_buf_append(&out, "prefix", 6); /* the writer appends */
  CHECK_EQ_INT(marc_write_iso2709(rec, &out, NULL), MARC_OK);
  CHECK_EQ_INT(out.len, 6 + 60);
  CHECK(memcmp(out.data, "prefix", 6) == 0);
  CHECK(out.len == 66 && memcmp(out.data + 6, want, 60) == 0);
  /* The stored leader is left alone; only the output has the numbers. */
  CHECK(memcmp(marc_record_leader(rec), "00000", 5) == 0);
  marc_buf_free(&out);
  marc_record_free(rec);
}

/* No fields: leader, directory terminator, record terminator. */
static void test_empty(void) {
  marc_record *rec = marc_record_new();
  marc_buf out = {0};
  CHECK_EQ_INT(marc_write_iso2709(rec, &out, NULL), MARC_OK);
  CHECK(out.len == 26 &&
        memcmp(out.data, "00026nam a2200025   4500\x1e\x1d", 26) == 0);
  marc_buf_free(&out);
  marc_record_free(rec);
}

/* The writer's output equals mkrec.h's independent encoding. */
static void test_against_mkrec(void) {
  mk_field f[] = {
      {"001", "x1", 0},
      {"008", "850101s1985    nyu", 0},
      {"100",
       "1 \x1f"
       "aDoe",
       0},
      {"245",
       "00\x1f"
       "aT\x1f"
       "bU",
       0},
      {"500", "  ", 0},
  };
  marc_buf want = {0}, out = {0};
  mk_record_ordered(&want, "00000cam a2200000 i 4500", f, 5, NULL);
  marc_record *rec = marc_record_new();
  marc_record_set_leader(rec, "12345cam a2254321 i 4500");
  for (int i = 0; i < 5; i++) {
    const char *d = f[i].data;
    size_t n = strlen(d);
    if (marc_tag_is_control(f[i].tag))
      marc_record_append_field(rec, f[i].tag, 0, 0, d, n);
    else marc_record_append_field(rec, f[i].tag, d[0], d[1], d + 2, n - 2);
  }
  CHECK_EQ_INT(marc_write_iso2709(rec, &out, NULL), MARC_OK);
  CHECK(out.len == want.len && memcmp(out.data, want.data, want.len) == 0);
  marc_buf_free(&want);
  marc_buf_free(&out);
  marc_record_free(rec);
}

static void test_field_too_long(void) {
  static char big[10000];
  memset(big, 'x', sizeof big);
  big[0] = 0x1f;
  marc_record *rec = marc_record_new();
  marc_record_append_field(rec, "001", 0, 0, "id", 2);
  /* 9,996 data bytes + 2 indicators + terminator = 9,999: the limit. */
  marc_record_append_field(rec, "500", ' ', ' ', big, 9996);
  marc_buf out = {0};
  CHECK_EQ_INT(marc_write_iso2709(rec, &out, NULL), MARC_OK);
  CHECK(out.len > 9999 && memcmp(out.data + 24 + 12 + 3, "9999", 4) == 0);
  marc_buf_free(&out);
  /* One more byte is too long. */
  marc_record_replace_field(rec, 1, "520", ' ', ' ', big, 9997);
  marc_buf_append(&out, "keep", 4);
  marc_diag err;
  memset(&err, 0, sizeof err);
  CHECK_EQ_INT(marc_write_iso2709(rec, &out, &err), MARC_E_TOO_LONG);
  CHECK_EQ_INT(out.len, 4); /* nothing appended */
  CHECK_EQ_INT(err.code, MARC_D_FIELD_TOO_LONG);
  CHECK_EQ_STR(err.tag, "520");
  CHECK(err.msg && err.msg[0]);
  CHECK_EQ_INT(marc_write_iso2709(rec, &out, NULL), MARC_E_TOO_LONG);
  /* Control fields have no indicators: 9,998 bytes + terminator fit. */
  marc_record *c = marc_record_new();
  marc_record_append_field(c, "009", 0, 0, big, 9998);
  CHECK_EQ_INT(marc_write_iso2709(c, &out, NULL), MARC_OK);
  marc_record_replace_field(c, 0, "009", 0, 0, big, 9999);
  size_t len = out.len;
  CHECK_EQ_INT(marc_write_iso2709(c, &out, &err), MARC_E_TOO_LONG);
  CHECK_EQ_INT(out.len, len);
  CHECK_EQ_STR(err.tag, "009");
  marc_record_free(c);
  marc_buf_free(&out);
  marc_record_free(rec);
}

/* Ten data fields: nine of 9,999 wire bytes and one of `last` wire bytes.
 * Total = 24 + 10 * 12 + 1 + 9 * 9,999 + last + 1 = 90,137 + last. */
static marc_record *ten_fields(size_t last) {
  static char big[10000];
  memset(big, 'y', sizeof big);
  big[0] = 0x1f;
  marc_record *rec = marc_record_new();
  for (int i = 0; i < 9; i++)
    marc_record_append_field(rec, "500", ' ', ' ', big, 9996);
  marc_record_append_field(rec, "501", ' ', ' ', big, last - 3);
  return rec;
}

static void test_record_too_long(void) {
  marc_buf out = {0};
  marc_record *rec = ten_fields(9862); /* exactly 99,999 bytes */
  CHECK_EQ_INT(marc_write_iso2709(rec, &out, NULL), MARC_OK);
  CHECK_EQ_INT(out.len, 99999);
  CHECK(out.len == 99999 && memcmp(out.data, "99999", 5) == 0 &&
        out.data[99998] == 0x1d);
  marc_record_free(rec);
  rec = ten_fields(9863); /* 100,000 */
  marc_buf_append(&out, "x", 1);
  size_t len = out.len;
  marc_diag err;
  memset(&err, 0, sizeof err);
  CHECK_EQ_INT(marc_write_iso2709(rec, &out, &err), MARC_E_TOO_LONG);
  CHECK_EQ_INT(out.len, len);
  CHECK_EQ_INT(err.code, MARC_D_RECORD_TOO_LONG_TO_WRITE);
  CHECK(err.msg && err.msg[0]);
  marc_record_free(rec);
  marc_buf_free(&out);
}

/* Read `in`, write every record; the output must equal the input. */
static void check_rewrite(const marc_buf *in, const char *what) {
  marc_reader *r = marc_reader_new(NULL);
  marc_record *rec;
  marc_buf out = {0}, out2 = {0};
  marc_reader_feed(r, in->data, in->len);
  marc_reader_finish(r);
  while (marc_reader_next(r, &rec) == MARC_OK) {
    CHECK_EQ_INT(marc_record_diag_count(rec), 0);
    CHECK_EQ_INT(marc_write_iso2709(rec, &out, NULL), MARC_OK);
    /* A clone keeps the layout too. */
    marc_record *c = marc_record_clone(rec);
    CHECK_EQ_INT(marc_write_iso2709(c, &out2, NULL), MARC_OK);
    marc_record_free(c);
  }
  int same = out.len == in->len && !memcmp(out.data, in->data, in->len);
  int same2 = out2.len == in->len && !memcmp(out2.data, in->data, in->len);
  if (!same || !same2) fprintf(stderr, "rewrite differs: %s\n", what);
  CHECK(same);
  CHECK(same2);
  marc_reader_free(r);
  marc_buf_free(&out);
  marc_buf_free(&out2);
}

static void test_out_of_order(void) {
  mk_field f[] = {
      {"001", "ooo", 0},
      {"100",
       "1 \x1f"
       "aAuthor",
       0},
      {"245",
       "10\x1f"
       "aTitle",
       0},
      {"650",
       " 0\x1f"
       "aTopic",
       0},
  };
  /* Data area: 650, 001, 245, 100 while the directory lists
   * 001, 100, 245, 650. */
  size_t order[] = {3, 0, 2, 1};
  marc_buf in = {0};
  mk_record_ordered(&in, "00000nam a2200000   4500", f, 4, order);
  check_rewrite(&in, "data area out of order");
  /* Directory not in tag order but data in directory order. */
  marc_buf in2 = {0};
  mk_field g[] = {f[2], f[0], f[3], f[1]};
  mk_record(&in2, g, 4);
  check_rewrite(&in2, "tags out of order");
  /* Edited, it is still written right: read back, only the edit shows. */
  marc_reader *r = marc_reader_new(NULL);
  marc_record *rec;
  marc_reader_feed(r, in.data, in.len);
  marc_reader_next(r, &rec);
  marc_record *c = marc_record_clone(rec);
  marc_record_set_indicators(c, 1, '0', ' ');
  marc_record_replace_field(c, 3, "651", ' ', '7',
                            "\x1f"
                            "aPlace",
                            7);
  marc_buf out = {0}, want = {0};
  CHECK_EQ_INT(marc_write_iso2709(c, &out, NULL), MARC_OK);
  mk_field h[] = {f[0],
                  {"100",
                   "0 \x1f"
                   "aAuthor",
                   0},
                  f[2],
                  {"651",
                   " 7\x1f"
                   "aPlace",
                   0}};
  mk_record(&want, h, 4);
  marc_reader *r2 = marc_reader_new(NULL);
  marc_record *back = NULL, *expect = NULL;
  marc_reader_feed(r2, out.data, out.len);
  CHECK_EQ_INT(marc_reader_next(r2, &back), MARC_OK);
  marc_reader_reset(r);
  marc_reader_feed(r, want.data, want.len);
  CHECK_EQ_INT(marc_reader_next(r, &expect), MARC_OK);
  if (back && expect) {
    CHECK_EQ_INT(marc_record_diag_count(back), 0);
    CHECK_EQ_INT(marc_record_field_count(back), 4);
    for (size_t i = 0; i < 4 && i < marc_record_field_count(back); i++) {
      const marc_field *x = marc_record_field(back, i);
      const marc_field *y = marc_record_field(expect, i);
      CHECK(!strcmp(x->tag, y->tag) && x->ind1 == y->ind1 &&
            x->ind2 == y->ind2 && x->len == y->len &&
            !memcmp(marc_field_data(back, x), marc_field_data(expect, y),
                    x->len));
    }
  }
  marc_reader_free(r2);
  marc_record_free(c);
  marc_reader_free(r);
  marc_buf_free(&out);
  marc_buf_free(&want);
  marc_buf_free(&in);
  marc_buf_free(&in2);
}

int main(void) {
  test_small();
  test_empty();
  test_against_mkrec();
  test_field_too_long();
  test_record_too_long();
  test_out_of_order();
  CHECK_EQ_INT(marc_write_iso2709(NULL, NULL, NULL), MARC_E_ARG);
  return check_done("unit_write_iso2709");
}
