/* Record builder: edits on owned records. New field data is appended to
 * the record's own storage; storage no field refers to any more is counted
 * and reclaimed by compacting when it outgrows the live data. */
#include "internal.h"

#include <stdlib.h>

static marc_status check_owned(const marc_record *rec) {
  if (!rec) return MARC_E_ARG;
  return rec->is_view ? MARC_E_READONLY : MARC_OK;
}

static marc_status own_reserve(marc_record *rec, size_t n) {
  /* Allocates even for n == 0: a record with fields always has bytes. */
  if (rec->own && rec->own_cap - rec->own_len >= n) return MARC_OK;
  if (n > UINT32_MAX - rec->own_len) return MARC_E_TOO_LONG;
  marc_status s = marc__grow(&rec->own, &rec->own_cap, rec->own_len, n);
  if (s == MARC_OK) rec->bytes = rec->own;
  return s;
}

/* Rewrite the storage with only the bytes fields refer to, followed by
 * room for `extra` bytes. The old storage is freed only after the caller
 * is done with it: returned through *old. */
static marc_status compact(marc_record *rec, size_t extra, uint8_t **old) {
  size_t live = 0;
  for (size_t i = 0; i < rec->nfields; i++) live += rec->fields[i].len;
  uint8_t *p = malloc(live + extra ? live + extra : 1);
  if (!p) return MARC_E_NOMEM;
  size_t len = 0;
  for (size_t i = 0; i < rec->nfields; i++) {
    marc_field *f = &rec->fields[i];
    if (f->len) memcpy(p + len, rec->own + f->off, f->len);
    f->off = (uint32_t)len;
    len += f->len;
  }
  *old = rec->own;
  rec->own = p;
  rec->bytes = p;
  rec->own_len = len;
  rec->own_cap = live + extra;
  rec->garbage = 0;
  rec->keep_layout = 0; /* data now in directory order */
  return MARC_OK;
}

static void forget(marc_record *rec, const marc_field *f) {
  rec->garbage += f->len;
}

/* Append bytes to storage; returns their offset through *off. The pieces
 * are concatenated so a field can be assembled from parts. */
static marc_status store(marc_record *rec, const void *const *parts,
                         const size_t *lens, size_t nparts, uint32_t *off,
                         uint32_t *len) {
  size_t total = 0;
  for (size_t i = 0; i < nparts; i++) total += lens[i];
  if (total > UINT32_MAX - rec->own_len) return MARC_E_TOO_LONG;
  /* Parts may point into our own storage (subfield edits copy the rest of
   * the field), which moves on realloc or compaction: note their offsets
   * and read them from the old storage until it is released. */
  uint8_t *old = rec->own;
  size_t rel[4];
  int is_rel[4] = {0};
  for (size_t i = 0; i < nparts && i < 4; i++) {
    const uint8_t *q = parts[i];
    if (lens[i] && old && q >= old && q < old + rec->own_cap) {
      is_rel[i] = 1;
      rel[i] = (size_t)(q - old);
    }
  }
  uint8_t *release = NULL;
  if (rec->garbage > 4096 && rec->garbage > rec->own_len / 2) {
    if (compact(rec, total, &release) != MARC_OK) return MARC_E_NOMEM;
  } else {
    /* realloc may move the storage: copy inside parts out first. */
    int inside = 0;
    for (size_t i = 0; i < nparts; i++) inside |= is_rel[i];
    if (inside && rec->own_cap - rec->own_len < total) {
      if (compact(rec, rec->own_len + total, &release) != MARC_OK)
        return MARC_E_NOMEM;
    } else {
      marc_status s = own_reserve(rec, total);
      if (s != MARC_OK) return s;
      old = rec->own; /* unchanged when no part is inside */
    }
  }
  *off = (uint32_t)rec->own_len;
  for (size_t i = 0; i < nparts; i++) {
    const void *src = is_rel[i] ? old + rel[i] : parts[i];
    if (lens[i]) memcpy(rec->own + rec->own_len, src, lens[i]);
    rec->own_len += lens[i];
  }
  free(release);
  *len = (uint32_t)total;
  return MARC_OK;
}

static int tag_valid(const char *tag) {
  return tag && tag[0] && tag[1] && tag[2];
}

marc_status marc_record_set_leader(marc_record *rec, const char leader[24]) {
  marc_status s = check_owned(rec);
  if (s != MARC_OK) return s;
  if (!leader) return MARC_E_ARG;
  memcpy(rec->leader, leader, 24);
  return MARC_OK;
}

marc_status marc_record_set_leader_byte(marc_record *rec, size_t pos, char c) {
  marc_status s = check_owned(rec);
  if (s != MARC_OK) return s;
  if (pos >= 24) return MARC_E_ARG;
  rec->leader[pos] = c;
  return MARC_OK;
}

static marc_status make_field(marc_record *rec, marc_field *f, const char *tag,
                              char ind1, char ind2, const void *data,
                              size_t len) {
  if (!tag_valid(tag) || (!data && len)) return MARC_E_ARG;
  memcpy(f->tag, tag, 3);
  f->tag[3] = 0;
  f->ind_missing = 0;
  int control = marc_tag_is_control(tag);
  f->ind1 = control ? 0 : (uint8_t)ind1;
  f->ind2 = control ? 0 : (uint8_t)ind2;
  const void *parts[1] = {data};
  size_t lens[1] = {len};
  return store(rec, parts, lens, 1, &f->off, &f->len);
}

marc_status marc_record_insert_field(marc_record *rec, size_t at,
                                     const char *tag, char ind1, char ind2,
                                     const void *data, size_t len) {
  marc_status s = check_owned(rec);
  if (s != MARC_OK) return s;
  if (at > rec->nfields) return MARC_E_ARG;
  if ((s = marc__fields_reserve(rec, 1)) != MARC_OK) return s;
  marc_field f;
  if ((s = make_field(rec, &f, tag, ind1, ind2, data, len)) != MARC_OK)
    return s;
  rec->keep_layout = 0;
  memmove(&rec->fields[at + 1], &rec->fields[at],
          (rec->nfields - at) * sizeof f);
  rec->fields[at] = f;
  rec->nfields++;
  return MARC_OK;
}

marc_status marc_record_append_field(marc_record *rec, const char *tag,
                                     char ind1, char ind2, const void *data,
                                     size_t len) {
  if (!rec) return MARC_E_ARG;
  return marc_record_insert_field(rec, rec->nfields, tag, ind1, ind2, data,
                                  len);
}

marc_status marc_record_append_field_tag3(marc_record *rec, const char tag[3],
                                          char ind1, char ind2,
                                          const void *data, size_t len) {
  if (!tag) return MARC_E_ARG;
  /* Built under the tag with each NUL as '?' (neither is a digit, so a
   * control field stays one), then given its bytes back. */
  char text[4] = {tag[0], tag[1], tag[2], 0};
  for (int k = 0; k < 3; k++)
    if (!text[k]) text[k] = '?';
  marc_status s = marc_record_append_field(rec, text, ind1, ind2, data, len);
  if (s == MARC_OK) memcpy(rec->fields[rec->nfields - 1].tag, tag, 3);
  return s;
}

marc_status marc_record_replace_field(marc_record *rec, size_t at,
                                      const char *tag, char ind1, char ind2,
                                      const void *data, size_t len) {
  marc_status s = check_owned(rec);
  if (s != MARC_OK) return s;
  if (at >= rec->nfields) return MARC_E_ARG;
  marc_field f;
  if ((s = make_field(rec, &f, tag, ind1, ind2, data, len)) != MARC_OK)
    return s;
  forget(rec, &rec->fields[at]);
  rec->fields[at] = f;
  rec->keep_layout = 0;
  return MARC_OK;
}

marc_status marc__record_set_data(marc_record *rec, size_t at, const void *data,
                                  size_t len) {
  marc_status s = check_owned(rec);
  if (s != MARC_OK) return s;
  if (at >= rec->nfields || (!data && len)) return MARC_E_ARG;
  marc_field f = rec->fields[at];
  f.ind_missing = 0;
  const void *parts[1] = {data};
  size_t lens[1] = {len};
  if ((s = store(rec, parts, lens, 1, &f.off, &f.len)) != MARC_OK) return s;
  forget(rec, &rec->fields[at]);
  rec->fields[at] = f;
  rec->keep_layout = 0;
  return MARC_OK;
}

marc_status marc_record_remove_field(marc_record *rec, size_t at) {
  marc_status s = check_owned(rec);
  if (s != MARC_OK) return s;
  if (at >= rec->nfields) return MARC_E_ARG;
  forget(rec, &rec->fields[at]);
  rec->keep_layout = 0;
  memmove(&rec->fields[at], &rec->fields[at + 1],
          (rec->nfields - at - 1) * sizeof(marc_field));
  rec->nfields--;
  return MARC_OK;
}

marc_status marc_record_set_indicators(marc_record *rec, size_t at, char ind1,
                                       char ind2) {
  marc_status s = check_owned(rec);
  if (s != MARC_OK) return s;
  if (at >= rec->nfields || marc_tag_is_control(rec->fields[at].tag))
    return MARC_E_ARG;
  rec->fields[at].ind1 = (uint8_t)ind1;
  rec->fields[at].ind2 = (uint8_t)ind2;
  rec->fields[at].ind_missing = 0; /* set now: written from here on */
  return MARC_OK;
}

/* Byte range [*from, *to) of the pos-th subfield (delimiter included) in
 * data field `f`; pos past the end gives the empty range at the end. */
static void subfield_span(const marc_record *rec, const marc_field *f,
                          size_t pos, size_t *from, size_t *to) {
  marc_subfield_iter it = marc_subfields(rec, f);
  const uint8_t *base = rec->bytes + f->off;
  marc_subfield sf;
  size_t i = 0;
  const uint8_t *start = it.p;
  while (marc_subfield_next(&it, &sf)) {
    if (i++ == pos) {
      *from = (size_t)(start - base);
      *to = (size_t)(it.p - base);
      return;
    }
    start = it.p;
  }
  *from = *to = f->len;
}

/* Rebuild data field `at` as head + [code value] + tail around the span
 * [from, to) of its data. */
static marc_status splice(marc_record *rec, size_t at, size_t from, size_t to,
                          char code, const void *value, size_t len,
                          int insert) {
  marc_field *f = &rec->fields[at];
  const uint8_t *d = rec->bytes + f->off;
  uint8_t mark[2] = {MARC_SD, (uint8_t)code};
  const void *parts[4] = {d, mark, value, d + to};
  size_t lens[4] = {from, insert ? 2u : 0u, insert ? len : 0u, f->len - to};
  marc_field nf = *f;
  marc_status s = store(rec, parts, lens, 4, &nf.off, &nf.len);
  if (s != MARC_OK) return s;
  forget(rec, f);
  rec->fields[at] = nf;
  rec->keep_layout = 0;
  return MARC_OK;
}

static marc_status check_data_field(marc_record *rec, size_t at) {
  marc_status s = check_owned(rec);
  if (s != MARC_OK) return s;
  if (at >= rec->nfields || marc_tag_is_control(rec->fields[at].tag))
    return MARC_E_ARG;
  return MARC_OK;
}

marc_status marc_record_insert_subfield(marc_record *rec, size_t at, size_t pos,
                                        char code, const void *value,
                                        size_t len) {
  marc_status s = check_data_field(rec, at);
  if (s != MARC_OK) return s;
  if (!value && len) return MARC_E_ARG;
  size_t from, to;
  subfield_span(rec, &rec->fields[at], pos, &from, &to);
  return splice(rec, at, from, from, code, value, len, 1);
}

marc_status marc_record_remove_subfield(marc_record *rec, size_t at,
                                        size_t pos) {
  marc_status s = check_data_field(rec, at);
  if (s != MARC_OK) return s;
  size_t from, to;
  subfield_span(rec, &rec->fields[at], pos, &from, &to);
  if (from == to) return MARC_E_ARG;
  return splice(rec, at, from, to, 0, NULL, 0, 0);
}

marc_status marc_record_replace_subfield(marc_record *rec, size_t at,
                                         size_t pos, char code,
                                         const void *value, size_t len) {
  marc_status s = check_data_field(rec, at);
  if (s != MARC_OK) return s;
  if (!value && len) return MARC_E_ARG;
  size_t from, to;
  subfield_span(rec, &rec->fields[at], pos, &from, &to);
  if (from == to) return MARC_E_ARG;
  return splice(rec, at, from, to, code, value, len, 1);
}
