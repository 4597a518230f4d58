/* The validator's fast path for clean MARC data fields (clean_data_field in
 * core/src/avram_marc.c) against the generic path it stands in for: on
 * every record of the files given (real and damaged ones, and the corpus
 * when ../shared/data is there), against the built-in schemas and a local
 * profile with what they lack, with and without the structure checks,
 * with the default rules, every rule on, indicator and subfield rules off,
 * and a callback that stops after the first problem, the problems (every
 * member, in order), the counts and the structure diagnostics are the
 * same whether the fast path runs or every field goes the generic way. A
 * file that is not there is skipped (the corpus is not the project's).
 *   avram_settle FILE... */
#include "avram_internal.h"
#include "check.h"
#include "marcato.h"
#include "problem_lines.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One way of validating a record: what it reports, as text. */
typedef struct outcome {
  int64_t problems, diags;
  marc_buf text, diag_text;
} outcome;

static void validate(const marc_schema *s, const marc_record *rec,
                     const marc_schema_options *opt, int structure,
                     int64_t stop_after, int generic, outcome *o) {
  av_generic_only = generic;
  marc_record *c = marc_record_clone(rec);
  CHECK(c != NULL);
  lines l = {.stop_after = stop_after};
  o->diags = 0;
  if (c && structure)
    o->problems = marc_record_validate_schema(c, s, opt, take, &l, &o->diags);
  else if (c) o->problems = marc_schema_validate(s, c, opt, take, &l);
  o->text = l.text;
  o->diag_text = (marc_buf){0};
  if (c) diags_text(c, &o->diag_text);
  marc_record_free(c);
  av_generic_only = 0;
}

static size_t records, compared, mismatches, problems_seen;

static void compare(const marc_schema *s, const marc_record *rec,
                    const marc_schema_options *opt, int structure,
                    int64_t stop_after) {
  outcome fast, generic;
  validate(s, rec, opt, structure, stop_after, 0, &fast);
  validate(s, rec, opt, structure, stop_after, 1, &generic);
  int ok = fast.problems == generic.problems && fast.diags == generic.diags &&
           same(&fast.text, &generic.text) &&
           same(&fast.diag_text, &generic.diag_text);
  compared++;
  problems_seen += (size_t)(generic.problems > 0 ? generic.problems : 0);
  if (!ok && mismatches++ < 3)
    fprintf(stderr,
            "record %" PRIu64 " (structure %d, stop after %" PRId64
            "): problems %" PRId64 " vs %" PRId64 "\n--- fast\n%.*s--- "
            "generic\n%.*s",
            marc_record_index(rec), structure, stop_after, fast.problems,
            generic.problems, (int)fast.text.len, (const char *)fast.text.data,
            (int)generic.text.len, (const char *)generic.text.data);
  CHECK(ok);
  marc_buf_free(&fast.text);
  marc_buf_free(&fast.diag_text);
  marc_buf_free(&generic.text);
  marc_buf_free(&generic.diag_text);
}

/* Every record of the file against `schema`, or the built-in schema of
 * its type (the bibliographic one when it has none). */
static void run(const char *path, marc_schema *const *builtin,
                const marc_schema *schema) {
  marc_reader *r = reader_of_file(path);
  if (!r) {
    fprintf(stderr, "avram_settle: %s is not there, skipped\n", path);
    return;
  }
  /* Every rule on; the rules the fast path stands in for off. */
  marc_schema_options all = {.enable = ~0u};
  marc_schema_options no_ind = {.disable =
                                    1u << MARC_AV_INVALID_INDICATOR |
                                    1u << MARC_AV_NONREPEATABLE_SUBFIELD};
  marc_schema_options no_sub = {.disable = 1u << MARC_AV_INVALID_SUBFIELD |
                                           1u << MARC_AV_NONREPEATABLE_FIELD};
  marc_record *rec;
  while (marc_reader_next(r, &rec) == MARC_OK) {
    int k = marc_schema_builtin_for(marc_record_leader(rec)[6]);
    const marc_schema *s = schema ? schema : builtin[k < 0 ? 0 : k];
    records++;
    for (int structure = 0; structure < 2; structure++) {
      compare(s, rec, NULL, structure, -1);
      compare(s, rec, &all, structure, -1);
      compare(s, rec, &no_ind, structure, -1);
      compare(s, rec, &no_sub, structure, -1);
      compare(s, rec, NULL, structure, 1);
    }
  }
  marc_reader_free(r);
}

/* Data fields with each thing the fast path must notice, one per record:
 * indicators marc_record_validate rejects (in fields whose schema says
 * nothing of them), bytes before the first delimiter, a lone trailing
 * delimiter, two delimiters in a row, NUL, uppercase and non-ASCII codes,
 * no subfields, repeats of non-repeatable subfields and fields. */
typedef struct edge {
  const char *tag;
  char ind1, ind2;
  const char *data;
  size_t len; /* 0: strlen(data) */
  int twice;  /* the field twice in the record */
} edge;

static const edge edges[] = {
    {"700", 'X', ' ',
     "\x1F"
     "aSmith"},
    {"700", ' ', '#',
     "\x1F"
     "aSmith"},
    {"020", 0x01, ' ',
     "\x1F"
     "a123"},
    {"245", '1', '0',
     "text\x1F"
     "aTitle"},
    {"245", '1', '0',
     "\x1F"
     "aTitle\x1F"},
    {"245", '1', '0',
     "\x1F"
     "aTitle\x1F\x1F"
     "bmore"},
    {"245", '1', '0',
     "\x1F"
     "aTitle\x1F"
     "Bmore"},
    {"245", '1', '0',
     "\x1F"
     "aTitle\x1F\xC3\xA9more"},
    {"245", '1', '0',
     "\x1F"
     "aTitle\x1F\x00more",
     13, 0},
    {"245", '1', '0', ""},
    {"245", '1', '0',
     "\x1F"
     "aTitle\x1F"
     "aAgain",
     0, 1},
    {"245", '1', '0',
     "\x1F"
     "bNo a"},
    {"650", ' ', '0',
     "\x1F"
     "aTopic\x1F"
     "aTopic"},
    {"650", ' ', '0',
     "\x1F"
     "aTopic\x1F"
     "2lcsh"},
    {"040", ' ', ' ',
     "\x1F"
     "aDLC\x1F"
     "cDLC\x1F"
     "dDLC\x1F"
     "dOCoLC",
     0, 1},
    {"040", ' ', ' ',
     "\x1F"
     "aDLC\x1F"
     "aDLC",
     0, 0},
    {"100", '1', ' ',
     "\x1F"
     "aName\x1F"
     "dabc"},
    {"500", ' ', ' ',
     "\x1F"
     "aA note"},
    {"999", ' ', ' ',
     "\x1F"
     "alocal"},
};

static void run_edges(marc_schema *const *builtin, const marc_schema *local) {
  for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
    const edge *e = &edges[i];
    marc_record *rec = marc_record_new();
    CHECK(rec != NULL);
    if (!rec) return;
    marc_record_set_leader(rec, "00000nam a2200000 a 4500");
    marc_record_append_field(rec, "001", 0, 0, "edge", 4);
    marc_record_append_field(rec, "008", 0, 0,
                             "850101s1985    nyu           000 0 eng d", 40);
    size_t len = e->len ? e->len : strlen(e->data);
    for (int k = 0; k <= e->twice; k++)
      marc_record_append_field(rec, e->tag, e->ind1, e->ind2, e->data, len);
    records++;
    for (int structure = 0; structure < 2; structure++) {
      compare(builtin[0], rec, NULL, structure, -1);
      if (local) compare(local, rec, NULL, structure, -1);
    }
    marc_record_free(rec);
  }
}

/* A local profile with what the built-in schemas lack and the fast path
 * must leave to the generic one: a required subfield, non-repeatable and
 * deprecated subfields, a value pattern, indicator codes and an indicator
 * pattern, a deprecated field, and a field without a subfield schedule. */
static const char profile[] =
    "{\"fields\": {"
    "\"020\": {\"repeatable\": true, \"subfields\": {\"a\": {}, "
    "\"q\": {\"repeatable\": true}, \"z\": {\"repeatable\": true}}},"
    "\"040\": {\"subfields\": {\"a\": {}, \"b\": {}, \"c\": {}, "
    "\"d\": {\"repeatable\": true}, \"e\": {\"repeatable\": true}}},"
    "\"100\": {\"indicator1\": {\"codes\": {\"0\": {}, \"1\": {}, "
    "\"3\": {}}}, \"subfields\": {\"a\": {}, \"d\": {\"pattern\": "
    "\"^[0-9]\"}, \"e\": {\"repeatable\": true}}},"
    "\"245\": {\"indicator1\": {\"codes\": {\"0\": {}, \"1\": {}}}, "
    "\"indicator2\": {\"pattern\": \"[0-9]\"}, \"subfields\": {\"a\": "
    "{\"required\": true}, \"b\": {}, \"c\": {}, \"h\": "
    "{\"deprecated\": true}, \"n\": {\"repeatable\": true}, \"p\": "
    "{\"repeatable\": true}}},"
    "\"650\": {\"repeatable\": true, \"indicator2\": {\"codes\": "
    "{\"0\": {}, \"7\": {}}}, \"subfields\": {\"a\": {}, \"x\": "
    "{\"repeatable\": true}, \"v\": {\"repeatable\": true}, \"z\": "
    "{\"repeatable\": true}, \"2\": {\"required\": true}}},"
    "\"700\": {\"repeatable\": true},"
    "\"500\": {\"repeatable\": true, \"deprecated\": true, "
    "\"subfields\": {\"a\": {}}}}}";

int main(int argc, char **argv) {
  /* The built-in schemas, then the profile. */
  marc_schema *builtin[MARC_SCHEMA_BUILTIN_COUNT_] = {0}, *local;
  marc_error err;
  for (int i = 0; i < MARC_SCHEMA_BUILTIN_COUNT_; i++) {
    builtin[i] = marc_schema_load_builtin((marc_schema_builtin)i, &err);
    CHECK(builtin[i] != NULL);
  }
  local = marc_schema_load(profile, sizeof profile - 1, &err);
  CHECK(local != NULL);
  if (!local) fprintf(stderr, "profile: %s\n", err.message);
  run_edges(builtin, local);
  for (int i = 1; i < argc; i++) run(argv[i], builtin, NULL);
  for (int i = 1; local && i < argc; i++) run(argv[i], builtin, local);
  CHECK(records > 0);
  CHECK(problems_seen > 0); /* the records do have problems to compare */
  fprintf(stderr, "avram_settle: %zu records, %zu comparisons, %zu problems\n",
          records, compared, problems_seen);
  for (int i = 0; i < MARC_SCHEMA_BUILTIN_COUNT_; i++)
    marc_schema_free(builtin[i]);
  marc_schema_free(local);
  return check_done("avram_settle");
}
