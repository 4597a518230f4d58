/* Helpers for the format tests: load a file, run any format's reader (one
 * marc_input handle) over a buffer cut into chunks of a given size, dump
 * records canonically, compare their content, write records in any format
 * (marc_write). Header-only: each test is one program. */
#ifndef FMT_TEST_H
#define FMT_TEST_H

#include "marcato.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline uint8_t *ft_load(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, len = 0;
  uint8_t *p = malloc(cap);
  for (;;) {
    if (len == cap) p = realloc(p, cap *= 2);
    size_t k = fread(p + len, 1, cap - len, f);
    if (!k) break;
    len += k;
  }
  fclose(f);
  *n = len;
  return p;
}

static inline void ft_hex(marc_buf *out, const uint8_t *p, size_t n) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      marc_buf_append(out, &c, 1);
    } else {
      char e[4] = {'\\', hex[c >> 4], hex[c & 15], 0};
      marc_buf_append(out, e, 3);
    }
  }
}

static inline void ft_puts(marc_buf *out, const char *s) {
  marc_buf_append(out, s, strlen(s));
}

/* Canonical text of a record: where it came from, leader, fields and
 * (when `diags`) its diagnostics. */
static inline void ft_dump(const marc_record *rec, marc_buf *out, int diags) {
  char line[160];
  snprintf(line, sizeof line, "record %" PRIu64 " at %" PRIu64 " len %zu\n",
           marc_record_index(rec), marc_record_offset(rec),
           marc_record_raw_length(rec));
  ft_puts(out, line);
  ft_hex(out, (const uint8_t *)marc_record_leader(rec), 24);
  ft_puts(out, "\n");
  for (size_t i = 0; i < marc_record_field_count(rec); i++) {
    const marc_field *f = marc_record_field(rec, i);
    ft_hex(out, (const uint8_t *)f->tag, 3);
    if (!marc_tag_is_control(f->tag)) {
      ft_puts(out, " ");
      ft_hex(out, &f->ind1, 1);
      ft_hex(out, &f->ind2, 1);
    }
    ft_puts(out, " ");
    ft_hex(out, marc_field_data(rec, f), f->len);
    ft_puts(out, "\n");
  }
  for (size_t i = 0; diags && i < marc_record_diag_count(rec); i++) {
    const marc_diag *d = marc_record_diag(rec, i);
    snprintf(line, sizeof line,
             "diag %s at %" PRIu64 " rec %" PRIu64 " tag %s: %s\n",
             marc_code_name(d->code), d->offset, d->record, d->tag, d->msg);
    ft_puts(out, line);
  }
}

/* Leader and fields (tag, indicators, data) equal. */
static inline int ft_same(const marc_record *a, const marc_record *b) {
  if (memcmp(marc_record_leader(a), marc_record_leader(b), 24)) return 0;
  size_t n = marc_record_field_count(a);
  if (n != marc_record_field_count(b)) return 0;
  for (size_t i = 0; i < n; i++) {
    const marc_field *f = marc_record_field(a, i);
    const marc_field *g = marc_record_field(b, i);
    if (strcmp(f->tag, g->tag) || f->ind1 != g->ind1 || f->ind2 != g->ind2 ||
        f->len != g->len ||
        memcmp(marc_field_data(a, f), marc_field_data(b, g), f->len))
      return 0;
  }
  return 1;
}

/* What reading a whole buffer gave. */
typedef struct ft_result {
  marc_record **recs; /* clones */
  size_t n;
  size_t errors;      /* MARC_E_INVALID returns */
  marc_buf dump;      /* every record and error, canonically */
  int failed;         /* another error (NOMEM, STATE...) */
  marc_format format; /* what the input was read as (sniffed for AUTO) */
} ft_result;

static inline void ft_result_free(ft_result *res) {
  for (size_t i = 0; res->recs && i < res->n; i++)
    marc_record_free(res->recs[i]);
  free(res->recs);
  marc_buf_free(&res->dump);
  memset(res, 0, sizeof *res);
}

/* Drain the reader; 0 when it needs more input, 1 at the end. */
static inline int ft_drain(marc_input *t, ft_result *res, int keep) {
  for (;;) {
    marc_record *rec = NULL;
    marc_status s = marc_input_next(t, &rec);
    if (s == MARC_NEED_MORE) return 0;
    if (s == MARC_END) return 1;
    if (s == MARC_OK) {
      ft_dump(rec, &res->dump, 1);
      if (keep) {
        res->recs = realloc(res->recs, (res->n + 1) * sizeof *res->recs);
        res->recs[res->n] = marc_record_clone(rec);
      }
      res->n++;
    } else if (s == MARC_E_INVALID) {
      const marc_error *e = marc_input_error(t);
      char line[240];
      snprintf(line, sizeof line, "error %s at %zu rec %" PRIu64 ": %s\n",
               marc_code_name((marc_code)e->code), e->position, e->record,
               e->message);
      ft_puts(&res->dump, line);
      res->errors++;
    } else {
      res->failed = 1;
      return 1;
    }
  }
}

/* Read `n` bytes in chunks of `chunk` bytes (0: all at once). */
static inline void ft_read(marc_format fmt, const uint8_t *p, size_t n,
                           size_t chunk, int strict, int keep, ft_result *res) {
  memset(res, 0, sizeof *res);
  marc_reader_options o = {0};
  o.strict = strict;
  marc_input *t = marc_input_new(fmt, &o);
  if (!t) {
    res->failed = 1;
    return;
  }
  if (!chunk) chunk = n ? n : 1;
  int done = 0;
  for (size_t i = 0; i < n && !done; i += chunk) {
    size_t k = n - i < chunk ? n - i : chunk;
    if (marc_input_feed(t, p + i, k) != MARC_OK) res->failed = 1;
    done = ft_drain(t, res, keep);
  }
  if (!done) {
    marc_input_finish(t);
    if (!ft_drain(t, res, keep)) res->failed = 1;
  }
  res->format = marc_input_format(t);
  marc_input_free(t);
}

/* Write `n` records in `fmt` as one stream: its opening (with `begin`
 * flags: MARC_WRITE_XML_DECLARATION), the records, its closing. Returns the
 * first failure, MARC_OK when every record was written. */
static inline marc_status ft_write_all(marc_format fmt,
                                       marc_record *const *recs, size_t n,
                                       uint32_t begin, marc_buf *out) {
  marc_status first = marc_write_begin(fmt, begin, out);
  for (size_t i = 0; i < n; i++) {
    uint32_t fl = MARC_WRITE_IN_COLLECTION | (i ? MARC_WRITE_NOT_FIRST : 0);
    marc_status s = marc_write(recs[i], fmt, fl, out);
    if (first == MARC_OK) first = s;
  }
  marc_status s = marc_write_end(fmt, 0, out);
  return first == MARC_OK ? s : first;
}

#endif
