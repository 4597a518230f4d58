/* The Avram validation rules over a generic record (av_rec_field), in the
 * order of the specification and of avram-js, the reference
 * implementation: per field its content (subfields or value, with record
 * types), its indicators, then repetition (avram_field.h); missing fields
 * at the end. The MARC adapter (avram_marc.c) and the test suite feed it
 * fields one at a time, so nothing is allocated per field. */
#include "avram_field.h"
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
     * is the one (MARC schemas). */
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

void av_check_field(av_state *st, const av_rec_field *f, int marc) {
  av_field_check(st, f, marc);
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
