/* Value checks of the Avram validator (avram_validate.c runs them): a
 * value against its pattern, its positions (the leader, 006/007/008 and
 * subfields with fixed positions) and its codelist, and the report of a
 * problem to the caller's callback. */
#include "avram_internal.h"

#include <string.h>

/* Is the one-byte value v[0..n) a defined, not deprecated code of an
 * explicit codelist? The common case, answered without a call: a "no"
 * goes to av_check_codes, which tells what is wrong. */
static inline int plain_code(const marc_schema *s, uint32_t ci,
                             const uint8_t *v, size_t n) {
  const av_codelist *cl = &s->codelists.v[ci];
  if (n != 1 || cl->ref) return 0;
  unsigned b = v[0];
  return (cl->one_byte[b >> 3] >> (b & 7) & 1) &&
         !(cl->one_deprecated[b >> 3] >> (b & 7) & 1);
}

void av_report(av_state *st, marc_schema_rule rule, const av_where *w,
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

void av_check_codes(av_state *st, uint32_t ci, const uint8_t *v, size_t n,
                    const av_where *w) {
  const av_codelist *cl = &st->s->codelists.v[ci];
  int ind = w->indicator != 0;
  /* Indicators are always checked against their codes (invalidIndicator
   * guards them), other values under undefinedCode, as avram-js does. */
  if (!ind && !av_on(st, MARC_AV_UNDEFINED_CODE)) return;
  if (cl->ref) {
    if (av_on(st, MARC_AV_UNDEFINED_CODELIST))
      av_report(st, MARC_AV_UNDEFINED_CODELIST, w, (const uint8_t *)cl->ref,
                strlen(cl->ref), NULL);
    return;
  }
  int k = lookup_code(st->s, cl, v, n);
  if (!k)
    av_report(st, ind ? MARC_AV_INVALID_INDICATOR : MARC_AV_UNDEFINED_CODE, w,
              v, n, NULL);
  else if (k == 2 && av_on(st, MARC_AV_DEPRECATED_CODE))
    av_report(st, MARC_AV_DEPRECATED_CODE, w, v, n, NULL);
}

void av_check_pattern(av_state *st, uint32_t pi, const uint8_t *v, size_t n,
                      const av_where *w) {
  const av_pattern *p = &st->s->patterns.v[pi];
  int m = av_pattern_match(p, v, n);
  if (m < 0) {
    st->nomem = st->stop = 1;
    return;
  }
  if (!m) av_report(st, MARC_AV_PATTERN_MISMATCH, w, v, n, p->source);
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

/* Flags: the slice is a run of codes of the flags' length. */
static void check_flags(av_state *st, uint32_t ci, const uint8_t *v, size_t n,
                        const av_where *w) {
  const av_codelist *cl = &st->s->codelists.v[ci];
  if (cl->ref) {
    if (av_on(st, MARC_AV_UNDEFINED_CODELIST))
      av_report(st, MARC_AV_UNDEFINED_CODELIST, w, (const uint8_t *)cl->ref,
                strlen(cl->ref), NULL);
    return;
  }
  size_t k = cl->flag_len;
  if (!k) return;
  for (size_t i = 0; i + k <= n; i += k)
    if (!lookup_code(st->s, cl, v + i, k)) {
      av_report(st, MARC_AV_INVALID_FLAG, w, v + i, k, NULL);
      return; /* one report per position, as avram-js */
    }
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
  case AV_FAST_ONE: return av_has_bit(p->bits, *a);
  case AV_FAST_EACH:
    for (; a < b; a++)
      if (!av_has_bit(p->bits, *a)) return 0;
    return 1;
  case AV_FAST_PATTERN:
    return av_pattern_match(p->pattern, a, (size_t)(b - a)) == 1;
  default: return 0;
  }
}

static void check_positions(av_state *st, const av_value *def, const uint8_t *v,
                            size_t n, const av_where *w) {
  int ascii = all_ascii(v, n);
  size_t chars = n; /* code points: positions count characters */
  if (!ascii) {
    chars = 0;
    for (size_t i = 0; i < n; i++) chars += (v[i] & 0xC0) != 0x80;
  }
  /* The per-character pass (avram_fixed.c) accepts the one-code
   * positions at once: then only the others are looked at, in order. */
  const uint32_t *only = NULL;
  uint32_t count = def->pos_count;
  if (ascii && def->fixed_width && n >= def->fixed_width &&
      av_fixed_pass(st->s, def, v)) {
    only = st->s->fixed_slow + def->slow_first;
    count = def->slow_count;
  }
  for (uint32_t j = 0; j < count && !st->stop; j++) {
    const av_position *p =
        &st->s->positions.v[only ? only[j] : def->pos_first + j];
    /* Data elements without anything to check are documentation. */
    if (p->fast == AV_FAST_SKIP) continue;
    /* A slice its fast path accepts: the common case (leader, 008). */
    if (ascii && p->fast != AV_FAST_NONE && fast_ok(p, v, n)) continue;
    av_where pw = *w;
    pw.position = p->key;
    pw.label = p->label ? p->label : w->label;
    if (p->start >= chars || p->end >= chars) {
      av_report(st, MARC_AV_INVALID_POSITION, &pw, v, n, NULL);
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
      av_check_value(st, &rest, v + a, b - a, &pw);
      if (av_on(st, MARC_AV_UNDEFINED_CODE))
        for (size_t i = a; i < b && !st->stop; i++)
          if (!lookup_code(st->s, cl, v + i, 1)) {
            pw.offset = w->offset + i;
            av_report(st, MARC_AV_UNDEFINED_CODE, &pw, v + i, 1, NULL);
          }
    } else if (p->v.pattern != AV_NONE || p->v.pos_count ||
               (p->v.codes != AV_NONE &&
                !plain_code(st->s, p->v.codes, v + a, b - a))) {
      av_check_value(st, &p->v, v + a, b - a, &pw);
    }
    if (p->v.flags != AV_NONE && av_on(st, MARC_AV_INVALID_FLAG))
      check_flags(st, p->v.flags, v + a, b - a, &pw);
  }
}

/* Value validation: pattern, positions, codes. */
void av_check_value(av_state *st, const av_value *def, const uint8_t *v,
                    size_t n, const av_where *w) {
  if (def->pattern != AV_NONE && av_on(st, MARC_AV_PATTERN_MISMATCH))
    av_check_pattern(st, def->pattern, v, n, w);
  if (def->pos_count && av_on(st, MARC_AV_INVALID_POSITION))
    check_positions(st, def, v, n, w);
  if (def->codes != AV_NONE && !plain_code(st->s, def->codes, v, n))
    av_check_codes(st, def->codes, v, n, w);
}
