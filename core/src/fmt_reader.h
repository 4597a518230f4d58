/* What the MARCXML, MARC-in-JSON and MARCMaker readers share: options,
 * the record they reuse, record indexes, junk waiting for a record to be
 * reported on, strict mode and the error of the last MARC_E_INVALID. */
#ifndef MARC_FMT_READER_H
#define MARC_FMT_READER_H

#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Diagnostic codes the text formats would want but marc_code does not
 * have yet: each maps to the nearest existing code (see the report that
 * proposes the new ones). */
#define MARC__D_SYNTAX MARC_D_SYNTAX       /* not well-formed XML/JSON */
#define MARC__D_NOT_MARC MARC_D_NOT_MARC   /* unknown element or key */
#define MARC__D_INDICATOR MARC_D_BAD_VALUE /* ind not one byte */
#define MARC__D_CODE MARC_D_BAD_VALUE      /* code not one byte */

typedef struct marc__fmt {
  marc_reader_options opt;
  marc_record *rec;       /* owned, reused for every record */
  uint64_t index;         /* index of the next record */
  uint64_t junk, junk_at; /* skipped bytes waiting for the next record */
  int open;               /* a record is being built in rec */
  marc_diag err;
  char err_msg[MARC_MSG_MAX];
  /* The caller's bytes: ext[pos, n) is still to be read; ext_off is the
   * absolute offset of ext[0]. */
  const uint8_t *ext;
  size_t pos, n;
  uint64_t ext_off;
  int finished; /* finish was called */
} marc__fmt;

/* Take the caller's next chunk. Unread bytes must be read first: the
 * caller calls next until MARC_NEED_MORE. */
static inline marc_status marc__fmt_feed(marc__fmt *c, const void *p,
                                         size_t n) {
  if (!p && n) return MARC_E_ARG;
  if (c->finished || c->pos < c->n) return MARC_E_STATE;
  c->ext_off += c->n;
  c->ext = p;
  c->pos = 0;
  c->n = n;
  return MARC_OK;
}

/* The public feed, finish and error calls of text reader T, the same for
 * every text reader: T holds its marc__fmt as member `c`. */
#define MARC__FMT_READER_CALLS(T)                                              \
  marc_status T##_feed(T *r, const void *p, size_t n) {                        \
    return r ? marc__fmt_feed(&r->c, p, n) : MARC_E_ARG;                       \
  }                                                                            \
  marc_status T##_finish(T *r) {                                               \
    if (!r) return MARC_E_ARG;                                                 \
    r->c.finished = 1;                                                         \
    return MARC_OK;                                                            \
  }                                                                            \
  const marc_diag *T##_error(const T *r) { return &r->c.err; }

static inline marc_status marc__fmt_init(marc__fmt *c,
                                         const marc_reader_options *opt) {
  memset(c, 0, sizeof *c);
  if (opt) c->opt = *opt;
  if (!c->opt.max_record) c->opt.max_record = MARC_DEFAULT_MAX_RECORD;
  if (c->opt.max_record < 24) c->opt.max_record = 24;
  if (!c->opt.max_diags) c->opt.max_diags = MARC_DEFAULT_MAX_DIAGS;
  c->rec = marc_record_new();
  return c->rec ? MARC_OK : MARC_E_NOMEM;
}

/* A new reader of `size` bytes whose first member is its marc__fmt;
 * NULL when out of memory. */
static inline void *marc__fmt_new(size_t size, const marc_reader_options *opt) {
  marc__fmt *c = calloc(1, size);
  if (c && marc__fmt_init(c, opt) != MARC_OK) {
    free(c);
    return NULL;
  }
  return c;
}

/* Free reader `r` (its marc__fmt `c` and its two buffers). */
static inline void marc__fmt_free(void *r, marc__fmt *c, marc_buf *a,
                                  marc_buf *b) {
  marc_record_free(c->rec);
  marc_buf_free(a);
  marc_buf_free(b);
  free(r);
}

/* Note `n` bytes at `at` that are not part of any record. */
static inline void marc__fmt_junk(marc__fmt *c, uint64_t at, uint64_t n) {
  if (!c->junk) c->junk_at = at;
  c->junk += n;
}

/* Start building a record that begins at byte `at`. */
static inline marc_status marc__fmt_open(marc__fmt *c, uint64_t at) {
  marc_record *rec = c->rec;
  marc__record_clear(rec);
  static const char leader[24] = "00000nam a2200000   4500";
  memcpy(rec->leader, leader, 24);
  rec->index = c->index;
  rec->offset = at;
  rec->max_diags = c->opt.max_diags;
  c->open = 1;
  if (!c->junk) return MARC_OK;
  marc_status s = marc__diag_add(rec, MARC_D_JUNK, c->junk_at, NULL,
                                 "%llu byte(s) between records skipped",
                                 (unsigned long long)c->junk);
  c->junk = 0;
  return s;
}

/* Is `c` one of ISO 2709's structural bytes? Inside a value one would
 * frame the record differently when written as ISO 2709 (a subfield
 * delimiter forges a subfield, a record terminator ends the record). */
static inline int marc__structural(uint8_t c) {
  return c == MARC_RT || c == MARC_FT || c == MARC_SD;
}

/* A control field is not split into subfields, so only a terminator in
 * one changes how it reads back (real records keep 0x1F in 007s). */
static inline int marc__terminator(uint8_t c) {
  return c == MARC_RT || c == MARC_FT;
}

/* Append a subfield value from a text format, each structural byte
 * replaced by a blank (the rule for every text reader: same length, the
 * same in any charset), with one diagnostic per value that had any. */
static inline marc_status marc__fmt_value(marc_record *rec, marc_buf *out,
                                          const void *v, size_t n,
                                          const char *tag, uint64_t at) {
  size_t from = out->len;
  marc_status s = marc_buf_append(out, v, n);
  size_t hits = 0;
  for (size_t i = from; s == MARC_OK && i < out->len; i++)
    if (marc__structural(out->data[i])) out->data[i] = ' ', hits++;
  if (hits && s == MARC_OK)
    s = marc__diag_add(rec, MARC_D_BAD_VALUE, at, tag,
                       "%zu structural byte(s) (0x1D-0x1F) in a subfield "
                       "value replaced by blanks",
                       hits);
  return s;
}

/* What ISO 2709 written from the record would frame differently, repaired
 * the same way before the record is handed out, each repair a diagnostic:
 * structural bytes in the leader and indicators, and terminators in
 * control fields, become blanks. Tags that are not three ASCII letters or
 * digits are reported; the ISO 2709 writer refuses them. */
static inline void marc__fmt_repair(marc_record *rec, uint64_t at) {
  size_t hits = 0;
  for (size_t i = 0; i < 24; i++)
    if (marc__structural((uint8_t)rec->leader[i])) rec->leader[i] = ' ', hits++;
  if (hits)
    marc__diag_add(rec, MARC_D_BAD_VALUE, at, NULL,
                   "%zu structural byte(s) in the leader replaced by blanks",
                   hits);
  for (size_t i = 0; i < rec->nfields; i++) {
    marc_field *f = &rec->fields[i];
    int tag_ok = f->tag[0] && f->tag[1] && f->tag[2];
    for (size_t k = 0; k < 3 && tag_ok; k++) {
      uint8_t c = (uint8_t)f->tag[k];
      tag_ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
               (c >= 'a' && c <= 'z');
    }
    if (!tag_ok)
      marc__diag_add(rec, MARC_D_TAG_INVALID, at, NULL,
                     "field %zu's tag is not three ASCII letters or digits", i);
    if (marc__is_control(f->tag) && f->len) {
      uint8_t *d = rec->own + f->off; /* text readers own their bytes */
      hits = 0;
      for (size_t k = 0; k < f->len; k++)
        if (marc__terminator(d[k])) d[k] = ' ', hits++;
      if (hits)
        marc__diag_add(rec, MARC_D_BAD_VALUE, at, f->tag,
                       "%zu terminator byte(s) in a control field replaced "
                       "by blanks",
                       hits);
      continue;
    }
    if (marc__is_control(f->tag)) continue;
    if (marc__structural((uint8_t)f->ind1) ||
        marc__structural((uint8_t)f->ind2)) {
      if (marc__structural((uint8_t)f->ind1)) f->ind1 = ' ';
      if (marc__structural((uint8_t)f->ind2)) f->ind2 = ' ';
      marc__diag_add(rec, MARC_D_BAD_VALUE, at, f->tag,
                     "structural byte as an indicator replaced by a blank");
    }
  }
}

/* The record is complete, `end` is the offset just past it. Returns
 * MARC_OK with *out set, or in strict mode MARC_E_INVALID when it has a
 * diagnostic. */
static inline marc_status marc__fmt_close(marc__fmt *c, uint64_t end,
                                          marc_record **out) {
  marc_record *rec = c->rec;
  rec->raw_len = (size_t)(end - rec->offset);
  marc__fmt_repair(rec, rec->offset);
  c->open = 0;
  c->index++;
  if (c->opt.strict && rec->ndiags) {
    c->err = rec->diags[0];
    memcpy(c->err_msg, c->err.msg, MARC_MSG_MAX);
    c->err.msg = c->err_msg;
    return MARC_E_INVALID;
  }
  *out = rec;
  return MARC_OK;
}

/* A problem no record can carry: returned as MARC_E_INVALID in both
 * modes. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static inline marc_status
marc__fmt_fail(marc__fmt *c, marc_code code, uint64_t at, const char *fmt,
               ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->err_msg, MARC_MSG_MAX, fmt, ap);
  va_end(ap);
  memset(&c->err, 0, sizeof c->err);
  c->err.code = code;
  c->err.msg = c->err_msg;
  c->err.offset = at;
  c->err.record = c->index;
  return MARC_E_INVALID;
}

/* Junk seen at the end of input with no record after it. */
static inline marc_status marc__fmt_end(marc__fmt *c) {
  if (!c->junk) return MARC_END;
  uint64_t n = c->junk;
  c->junk = 0;
  return marc__fmt_fail(c, MARC_D_JUNK, c->junk_at,
                        "%llu byte(s) after the last record are not a record",
                        (unsigned long long)n);
}

/* Record bytes so far (the builder's storage), to enforce max_record. */
static inline size_t marc__fmt_size(const marc__fmt *c) {
  return c->rec->own_len - c->rec->garbage;
}

#endif
