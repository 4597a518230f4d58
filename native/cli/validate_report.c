/* validate --summary: what a cataloger acts on. Problems are counted by
 * kind (Avram rule or structure code) and place (tag, subfield,
 * indicator, position), with the number of records each is in and the
 * first record numbers as examples; printed as text or JSON (-t json). */
#include "validate.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define KINDS (VAL_STRUCTURE + MARC_D_COUNT_)
#define EXAMPLES 3
#define TOP 25

typedef struct entry {
  val_key key;
  int used;
  const char *label;
  uint64_t count, records, last; /* last: record + 1 counted last */
  uint64_t ex[EXAMPLES];
  int nex;
} entry;

struct val_summary {
  entry *v;
  size_t n, cap;
  uint64_t problems[KINDS], records[KINDS];
  uint8_t in_record[KINDS];
  /* The kinds set in in_record, so a record's end clears only those. */
  uint16_t touched[KINDS];
  int ntouched;
  uint64_t schema_records[5]; /* bib, authority, holdings, custom, none */
};

val_summary *val_summary_new(void) { return calloc(1, sizeof(val_summary)); }

void val_summary_free(val_summary *s) {
  if (!s) return;
  free(s->v);
  free(s);
}

static uint64_t key_hash(const val_key *k) {
  uint64_t h = (uint64_t)k->kind * 0x9E3779B97F4A7C15u;
  h ^= ((uint64_t)(uint8_t)k->tag[0] << 16 | (uint64_t)(uint8_t)k->tag[1] << 8 |
        (uint8_t)k->tag[2]) *
       0xC2B2AE3D27D4EB4Fu;
  h ^= ((uint64_t)(uint8_t)k->code << 8 | k->indicator) * 0x165667B19E3779F9u;
  h ^= (uint64_t)(uintptr_t)k->position * 0x27D4EB2F165667C5u;
  return h ^ (h >> 29);
}

static int key_eq(const val_key *a, const val_key *b) {
  return a->kind == b->kind && !memcmp(a->tag, b->tag, 3) &&
         a->code == b->code && a->indicator == b->indicator &&
         a->position == b->position;
}

static entry *slot(val_summary *s, const val_key *k) {
  if ((s->n + 1) * 2 > s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 256;
    entry *v = calloc(cap, sizeof *v);
    if (!v) return NULL;
    for (size_t i = 0; i < s->cap; i++) {
      if (!s->v[i].used) continue;
      size_t j = key_hash(&s->v[i].key) & (cap - 1);
      while (v[j].used) j = (j + 1) & (cap - 1);
      v[j] = s->v[i];
    }
    free(s->v);
    s->v = v;
    s->cap = cap;
  }
  size_t j = key_hash(k) & (s->cap - 1);
  while (s->v[j].used && !key_eq(&s->v[j].key, k)) j = (j + 1) & (s->cap - 1);
  if (!s->v[j].used) {
    memset(&s->v[j], 0, sizeof s->v[j]);
    s->v[j].used = 1;
    s->v[j].key = *k;
    s->n++;
  }
  return &s->v[j];
}

/* Keep the smallest record numbers as examples (workers see records out
 * of order across threads; the report shows the first ones). */
static void add_example(entry *e, uint64_t record) {
  int i = e->nex;
  if (i == EXAMPLES) {
    if (record >= e->ex[EXAMPLES - 1]) return;
    i--;
  } else {
    e->nex++;
  }
  while (i > 0 && e->ex[i - 1] > record) {
    e->ex[i] = e->ex[i - 1];
    i--;
  }
  e->ex[i] = record;
}

int val_summary_add(val_summary *s, const val_key *k, const char *label,
                    uint64_t record) {
  entry *e = slot(s, k);
  if (!e) return -1;
  if (!e->label) e->label = label;
  e->count++;
  if (e->last != record + 1) {
    /* A worker sees its records in increasing order. */
    e->records++;
    e->last = record + 1;
    add_example(e, record);
  }
  if (k->kind >= 0 && k->kind < KINDS) {
    s->problems[k->kind]++;
    if (!s->in_record[k->kind]) s->touched[s->ntouched++] = (uint16_t)k->kind;
    s->in_record[k->kind] = 1;
  }
  return 0;
}

void val_summary_end_record(val_summary *s) {
  for (int i = 0; i < s->ntouched; i++) {
    s->records[s->touched[i]]++;
    s->in_record[s->touched[i]] = 0;
  }
  s->ntouched = 0;
}

void val_summary_schema(val_summary *s, int which) {
  s->schema_records[which >= 0 ? which : which == -1 ? 3 : 4]++;
}

int val_summary_merge(val_summary *into, const val_summary *from) {
  for (size_t i = 0; i < from->cap; i++) {
    const entry *f = &from->v[i];
    if (!f->used) continue;
    entry *e = slot(into, &f->key);
    if (!e) return -1;
    if (!e->label) e->label = f->label;
    e->count += f->count;
    e->records += f->records;
    for (int k = 0; k < f->nex; k++) add_example(e, f->ex[k]);
  }
  for (int k = 0; k < KINDS; k++) {
    into->problems[k] += from->problems[k];
    into->records[k] += from->records[k];
  }
  for (int k = 0; k < 5; k++)
    into->schema_records[k] += from->schema_records[k];
  return 0;
}

const char *val_kind_name(int kind) {
  if (kind >= VAL_STRUCTURE)
    return marc_code_name((marc_code)(kind - VAL_STRUCTURE));
#ifdef MARCATO_HAVE_AVRAM
  return marc_schema_rule_name((marc_schema_rule)kind);
#else
  return "unknown";
#endif
}

/* "008/18-21", "245$a", "245 ind1", "LDR/06", "" */
static void where(const val_key *k, char *out, size_t n) {
  if (!k->tag[0]) {
    /* The structure codes of the leader carry no tag. */
    int ldr = k->kind == VAL_STRUCTURE + MARC_D_LEADER_VALUE ||
              k->kind == VAL_STRUCTURE + MARC_D_INDICATOR_COUNT ||
              k->kind == VAL_STRUCTURE + MARC_D_SUBFIELD_CODE_COUNT;
    snprintf(out, n, "%s", ldr ? "LDR" : "-");
  } else if (k->code) {
    snprintf(out, n, "%.3s$%c", k->tag,
             k->code > 0x20 && k->code < 0x7F ? k->code : '?');
  } else if (k->indicator) {
    snprintf(out, n, "%.3s ind%u", k->tag, k->indicator);
  } else if (k->position) {
    snprintf(out, n, "%.3s/%s", k->tag, k->position);
  } else {
    snprintf(out, n, "%.3s", k->tag);
  }
}

static int by_count(const void *a, const void *b) {
  const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  /* Ties in a fixed order, so every -j prints the same report. */
  if (x->key.kind != y->key.kind) return x->key.kind < y->key.kind ? -1 : 1;
  int c = memcmp(x->key.tag, y->key.tag, 3);
  if (c) return c;
  if (x->key.code != y->key.code) return x->key.code < y->key.code ? -1 : 1;
  if (x->key.indicator != y->key.indicator)
    return x->key.indicator < y->key.indicator ? -1 : 1;
  c = strcmp(x->key.position ? x->key.position : "",
             y->key.position ? y->key.position : "");
  if (c) return c;
  /* The same position key in two typed definitions (008/22 of books and
   * of continuing resources): by their first record, then label. */
  if (x->ex[0] != y->ex[0]) return x->ex[0] < y->ex[0] ? -1 : 1;
  return strcmp(x->label ? x->label : "", y->label ? y->label : "");
}

/* Problems per tag, for the "by tag" table: tags sorted by count. */
typedef struct tag_count {
  char tag[4];
  uint64_t count;
} tag_count;

static int tag_by_count(const void *a, const void *b) {
  const tag_count *x = a, *y = b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->tag, y->tag);
}

static size_t count_tags(entry **sorted, size_t n, tag_count *out) {
  size_t nt = 0;
  for (size_t i = 0; i < n; i++) {
    const char *t = sorted[i]->key.tag[0] ? sorted[i]->key.tag : "-";
    size_t j = 0;
    while (j < nt && strncmp(out[j].tag, t, 3)) j++;
    if (j == nt) {
      memset(&out[nt], 0, sizeof out[nt]);
      memcpy(out[nt++].tag, t, strnlen(t, 3));
    }
    out[j].count += sorted[i]->count;
  }
  qsort(out, nt, sizeof *out, tag_by_count);
  return nt;
}

static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
    else if (c < 0x20) fprintf(f, "\\u%04x", c);
    else fputc(c, f);
  }
  fputc('"', f);
}

static const char *const schema_names[5] = {
    "MARC 21 bibliographic", "MARC 21 authority (partial rule pack)",
    "MARC 21 holdings (partial rule pack)", "--schema", "none"};

static void print_json(const val_summary *s, entry **e, size_t n,
                       tag_count *tags, size_t nt, FILE *f, uint64_t records,
                       uint64_t bad) {
  fprintf(f, "{\"records\":%" PRIu64 ",\"with_problems\":%" PRIu64, records,
          bad);
  fputs(",\"schemas\":{", f);
  for (int k = 0, first = 1; k < 5; k++) {
    if (!s->schema_records[k]) continue;
    fprintf(f, "%s", first ? "" : ",");
    json_str(f, schema_names[k]);
    fprintf(f, ":%" PRIu64, s->schema_records[k]);
    first = 0;
  }
  fputs("},\"rules\":{", f);
  for (int k = 0, first = 1; k < KINDS; k++) {
    if (!s->problems[k]) continue;
    fprintf(f, "%s", first ? "" : ",");
    json_str(f, val_kind_name(k));
    fprintf(f, ":{\"problems\":%" PRIu64 ",\"records\":%" PRIu64 "}",
            s->problems[k], s->records[k]);
    first = 0;
  }
  fputs("},\"tags\":{", f);
  for (size_t i = 0; i < nt; i++) {
    fprintf(f, "%s", i ? "," : "");
    json_str(f, tags[i].tag);
    fprintf(f, ":%" PRIu64, tags[i].count);
  }
  fputs("},\"problems\":[", f);
  for (size_t i = 0; i < n; i++) {
    char w[32];
    where(&e[i]->key, w, sizeof w);
    fprintf(f, "%s{\"rule\":", i ? "," : "");
    json_str(f, val_kind_name(e[i]->key.kind));
    fputs(",\"where\":", f);
    json_str(f, w);
    if (e[i]->label) {
      fputs(",\"label\":", f);
      json_str(f, e[i]->label);
    }
    fprintf(f, ",\"count\":%" PRIu64 ",\"records\":%" PRIu64 ",\"examples\":[",
            e[i]->count, e[i]->records);
    for (int k = 0; k < e[i]->nex; k++)
      fprintf(f, "%s%" PRIu64, k ? "," : "", e[i]->ex[k] + 1);
    fputs("]}", f);
  }
  fputs("]}\n", f);
}

static void print_text(const val_summary *s, entry **e, size_t n,
                       tag_count *tags, size_t nt, FILE *f) {
  fputs("schemas:", f);
  for (int k = 0, first = 1; k < 5; k++) {
    if (!s->schema_records[k]) continue;
    fprintf(f, "%s %s %" PRIu64 " records", first ? "" : ";", schema_names[k],
            s->schema_records[k]);
    first = 0;
  }
  if (s->schema_records[1] || s->schema_records[2])
    fputs("\n  (partial rule packs: fields they leave out are not reported "
          "as undefined)",
          f);
  fputs("\n\nproblems by rule                problems   records\n", f);
  for (int k = 0; k < KINDS; k++)
    if (s->problems[k])
      fprintf(f, "  %-28s %10" PRIu64 " %9" PRIu64 "\n", val_kind_name(k),
              s->problems[k], s->records[k]);
  fputs("\nproblems by tag (first 20)\n", f);
  for (size_t i = 0; i < nt && i < 20; i++)
    fprintf(f, "  %-5s %10" PRIu64 "\n", tags[i].tag, tags[i].count);
  fprintf(f,
          "\nmost frequent problems (first %d)\n"
          "  %9s %9s  %-22s %-11s %s\n",
          TOP, "problems", "records", "rule", "where",
          "label / example records");
  for (size_t i = 0; i < n && i < TOP; i++) {
    char w[32];
    where(&e[i]->key, w, sizeof w);
    fprintf(f, "  %9" PRIu64 " %9" PRIu64 "  %-22s %-11s %.40s%srecords",
            e[i]->count, e[i]->records, val_kind_name(e[i]->key.kind), w,
            e[i]->label ? e[i]->label : "", e[i]->label ? " / " : "");
    for (int k = 0; k < e[i]->nex; k++)
      fprintf(f, "%s %" PRIu64, k ? "," : "", e[i]->ex[k] + 1);
    fputc('\n', f);
  }
}

void val_summary_print(const val_summary *s, const cli_options *opt, FILE *f,
                       uint64_t records, uint64_t with_problems) {
  static const val_summary empty;
  if (!s) s = &empty;
  entry **sorted = malloc((s->n + 1) * sizeof *sorted);
  tag_count *tags = malloc((s->n + 1) * sizeof *tags);
  if (!sorted || !tags) {
    fprintf(stderr, "marcato: out of memory\n");
    free(sorted);
    free(tags);
    return;
  }
  size_t n = 0;
  for (size_t i = 0; i < s->cap; i++)
    if (s->v[i].used) sorted[n++] = (entry *)&s->v[i];
  qsort(sorted, n, sizeof *sorted, by_count);
  size_t nt = count_tags(sorted, n, tags);
  if (opt->to == MARC_FORMAT_JSON) {
    print_json(s, sorted, n, tags, nt, f, records, with_problems);
  } else {
    fprintf(f, "%" PRIu64 " records, %" PRIu64 " with problems\n", records,
            with_problems);
    print_text(s, sorted, n, tags, nt, f);
  }
  free(sorted);
  free(tags);
}
