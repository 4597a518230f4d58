/* marc_record_validate_schema against its definition: on every record of
 * the files given (real and damaged ones), the diagnostics it adds and the
 * problems it passes to the callback are those of marc_record_validate
 * followed by marc_schema_validate, in the same order, with the built-in
 * schema of the record's type; also when the callback stops the problems
 * early (the structure checks still cover the whole record) and for
 * records built rather than read (offsets at the record's start).
 *   one_pass FILE... */
#include "check.h"
#include "marcato.h"
#include "problem_lines.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t records, mismatches;

/* One record both ways, stopping after `stop_after` problems (-1: none). */
static void compare(const marc_schema *s, const marc_record *rec,
                    int64_t stop_after) {
  marc_record *a = marc_record_clone(rec), *b = marc_record_clone(rec);
  CHECK(a && b);
  if (!a || !b) return;
  lines la = {.stop_after = stop_after}, lb = {.stop_after = stop_after};
  int64_t da = marc_record_validate(a), pa = 0;
  if (s) pa = marc_schema_validate(s, a, NULL, take, &la);
  int64_t db = -2;
  int64_t pb = marc_record_validate_schema(b, s, NULL, take, &lb, &db);
  marc_buf ta = {0}, tb = {0};
  diags_text(a, &ta);
  diags_text(b, &tb);
  int ok = da == db && pa == pb && same(&ta, &tb) && same(&la.text, &lb.text);
  if (!ok && mismatches++ < 3)
    fprintf(stderr,
            "record %" PRIu64 " (stop after %" PRId64 "): diags %" PRId64
            " vs %" PRId64 ", problems %" PRId64 " vs %" PRId64 "\n",
            marc_record_index(rec), stop_after, da, db, pa, pb);
  CHECK(ok);
  marc_buf_free(&ta);
  marc_buf_free(&tb);
  marc_buf_free(&la.text);
  marc_buf_free(&lb.text);
  marc_record_free(a);
  marc_record_free(b);
}

/* The record rebuilt field by field: not placed, so offsets differ. */
static marc_record *rebuilt(const marc_record *rec) {
  marc_record *c = marc_record_new();
  if (!c) return NULL;
  marc_record_set_leader(c, marc_record_leader(rec));
  for (size_t i = 0; i < marc_record_field_count(rec); i++) {
    const marc_field *f = marc_record_field(rec, i);
    marc_record_append_field(c, f->tag, (char)f->ind1, (char)f->ind2,
                             marc_record_bytes(rec) + f->off, f->len);
  }
  return c;
}

static void run(const char *path, marc_schema *const *builtin) {
  marc_reader *r = reader_of_file(path);
  CHECK(r != NULL);
  if (!r) return;
  marc_record *rec;
  while (marc_reader_next(r, &rec) == MARC_OK) {
    int k = marc_schema_builtin_for(marc_record_leader(rec)[6]);
    const marc_schema *s =
        k < 0 || marc_record_damaged(rec) ? NULL : builtin[k];
    records++;
    compare(s, rec, -1);
    compare(s, rec, 1);
    compare(s, rec, 3);
    marc_record *c = rebuilt(rec);
    if (c) compare(s, c, -1);
    marc_record_free(c);
  }
  marc_reader_free(r);
}

int main(int argc, char **argv) {
  marc_schema *builtin[MARC_SCHEMA_BUILTIN_COUNT_] = {0};
  marc_error err;
  for (int i = 0; i < MARC_SCHEMA_BUILTIN_COUNT_; i++) {
    builtin[i] = marc_schema_load_builtin((marc_schema_builtin)i, &err);
    CHECK(builtin[i] != NULL);
  }
  for (int i = 1; i < argc; i++) run(argv[i], builtin);
  CHECK(records > 0);
  fprintf(stderr, "one_pass: %zu records\n", records);
  for (int i = 0; i < MARC_SCHEMA_BUILTIN_COUNT_; i++)
    marc_schema_free(builtin[i]);
  return check_done("one_pass");
}
