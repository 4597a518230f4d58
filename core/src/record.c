/* Record model: construction, accessors, subfield iteration, lookup and the
 * diagnostics attached to a record. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static const char default_leader[24] = "00000nam a2200000   4500";

marc_record *marc_record_new(void) {
  marc_record *rec = calloc(1, sizeof *rec);
  if (!rec) return NULL;
  memcpy(rec->leader, default_leader, 24);
  rec->max_diags = MARC_DEFAULT_MAX_DIAGS;
  return rec;
}

void marc_record_free(marc_record *rec) {
  if (!rec) return;
  free(rec->own);
  free(rec->fields);
  free(rec->diags);
  free(rec->msgs);
  free(rec);
}

void marc__record_clear(marc_record *rec) {
  rec->nfields = 0;
  rec->ndiags = 0;
  rec->own_len = 0;
  rec->garbage = 0;
  rec->raw_len = 0;
  rec->bytes = rec->own;
  rec->is_view = 0;
  rec->keep_layout = 0;
}

marc_status marc__fields_reserve(marc_record *rec, size_t extra) {
  if (rec->fields_cap - rec->nfields >= extra) return MARC_OK;
  size_t cap = rec->fields_cap ? rec->fields_cap : 32;
  while (cap - rec->nfields < extra) cap *= 2;
  marc_field *f = realloc(rec->fields, cap * sizeof *f);
  if (!f) return MARC_E_NOMEM;
  rec->fields = f;
  rec->fields_cap = cap;
  return MARC_OK;
}

/* Diagnostics keep their text in `msgs`, one fixed slot each, so that the
 * msg pointers handed out stay valid until the record is reused. */
static marc_status diags_reserve(marc_record *rec, size_t want) {
  if (rec->diags_cap >= want) return MARC_OK;
  size_t cap = rec->diags_cap ? rec->diags_cap * 2 : 4;
  if (cap < want) cap = want;
  marc_diag *d = malloc(cap * sizeof *d);
  char *m = malloc(cap * MARC_MSG_MAX);
  if (!d || !m) {
    free(d);
    free(m);
    return MARC_E_NOMEM;
  }
  if (rec->ndiags) {
    memcpy(d, rec->diags, rec->ndiags * sizeof *d);
    memcpy(m, rec->msgs, rec->ndiags * MARC_MSG_MAX);
  }
  for (size_t i = 0; i < rec->ndiags; i++) d[i].msg = m + i * MARC_MSG_MAX;
  free(rec->diags);
  free(rec->msgs);
  rec->diags = d;
  rec->msgs = m;
  rec->diags_cap = cap;
  return MARC_OK;
}

marc_status marc__diag_add(marc_record *rec, marc_code code, uint64_t offset,
                           const char *tag, const char *fmt, ...) {
  size_t limit = rec->max_diags ? rec->max_diags : MARC_DEFAULT_MAX_DIAGS;
  if (rec->ndiags > limit) return MARC_OK; /* already capped */
  if (rec->ndiags == limit) {
    code = MARC_D_TOO_MANY_DIAGNOSTICS;
    tag = NULL;
    fmt = "more problems in this record were not reported";
  }
  if (diags_reserve(rec, rec->ndiags + 1) != MARC_OK) return MARC_E_NOMEM;
  marc_diag *d = &rec->diags[rec->ndiags];
  char *m = rec->msgs + rec->ndiags * MARC_MSG_MAX;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m, MARC_MSG_MAX, fmt, ap);
  va_end(ap);
  d->code = code;
  d->msg = m;
  d->offset = offset;
  d->record = rec->index;
  memset(d->tag, 0, sizeof d->tag);
  if (tag) memcpy(d->tag, tag, 3);
  rec->ndiags++;
  return MARC_OK;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

uint64_t *marc__data_order(const marc_record *rec, marc_status *status) {
  *status = MARC_OK;
  if (!rec->keep_layout) return NULL;
  size_t n = rec->nfields;
  size_t i = 1;
  while (i < n && rec->fields[i - 1].off <= rec->fields[i].off) i++;
  if (i >= n) return NULL;
  /* Key: offset in the high half, field index in the low half, so the
   * sort is by offset and stable without a comparison context. */
  uint64_t *order = malloc(n * sizeof *order);
  if (!order) {
    *status = MARC_E_NOMEM;
    return NULL;
  }
  for (i = 0; i < n; i++) order[i] = (uint64_t)rec->fields[i].off << 32 | i;
  qsort(order, n, sizeof *order, cmp_u64);
  return order;
}

marc_record *marc_record_clone(const marc_record *src) {
  if (!src) return NULL;
  marc_record *rec = marc_record_new();
  if (!rec) return NULL;
  /* Copy only the bytes fields refer to, compacting as we go. */
  size_t need = 0;
  for (size_t i = 0; i < src->nfields; i++) need += src->fields[i].len;
  if (marc__fields_reserve(rec, src->nfields) != MARC_OK ||
      diags_reserve(rec, src->ndiags) != MARC_OK) {
    marc_record_free(rec);
    return NULL;
  }
  /* At least one byte, so `bytes` is never NULL once there are fields
   * (bytes + off must be valid pointer arithmetic even for empty ones). */
  rec->own = malloc(need ? need : 1);
  if (!rec->own) {
    marc_record_free(rec);
    return NULL;
  }
  rec->own_cap = need ? need : 1;
  marc_status st;
  uint64_t *order = marc__data_order(src, &st);
  if (st != MARC_OK) {
    marc_record_free(rec);
    return NULL;
  }
  for (size_t k = 0; k < src->nfields; k++) {
    size_t i = order ? (uint32_t)order[k] : k; /* keep data-area order */
    marc_field f = src->fields[i];
    if (f.len) memcpy(rec->own + rec->own_len, src->bytes + f.off, f.len);
    f.off = (uint32_t)rec->own_len;
    rec->own_len += f.len;
    rec->fields[i] = f;
  }
  free(order);
  rec->nfields = src->nfields;
  rec->keep_layout = src->keep_layout;
  rec->bytes = rec->own;
  memcpy(rec->leader, src->leader, 24);
  rec->index = src->index;
  rec->offset = src->offset;
  rec->raw_len = src->raw_len;
  rec->max_diags = src->max_diags;
  for (size_t i = 0; i < src->ndiags; i++) {
    rec->diags[i] = src->diags[i];
    memcpy(rec->msgs + i * MARC_MSG_MAX, src->diags[i].msg, MARC_MSG_MAX);
    rec->diags[i].msg = rec->msgs + i * MARC_MSG_MAX;
  }
  rec->ndiags = src->ndiags;
  return rec;
}

const char *marc_record_leader(const marc_record *rec) { return rec->leader; }
size_t marc_record_field_count(const marc_record *rec) { return rec->nfields; }
const uint8_t *marc_record_bytes(const marc_record *rec) { return rec->bytes; }
uint64_t marc_record_index(const marc_record *rec) { return rec->index; }
uint64_t marc_record_offset(const marc_record *rec) { return rec->offset; }
size_t marc_record_raw_length(const marc_record *rec) { return rec->raw_len; }
size_t marc_record_diag_count(const marc_record *rec) { return rec->ndiags; }

const marc_field *marc_record_field(const marc_record *rec, size_t i) {
  return i < rec->nfields ? &rec->fields[i] : NULL;
}

const marc_field *marc_record_fields(const marc_record *rec) {
  return rec->nfields ? rec->fields : NULL;
}

const marc_diag *marc_record_diag(const marc_record *rec, size_t i) {
  return i < rec->ndiags ? &rec->diags[i] : NULL;
}

const uint8_t *marc_field_data(const marc_record *rec, const marc_field *f) {
  return rec->bytes + f->off;
}

int marc_tag_is_control(const char *tag) {
  return tag[0] == '0' && tag[1] == '0';
}

marc_subfield_iter marc_subfields(const marc_record *rec, const marc_field *f) {
  marc_subfield_iter it;
  it.p = rec->bytes + f->off;
  it.end = it.p + f->len;
  if (marc_tag_is_control(f->tag)) it.p = it.end; /* no subfields */
  return it;
}

int marc_subfield_next(marc_subfield_iter *it, marc_subfield *sf) {
  while (it->p < it->end) {
    const uint8_t *p = it->p;
    if (*p == MARC_SD) {
      p++;
      if (p == it->end) { /* a lone trailing delimiter */
        it->p = p;
        return 0;
      }
      sf->code = (char)*p++;
    } else {
      sf->code = 0; /* bytes before the first delimiter */
    }
    const uint8_t *q = memchr(p, MARC_SD, (size_t)(it->end - p));
    if (!q) q = it->end;
    sf->value = p;
    sf->len = (size_t)(q - p);
    it->p = q;
    return 1;
  }
  return 0;
}

int marc_tag_match(const char *pattern, const char *tag) {
  for (int i = 0; i < 3; i++) {
    char c = pattern[i];
    if (c == 'X' || c == 'x' || c == '.') {
      if (!tag[i]) return 0;
      continue;
    }
    if (c != tag[i]) return 0;
  }
  return 1;
}

int64_t marc_record_find(const marc_record *rec, const char *pattern,
                         size_t from) {
  for (size_t i = from; i < rec->nfields; i++)
    if (marc_tag_match(pattern, rec->fields[i].tag)) return (int64_t)i;
  return -1;
}

int marc_record_subfield(const marc_record *rec, size_t i, char code,
                         marc_subfield *sf) {
  if (i >= rec->nfields) return 0;
  marc_subfield_iter it = marc_subfields(rec, &rec->fields[i]);
  while (marc_subfield_next(&it, sf))
    if (sf->code == code) return 1;
  return 0;
}
