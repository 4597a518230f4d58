/* Builds ISO 2709 bytes for the unit tests without the core's writer, so
 * reader and writer tests do not depend on the code they check. */
#ifndef MARCATO_TEST_MKREC_H
#define MARCATO_TEST_MKREC_H

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

/* Read the first record of `in` (fed whole, then finished); *r is the new
 * reader, returned so the record (a view) stays valid: free it. NULL when
 * no record is read. */
static inline marc_record *mk_read_one(marc_reader **r, const marc_buf *in) {
  marc_record *rec = NULL;
  *r = marc_reader_new(NULL);
  marc_reader_feed(*r, in->data, in->len);
  marc_reader_finish(*r);
  if (marc_reader_next(*r, &rec) != MARC_OK) return NULL;
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
