/* The Avram validation rules over a generic record (av_rec_field), in the
 * order of the specification and of avram-js, the reference
 * implementation: per field its content (subfields or value, with record
 * types), its indicators, then repetition; missing fields at the end. The
 * MARC adapter (avram_marc.c) and the test suite feed it fields one at a
 * time, so nothing is allocated per field. */
#include "avram_internal.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define BIT(r) (1u << (r))

uint32_t av_default_rules(const marc_schema *s) {
  uint32_t all = BIT(MARC_AV_RULE_COUNT_) - 1;
  uint32_t off = BIT(MARC_AV_UNDEFINED_CODELIST) | BIT(MARC_AV_LOCAL_FIELD) |
                 BIT(MARC_AV_COUNT_RECORD) | BIT(MARC_AV_COUNT_FIELD) |
                 BIT(MARC_AV_COUNT_SUBFIELD);
  if (s && s->partial) off |= BIT(MARC_AV_UNDEFINED_FIELD);
  return all & ~off;
}

uint32_t av_rules(const marc_schema *s, const marc_schema_options *opt) {
  uint32_t r = av_default_rules(s);
  if (opt) r = (r | opt->enable) & ~opt->disable;
  return r;
}

/* Value validation with record types: the field's own definition, then
 * the typed definition of each of the record's types, in the record's
 * order. */
static void check_typed_value(av_state *st, const av_field *def,
                              const av_rec_field *f, const av_where *w) {
  av_check_value(st, &def->v, f->data, f->len, w);
  if (!def->typed_count || !av_on(st, MARC_AV_RECORD_TYPES)) return;
  for (size_t t = 0; t < f->ntypes && !st->stop; t++)
    for (uint32_t k = 0; k < def->typed_count; k++) {
      const av_typed *ty = &st->s->typed.v[def->typed_first + k];
      if (ty->type[0] != f->types[t][0] || strcmp(ty->type, f->types[t]))
        continue;
      av_where tw = *w;
      tw.type = ty->type;
      av_check_value(st, &ty->v, f->data, f->len, &tw);
      break;
    }
}

uint32_t av_find_subfield(const marc_schema *s, const av_field *def,
                          const uint8_t *code, size_t clen) {
  if (clen == 1 && code[0] < 128) {
    uint8_t k = def->sub_index[code[0]];
    return k ? def->sub_first + k - 1 : AV_NONE;
  }
  for (uint32_t k = 0; k < def->sub_count; k++) {
    const av_subfield *sf = &s->subfields.v[def->sub_first + k];
    if (strlen(sf->code) == clen && !memcmp(sf->code, code, clen))
      return def->sub_first + k;
  }
  return AV_NONE;
}

/* The structure check of a subfield code (marc_record_validate's), done
 * by the schema's subfield scan so a field is scanned once. */
static inline void structure_code(av_state *st, const uint8_t *code) {
  st->subfields++;
  if (marc__subfield_code_ok(*code)) return;
  int k = marc__check_subfield_code(st->structure, st->mfield, code);
  if (k < 0) st->nomem = st->stop = 1;
  else st->structure_found += k;
}

static void check_subfields(av_state *st, const av_field *def,
                            const av_rec_field *f) {
  /* The field's subfield definitions seen, a bit each (at most 254). */
  uint64_t seen[4] = {0, 0, 0, 0};
  const av_subfield *subs = st->s->subfields.v + def->sub_first;
  const uint8_t *p = f->data, *end = f->data + f->len;
  while (p < end && !st->stop) {
    if (*p != 0x1F) { /* bytes before the first delimiter: not a subfield */
      p = memchr(p, 0x1F, (size_t)(end - p));
      if (!p) p = end;
      continue;
    }
    const uint8_t *code = p + 1;
    if (code == end) break; /* a lone trailing delimiter */
    /* A code is one character: an ASCII byte, or a UTF-8 lead byte and
     * its continuations. An ASCII code is never longer, whatever follows
     * (MARC-8 text after "$b" can start with a byte such as 0xB0, ayn). */
    size_t clen = 1;
    if (code[0] >= 0xC0)
      while (code + clen < end && (code[clen] & 0xC0) == 0x80) clen++;
    if (st->structure) structure_code(st, code);
    const uint8_t *val = code + clen;
    /* memchr: values are long, this scan is the validator's hot loop. */
    const uint8_t *ve = memchr(val, 0x1F, (size_t)(end - val));
    if (!ve) ve = end;
    p = ve;
    /* The definition's index among the field's subfields. */
    uint32_t k = AV_NONE;
    if (code[0] < 128) {
      if (def->sub_index[code[0]]) k = def->sub_index[code[0]] - 1u;
    } else if ((k = av_find_subfield(st->s, def, code, clen)) != AV_NONE) {
      k -= def->sub_first;
    }
    const av_subfield *sf = k == AV_NONE ? NULL : &subs[k];
    uint64_t bit = (uint64_t)1 << (k & 63);
    int was = sf && (seen[k >> 6] & bit);
    /* Defined, not deprecated, nothing to check in its value, and not a
     * repeat of a non-repeatable one: the common case, done. */
    if (sf && sf->quiet) {
      seen[k >> 6] |= bit;
      if (!was || sf->repeatable) continue;
    }
    /* A deprecated subfield reported is not counted or checked further. */
    int dep = sf && sf->deprecated && av_on(st, MARC_AV_DEPRECATED_SUBFIELD);
    int repeated = sf && !dep && was && !sf->repeatable;
    int checks = sf && !dep && av_has_checks(&sf->v) &&
                 av_on(st, MARC_AV_INVALID_SUBFIELD_VALUE);
    if (sf && !dep) seen[k >> 6] |= bit;
    if (sf && !dep && !repeated && !checks) continue;
    av_where w = {.f = f,
                  .def = def,
                  .code = (char)code[0],
                  .label = sf && sf->label ? sf->label : def->label,
                  .offset = f->offset + (uint64_t)(code - 1 - f->data)};
    if (!sf) {
      if (av_on(st, MARC_AV_UNDEFINED_SUBFIELD))
        av_report(st, MARC_AV_UNDEFINED_SUBFIELD, &w, NULL, 0, NULL);
      continue;
    }
    if (dep) {
      av_report(st, MARC_AV_DEPRECATED_SUBFIELD, &w, NULL, 0, NULL);
      continue;
    }
    if (repeated && av_on(st, MARC_AV_NONREPEATABLE_SUBFIELD))
      av_report(st, MARC_AV_NONREPEATABLE_SUBFIELD, &w, NULL, 0, NULL);
    if (checks) {
      w.offset += 1 + clen;
      av_check_value(st, &sf->v, val, (size_t)(ve - val), &w);
    }
  }
  st->scan_end = p;
  if (!def->has_required || !av_on(st, MARC_AV_MISSING_SUBFIELD)) return;
  for (uint32_t k = 0; k < def->sub_count && !st->stop; k++) {
    const av_subfield *sf = &subs[k];
    if (!sf->required || (seen[k >> 6] >> (k & 63) & 1)) continue;
    av_where w = {.f = f,
                  .def = def,
                  .code = sf->code[0],
                  .label = sf->label ? sf->label : def->label,
                  .offset = f->offset};
    av_report(st, MARC_AV_MISSING_SUBFIELD, &w, NULL, 0, NULL);
  }
}

static void check_indicators(av_state *st, const av_field *def,
                             const av_rec_field *f) {
  for (int i = 0; i < 2 && !st->stop; i++) {
    const av_indicator *ind = &def->ind[i];
    /* A defined code and no pattern: the common case, done. */
    if (!ind->defined ||
        (ind->plain && f->has_ind[i] && av_has_bit(ind->plain, f->ind[i])))
      continue;
    av_where w = {.f = f,
                  .def = def,
                  .indicator = (uint8_t)(i + 1),
                  .label = ind->label ? ind->label : def->label,
                  .offset = f->ind_offset + (uint64_t)i};
    /* A definition without the indicator says nothing about it (partial
     * schemas leave indicators out); a defined indicator must be there. */
    if (!ind->defined) continue;
    if (!f->has_ind[i]) {
      av_report(st, MARC_AV_INVALID_INDICATOR, &w, NULL, 0, NULL);
      continue;
    }
    if (ind->v.codes != AV_NONE)
      av_check_codes(st, ind->v.codes, &f->ind[i], 1, &w);
    if (ind->v.pattern != AV_NONE)
      av_check_pattern(st, ind->v.pattern, &f->ind[i], 1, &w);
  }
}

static int range_match(const av_range *r, const char *s, size_t n) {
  if (n != r->digits) return 0;
  uint32_t v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return 0;
    v = v * 10 + (uint32_t)(s[i] - '0');
  }
  return v >= r->from && v <= r->to;
}

/* Does definition `d` match the field (tag already equal)? */
static int id_match(const av_field *d, const av_rec_field *f) {
  const char *occ = f->occurrence;
  int has_occ = occ && !(occ[0] == '0' && occ[1] == '0' && !occ[2]);
  if (d->occurrence.digits)
    return range_match(&d->occurrence, has_occ ? occ : "00",
                       has_occ ? strlen(occ) : 2);
  if (d->counter.digits) {
    /* The first subfield x's value. */
    const uint8_t *p = f->data, *end = f->data + f->len;
    if (!f->variable) return 0;
    for (; p + 1 < end; p++)
      if (p[0] == 0x1F && p[1] == 'x') {
        const uint8_t *v = p + 2, *e = v;
        while (e < end && *e != 0x1F) e++;
        return range_match(&d->counter, (const char *)v, (size_t)(e - v));
      }
    return 0;
  }
  return !has_occ;
}

uint32_t av_lookup(const marc_schema *s, const av_rec_field *f) {
  const char *t = f->tag;
  uint32_t lo = 0, hi = s->fields.n;
  if (f->tag_len == 3 && t[0] >= '0' && t[0] <= '9' && t[1] >= '0' &&
      t[1] <= '9' && t[2] >= '0' && t[2] <= '9') {
    uint32_t k =
        s->by_number[(t[0] - '0') * 100 + (t[1] - '0') * 10 + (t[2] - '0')];
    if (!k) return AV_NONE;
    /* Without occurrences or counters, the first definition of the tag
     * is the one (MARC schemas: the hot path). */
    if (!s->has_ranges && !f->occurrence) return s->by_tag[k - 1];
    lo = k - 1;
  } else if (f->tag_len == 3 && !memcmp(t, "LDR", 3)) {
    if (!s->ldr) return AV_NONE;
    lo = s->ldr - 1;
  } else {
    while (lo < hi) { /* first definition with a tag >= t */
      uint32_t mid = (lo + hi) / 2;
      const av_field *d = &s->fields.v[s->by_tag[mid]];
      size_t m = d->tag_len < f->tag_len ? d->tag_len : f->tag_len;
      int c = memcmp(d->tag, t, m);
      if (!c) c = d->tag_len < f->tag_len ? -1 : d->tag_len > f->tag_len;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
  }
  for (uint32_t k = lo; k < s->fields.n; k++) {
    const av_field *d = &s->fields.v[s->by_tag[k]];
    if (d->tag_len != f->tag_len || memcmp(d->tag, t, f->tag_len)) break;
    if (id_match(d, f)) return s->by_tag[k];
  }
  return AV_NONE;
}

int av_begin(av_state *st, const marc_schema *s, uint32_t rules,
             marc_schema_callback cb, void *ctx) {
  st->s = s;
  st->rules = rules;
  st->cb = cb;
  st->ctx = ctx;
  st->problems = 0;
  st->stop = st->nomem = 0;
  st->structure = NULL;
  st->mfield = NULL;
  st->subfields = 0;
  st->scan_end = NULL;
  st->structure_found = 0;
  if (s->fields.n <= sizeof st->seen_small) {
    st->seen = st->seen_small;
    memset(st->seen, 0, s->fields.n);
  } else if (!(st->seen = calloc(s->fields.n, 1))) {
    return -1;
  }
  return 0;
}

void av_check_field(av_state *st, const av_rec_field *f, int local) {
  if (st->stop || !av_on(st, MARC_AV_INVALID_RECORD)) return;
  const marc_schema *s = st->s;
  const char *t = f->tag;
  uint32_t di;
  /* av_lookup's first case, inline: a numeric tag in a schema without
   * occurrences or counters (MARC schemas). */
  if (f->tag_len == 3 && !s->has_ranges && !f->occurrence &&
      (unsigned)(t[0] - '0') < 10 && (unsigned)(t[1] - '0') < 10 &&
      (unsigned)(t[2] - '0') < 10) {
    uint32_t k =
        s->by_number[(t[0] - '0') * 100 + (t[1] - '0') * 10 + (t[2] - '0')];
    di = k ? s->by_tag[k - 1] : AV_NONE;
  } else {
    di = av_lookup(s, f);
  }
  if (di == AV_NONE) {
    if (av_on(st, MARC_AV_UNDEFINED_FIELD) &&
        (!local || av_on(st, MARC_AV_LOCAL_FIELD))) {
      av_where w = {.f = f, .offset = f->offset};
      av_report(st, MARC_AV_UNDEFINED_FIELD, &w, NULL, 0, NULL);
    }
    return;
  }
  const av_field *def = &st->s->fields.v[di];
  /* Built where a report or a value check needs it: most fields need
   * neither. */
  av_where w = {.f = f, .def = def, .label = def->label, .offset = f->offset};
  if (def->deprecated && av_on(st, MARC_AV_DEPRECATED_FIELD)) {
    av_report(st, MARC_AV_DEPRECATED_FIELD, &w, NULL, 0, NULL);
    return;
  }
  if (f->variable) {
    if (def->has_subfields && av_on(st, MARC_AV_INVALID_SUBFIELD))
      check_subfields(st, def, f);
  } else if (av_on(st, MARC_AV_INVALID_FIELD_VALUE)) {
    check_typed_value(st, def, f, &w);
  }
  if (av_on(st, MARC_AV_INVALID_INDICATOR)) check_indicators(st, def, f);
  if (st->seen[di] && !def->repeatable &&
      av_on(st, MARC_AV_NONREPEATABLE_FIELD))
    av_report(st, MARC_AV_NONREPEATABLE_FIELD, &w, NULL, 0, NULL);
  if (st->seen[di] < 255) st->seen[di]++;
}

int64_t av_end(av_state *st) {
  if (av_on(st, MARC_AV_INVALID_RECORD) && av_on(st, MARC_AV_MISSING_FIELD))
    for (uint32_t r = 0; r < st->s->nrequired && !st->stop; r++) {
      uint32_t k = st->s->required[r];
      const av_field *def = &st->s->fields.v[k];
      if (st->seen[k]) continue;
      av_where w = {
          .def = def, .label = def->label, .offset = st->record_offset};
      av_report(st, MARC_AV_MISSING_FIELD, &w, NULL, 0, NULL);
    }
  if (st->seen != st->seen_small) free(st->seen);
  st->seen = NULL;
  return st->nomem ? -1 : st->problems;
}
