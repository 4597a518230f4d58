/* The counting rules of Avram (countRecord, countField, countSubfield):
 * how many records there are, and how many fields and subfields the
 * schema defines occur in all and in how many records, compared with the
 * schema's "records" and "total" keys. Counting looks at a set of
 * records, so it has its own object, fed one record at a time. */
#include "avram_internal.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Per definition: occurrences, records with it, and the record (+1) it
 * was last counted in, so a record counts once. */
typedef struct av_tally {
  uint64_t total, records, last;
} av_tally;

struct marc_schema_counter {
  const marc_schema *s;
  uint64_t records;
  av_tally *fields;    /* per field definition */
  av_tally *subfields; /* per subfield definition */
};

marc_schema_counter *marc_schema_counter_new(const marc_schema *s) {
  if (!s) return NULL;
  marc_schema_counter *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->s = s;
  c->fields = calloc((size_t)s->fields.n + 1, sizeof *c->fields);
  c->subfields = calloc((size_t)s->subfields.n + 1, sizeof *c->subfields);
  if (!c->fields || !c->subfields) {
    marc_schema_counter_free(c);
    return NULL;
  }
  return c;
}

void marc_schema_counter_free(marc_schema_counter *c) {
  if (!c) return;
  free(c->fields);
  free(c->subfields);
  free(c);
}

static void tally(av_tally *t, uint64_t record) {
  t->total++;
  if (t->last != record + 1) {
    t->records++;
    t->last = record + 1;
  }
}

void av_count_field(av_counter *c, const av_rec_field *f) {
  uint32_t di = av_lookup(c->s, f);
  if (di == AV_NONE) return;
  tally(&c->fields[di], c->records);
  const av_field *def = &c->s->fields.v[di];
  if (!f->variable || !def->has_subfields) return;
  const uint8_t *p = f->data, *end = f->data + f->len;
  while (p && p < end) {
    p = memchr(p, 0x1F, (size_t)(end - p));
    if (!p || p + 1 >= end) break;
    const uint8_t *code = p + 1;
    size_t clen = 1;
    if (code[0] >= 0xC0)
      while (code + clen < end && (code[clen] & 0xC0) == 0x80) clen++;
    uint32_t si = av_find_subfield(c->s, def, code, clen);
    if (si != AV_NONE) tally(&c->subfields[si], c->records);
    p = code + clen;
  }
}

void av_count_end_record(av_counter *c) { c->records++; }

int marc_schema_counter_merge(marc_schema_counter *into,
                              const marc_schema_counter *from) {
  if (!into || !from || into->s != from->s) return -1;
  into->records += from->records;
  for (uint32_t i = 0; i < into->s->fields.n; i++) {
    into->fields[i].total += from->fields[i].total;
    into->fields[i].records += from->fields[i].records;
  }
  for (uint32_t i = 0; i < into->s->subfields.n; i++) {
    into->subfields[i].total += from->subfields[i].total;
    into->subfields[i].records += from->subfields[i].records;
  }
  return 0;
}

int marc_schema_counter_add(marc_schema_counter *c, const marc_record *rec) {
  if (!c || !rec) return -1;
  av_rec_field f = {.tag = "LDR",
                    .tag_len = 3,
                    .data = (const uint8_t *)rec->leader,
                    .len = 24};
  if (c->s->ldr) av_count_field(c, &f);
  for (size_t i = 0; i < rec->nfields; i++) {
    const marc_field *mf = &rec->fields[i];
    f = (av_rec_field){.tag = mf->tag,
                       .tag_len = strlen(mf->tag),
                       .variable = !marc__is_control(mf->tag),
                       .data = rec->bytes + mf->off,
                       .len = mf->len};
    av_count_field(c, &f);
  }
  av_count_end_record(c);
  return 0;
}

/* What a count report needs besides the numbers. */
typedef struct count_ctx {
  marc_schema_callback cb;
  void *ctx;
  int64_t problems;
  int stop;
} count_ctx;

static void report(count_ctx *k, marc_schema_rule rule, const av_field *def,
                   const av_subfield *sf, const char *key, int64_t expected,
                   uint64_t found) {
  if (k->stop) return;
  k->problems++;
  if (!k->cb) return;
  marc_schema_problem p = {.rule = rule,
                           .id = def ? def->id : NULL,
                           .label = sf && sf->label ? sf->label
                                    : def           ? def->label
                                                    : NULL,
                           .code = sf ? sf->code[0] : 0,
                           .value = (const uint8_t *)key,
                           .value_len = strlen(key),
                           .expected = expected,
                           .found = (int64_t)found};
  if (def) {
    size_t n =
        def->tag_len < sizeof p.tag - 1 ? def->tag_len : sizeof p.tag - 1;
    memcpy(p.tag, def->tag, n);
  }
  if (k->cb(k->ctx, &p)) k->stop = 1;
}

/* One definition's "total" and (with countRecord) "records". */
static void check_tally(count_ctx *k, marc_schema_rule rule, uint32_t rules,
                        const av_field *def, const av_subfield *sf,
                        int64_t total, int64_t records, const av_tally *t) {
  if (total >= 0 && t->total != (uint64_t)total)
    report(k, rule, def, sf, "total", total, t->total);
  if ((rules >> MARC_AV_COUNT_RECORD & 1) && records >= 0 &&
      t->records != (uint64_t)records)
    report(k, rule, def, sf, "records", records, t->records);
}

int64_t marc_schema_counter_check(const marc_schema_counter *c,
                                  const marc_schema_options *opt,
                                  marc_schema_callback cb, void *ctx) {
  if (!c) return -1;
  const marc_schema *s = c->s;
  uint32_t rules = av_rules(s, opt);
  count_ctx k = {.cb = cb, .ctx = ctx};
  if ((rules >> MARC_AV_COUNT_RECORD & 1) && s->records >= 0 &&
      c->records != (uint64_t)s->records)
    report(&k, MARC_AV_COUNT_RECORD, NULL, NULL, "records", s->records,
           c->records);
  /* In schedule order, each field's counts then its subfields'. */
  for (uint32_t i = 0; i < s->fields.n && !k.stop; i++) {
    const av_field *def = &s->fields.v[i];
    if (rules >> MARC_AV_COUNT_FIELD & 1)
      check_tally(&k, MARC_AV_COUNT_FIELD, rules, def, NULL, def->total,
                  def->records, &c->fields[i]);
    if (!(rules >> MARC_AV_COUNT_SUBFIELD & 1)) continue;
    for (uint32_t j = 0; j < def->sub_count; j++) {
      const av_subfield *sf = &s->subfields.v[def->sub_first + j];
      check_tally(&k, MARC_AV_COUNT_SUBFIELD, rules, def, sf, sf->total,
                  sf->records, &c->subfields[def->sub_first + j]);
    }
  }
  return k.problems;
}
