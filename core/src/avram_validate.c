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

static int on(const av_state *st, marc_schema_rule r) {
  return st->rules >> r & 1;
}

/* Where a problem is: the parts every report of one field shares. */
typedef struct where {
  const av_rec_field *f;
  const av_field *def; /* NULL for undefined fields */
  char code;
  uint8_t indicator;
  const char *position;
  const char *label;
  const char *type; /* the typed definition's record type, or NULL */
  uint64_t offset;
} where;

static void report(av_state *st, marc_schema_rule rule, const where *w,
                   const uint8_t *value, size_t len, const char *pattern) {
  if (st->stop) return;
  st->problems++;
  if (!st->cb) return;
  marc_schema_problem p = {.rule = rule,
                           .record = st->record,
                           .offset = w->offset,
                           .code = w->code,
                           .indicator = w->indicator,
                           .position = w->position,
                           .value = value,
                           .value_len = len,
                           .pattern = pattern,
                           .id = w->def ? w->def->id : NULL,
                           .label = w->label,
                           .type = w->type};
  if (w->f) {
    size_t n =
        w->f->tag_len < sizeof p.tag - 1 ? w->f->tag_len : sizeof p.tag - 1;
    memcpy(p.tag, w->f->tag, n);
  } else if (w->def) {
    size_t n =
        w->def->tag_len < sizeof p.tag - 1 ? w->def->tag_len : sizeof p.tag - 1;
    memcpy(p.tag, w->def->tag, n);
  }
  if (st->cb(st->ctx, &p)) st->stop = 1;
}

/* Binary search of an explicit codelist. */
static const av_code *find_code(const marc_schema *s, const av_codelist *cl,
                                const uint8_t *v, size_t n) {
  size_t lo = 0, hi = cl->count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const av_code *c = &s->codes.v[cl->first + mid];
    size_t m = c->len < n ? c->len : n;
    int d = m ? memcmp(c->code, v, m) : 0;
    if (!d) d = c->len < n ? -1 : c->len > n ? 1 : 0;
    if (!d) return c;
    if (d < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

/* 0 undefined, 1 defined, 2 defined but deprecated. */
static int lookup_code(const marc_schema *s, const av_codelist *cl,
                       const uint8_t *v, size_t n) {
  if (n == 1) {
    unsigned b = v[0];
    if (!(cl->one_byte[b >> 3] >> (b & 7) & 1)) return 0;
    return cl->one_deprecated[b >> 3] >> (b & 7) & 1 ? 2 : 1;
  }
  const av_code *c = find_code(s, cl, v, n);
  return c ? (c->deprecated ? 2 : 1) : 0;
}

/* Is the one-byte value v[0..n) a defined, not deprecated code of an
 * explicit codelist? The common case, answered without a call: a "no"
 * goes to check_codes, which tells what is wrong. */
static inline int plain_code(const marc_schema *s, uint32_t ci,
                             const uint8_t *v, size_t n) {
  const av_codelist *cl = &s->codelists.v[ci];
  if (n != 1 || cl->ref) return 0;
  unsigned b = v[0];
  return (cl->one_byte[b >> 3] >> (b & 7) & 1) &&
         !(cl->one_deprecated[b >> 3] >> (b & 7) & 1);
}

/* Does a value definition check anything? */
static inline int has_checks(const av_value *def) {
  return def->pattern != AV_NONE || def->pos_count || def->codes != AV_NONE;
}

static void check_codes(av_state *st, uint32_t ci, const uint8_t *v, size_t n,
                        const where *w) {
  const av_codelist *cl = &st->s->codelists.v[ci];
  int ind = w->indicator != 0;
  /* Indicators are always checked against their codes (invalidIndicator
   * guards them), other values under undefinedCode, as avram-js does. */
  if (!ind && !on(st, MARC_AV_UNDEFINED_CODE)) return;
  if (cl->ref) {
    if (on(st, MARC_AV_UNDEFINED_CODELIST))
      report(st, MARC_AV_UNDEFINED_CODELIST, w, (const uint8_t *)cl->ref,
             strlen(cl->ref), NULL);
    return;
  }
  int k = lookup_code(st->s, cl, v, n);
  if (!k)
    report(st, ind ? MARC_AV_INVALID_INDICATOR : MARC_AV_UNDEFINED_CODE, w, v,
           n, NULL);
  else if (k == 2 && on(st, MARC_AV_DEPRECATED_CODE))
    report(st, MARC_AV_DEPRECATED_CODE, w, v, n, NULL);
}

static void check_pattern(av_state *st, uint32_t pi, const uint8_t *v, size_t n,
                          const where *w) {
  const av_pattern *p = &st->s->patterns.v[pi];
  int m = av_pattern_match(p, v, n);
  if (m < 0) {
    st->nomem = st->stop = 1;
    return;
  }
  if (!m) report(st, MARC_AV_PATTERN_MISMATCH, w, v, n, p->source);
}

/* Byte offset of the code point `cp` of v, or n when past the end. */
static size_t cp_offset(const uint8_t *v, size_t n, size_t cp, int ascii) {
  if (ascii) return cp < n ? cp : n;
  size_t i = 0;
  while (i < n && cp) {
    i++;
    while (i < n && (v[i] & 0xC0) == 0x80) i++;
    cp--;
  }
  return i;
}

static void check_value(av_state *st, const av_value *def, const uint8_t *v,
                        size_t n, const where *w);

/* Flags: the slice is a run of codes of the flags' length. */
static void check_flags(av_state *st, uint32_t ci, const uint8_t *v, size_t n,
                        const where *w) {
  const av_codelist *cl = &st->s->codelists.v[ci];
  if (cl->ref) {
    if (on(st, MARC_AV_UNDEFINED_CODELIST))
      report(st, MARC_AV_UNDEFINED_CODELIST, w, (const uint8_t *)cl->ref,
             strlen(cl->ref), NULL);
    return;
  }
  size_t k = cl->flag_len;
  if (!k) return;
  for (size_t i = 0; i + k <= n; i += k)
    if (!lookup_code(st->s, cl, v + i, k)) {
      report(st, MARC_AV_INVALID_FLAG, w, v + i, k, NULL);
      return; /* one report per position, as avram-js */
    }
}

static int has_bit(const uint8_t *bits, uint8_t c) {
  return bits[c >> 3] >> (c & 7) & 1;
}

/* No byte of v[0..n) is 0x80 or above: eight at a time. */
static int all_ascii(const uint8_t *v, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    memcpy(&x, v + i, 8);
    if (x & 0x8080808080808080u) return 0;
  }
  for (; i < n; i++)
    if (v[i] >= 0x80) return 0;
  return 1;
}

/* Is the position's slice of an ASCII value v[0..n) accepted by its fast
 * path (av_finish), so the general checks would report nothing? */
static int fast_ok(const av_position *p, const uint8_t *v, size_t n) {
  if (p->end >= n) return 0;
  const uint8_t *a = v + p->start, *b = v + p->end + 1;
  switch (p->fast) {
  case AV_FAST_ONE: return has_bit(p->bits, *a);
  case AV_FAST_EACH:
    for (; a < b; a++)
      if (!has_bit(p->bits, *a)) return 0;
    return 1;
  case AV_FAST_PATTERN:
    return av_pattern_match(p->pattern, a, (size_t)(b - a)) == 1;
  default: return 0;
  }
}

static void check_positions(av_state *st, const av_value *def, const uint8_t *v,
                            size_t n, const where *w) {
  int ascii = all_ascii(v, n);
  size_t chars = n; /* code points: positions count characters */
  if (!ascii) {
    chars = 0;
    for (size_t i = 0; i < n; i++) chars += (v[i] & 0xC0) != 0x80;
  }
  for (uint32_t k = 0; k < def->pos_count && !st->stop; k++) {
    const av_position *p = &st->s->positions.v[def->pos_first + k];
    /* Data elements without anything to check are documentation. */
    if (p->fast == AV_FAST_SKIP) continue;
    /* A slice its fast path accepts: the common case (leader, 008). */
    if (ascii && p->fast != AV_FAST_NONE && fast_ok(p, v, n)) continue;
    where pw = *w;
    pw.position = p->key;
    pw.label = p->label ? p->label : w->label;
    if (p->start >= chars || p->end >= chars) {
      report(st, MARC_AV_INVALID_POSITION, &pw, v, n, NULL);
      continue;
    }
    size_t a = cp_offset(v, n, p->start, ascii);
    size_t b = cp_offset(v, n, (size_t)p->end + 1, ascii);
    pw.offset = w->offset + a;
    const av_codelist *cl =
        p->v.codes != AV_NONE ? &st->s->codelists.v[p->v.codes] : NULL;
    if (cl && !cl->ref && cl->has_one && b - a > 1 &&
        !lookup_code(st->s, cl, v + a, b - a)) {
      /* One-character codes in a longer position: MARC 21's multi-code
       * positions (008/18-21 illustrations, 24-27 nature of contents,
       * maps' 33-34), which the bibliographic schema gives as codes (with
       * the fill "||" as a whole), not flags. Unless the whole slice is a
       * code, each of its characters must be one. */
      av_value rest = p->v;
      rest.codes = AV_NONE;
      check_value(st, &rest, v + a, b - a, &pw);
      if (on(st, MARC_AV_UNDEFINED_CODE))
        for (size_t i = a; i < b && !st->stop; i++)
          if (!lookup_code(st->s, cl, v + i, 1)) {
            pw.offset = w->offset + i;
            report(st, MARC_AV_UNDEFINED_CODE, &pw, v + i, 1, NULL);
          }
    } else if (p->v.pattern != AV_NONE || p->v.pos_count ||
               (p->v.codes != AV_NONE &&
                !plain_code(st->s, p->v.codes, v + a, b - a))) {
      check_value(st, &p->v, v + a, b - a, &pw);
    }
    if (p->v.flags != AV_NONE && on(st, MARC_AV_INVALID_FLAG))
      check_flags(st, p->v.flags, v + a, b - a, &pw);
  }
}

/* Value validation: pattern, positions, codes. */
static void check_value(av_state *st, const av_value *def, const uint8_t *v,
                        size_t n, const where *w) {
  if (def->pattern != AV_NONE && on(st, MARC_AV_PATTERN_MISMATCH))
    check_pattern(st, def->pattern, v, n, w);
  if (def->pos_count && on(st, MARC_AV_INVALID_POSITION))
    check_positions(st, def, v, n, w);
  if (def->codes != AV_NONE && !plain_code(st->s, def->codes, v, n))
    check_codes(st, def->codes, v, n, w);
}

/* Value validation with record types: the field's own definition, then
 * the typed definition of each of the record's types, in the record's
 * order. */
static void check_typed_value(av_state *st, const av_field *def,
                              const av_rec_field *f, const where *w) {
  check_value(st, &def->v, f->data, f->len, w);
  if (!def->typed_count || !on(st, MARC_AV_RECORD_TYPES)) return;
  for (size_t t = 0; t < f->ntypes && !st->stop; t++)
    for (uint32_t k = 0; k < def->typed_count; k++) {
      const av_typed *ty = &st->s->typed.v[def->typed_first + k];
      if (ty->type[0] != f->types[t][0] || strcmp(ty->type, f->types[t]))
        continue;
      where tw = *w;
      tw.type = ty->type;
      check_value(st, &ty->v, f->data, f->len, &tw);
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
    int dep = sf && sf->deprecated && on(st, MARC_AV_DEPRECATED_SUBFIELD);
    int repeated = sf && !dep && was && !sf->repeatable;
    int checks = sf && !dep && has_checks(&sf->v) &&
                 on(st, MARC_AV_INVALID_SUBFIELD_VALUE);
    if (sf && !dep) seen[k >> 6] |= bit;
    if (sf && !dep && !repeated && !checks) continue;
    where w = {.f = f,
               .def = def,
               .code = (char)code[0],
               .label = sf && sf->label ? sf->label : def->label,
               .offset = f->offset + (uint64_t)(code - 1 - f->data)};
    if (!sf) {
      if (on(st, MARC_AV_UNDEFINED_SUBFIELD))
        report(st, MARC_AV_UNDEFINED_SUBFIELD, &w, NULL, 0, NULL);
      continue;
    }
    if (dep) {
      report(st, MARC_AV_DEPRECATED_SUBFIELD, &w, NULL, 0, NULL);
      continue;
    }
    if (repeated && on(st, MARC_AV_NONREPEATABLE_SUBFIELD))
      report(st, MARC_AV_NONREPEATABLE_SUBFIELD, &w, NULL, 0, NULL);
    if (checks) {
      w.offset += 1 + clen;
      check_value(st, &sf->v, val, (size_t)(ve - val), &w);
    }
  }
  st->scan_end = p;
  if (!def->has_required || !on(st, MARC_AV_MISSING_SUBFIELD)) return;
  for (uint32_t k = 0; k < def->sub_count && !st->stop; k++) {
    const av_subfield *sf = &subs[k];
    if (!sf->required || (seen[k >> 6] >> (k & 63) & 1)) continue;
    where w = {.f = f,
               .def = def,
               .code = sf->code[0],
               .label = sf->label ? sf->label : def->label,
               .offset = f->offset};
    report(st, MARC_AV_MISSING_SUBFIELD, &w, NULL, 0, NULL);
  }
}

static void check_indicators(av_state *st, const av_field *def,
                             const av_rec_field *f) {
  for (int i = 0; i < 2 && !st->stop; i++) {
    const av_indicator *ind = &def->ind[i];
    /* A defined code and no pattern: the common case, done. */
    if (!ind->defined ||
        (ind->plain && f->has_ind[i] && has_bit(ind->plain, f->ind[i])))
      continue;
    where w = {.f = f,
               .def = def,
               .indicator = (uint8_t)(i + 1),
               .label = ind->label ? ind->label : def->label,
               .offset = f->ind_offset + (uint64_t)i};
    /* A definition without the indicator says nothing about it (partial
     * schemas leave indicators out); a defined indicator must be there. */
    if (!ind->defined) continue;
    if (!f->has_ind[i]) {
      report(st, MARC_AV_INVALID_INDICATOR, &w, NULL, 0, NULL);
      continue;
    }
    if (ind->v.codes != AV_NONE)
      check_codes(st, ind->v.codes, &f->ind[i], 1, &w);
    if (ind->v.pattern != AV_NONE)
      check_pattern(st, ind->v.pattern, &f->ind[i], 1, &w);
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
  if (st->stop || !on(st, MARC_AV_INVALID_RECORD)) return;
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
    if (on(st, MARC_AV_UNDEFINED_FIELD) &&
        (!local || on(st, MARC_AV_LOCAL_FIELD))) {
      where w = {.f = f, .offset = f->offset};
      report(st, MARC_AV_UNDEFINED_FIELD, &w, NULL, 0, NULL);
    }
    return;
  }
  const av_field *def = &st->s->fields.v[di];
  /* Built where a report or a value check needs it: most fields need
   * neither. */
  where w = {.f = f, .def = def, .label = def->label, .offset = f->offset};
  if (def->deprecated && on(st, MARC_AV_DEPRECATED_FIELD)) {
    report(st, MARC_AV_DEPRECATED_FIELD, &w, NULL, 0, NULL);
    return;
  }
  if (f->variable) {
    if (def->has_subfields && on(st, MARC_AV_INVALID_SUBFIELD))
      check_subfields(st, def, f);
  } else if (on(st, MARC_AV_INVALID_FIELD_VALUE)) {
    check_typed_value(st, def, f, &w);
  }
  if (on(st, MARC_AV_INVALID_INDICATOR)) check_indicators(st, def, f);
  if (st->seen[di] && !def->repeatable && on(st, MARC_AV_NONREPEATABLE_FIELD))
    report(st, MARC_AV_NONREPEATABLE_FIELD, &w, NULL, 0, NULL);
  if (st->seen[di] < 255) st->seen[di]++;
}

int64_t av_end(av_state *st) {
  if (on(st, MARC_AV_INVALID_RECORD) && on(st, MARC_AV_MISSING_FIELD))
    for (uint32_t r = 0; r < st->s->nrequired && !st->stop; r++) {
      uint32_t k = st->s->required[r];
      const av_field *def = &st->s->fields.v[k];
      if (st->seen[k]) continue;
      where w = {.def = def, .label = def->label, .offset = st->record_offset};
      report(st, MARC_AV_MISSING_FIELD, &w, NULL, 0, NULL);
    }
  if (st->seen != st->seen_small) free(st->seen);
  st->seen = NULL;
  return st->nomem ? -1 : st->problems;
}
