/* What the MARCXML and MARC-in-JSON writers share: one capacity reserve
 * per record, then many small unchecked appends. */
#ifndef MARC_FMT_WRITE_H
#define MARC_FMT_WRITE_H

#include "internal.h"

/* Appends without a capacity check: the record writer reserves an upper
 * bound for the whole record first (marc__fmt_bound), which keeps the many
 * small appends out of marc_buf_append. */
static inline marc_status marc__fmt_put(marc_buf *out, const char *s,
                                        size_t n) {
  memcpy(out->data + out->len, s, n);
  out->len += n;
  return MARC_OK;
}

/* Rows of the writers' 256-byte "special" tables (1: the byte is not
 * copied as it is): C0 controls and non-ASCII (checked as UTF-8) are
 * special in both formats, so only the printable rows differ. */
#define MARC__ROW(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
#define MARC__ROWS_HIGH                                                        \
  MARC__ROW(1), MARC__ROW(1), MARC__ROW(1), MARC__ROW(1), MARC__ROW(1),        \
      MARC__ROW(1), MARC__ROW(1), MARC__ROW(1)

#define PUT(lit) marc__fmt_put(out, lit, sizeof lit - 1)
#define APPEND(lit) marc_buf_append(out, lit, sizeof lit - 1)

/* Most bytes a record can take: a data byte at most 6 (an entity or
 * escape), a subfield delimiter at most 64 (the markup of a subfield with
 * an escaped code), plus the markup of the leader and of each field. */
static inline marc_status marc__fmt_bound(const marc_record *rec,
                                          marc_buf *out) {
  size_t n = 512;
  for (size_t i = 0; i < rec->nfields; i++) {
    size_t len = rec->fields[i].len;
    if (len > (SIZE_MAX - n - 256) / 64) return MARC_E_NOMEM;
    n += len * 64 + 256;
  }
  return marc_buf_reserve(out, n);
}

#endif
