/* Fixed-length values (the leader, 006, 007, 008) checked a character at a
 * time. Most of their positions accept one code per character (AV_FAST_ONE
 * and AV_FAST_EACH); checked one position after another, each costs a
 * load of its definition and a branch on its kind. Compiled once into an
 * ASCII set per character those positions cover, a value is accepted by
 * one branch-free pass over those characters, then only its other
 * positions (patterns, general checks) are looked at one by one. A value the
 * pass rejects goes through every position in order, so what is reported, and
 * its order, is unchanged. */
#include "avram_internal.h"

#include <stdlib.h>
#include <string.h>

static int per_char(const av_position *p) {
  return p->fast == AV_FAST_ONE || p->fast == AV_FAST_EACH;
}

/* The width the value's per-character pass needs (its one-code positions'
 * last character + 1), 0 for no pass (no one-code position, or two of
 * them share a character); how many characters it checks, and how many
 * positions are left to check one by one. */
static uint32_t plan(const marc_schema *s, const av_value *v, uint32_t *nchars,
                     uint32_t *nslow) {
  uint32_t width = 0, n = 0;
  for (uint32_t k = 0; k < v->pos_count; k++) {
    const av_position *p = &s->positions.v[v->pos_first + k];
    if (per_char(p) && p->end + 1 > width) width = p->end + 1;
    n += !per_char(p) && p->fast != AV_FAST_SKIP;
  }
  /* A 40-character 008 is the longest MARC 21 has; a wider value is a
   * schema's own, checked position by position. */
  if (!width || width > 256) return 0;
  uint8_t covered[256] = {0};
  uint32_t chars = 0;
  for (uint32_t k = 0; k < v->pos_count; k++) {
    const av_position *p = &s->positions.v[v->pos_first + k];
    if (per_char(p))
      for (uint32_t c = p->start; c <= p->end; c++, chars++)
        if (covered[c]++) return 0;
  }
  *nchars = chars;
  *nslow = n;
  return width;
}

/* Fill the value's characters (ASCII sets from the positions' bitmaps)
 * and its slow positions. */
static void fill(const marc_schema *s, const av_value *v, av_fixed_char *out,
                 uint32_t *slow) {
  for (uint32_t k = 0; k < v->pos_count; k++) {
    const av_position *p = &s->positions.v[v->pos_first + k];
    if (!per_char(p)) {
      if (p->fast != AV_FAST_SKIP) *slow++ = v->pos_first + k;
      continue;
    }
    for (uint32_t c = p->start; c <= p->end; c++, out++) {
      out->at = c;
      out->ok[0] = out->ok[1] = 0;
      for (unsigned b = 0; b < 128; b++)
        if (av_has_bit(p->bits, (uint8_t)b))
          out->ok[b >> 6] |= (uint64_t)1 << (b & 63);
    }
  }
}

/* Every value that can have positions. */
static av_value *value_at(marc_schema *s, size_t i) {
  if (i < s->fields.n) return &s->fields.v[i].v;
  i -= s->fields.n;
  if (i < s->typed.n) return &s->typed.v[i].v;
  i -= s->typed.n;
  if (i < s->subfields.n) return &s->subfields.v[i].v;
  i -= s->subfields.n;
  return i < s->positions.n ? &s->positions.v[i].v : NULL;
}

int av_fixed_compile(marc_schema *s) {
  /* First the room every pass and slow list needs, then one allocation
   * each (the arrays never move afterwards). */
  size_t nchars = 0, nslow = 0;
  av_value *v;
  for (size_t i = 0; (v = value_at(s, i)) != NULL; i++) {
    uint32_t c = 0, k = 0;
    if (v->pos_count && plan(s, v, &c, &k)) {
      nchars += c;
      nslow += k;
    }
  }
  s->fixed_chars = malloc((nchars + 1) * sizeof *s->fixed_chars);
  s->fixed_slow = malloc((nslow + 1) * sizeof *s->fixed_slow);
  if (!s->fixed_chars || !s->fixed_slow) return -1;
  uint32_t at_char = 0, at_slow = 0;
  for (size_t i = 0; (v = value_at(s, i)) != NULL; i++) {
    uint32_t c = 0, k = 0, w = v->pos_count ? plan(s, v, &c, &k) : 0;
    v->fixed_width = w;
    if (!w) continue;
    fill(s, v, s->fixed_chars + at_char, s->fixed_slow + at_slow);
    v->fixed_first = at_char;
    v->fixed_count = c;
    v->slow_first = at_slow;
    v->slow_count = k;
    at_char += c;
    at_slow += k;
  }
  return 0;
}

int av_fixed_pass(const marc_schema *s, const av_value *v,
                  const uint8_t *text) {
  const av_fixed_char *c = s->fixed_chars + v->fixed_first;
  uint64_t ok = 1;
  for (uint32_t i = 0; i < v->fixed_count; i++) {
    uint8_t b = text[c[i].at]; /* ASCII: the caller checked */
    ok &= c[i].ok[b >> 6] >> (b & 63);
  }
  return (int)(ok & 1);
}
