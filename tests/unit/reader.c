/* Unit tests of the push reader: feeding, zero-copy buffers, framing
 * problems, strict mode, offsets and indexes. Input is built by mkrec.h,
 * not by the core's writer. */
#include "check.h"
#include "common/dump.h"
#include "unit/mkrec.h"

#include <stdlib.h>

/* The case's input is used up: the reader has no record left. Frees
 * both. */
static void expect_end(marc_reader *r, marc_buf *in) {
  marc_record *rec;
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_END);
  marc_reader_free(r);
  marc_buf_free(in);
}

/* Index of the first diagnostic with `code`, or -1. */
static int find_diag(const marc_record *rec, marc_code code) {
  for (size_t i = 0; i < marc_record_diag_count(rec); i++)
    if (marc_record_diag(rec, i)->code == code) return (int)i;
  return -1;
}

/* Value of field `i` as a NUL-terminated string (static buffer). */
static const char *field_str(const marc_record *rec, size_t i) {
  static char s[256];
  const marc_field *f = marc_record_field(rec, i);
  if (!f) return "(none)";
  size_t n = f->len < sizeof s - 1 ? f->len : sizeof s - 1;
  memcpy(s, marc_field_data(rec, f), n);
  s[n] = 0;
  return s;
}

static void test_feed_loop(void) {
  marc_buf in = {0};
  size_t l0 = mk_simple(&in, "id0");
  size_t l1 = mk_simple(&in, "id-one");
  size_t l2 = mk_simple(&in, "id2");
  marc_reader *r = marc_reader_new(NULL);
  marc_record *rec = NULL;
  /* Nothing fed yet: the reader wants input, not the end. */
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_NEED_MORE);
  CHECK_EQ_INT(marc_reader_feed(r, in.data, in.len), MARC_OK);
  const char *ids[] = {"id0", "id-one", "id2"};
  uint64_t offs[] = {0, l0, l0 + l1};
  size_t lens[] = {l0, l1, l2};
  for (int i = 0; i < 3; i++) {
    CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_OK);
    CHECK_EQ_INT(marc_record_index(rec), i);
    CHECK_EQ_INT(marc_record_offset(rec), offs[i]);
    CHECK_EQ_INT(marc_record_raw_length(rec), lens[i]);
    CHECK_EQ_INT(marc_record_field_count(rec), 4);
    CHECK_EQ_INT(marc_record_diag_count(rec), 0);
    CHECK_EQ_STR(field_str(rec, 0), ids[i]);
    /* A well-formed record inside the fed bytes is a zero-copy view. */
    CHECK(marc_record_bytes(rec) >= in.data &&
          marc_record_bytes(rec) < in.data + in.len);
  }
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_NEED_MORE);
  CHECK_EQ_INT(marc_reader_finish(r), MARC_OK);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_END);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_END); /* END stays END */
  CHECK_EQ_INT(marc_reader_feed(r, in.data, 1), MARC_E_STATE);
  CHECK(marc_reader_buffer(r, 10) == NULL);
  marc_reader_free(r);
  marc_buf_free(&in);
}

/* Empty input: END straight after finish, no record. */
static void test_empty(void) {
  marc_reader *r = marc_reader_new(NULL);
  marc_record *rec = NULL;
  CHECK_EQ_INT(marc_reader_feed(r, NULL, 0), MARC_OK);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_NEED_MORE);
  marc_reader_finish(r);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_END);
  CHECK_EQ_INT(marc_reader_feed(r, NULL, 1), MARC_E_ARG);
  CHECK_EQ_INT(marc_reader_next(r, NULL), MARC_E_ARG);
  marc_reader_free(r);
}

/* Feed one byte at a time; a record only comes once its last byte is in. */
static void test_byte_at_a_time(void) {
  marc_buf in = {0};
  size_t l0 = mk_simple(&in, "a");
  mk_simple(&in, "bb");
  marc_reader *r = marc_reader_new(NULL);
  marc_record *rec;
  int got = 0;
  for (size_t i = 0; i < in.len; i++) {
    CHECK_EQ_INT(marc_reader_feed(r, in.data + i, 1), MARC_OK);
    marc_status s;
    while ((s = marc_reader_next(r, &rec)) == MARC_OK) {
      CHECK_EQ_INT(i + 1, got == 0 ? l0 : in.len);
      CHECK_EQ_STR(field_str(rec, 0), got == 0 ? "a" : "bb");
      CHECK_EQ_INT(marc_record_diag_count(rec), 0);
      got++;
    }
    CHECK_EQ_INT(s, MARC_NEED_MORE);
  }
  marc_reader_finish(r);
  CHECK_EQ_INT(got, 2);
  expect_end(r, &in);
}

static void test_buffer_commit(void) {
  marc_buf in = {0};
  size_t l0 = mk_simple(&in, "first");
  mk_simple(&in, "second");
  marc_reader *r = marc_reader_new(NULL);
  marc_record *rec;
  /* Write the input in three uneven pieces straight into the reader. */
  size_t cuts[] = {0, 7, l0 + 3, in.len};
  int got = 0;
  for (int k = 0; k < 3; k++) {
    size_t n = cuts[k + 1] - cuts[k];
    uint8_t *p = marc_reader_buffer(r, n);
    CHECK(p != NULL);
    if (!p) break;
    memcpy(p, in.data + cuts[k], n);
    CHECK_EQ_INT(marc_reader_commit(r, n), MARC_OK);
    while (marc_reader_next(r, &rec) == MARC_OK) {
      CHECK_EQ_STR(field_str(rec, 0), got == 0 ? "first" : "second");
      CHECK_EQ_INT(marc_record_offset(rec), got == 0 ? 0 : l0);
      got++;
    }
  }
  CHECK_EQ_INT(got, 2);
  /* Committing more than was reserved is refused. */
  CHECK(marc_reader_buffer(r, 4) != NULL);
  CHECK_EQ_INT(marc_reader_commit(r, SIZE_MAX), MARC_E_ARG);
  marc_reader_finish(r);
  CHECK_EQ_INT(marc_reader_commit(r, 0), MARC_E_STATE);
  expect_end(r, &in);
}

static void test_next_raw(void) {
  marc_buf in = {0};
  size_t l0 = mk_simple(&in, "x");
  marc_buf_append(&in, "\r\n", 2);
  size_t l1 = mk_simple(&in, "y");
  marc_reader *r = marc_reader_new(NULL);
  marc_raw raw;
  marc_reader_feed(r, in.data, in.len);
  CHECK_EQ_INT(marc_reader_next_raw(r, &raw), MARC_OK);
  CHECK(raw.data == in.data);
  CHECK_EQ_INT(raw.len, l0);
  CHECK_EQ_INT(raw.offset, 0);
  CHECK_EQ_INT(raw.index, 0);
  CHECK_EQ_INT(raw.junk, 0);
  CHECK_EQ_INT(raw.flags, 0);
  CHECK_EQ_INT(raw.claimed, l0);
  CHECK_EQ_INT(marc_reader_next_raw(r, &raw), MARC_OK);
  CHECK(raw.data == in.data + l0 + 2);
  CHECK_EQ_INT(raw.len, l1);
  CHECK_EQ_INT(raw.offset, l0 + 2);
  CHECK_EQ_INT(raw.index, 1);
  CHECK_EQ_INT(raw.junk, 2);
  CHECK_EQ_INT(raw.flags, MARC_RAW_JUNK);
  CHECK_EQ_INT(marc_reader_next_raw(r, &raw), MARC_NEED_MORE);
  marc_reader_finish(r);
  CHECK_EQ_INT(marc_reader_next_raw(r, &raw), MARC_END);

  /* The framed bytes parse into the same record with marc_record_parse. */
  marc_reader_reset(r);
  marc_reader_feed(r, in.data, in.len);
  CHECK_EQ_INT(marc_reader_next_raw(r, &raw), MARC_OK);
  marc_record *own = marc_record_new();
  CHECK_EQ_INT(marc_record_parse(own, &raw, 0, 1, 0), MARC_OK);
  CHECK_EQ_INT(marc_record_field_count(own), 4);
  CHECK_EQ_STR(field_str(own, 0), "x");
  CHECK(marc_record_bytes(own) < in.data ||
        marc_record_bytes(own) >= in.data + in.len); /* copied */
  marc_record_free(own);
  marc_reader_free(r);
  marc_buf_free(&in);
}

/* A record with a data field whose subfield data does not start with a
 * delimiter: a problem found by parsing, not framing. */
static size_t mk_flawed(marc_buf *out) {
  mk_field f[] = {{"001", "bad", 0}, {"245", "10no delimiter", 0}};
  return mk_record(out, f, 2);
}

static void test_strict(void) {
  marc_buf in = {0};
  size_t l0 = mk_simple(&in, "good0");
  size_t l1 = mk_flawed(&in);
  mk_simple(&in, "good2");
  marc_reader_options opt = {0};
  opt.strict = 1;
  marc_reader *r = marc_reader_new(&opt);
  marc_record *rec = NULL;
  marc_reader_feed(r, in.data, in.len);
  marc_reader_finish(r);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_OK);
  CHECK_EQ_STR(field_str(rec, 0), "good0");
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_E_INVALID);
  const marc_diag *e = marc_reader_error(r);
  CHECK(e != NULL);
  if (e) {
    CHECK_EQ_INT(e->code, MARC_D_SUBFIELD_DELIMITER);
    CHECK_EQ_INT(e->record, 1);
    /* Record 1 starts at l0; its 245 data starts after leader (24),
     * directory (2 x 12), terminator, "bad" + terminator, indicators. */
    CHECK_EQ_INT(e->offset, l0 + 24 + 24 + 1 + 4 + 2);
    CHECK_EQ_STR(e->tag, "245");
    CHECK(e->msg && e->msg[0]);
  }
  /* The reader goes on with the next record. */
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_OK);
  CHECK_EQ_STR(field_str(rec, 0), "good2");
  CHECK_EQ_INT(marc_record_index(rec), 2);
  CHECK_EQ_INT(marc_record_offset(rec), l0 + l1);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_END);
  marc_reader_free(r);

  /* The same input read leniently gives the diagnostic on the record. */
  r = marc_reader_new(NULL);
  marc_reader_feed(r, in.data, in.len);
  marc_reader_finish(r);
  marc_reader_next(r, &rec);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_OK);
  CHECK_EQ_INT(marc_record_diag_count(rec), 1);
  CHECK(find_diag(rec, MARC_D_SUBFIELD_DELIMITER) == 0);
  marc_subfield_iter it = marc_subfields(rec, marc_record_field(rec, 1));
  marc_subfield sf;
  CHECK(marc_subfield_next(&it, &sf));
  CHECK_EQ_INT(sf.code, 0);
  CHECK_EQ_INT(sf.len, strlen("no delimiter"));
  marc_reader_free(r);
  marc_buf_free(&in);
}

static void test_junk(void) {
  marc_buf in = {0};
  size_t l0 = mk_simple(&in, "r0");
  marc_buf_append(&in, "\n\r\n \x1a", 5);
  mk_simple(&in, "r1");
  marc_reader *r = marc_reader_new(NULL);
  marc_record *rec;
  marc_reader_feed(r, in.data, in.len);
  marc_reader_finish(r);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_OK);
  CHECK_EQ_INT(marc_record_diag_count(rec), 0);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_OK);
  CHECK_EQ_STR(field_str(rec, 0), "r1");
  CHECK_EQ_INT(marc_record_index(rec), 1);
  CHECK_EQ_INT(marc_record_offset(rec), l0 + 5);
  CHECK_EQ_INT(marc_record_diag_count(rec), 1);
  int j = find_diag(rec, MARC_D_JUNK);
  CHECK(j >= 0);
  if (j >= 0) {
    const marc_diag *d = marc_record_diag(rec, (size_t)j);
    CHECK_EQ_INT(d->offset, l0); /* where the junk starts */
    CHECK_EQ_INT(d->record, 1);
    CHECK_EQ_STR(d->tag, "");
  }
  expect_end(r, &in);
}

/* A record framed by its terminator (its length is not numeric) longer
 * than max_record: OVERSIZE, its tail dropped, the next record intact. */
static void test_oversize(int numeric_length) {
  marc_buf in = {0};
  size_t l0 = mk_simple(&in, "small0");
  char big[601];
  memset(big, 'z', 600);
  big[600] = 0;
  big[0] = ' ', big[1] = ' ', big[2] = 0x1f, big[3] = 'a';
  mk_field f[] = {{"001", "big", 0}, {"500", big, 0}};
  size_t l1 = mk_record(&in, f, 2);
  if (!numeric_length) in.data[l0] = 'x'; /* leader/00 */
  size_t l2 = mk_simple(&in, "small2");
  marc_reader_options opt = {0};
  opt.max_record = 300;
  marc_reader *r = marc_reader_new(&opt);
  marc_record *rec;
  int got = 0;
  /* Small chunks: the oversize record spans many of them. */
  for (size_t i = 0; i < in.len; i += 64) {
    size_t n = in.len - i < 64 ? in.len - i : 64;
    marc_reader_feed(r, in.data + i, n);
    while (marc_reader_next(r, &rec) == MARC_OK) {
      if (got == 1) {
        if (marc_record_raw_length(rec) > 300)
          fprintf(stderr,
                  "oversize(numeric=%d): a %zu-byte record was "
                  "returned whole although max_record is 300\n",
                  numeric_length, marc_record_raw_length(rec));
        CHECK_EQ_INT(marc_record_index(rec), 1);
        CHECK_EQ_INT(marc_record_offset(rec), l0);
        CHECK(marc_record_raw_length(rec) <= 300);
        int d = find_diag(rec, MARC_D_RECORD_OVERSIZE);
        CHECK(d >= 0);
        if (d >= 0) CHECK_EQ_INT(marc_record_diag(rec, (size_t)d)->record, 1);
      } else {
        CHECK_EQ_STR(field_str(rec, 0), got == 0 ? "small0" : "small2");
        CHECK_EQ_INT(marc_record_diag_count(rec), 0);
        CHECK_EQ_INT(marc_record_raw_length(rec), got == 0 ? l0 : l2);
        if (got == 2) {
          CHECK_EQ_INT(marc_record_index(rec), 2);
          CHECK_EQ_INT(marc_record_offset(rec), l0 + l1);
        }
      }
      got++;
    }
  }
  marc_reader_finish(r);
  if (got != 3)
    fprintf(stderr, "oversize(numeric=%d): %d records\n", numeric_length, got);
  CHECK_EQ_INT(got, 3);
  expect_end(r, &in);
}

static void test_truncated(void) {
  marc_buf in = {0};
  size_t l0 = mk_simple(&in, "whole");
  mk_simple(&in, "cut");
  size_t cut = l0 + 100; /* inside record 1's data area */
  marc_reader *r = marc_reader_new(NULL);
  marc_record *rec;
  marc_reader_feed(r, in.data, cut);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_OK);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_NEED_MORE);
  marc_reader_finish(r);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_OK);
  CHECK_EQ_INT(marc_record_index(rec), 1);
  CHECK_EQ_INT(marc_record_offset(rec), l0);
  CHECK_EQ_INT(marc_record_raw_length(rec), 100);
  int d = find_diag(rec, MARC_D_TRUNCATED);
  CHECK(d >= 0);
  if (d >= 0) CHECK_EQ_INT(marc_record_diag(rec, (size_t)d)->offset, cut);
  /* The fields wholly inside the 100 bytes are kept: leader 24, directory
   * 48, terminator, then 001 "cut" ends at byte 77. */
  CHECK(marc_record_field_count(rec) >= 1);
  CHECK_EQ_STR(field_str(rec, 0), "cut");
  expect_end(r, &in);
}

/* Leader length off by `delta` but every terminator in place. */
static void test_length_mismatch(int delta) {
  marc_buf in = {0};
  size_t l0 = mk_simple(&in, "liar");
  char len[8];
  snprintf(len, sizeof len, "%05zu", (size_t)((int)l0 + delta));
  memcpy(in.data, len, 5);
  size_t l1 = mk_simple(&in, "honest");
  marc_reader *r = marc_reader_new(NULL);
  marc_record *rec;
  marc_reader_feed(r, in.data, in.len);
  marc_reader_finish(r);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_OK);
  CHECK_EQ_INT(marc_record_raw_length(rec), l0);
  CHECK_EQ_INT(marc_record_field_count(rec), 4);
  CHECK_EQ_STR(field_str(rec, 0), "liar");
  CHECK_EQ_INT(marc_record_diag_count(rec), 1);
  CHECK(find_diag(rec, MARC_D_LENGTH_MISMATCH) == 0);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_OK);
  CHECK_EQ_STR(field_str(rec, 0), "honest");
  CHECK_EQ_INT(marc_record_offset(rec), l0);
  CHECK_EQ_INT(marc_record_raw_length(rec), l1);
  CHECK_EQ_INT(marc_record_diag_count(rec), 0);
  expect_end(r, &in);
}

/* A record over 99,999 bytes as some systems write it: leader length
 * "99999", field starts written modulo 100000. Every field must come
 * back, with a RECORD_TOO_LONG diagnostic. */
static void test_record_too_long(void) {
  enum { NF = 25, FLEN = 5000 };
  size_t n = NF + 1;
  size_t base = 24 + 12 * n + 1;
  size_t total = base + 1 + 4 + (size_t)NF * (FLEN + 1);
  CHECK(total > 99999);
  marc_buf in = {0};
  char head[32];
  marc_buf_append(&in, "99999nam a22", 12);
  snprintf(head, sizeof head, "%05zu", base);
  marc_buf_append(&in, head, 5);
  marc_buf_append(&in, "   4500", 7);
  marc_buf_append(&in, "001000400000", 12);
  size_t pos = 4;
  for (int i = 0; i < NF; i++) {
    snprintf(head, sizeof head, "500%04d%05zu", FLEN + 1, pos % 100000);
    marc_buf_append(&in, head, 12);
    pos += FLEN + 1;
  }
  marc_buf_append(&in,
                  "\x1e"
                  "big\x1e",
                  5);
  static char data[FLEN];
  for (int i = 0; i < NF; i++) {
    memset(data, 'a' + i % 26, FLEN);
    memcpy(data,
           "  \x1f"
           "a",
           4);
    snprintf(head, sizeof head, "%04d", i); /* field number, to tell apart */
    memcpy(data + 4, head, 4);
    marc_buf_append(&in, data, FLEN);
    marc_buf_append(&in, "\x1e", 1);
  }
  marc_buf_append(&in, "\x1d", 1);
  CHECK_EQ_INT(in.len, total);
  size_t l1 = mk_simple(&in, "after");

  marc_reader *r = marc_reader_new(NULL);
  marc_record *rec;
  marc_reader_feed(r, in.data, in.len);
  marc_reader_finish(r);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_OK);
  CHECK_EQ_INT(marc_record_raw_length(rec), total);
  CHECK(find_diag(rec, MARC_D_RECORD_TOO_LONG) >= 0);
  CHECK(find_diag(rec, MARC_D_LENGTH_MISMATCH) < 0);
  CHECK_EQ_INT(marc_record_field_count(rec), n);
  CHECK_EQ_STR(field_str(rec, 0), "big");
  int fields_ok = 1;
  for (int i = 0; i < NF && (size_t)i + 1 < marc_record_field_count(rec); i++) {
    const marc_field *f = marc_record_field(rec, (size_t)i + 1);
    const uint8_t *d = marc_field_data(rec, f);
    snprintf(head, sizeof head,
             "\x1f"
             "a%04d",
             i);
    if (f->len != FLEN - 2 || memcmp(d, head, 6) != 0 ||
        d[FLEN - 3] != 'a' + i % 26 || strcmp(f->tag, "500") != 0) {
      fprintf(stderr, "too long: field %d wrong (len %u)\n", i + 1,
              (unsigned)f->len);
      fields_ok = 0;
    }
  }
  CHECK(fields_ok);
  /* Writing it back is refused: ISO 2709 cannot hold it. */
  marc_buf out = {0};
  marc_diag err;
  CHECK_EQ_INT(marc_write_iso2709(rec, &out, &err), MARC_E_TOO_LONG);
  CHECK_EQ_INT(err.code, MARC_D_RECORD_TOO_LONG_TO_WRITE);
  CHECK_EQ_INT(out.len, 0);
  marc_buf_free(&out);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_OK);
  CHECK_EQ_STR(field_str(rec, 0), "after");
  CHECK_EQ_INT(marc_record_offset(rec), total);
  CHECK_EQ_INT(marc_record_raw_length(rec), l1);
  CHECK_EQ_INT(marc_record_diag_count(rec), 0);
  marc_reader_free(r);
  marc_buf_free(&in);
}

static void test_reset(void) {
  marc_buf in = {0};
  size_t l0 = mk_simple(&in, "again");
  marc_reader *r = marc_reader_new(NULL);
  marc_record *rec;
  marc_reader_feed(r, in.data, 30); /* half a record */
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_NEED_MORE);
  marc_reader_finish(r);
  marc_reader_reset(r);
  /* After reset: a fresh stream (offsets and indexes from 0, feeding
   * allowed again, the half record forgotten). */
  CHECK_EQ_INT(marc_reader_feed(r, in.data, l0), MARC_OK);
  CHECK_EQ_INT(marc_reader_next(r, &rec), MARC_OK);
  CHECK_EQ_INT(marc_record_index(rec), 0);
  CHECK_EQ_INT(marc_record_offset(rec), 0);
  CHECK_EQ_INT(marc_record_diag_count(rec), 0);
  CHECK_EQ_STR(field_str(rec, 0), "again");
  marc_reader_finish(r);
  expect_end(r, &in);
}

/* Many records of varying size, with junk between some, fed in chunks
 * that cut records anywhere: every index and absolute offset right. */
static void test_many(void) {
  enum { N = 2000 };
  marc_buf in = {0};
  static uint64_t offs[N];
  char id[64];
  for (int i = 0; i < N; i++) {
    if (i % 7 == 3) marc_buf_append(&in, "\n", 1);
    offs[i] = in.len;
    snprintf(id, sizeof id, "rec%d-%.*s", i, i % 40,
             "........................................");
    mk_simple(&in, id);
  }
  size_t chunks[] = {1, 3, 100, 4096, 100000};
  for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
    marc_reader *r = marc_reader_new(NULL);
    marc_record *rec;
    int got = 0, bad = 0;
    for (size_t i = 0; i <= in.len; i += chunks[c]) {
      if (i == in.len) {
        marc_reader_finish(r);
      } else {
        size_t n = in.len - i < chunks[c] ? in.len - i : chunks[c];
        marc_reader_feed(r, in.data + i, n);
        if (i + n == in.len) marc_reader_finish(r);
      }
      marc_status s;
      while ((s = marc_reader_next(r, &rec)) == MARC_OK) {
        snprintf(id, sizeof id, "rec%d-%.*s", got, got % 40,
                 "........................................");
        size_t want_diags = got % 7 == 3 ? 1 : 0;
        if (got >= N || marc_record_index(rec) != (uint64_t)got ||
            marc_record_offset(rec) != offs[got] ||
            strcmp(field_str(rec, 0), id) != 0 ||
            marc_record_diag_count(rec) != want_diags)
          bad++;
        got++;
      }
      if (s == MARC_END) break;
    }
    if (bad) fprintf(stderr, "many: chunk %zu: %d bad\n", chunks[c], bad);
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(got, N);
    marc_reader_free(r);
  }
  marc_buf_free(&in);
}

/* Directory entry numbers: a byte that is not a digit at any of the nine
 * positions (length, then start) makes the entry unusable; the field is
 * still found by its terminator. Digits at their limits read as such. */
static void test_entry_digits(void) {
  const uint8_t bad[] = {'/', ':', ' ', 0x00, 0xB0, 0xFF};
  for (size_t pos = 0; pos < 9; pos++) {
    for (size_t b = 0; b < sizeof bad; b++) {
      marc_buf in = {0};
      mk_simple(&in, "id0");
      in.data[24 + 12 + 3 + pos] = bad[b]; /* the 008's entry */
      marc_reader *r;
      marc_record *rec = mk_read_one(&r, &in);
      CHECK(rec != NULL);
      if (rec) {
        if (find_diag(rec, MARC_D_ENTRY_NOT_NUMERIC) < 0)
          CHECK_EQ_INT((int)(pos * 1000 + bad[b]), -1); /* names the case */
        CHECK_EQ_INT(marc_record_field_count(rec), 4);
        CHECK_EQ_STR(field_str(rec, 1),
                     "850101s1985    nyu           000 0 eng  ");
      }
      marc_reader_free(r);
      marc_buf_free(&in);
    }
  }
  /* The largest length (9999) and a start of 09999. */
  marc_buf in = {0};
  static char data[9999];
  memset(data, 'x', sizeof data - 1);
  mk_field f[] = {{"001", data, 9998}, {"002", "12345678", 0}};
  mk_record(&in, f, 2);
  marc_reader *r;
  marc_record *rec = mk_read_one(&r, &in);
  CHECK(rec != NULL);
  CHECK(memcmp(in.data + 24, "001999900000002000909999", 24) == 0);
  if (rec) {
    CHECK_EQ_INT(marc_record_diag_count(rec), 0);
    CHECK_EQ_INT(marc_record_field(rec, 0)->len, 9998);
    CHECK_EQ_STR(field_str(rec, 1), "12345678");
  }
  marc_reader_free(r);
  marc_buf_free(&in);
}

int main(void) {
  test_feed_loop();
  test_empty();
  test_byte_at_a_time();
  test_buffer_commit();
  test_next_raw();
  test_strict();
  test_junk();
  test_oversize(0);
  test_oversize(1);
  test_truncated();
  test_length_mismatch(+5);
  test_length_mismatch(-5);
  test_record_too_long();
  test_reset();
  test_many();
  test_entry_digits();
  return check_done("unit_reader");
}
