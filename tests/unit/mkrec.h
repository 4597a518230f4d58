/* Builds ISO 2709 bytes for the unit tests without the core's writer, so
 * reader and writer tests do not depend on the code they check. */
#ifndef MARCATO_TEST_MKREC_H
#define MARCATO_TEST_MKREC_H

#include "check.h"
#include "common/dump.h"
#include "marcato.h"

#include <stdio.h>
#include <string.h>

typedef struct mk_field {
  const char *tag;
  const char *data; /* wire form: indicators + subfields, or control value */
  size_t len;       /* 0: strlen(data) */
} mk_field;

static inline size_t mk_len(const mk_field *f) {
  return f->len ? f->len : strlen(f->data);
}

/* Append one record to `out`: leader from `leader` (24 bytes; positions
 * 00-04 and 12-16 computed), directory in the order given, data area in
 * `order` (field indexes; NULL means directory order). Returns the record
 * length. */
static inline size_t mk_record_ordered(marc_buf *out, const char *leader,
                                       const mk_field *f, size_t n,
                                       const size_t *order) {
  size_t base = 24 + 12 * n + 1, total = base + 1;
  size_t start[64];
  for (size_t i = 0; i < n; i++) total += mk_len(&f[i]) + 1;
  size_t pos = 0;
  for (size_t k = 0; k < n; k++) {
    size_t i = order ? order[k] : k;
    start[i] = pos;
    pos += mk_len(&f[i]) + 1;
  }
  char head[32];
  snprintf(head, sizeof head, "%05zu", total);
  marc_buf_append(out, head, 5);
  marc_buf_append(out, leader + 5, 7);
  snprintf(head, sizeof head, "%05zu", base);
  marc_buf_append(out, head, 5);
  marc_buf_append(out, leader + 17, 7);
  for (size_t i = 0; i < n; i++) {
    char e[48];
    snprintf(e, sizeof e, "%.3s%04zu%05zu", f[i].tag, mk_len(&f[i]) + 1,
             start[i]);
    marc_buf_append(out, e, 12);
  }
  marc_buf_append(out, "\x1e", 1);
  for (size_t k = 0; k < n; k++) {
    size_t i = order ? order[k] : k;
    marc_buf_append(out, f[i].data, mk_len(&f[i]));
    marc_buf_append(out, "\x1e", 1);
  }
  marc_buf_append(out, "\x1d", 1);
  return total;
}

static inline size_t mk_record(marc_buf *out, const mk_field *f, size_t n) {
  return mk_record_ordered(out, "00000nam a2200000   4500", f, n, NULL);
}

/* Read the first record of `in` fed in chunks of `chunk` bytes (then
 * finished) by a new reader *r. NULL when no record is read. */
static inline marc_record *mk_read_chunked(marc_reader **r, const marc_buf *in,
                                           size_t chunk) {
  marc_record *rec = NULL;
  *r = marc_reader_new(NULL);
  size_t pos = 0;
  marc_status s = MARC_NEED_MORE;
  while (*r && s == MARC_NEED_MORE) {
    if (pos < in->len) {
      size_t k = in->len - pos < chunk ? in->len - pos : chunk;
      marc_reader_feed(*r, in->data + pos, k);
      pos += k;
    } else {
      marc_reader_finish(*r); /* then next never needs more */
    }
    s = marc_reader_next(*r, &rec);
  }
  return s == MARC_OK ? rec : NULL;
}

/* Read the first record of `in`; *r is the new reader, returned so the
 * record (a view) stays valid: free it. NULL when no record is read. As
 * expat's tests do, every case also runs with the input cut into chunks
 * of 1, 2, 3, 7 and 64 bytes: the record (fields, diagnostics, offsets)
 * must be the same as from the whole input, or a CHECK fails. */
static inline marc_record *mk_read_one(marc_reader **r, const marc_buf *in) {
  marc_record *rec = mk_read_chunked(r, in, in->len ? in->len : 1);
  marc_buf want = {0};
  if (rec) test_dump_record(rec, &want);
  static const size_t chunks[] = {1, 2, 3, 7, 64};
  for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
    marc_reader *cr;
    marc_record *c = mk_read_chunked(&cr, in, chunks[i]);
    marc_buf got = {0};
    if (c) test_dump_record(c, &got);
    int same = !rec == !c && got.len == want.len &&
               (!got.len || !memcmp(got.data, want.data, got.len));
    if (!same)
      fprintf(stderr, "mk_read_one: %zu-byte chunks read another record\n",
              chunks[i]);
    CHECK(same);
    marc_buf_free(&got);
    marc_reader_free(cr);
  }
  marc_buf_free(&want);
  return rec;
}

/* A small well-formed record whose 001 is `id`. */
static inline size_t mk_simple(marc_buf *out, const char *id) {
  mk_field f[] = {
      {"001", id, 0},
      {"008", "850101s1985    nyu           000 0 eng  ", 0},
      {"245",
       "10\x1f"
       "aA title /\x1f"
       "cby someone.",
       0},
      {"650",
       " 0\x1f"
       "aSubject.",
       0},
  };
  return mk_record(out, f, 4);
}

#endif
