/* marc_schema_validate on MARC records: the built-in schemas, record types
 * from the leader and from 006/007, local fields, offsets, options, and
 * schemas that are not valid Avram (errors naming the JSON Pointer). */
#include "../unit/mkrec.h"

#include <inttypes.h>
#include <stdlib.h>

#define MAXP 64

typedef struct seen {
  marc_schema_problem p[MAXP];
  char msg[MAXP][160];
  char type[MAXP][8]; /* the typed definition's record type, "" for none */
  int n;
} seen;

static int keep(void *ctx, const marc_schema_problem *p) {
  seen *s = ctx;
  if (s->n < MAXP) {
    marc_schema_problem_message(p, s->msg[s->n], sizeof s->msg[0]);
    snprintf(s->type[s->n], sizeof s->type[0], "%s", p->type ? p->type : "");
    s->p[s->n] = *p;
    s->p[s->n].type = NULL;
    /* Pointers die with the callback: keep only what the checks use. */
    s->p[s->n].value = NULL;
    s->p[s->n].position = NULL;
    s->p[s->n].pattern = NULL;
    s->p[s->n].id = NULL;
    s->p[s->n].label = NULL;
    s->n++;
  }
  return 0;
}

/* Index of the first problem with `rule` and `tag` (and `code` when not
 * 0), or -1. */
static int find(const seen *s, marc_schema_rule rule, const char *tag,
                char code) {
  for (int i = 0; i < s->n; i++)
    if (s->p[i].rule == rule && !strcmp(s->p[i].tag, tag) &&
        (!code || s->p[i].code == code))
      return i;
  return -1;
}

static void dump(const seen *s) {
  for (int i = 0; i < s->n; i++)
    fprintf(stderr, "  %s [%s] @%" PRIu64 " %s\n",
            marc_schema_rule_name(s->p[i].rule), s->p[i].tag, s->p[i].offset,
            s->msg[i]);
}

static const char *f008 = "850101s1985    nyu           000 0 eng  ";

static void test_clean_book(const marc_schema *bib) {
  mk_field f[] = {
      {"001", "ocm123", 0},
      {"008", "850101s1985    nyu           000 0 eng d", 0},
      /* MARC-8: ayn (0xB0) right after the code belongs to the value. */
      {"245",
       "10\x1f"
       "aTitle :\x1f"
       "b\xb0"
       "al /\x1f"
       "cAuthor.",
       0},
      {"590",
       "  \x1f"
       "aLocal note.",
       0}, /* local: not undefined */
      {"949",
       "  \x1f"
       "aLocal holdings",
       0},
  };
  marc_buf in = {0};
  mk_record(&in, f, 5);
  marc_reader *r;
  marc_record *rec = mk_read_one(&r, &in);
  CHECK(rec != NULL);
  seen s = {.n = 0};
  int64_t n = marc_schema_validate(bib, rec, NULL, keep, &s);
  if (n) dump(&s);
  CHECK_EQ_INT(n, 0);
  /* Local fields are reported when asked for. */
  marc_schema_options o = {.enable = 1u << MARC_AV_LOCAL_FIELD};
  s.n = 0;
  CHECK_EQ_INT(marc_schema_validate(bib, rec, &o, keep, &s), 2);
  CHECK(find(&s, MARC_AV_UNDEFINED_FIELD, "590", 0) >= 0);
  CHECK(find(&s, MARC_AV_UNDEFINED_FIELD, "949", 0) >= 0);
  marc_reader_free(r);
  marc_buf_free(&in);
}

static void test_problems(const marc_schema *bib) {
  mk_field f[] = {
      {"001", "ocm1", 0},
      {"008", f008, 0},
      {"245",
       "29\x1f"
       "aTitle\x1f"
       "aAgain\x1fqWhat",
       0}, /* ind1 2 */
      {"245",
       "00\x1f"
       "aSecond",
       0},
      {"100",
       "1 \x1f"
       "aName",
       0},
      {"555",
       "8 \x1f"
       "aNote",
       0}, /* 555 exists: index note */
      {"123",
       "  \x1f"
       "aNot defined",
       0},
      {"007", "ta", 0}, /* text: 007t */
      {"007", "cz", 0}, /* electronic: 007c, 01 'z' is defined */
      {"006", "a", 0},  /* BK positions: too short */
  };
  marc_buf in = {0};
  mk_record_ordered(&in, "00000cam a2200000   4500", f, 10, NULL);
  marc_reader *r;
  marc_record *rec = mk_read_one(&r, &in);
  CHECK(rec != NULL);
  seen s = {.n = 0};
  int64_t n = marc_schema_validate(bib, rec, NULL, keep, &s);
  CHECK(n == s.n);
  int k = find(&s, MARC_AV_INVALID_INDICATOR, "245", 0);
  CHECK(k >= 0);
  if (k >= 0) {
    CHECK_EQ_INT(s.p[k].indicator, 1);
    /* The first indicator's byte in the input. */
    CHECK_EQ_INT(in.data[s.p[k].offset], '2');
  }
  k = find(&s, MARC_AV_NONREPEATABLE_SUBFIELD, "245", 'a');
  CHECK(k >= 0);
  if (k >= 0) {
    CHECK_EQ_INT(in.data[s.p[k].offset], 0x1F);
    CHECK_EQ_INT(in.data[s.p[k].offset + 1], 'a');
    CHECK_EQ_INT(in.data[s.p[k].offset + 2], 'A'); /* "Again" */
  }
  CHECK(find(&s, MARC_AV_UNDEFINED_SUBFIELD, "245", 'q') >= 0);
  CHECK(find(&s, MARC_AV_NONREPEATABLE_FIELD, "245", 0) >= 0);
  CHECK(find(&s, MARC_AV_UNDEFINED_FIELD, "123", 0) >= 0);
  CHECK(find(&s, MARC_AV_UNDEFINED_FIELD, "555", 0) < 0);
  /* 007 "ta": text, whose 01 'a' is defined; "cz": electronic, 01 'z'
   * defined too. Checked against the category of each 007, not of the
   * record: neither is a problem. */
  CHECK(find(&s, MARC_AV_UNDEFINED_CODE, "007", 0) < 0);
  for (int i = 0; i < s.n; i++) CHECK(s.p[i].record == 0);
  /* Switching rules off. */
  marc_schema_options o = {.disable = 1u << MARC_AV_INVALID_SUBFIELD};
  seen t = {.n = 0};
  marc_schema_validate(bib, rec, &o, keep, &t);
  CHECK(find(&t, MARC_AV_UNDEFINED_SUBFIELD, "245", 'q') < 0);
  CHECK(find(&t, MARC_AV_NONREPEATABLE_FIELD, "245", 0) >= 0);
  o.disable = 1u << MARC_AV_INVALID_RECORD;
  CHECK_EQ_INT(marc_schema_validate(bib, rec, &o, NULL, NULL), 0);
  marc_reader_free(r);
  marc_buf_free(&in);
}

/* 008 positions by material: a map (leader/06 'e') is checked with the
 * MP positions, a book with BK. */
static void test_types(const marc_schema *bib) {
  /* 008/33 'z' is not a book's literary form. */
  char b008[41];
  memcpy(b008, f008, 41);
  b008[33] = 'z';
  mk_field f[] = {{"008", b008, 0},
                  {"245",
                   "00\x1f"
                   "aT",
                   0}};
  marc_buf in = {0};
  size_t len = mk_record_ordered(&in, "00000nam a2200000   4500", f, 2, NULL);
  mk_record_ordered(&in, "00000nem a2200000   4500", f, 2, NULL);
  marc_reader *r = marc_reader_new(NULL);
  marc_reader_feed(r, in.data, in.len);
  marc_reader_finish(r);
  marc_record *rec;
  seen s = {.n = 0};
  CHECK(marc_reader_next(r, &rec) == MARC_OK);
  marc_schema_validate(bib, rec, NULL, keep, &s);
  int k = find(&s, MARC_AV_UNDEFINED_CODE, "008", 0);
  CHECK(k >= 0);
  if (k >= 0) CHECK_EQ_INT(s.p[k].offset, 24 + 2 * 12 + 1 + 33);
  /* The book's definition of 008/33 (typed "BK") is the one not met. */
  if (k >= 0) CHECK(!strcmp(s.type[k], "BK"));
  seen t = {.n = 0};
  CHECK(marc_reader_next(r, &rec) == MARC_OK);
  marc_schema_validate(bib, rec, NULL, keep, &t);
  /* In a map, 008/33-34 are special format characteristics: 'z' is
   * fine there. */
  k = find(&t, MARC_AV_UNDEFINED_CODE, "008", 0);
  CHECK(k < 0 || t.p[k].offset != len + 24 + 2 * 12 + 1 + 33);
  for (int i = 0; i < t.n; i++) CHECK(t.p[i].record == 1);
  marc_reader_free(r);
  marc_buf_free(&in);
}

/* The built-in schemas' JSON text, for front ends showing definitions:
 * it is the schema marc_schema_load_builtin loads. */
static void test_builtin_json(void) {
  for (int i = 0; i < MARC_SCHEMA_BUILTIN_COUNT_; i++) {
    size_t len = 0;
    const char *json = marc_schema_builtin_json((marc_schema_builtin)i, &len);
    CHECK(json != NULL && len > 2 && json[0] == '{');
    if (!json) continue;
    marc_error err;
    marc_schema *a = marc_schema_load(json, len, &err);
    marc_schema *b = marc_schema_load_builtin((marc_schema_builtin)i, &err);
    CHECK(a != NULL && b != NULL);
    if (a && b) CHECK(!strcmp(marc_schema_title(a), marc_schema_title(b)));
    marc_schema_free(a);
    marc_schema_free(b);
  }
  size_t len = 1;
  CHECK(marc_schema_builtin_json(MARC_SCHEMA_BUILTIN_COUNT_, &len) == NULL);
  CHECK_EQ_INT(len, 0);
}

static void test_partial(void) {
  marc_error err;
  marc_schema *aut = marc_schema_load_builtin(MARC_SCHEMA_AUTHORITY, &err);
  CHECK(aut != NULL);
  if (!aut) return;
  CHECK(marc_schema_partial(aut));
  mk_field f[] = {{"001", "n123", 0},
                  {"100",
                   "1 \x1f"
                   "aName",
                   0},
                  {"370",
                   "  \x1f"
                   "aPlace",
                   0}}; /* not in the rule pack */
  marc_buf in = {0};
  mk_record_ordered(&in, "00000nz  a2200000n  4500", f, 3, NULL);
  marc_reader *r;
  marc_record *rec = mk_read_one(&r, &in);
  seen s = {.n = 0};
  marc_schema_validate(aut, rec, NULL, keep, &s);
  CHECK(find(&s, MARC_AV_UNDEFINED_FIELD, "370", 0) < 0);
  CHECK(find(&s, MARC_AV_MISSING_FIELD, "008", 0) >= 0);
  CHECK_EQ_INT(marc_schema_builtin_for('z'), MARC_SCHEMA_AUTHORITY);
  CHECK_EQ_INT(marc_schema_builtin_for('y'), MARC_SCHEMA_HOLDINGS);
  CHECK_EQ_INT(marc_schema_builtin_for('a'), MARC_SCHEMA_BIBLIOGRAPHIC);
  CHECK_EQ_INT(marc_schema_builtin_for('w'), -1);
  marc_reader_free(r);
  marc_buf_free(&in);
  marc_schema_free(aut);
}

/* Schemas that are not valid Avram: the error names the JSON Pointer. */
static void test_bad_schemas(void) {
  static const struct {
    const char *json, *want;
  } bad[] = {
      {"[]", "/: a schema is a JSON object"},
      {"{}", "/: a schema needs \"fields\""},
      {"{\"fields\":[]}", "/fields: expected an object"},
      {"{\"fields\":{\"245\":{\"repeatable\":1}}}",
       "/fields/245/repeatable: expected true or false"},
      {"{\"fields\":{\"245\":{\"subfields\":{\"ab\":{}}}}}",
       "/fields/245/subfields/ab: a subfield code is one character"},
      {"{\"fields\":{\"008\":{\"positions\":{\"7-2\":{}}}}}",
       "/fields/008/positions/7-2: a character position is a range"},
      {"{\"fields\":{\"a~b\":{\"pattern\":\"(?=x)\"}}}",
       "/fields/a~0b/pattern: pattern \"(?=x)\": look-arounds"},
      {"{\"fields\":{\"x\":{\"codes\":{\"a\":1}}}}",
       "/fields/x/codes/a: a code definition is a string or an object"},
      {"{\"fields\":{\"x\":{\"pattern\":\"(a{300}){300}\"}}}",
       "/fields/x/pattern: pattern \"(a{300}){300}\": repetition count"},
      {"{\"fields\":{\"x\":{\"indicator1\":3}}}",
       "/fields/x/indicator1: an indicator definition is an object or null"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    marc_error err;
    marc_schema *s = marc_schema_load(bad[i].json, strlen(bad[i].json), &err);
    CHECK(s == NULL);
    CHECK_EQ_INT(err.code, MARC_E_INVALID);
    if (strncmp(err.message, bad[i].want, strlen(bad[i].want)))
      fprintf(stderr, "got \"%s\", want \"%s...\"\n", err.message, bad[i].want);
    CHECK(!strncmp(err.message, bad[i].want, strlen(bad[i].want)));
    marc_schema_free(s);
  }
  marc_error err;
  const char *cut = "{\"fields\": {\"245\": ";
  CHECK(marc_schema_load(cut, strlen(cut), &err) == NULL);
  CHECK(strstr(err.message, "not valid JSON") != NULL);
}

/* Patterns: the ECMAScript forms translated for POSIX. */
static void test_patterns(void) {
  static const struct {
    const char *pattern, *value;
    int match;
  } cases[] = {
      {"^\\\\d{3}$", "123", 1},
      {"^\\\\d{3}$", "12a", 0},
      {"^.$", "\xc3\xa9", 1},
      {"^..$", "\xc3\xa9", 0},
      {"[^ ]", "   ", 0},
      {"[^ ]", " x ", 1},
      {"^(?:ab)+?$", "abab", 1},
      {"\\\\.$", "end.", 1},
      {"\\\\.$", "end", 0},
      {"^[\\\\]a-]+$", "]-a", 1},
      {"^\\\\u00e9$", "\xc3\xa9", 1},
      {"^[\\\\w]+$", "a_1", 1},
      {"^\\\\S+$", "a b", 0},
      {"x{2}", "axxb", 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char json[256];
    snprintf(json, sizeof json,
             "{\"fields\":{\"XYZ\":{\"subfields\":{\"a\":{\"pattern\":\"%s\"}}}"
             "}}",
             cases[i].pattern);
    marc_error err;
    marc_schema *s = marc_schema_load(json, strlen(json), &err);
    if (!s) fprintf(stderr, "%s: %s\n", cases[i].pattern, err.message);
    CHECK(s != NULL);
    if (!s) continue;
    marc_record *rec = marc_record_new();
    char data[64];
    size_t n = (size_t)snprintf(data, sizeof data,
                                "\x1f"
                                "a%s",
                                cases[i].value);
    marc_record_append_field(rec, "XYZ", ' ', ' ', data, n);
    int64_t k = marc_schema_validate(s, rec, NULL, NULL, NULL);
    if (k != !cases[i].match)
      fprintf(stderr, "pattern %s on '%s': %" PRId64 " problems\n",
              cases[i].pattern, cases[i].value, k);
    CHECK_EQ_INT(k, !cases[i].match);
    marc_record_free(rec);
    marc_schema_free(s);
  }
}

/* Counting rules over two records, counted on two counters and merged. */
static void test_counter(void) {
  const char *json = "{\"records\":3,\"fields\":{\"245\":{\"repeatable\":true,"
                     "\"total\":1,\"records\":1,\"subfields\":{\"a\":{"
                     "\"repeatable\":true,\"total\":3}}}}}";
  marc_error err;
  marc_schema *s = marc_schema_load(json, strlen(json), &err);
  CHECK(s != NULL);
  if (!s) return;
  mk_field f1[] = {{"245",
                    "00\x1f"
                    "aOne\x1f"
                    "aTwo",
                    0},
                   {"245",
                    "00\x1f"
                    "bNo a",
                    0}};
  mk_field f2[] = {{"245",
                    "00\x1f"
                    "aThree",
                    0}};
  marc_buf in = {0};
  mk_record(&in, f1, 2);
  mk_record(&in, f2, 1);
  marc_reader *r = marc_reader_new(NULL);
  marc_reader_feed(r, in.data, in.len);
  marc_reader_finish(r);
  marc_schema_counter *a = marc_schema_counter_new(s),
                      *b = marc_schema_counter_new(s);
  marc_record *rec;
  CHECK(marc_reader_next(r, &rec) == MARC_OK);
  CHECK(marc_schema_counter_add(a, rec) == 0);
  CHECK(marc_reader_next(r, &rec) == MARC_OK);
  CHECK(marc_schema_counter_add(b, rec) == 0);
  CHECK(marc_schema_counter_merge(a, b) == 0);
  /* Off by default. */
  CHECK_EQ_INT(marc_schema_counter_check(a, NULL, NULL, NULL), 0);
  marc_schema_options o = {.enable = 1u << MARC_AV_COUNT_RECORD |
                                     1u << MARC_AV_COUNT_FIELD |
                                     1u << MARC_AV_COUNT_SUBFIELD};
  seen got = {.n = 0};
  /* 2 records, not 3; 245: 3 in all, not 1, in 2 records, not 1; 245$a:
   * 3 as the schema says. */
  CHECK_EQ_INT(marc_schema_counter_check(a, &o, keep, &got), 3);
  CHECK_EQ_STR(got.msg[0], "expected 3 records, got 2");
  CHECK_EQ_STR(got.msg[1], "expected field '245' total count to be 1, got 3");
  CHECK_EQ_STR(got.msg[2], "expected field '245' in 1 records, got 2");
  marc_schema_counter_free(a);
  marc_schema_counter_free(b);
  marc_reader_free(r);
  marc_buf_free(&in);
  marc_schema_free(s);
}

int main(void) {
  marc_error err;
  marc_schema *bib = marc_schema_load_builtin(MARC_SCHEMA_BIBLIOGRAPHIC, &err);
  if (!bib) fprintf(stderr, "bibliographic schema: %s\n", err.message);
  CHECK(bib != NULL);
  if (bib) {
    CHECK(!marc_schema_partial(bib));
    CHECK_EQ_STR(marc_schema_label(bib, "245", 0), "Title Statement");
    CHECK_EQ_STR(marc_schema_label(bib, "245", 'c'),
                 "Statement of responsibility, etc.");
    test_clean_book(bib);
    test_problems(bib);
    test_types(bib);
  }
  test_partial();
  test_builtin_json();
  test_bad_schemas();
  test_patterns();
  test_counter();
  marc_schema_free(bib);
  return check_done("avram_marc");
}
