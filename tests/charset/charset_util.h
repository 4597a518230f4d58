/* Helpers for the charset tests: read a file, read every record of an
 * ISO 2709 buffer as owned clones. */
#ifndef MARCATO_CHARSET_UTIL_H
#define MARCATO_CHARSET_UTIL_H

#include "marcato.h"

#include <stdio.h>
#include <stdlib.h>

/* Whole file, malloc'd; NULL when it cannot be read. */
static inline uint8_t *cs_read_file(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, len = 0, r;
  uint8_t *p = malloc(cap);
  while (p && (r = fread(p + len, 1, cap - len, f)) > 0) {
    len += r;
    if (len == cap) {
      uint8_t *q = realloc(p, cap *= 2);
      if (!q) free(p);
      p = q;
    }
  }
  fclose(f);
  *n = len;
  return p;
}

/* Every record of p[0..n) cloned into a malloc'd array; count in *count. */
static inline marc_record **cs_read_records(const uint8_t *p, size_t n,
                                            size_t *count) {
  marc_reader *r = marc_reader_new(NULL);
  size_t cap = 64, k = 0;
  marc_record **v = malloc(cap * sizeof *v);
  marc_record *rec;
  marc_status s;
  if (!r || !v) exit(2);
  marc_reader_feed(r, p, n);
  marc_reader_finish(r);
  while ((s = marc_reader_next(r, &rec)) == MARC_OK || s == MARC_E_INVALID) {
    if (s != MARC_OK) continue;
    if (k == cap) {
      v = realloc(v, (cap *= 2) * sizeof *v);
      if (!v) exit(2);
    }
    v[k++] = marc_record_clone(rec);
  }
  marc_reader_free(r);
  *count = k;
  return v;
}

static inline void cs_free_records(marc_record **v, size_t n) {
  for (size_t i = 0; i < n; i++) marc_record_free(v[i]);
  free(v);
}

#endif
