/* One field against its definition: its content (subfields or value,
 * with record types), its indicators, then its repetition. Inline, so the
 * MARC adapter's loop over a record's fields (avram_marc.c) makes no call
 * per field; avram_validate.c gives the test suite av_check_field. */
#ifndef MARC_AVRAM_FIELD_H
#define MARC_AVRAM_FIELD_H

#include "avram_internal.h"
#include "byte_scan.h"
#include "internal.h"

#include <string.h>

#if defined(__GNUC__)
#define MARC__FIELD_INLINE static inline __attribute__((always_inline))
#else
#define MARC__FIELD_INLINE static inline
#endif

/* Value validation with record types: the field's own definition, then
 * the typed definition of each of the record's types, in the record's
 * order. */
static inline void check_typed_value(av_state *st, const av_field *def,
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

/* The structure check of a subfield code (marc_record_validate's), done
 * by the schema's subfield scan so a field is scanned once. */
static inline void structure_code(av_state *st, const uint8_t *code) {
  st->subfields++;
  if (marc__subfield_code_ok(*code)) return;
  int k = marc__check_subfield_code(st->structure, st->mfield, code);
  if (k < 0) st->nomem = st->stop = 1;
  else st->structure_found += k;
}

static inline void check_subfields(av_state *st, const av_field *def,
                                   const av_rec_field *f) {
  /* The field's subfield definitions seen, a bit each (at most 254). */
  uint64_t seen[4] = {0, 0, 0, 0};
  /* No pointer arithmetic on an empty schedule: a schema whose schedules
   * are all empty has no subfield array at all. */
  const av_subfield *subs =
      def->sub_count ? st->s->subfields.v + def->sub_first : NULL;
  const uint8_t *p = f->data, *end = f->data + f->len;
  marc__delims d;
  marc__delims_start(&d, f->readable ? f->readable : p, p, end);
  while (p < end && !st->stop) {
    if (*p != 0x1F) { /* bytes before the first delimiter: not a subfield */
      p = marc__delims_from(&d, p);
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
    /* The validator's hot loop: inline, no call per subfield. */
    const uint8_t *ve = marc__delims_from(&d, val);
    p = ve;
    /* A quiet subfield (defined, not deprecated, nothing to check in its
     * value): only its repetition matters, and the field's bitmaps say
     * that without reading the subfield's definition. */
    if (code[0] < 128) {
      unsigned c = code[0];
      uint64_t cbit = (uint64_t)1 << (c & 63);
      if (def->quiet_codes[c >> 6] & cbit) {
        uint32_t q = def->sub_index[c] - 1u;
        uint64_t qbit = (uint64_t)1 << (q & 63);
        int seen_before = (seen[q >> 6] & qbit) != 0;
        seen[q >> 6] |= qbit;
        if (!seen_before || (def->quiet_repeatable[c >> 6] & cbit)) continue;
      }
    }
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

static inline void check_indicators(av_state *st, const av_field *def,
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
MARC__FIELD_INLINE void av_field_check(av_state *st, const av_rec_field *f,
                                       int marc) {
  if (st->stop || !av_on(st, MARC_AV_INVALID_RECORD)) return;
  const marc_schema *s = st->s;
  const char *t = f->tag;
  uint32_t di;
  /* av_lookup's first case, inline, when the caller has the tag's number
   * (the MARC record loop): a numeric tag in a schema without occurrences
   * or counters. av_lookup reads any other tag, numeric ones too. */
  if (f->number1 && !s->has_ranges && !f->occurrence)
    di = av_first_of_number(s, f->number1 - 1);
  else di = av_lookup(s, f);
  if (di == AV_NONE) {
    /* MARC 21 leaves 9XX and X9X (090, 590, 690...) to local use. */
    int local = marc && (t[0] == '9' || t[1] == '9');
    if (av_on(st, MARC_AV_UNDEFINED_FIELD) &&
        (!local || av_on(st, MARC_AV_LOCAL_FIELD))) {
      av_where w = {.f = f, .offset = f->offset};
      av_report(st, MARC_AV_UNDEFINED_FIELD, &w, NULL, 0, NULL);
    }
    return;
  }
  const av_field *def = &st->s->fields.v[di];
  /* The place of a report or a value check about the field as a whole;
   * most fields need neither. */
#define AV_FIELD_WHERE                                                         \
  { .f = f, .def = def, .label = def->label, .offset = f->offset }
  if (def->deprecated && av_on(st, MARC_AV_DEPRECATED_FIELD)) {
    av_where w = AV_FIELD_WHERE;
    av_report(st, MARC_AV_DEPRECATED_FIELD, &w, NULL, 0, NULL);
    return;
  }
  if (f->variable) {
    if (def->has_subfields && av_on(st, MARC_AV_INVALID_SUBFIELD))
      check_subfields(st, def, f);
  } else if (av_on(st, MARC_AV_INVALID_FIELD_VALUE)) {
    av_where w = AV_FIELD_WHERE;
    check_typed_value(st, def, f, &w);
  }
  /* Both indicators present and codes the definition allows (or says
   * nothing about): the common case, one test. */
  const uint8_t *ok0 = def->ind_ok[0], *ok1 = def->ind_ok[1];
  if (!(ok0 && ok1 && f->has_ind[0] && f->has_ind[1] &&
        av_has_bit(ok0, f->ind[0]) && av_has_bit(ok1, f->ind[1])) &&
      av_on(st, MARC_AV_INVALID_INDICATOR))
    check_indicators(st, def, f);
  if (st->seen[di] && !def->repeatable &&
      av_on(st, MARC_AV_NONREPEATABLE_FIELD)) {
    av_where w = AV_FIELD_WHERE;
    av_report(st, MARC_AV_NONREPEATABLE_FIELD, &w, NULL, 0, NULL);
  }
#undef AV_FIELD_WHERE
  if (st->seen[di] < 255) st->seen[di]++;
}

#endif
