/* The Avram test suite (tests/data/avram-suite, from avram-js): each file
 * holds schemas, records and the errors a validator must report, in
 * order. Records of the suite are not MARC (tags like "lang" or "_",
 * occurrences, fields without indicators), so they go straight to the
 * core's generic validator (avram_validate.c), the same code
 * marc_schema_validate feeds MARC records to.
 *
 * An expected error matches a reported problem when the rule names are
 * equal and every key the expected error gives (tag, id, subfield,
 * indicator, position, value, pattern) is equal too; messages are free
 * text and not compared. Tests with "records" validate each record, then
 * check the counts over all of them (marc_schema_counter's generic
 * core). */
#include "avram_internal.h"
#include "check.h"
#include "common/dump.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROBLEMS 32

/* A reported problem, copied out of the callback. */
typedef struct got {
  marc_schema_rule rule;
  char tag[16], code, value[64], position[16], pattern[64], id[16];
  char message[160];
  uint8_t indicator;
} got;

typedef struct run {
  got v[MAX_PROBLEMS];
  int n;
} run;

static void copy(char *dst, size_t cap, const char *src, size_t n) {
  if (!src) {
    dst[0] = 0;
    return;
  }
  if (n >= cap) n = cap - 1;
  memcpy(dst, src, n);
  dst[n] = 0;
}

static int collect(void *ctx, const marc_schema_problem *p) {
  run *r = ctx;
  if (r->n == MAX_PROBLEMS) return 1;
  got *g = &r->v[r->n++];
  memset(g, 0, sizeof *g);
  g->rule = p->rule;
  copy(g->tag, sizeof g->tag, p->tag, strlen(p->tag));
  g->code = p->code;
  g->indicator = p->indicator;
  copy(g->value, sizeof g->value, (const char *)p->value, p->value_len);
  copy(g->position, sizeof g->position, p->position,
       p->position ? strlen(p->position) : 0);
  copy(g->pattern, sizeof g->pattern, p->pattern,
       p->pattern ? strlen(p->pattern) : 0);
  copy(g->id, sizeof g->id, p->id, p->id ? strlen(p->id) : 0);
  marc_schema_problem_message(p, g->message, sizeof g->message);
  return 0;
}

static const char *str(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Does problem g match expected error e? */
static int matches(const got *g, const cJSON *e) {
  const char *s;
  if (!(s = str(e, "error")) || strcmp(s, marc_schema_rule_name(g->rule)))
    return 0;
  if ((s = str(e, "tag")) && strcmp(s, g->tag)) return 0;
  if ((s = str(e, "id")) && strcmp(s, g->id)) return 0;
  if ((s = str(e, "subfield")) && (s[1] || s[0] != g->code)) return 0;
  if ((s = str(e, "indicator")) && strcmp(s, g->indicator == 1   ? "indicator1"
                                             : g->indicator == 2 ? "indicator2"
                                                                 : ""))
    return 0;
  if ((s = str(e, "position")) && strcmp(s, g->position)) return 0;
  if ((s = str(e, "value")) && strcmp(s, g->value)) return 0;
  if ((s = str(e, "pattern")) && strcmp(s, g->pattern)) return 0;
  /* Counting errors carry their numbers only in the message; marcato
   * words those as avram-js does. */
  if (g->rule >= MARC_AV_COUNT_RECORD && (s = str(e, "message")) &&
      strcmp(s, g->message))
    return 0;
  return 1;
}

/* Fields of one record, their wire-form data kept for the call. */
typedef struct rec_buf {
  av_rec_field f[32];
  char data[32][256];
  const char *types[8];
  size_t nf, nt;
} rec_buf;

static int build_record(const cJSON *rec, rec_buf *b) {
  const cJSON *fields = rec, *types = NULL;
  if (cJSON_IsObject(rec)) {
    fields = cJSON_GetObjectItemCaseSensitive(rec, "fields");
    types = cJSON_GetObjectItemCaseSensitive(rec, "types");
  }
  memset(b, 0, sizeof *b);
  const cJSON *t;
  cJSON_ArrayForEach(t, types) if (b->nt < 8 && cJSON_IsString(t))
      b->types[b->nt++] = t->valuestring;
  const cJSON *fj;
  cJSON_ArrayForEach(fj, fields) {
    if (b->nf == 32) return -1;
    av_rec_field *f = &b->f[b->nf];
    char *d = b->data[b->nf];
    f->tag = str(fj, "tag");
    if (!f->tag) return -1;
    f->tag_len = strlen(f->tag);
    f->occurrence = str(fj, "occurrence");
    for (int i = 0; i < 2; i++) {
      const char *ind = str(fj, i ? "indicator2" : "indicator1");
      if (ind) {
        f->has_ind[i] = 1;
        f->ind[i] = (uint8_t)ind[0];
      }
    }
    const cJSON *sf = cJSON_GetObjectItemCaseSensitive(fj, "subfields");
    size_t n = 0;
    if (cJSON_IsArray(sf)) {
      f->variable = 1;
      const cJSON *x;
      int k = 0;
      cJSON_ArrayForEach(x, sf) {
        if (!cJSON_IsString(x)) return -1;
        size_t l = strlen(x->valuestring);
        if (n + l + 2 > 256) return -1;
        if (k++ % 2 == 0) d[n++] = 0x1F;
        memcpy(d + n, x->valuestring, l);
        n += l;
      }
    } else if (str(fj, "value")) {
      n = strlen(str(fj, "value"));
      if (n > 255) return -1;
      memcpy(d, str(fj, "value"), n);
    }
    f->data = (const uint8_t *)d;
    f->len = n;
    f->offset = (uint64_t)b->nf * 1000; /* field i at i * 1000 */
    f->ind_offset = f->offset;
    f->types = b->types;
    f->ntypes = b->nt;
    b->nf++;
  }
  return 0;
}

/* Rules from an options object {"undefinedField": false, ...}. */
static void apply_options(const cJSON *opts, marc_schema_options *o,
                          const char *where) {
  const cJSON *x;
  cJSON_ArrayForEach(x, opts) {
    int r = marc_schema_rule_from_name(x->string);
    if (r < 0) {
      /* avram-js ignores unknown options too ("ignore_codes"). */
      printf("  note: %s: option %s is not an Avram rule, ignored\n", where,
             x->string);
      continue;
    }
    if (cJSON_IsTrue(x)) o->enable |= 1u << r, o->disable &= ~(1u << r);
    else o->disable |= 1u << r, o->enable &= ~(1u << r);
  }
}

static void run_test(const marc_schema *s, const cJSON *case_opts,
                     const cJSON *test, const char *name) {
  marc_schema_options o = {0};
  apply_options(case_opts, &o, name);
  apply_options(cJSON_GetObjectItemCaseSensitive(test, "options"), &o, name);
  /* "record": one record; "records": a set, with the counting rules. */
  const cJSON *set = cJSON_GetObjectItemCaseSensitive(test, "records");
  const cJSON *one = cJSON_GetObjectItemCaseSensitive(test, "record");
  marc_schema_counter *counter = marc_schema_counter_new(s);
  CHECK(counter != NULL);
  run r = {.n = 0};
  int64_t n = 0;
  for (int k = 0; counter && k < (set ? cJSON_GetArraySize(set) : 1); k++) {
    rec_buf b;
    CHECK(build_record(set ? cJSON_GetArrayItem(set, k) : one, &b) == 0);
    av_state st;
    CHECK(av_begin(&st, s, av_rules(s, &o), collect, &r) == 0);
    for (size_t i = 0; i < b.nf; i++) {
      av_check_field(&st, &b.f[i], 0);
      av_count_field(counter, &b.f[i]);
    }
    av_count_end_record(counter);
    n += av_end(&st);
  }
  if (counter) n += marc_schema_counter_check(counter, &o, collect, &r);
  marc_schema_counter_free(counter);
  const cJSON *errors = cJSON_GetObjectItemCaseSensitive(test, "errors");
  int want = cJSON_GetArraySize(errors), ok = n == want && r.n == want;
  for (int i = 0; ok && i < want; i++)
    ok = matches(&r.v[i], cJSON_GetArrayItem(errors, i));
  check_count++;
  if (!ok) {
    check_failures++;
    fprintf(stderr, "FAIL %s: %d problems, %d expected\n", name, r.n, want);
    for (int i = 0; i < r.n; i++)
      fprintf(stderr, "  got %s tag=%s code=%c ind=%u pos=%s value='%s'\n",
              marc_schema_rule_name(r.v[i].rule), r.v[i].tag,
              r.v[i].code ? r.v[i].code : '-', r.v[i].indicator,
              r.v[i].position, r.v[i].value);
  } else {
    printf("  ok  %s\n", name);
  }
}

static void run_file(const char *path) {
  size_t len;
  uint8_t *bytes = NULL;
  char *text = test_read_file(path, &bytes, &len) == 0 ? (char *)bytes : NULL;
  CHECK(text != NULL);
  if (!text) return;
  cJSON *cases = cJSON_Parse(text);
  CHECK(cJSON_IsArray(cases));
  const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  int ci = 0;
  const cJSON *c;
  cJSON_ArrayForEach(c, cases) {
    ci++;
    char *schema =
        cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(c, "schema"));
    marc_error err;
    marc_schema *s =
        schema ? marc_schema_load(schema, strlen(schema), &err) : NULL;
    if (!s) fprintf(stderr, "%s case %d: %s\n", base, ci, err.message);
    CHECK(s != NULL);
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(c, "options");
    int ti = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(c, "tests")) {
      char name[128];
      snprintf(name, sizeof name, "%s case %d test %d%s%s", base, ci, ++ti,
               str(t, "description") ? ": " : "",
               str(t, "description") ? str(t, "description") : "");
      if (s) run_test(s, opts, t, name);
    }
    marc_schema_free(s);
    free(schema);
  }
  cJSON_Delete(cases);
  free(text);
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) run_file(argv[i]);
  return check_done("avram_suite");
}
