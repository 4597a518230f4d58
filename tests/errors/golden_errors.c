/* Golden errors: for every malformed file listed in expected.tsv, the
 * lenient reader must recover the stated records and fields and report
 * the stated diagnostics (and offsets, where given); feeding the file one
 * byte at a time must change nothing; strict mode must stop on exactly the
 * records that have diagnostics, with the first one's code and offset,
 * and go on reading after each.
 *
 * usage: golden_errors EXPECTED.tsv DATA_DIR SHARED_DIR
 * Rows whose root is "shared" are skipped when SHARED_DIR lacks the file
 * (GPL/Artistic data is not copied into the project). */
#include "check.h"
#include "common/dump.h"
#include "expect.h"

#include "marcato.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a reader produced for one file, in the table's notation. */
typedef struct outcome {
  size_t records;
  char diags[8192];  /* "N:CODE@OFF,CODE@OFF N:..." */
  char fields[4096]; /* "n,n,..." */
  int bounds_ok;     /* every diagnostic inside its record's bytes */
  size_t trailing;   /* problems after the last record (MARC_E_INVALID) */
} outcome;

/* Append printf output to a fixed buffer, truncating when full. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void
appendf(char *dst, size_t cap, const char *fmt, ...) {
  size_t len = strlen(dst);
  if (len + 1 >= cap) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(dst + len, cap - len, fmt, ap);
  va_end(ap);
}

/* Read `data` with `chunk`-byte feeds (0: all at once), lenient. */
static int read_lenient(const uint8_t *data, size_t n, size_t chunk,
                        outcome *out) {
  memset(out, 0, sizeof *out);
  out->bounds_ok = 1;
  marc_reader *r = marc_reader_new(NULL);
  if (!r) return -1;
  size_t pos = 0;
  uint64_t prev_end = 0;
  for (;;) {
    marc_record *rec;
    marc_status s = marc_reader_next(r, &rec);
    if (s == MARC_NEED_MORE) {
      size_t k = chunk && n - pos > chunk ? chunk : n - pos;
      if (k) {
        marc_reader_feed(r, data + pos, k);
        pos += k;
      } else {
        marc_reader_finish(r);
      }
      continue;
    }
    if (s == MARC_END) break;
    if (s == MARC_E_INVALID) {
      /* Bytes after the last record: reported as the record that would
       * come next, which never does. */
      const marc_diag *d = marc_reader_error(r);
      if (d->record != out->records || d->offset < prev_end) out->bounds_ok = 0;
      appendf(out->diags, sizeof out->diags, " %zu:%s@%llu", out->records + 1,
              marc_code_name(d->code), (unsigned long long)d->offset);
      out->trailing++;
      continue;
    }
    if (s != MARC_OK) {
      marc_reader_free(r);
      return -1;
    }
    size_t idx = out->records++;
    uint64_t start = marc_record_offset(rec);
    uint64_t end = start + marc_record_raw_length(rec);
    if (marc_record_index(rec) != idx || start < prev_end) out->bounds_ok = 0;
    size_t nd = marc_record_diag_count(rec);
    for (size_t i = 0; i < nd; i++) {
      const marc_diag *d = marc_record_diag(rec, i);
      /* A diagnostic lies in its record, or in the junk just before it. */
      if (d->record != idx || d->offset < prev_end || d->offset > end)
        out->bounds_ok = 0;
      if (i == 0) appendf(out->diags, sizeof out->diags, " %zu:", idx + 1);
      appendf(out->diags, sizeof out->diags, "%s%s@%llu", i ? "," : "",
              marc_code_name(d->code), (unsigned long long)d->offset);
    }
    appendf(out->fields, sizeof out->fields, "%s%zu", idx ? "," : "",
            marc_record_field_count(rec));
    prev_end = end;
  }
  marc_reader_free(r);
  return 0;
}

/* Strict mode: each record with diagnostics gives MARC_E_INVALID with the
 * first diagnostic; the next call goes on. */
static void check_strict(const char *path, const uint8_t *data, size_t n,
                         const expect_row *row, const outcome *lenient) {
  marc_reader_options opt = {0};
  opt.strict = 1;
  marc_reader *r = marc_reader_new(&opt);
  CHECK(r != NULL);
  if (!r) return;
  marc_reader_feed(r, data, n);
  marc_reader_finish(r);
  size_t seen = 0;
  for (;;) {
    marc_record *rec;
    marc_status s = marc_reader_next(r, &rec);
    if (s == MARC_END) break;
    const expect_record *want = expect_find(row, seen + 1);
    if (s == MARC_OK) {
      if (want && want->ndiags)
        fprintf(stderr, "%s: strict: record %zu was not rejected\n", path,
                seen + 1);
      CHECK(!want || !want->ndiags);
    } else {
      CHECK_EQ_INT(s, MARC_E_INVALID);
      if (s != MARC_E_INVALID) break;
      const marc_diag *e = marc_reader_error(r);
      CHECK(want && want->ndiags);
      if (want && want->ndiags) {
        CHECK_EQ_STR(marc_code_name(e->code), want->diags[0].code);
        if (want->diags[0].offset >= 0)
          CHECK_EQ_INT(e->offset, want->diags[0].offset);
      }
      CHECK_EQ_INT(e->record, seen);
      CHECK(e->msg != NULL && e->msg[0] != 0);
    }
    seen++;
  }
  CHECK_EQ_INT(seen, lenient->records + lenient->trailing);
  marc_reader_free(r);
}

/* The table's diagnostics, with offsets only where the table gives them,
 * rebuilt from what the reader said, for a readable comparison. */
static void project(const outcome *o, const expect_row *row, char *dst,
                    size_t cap) {
  dst[0] = 0;
  static expect_row got;
  if (expect_parse_diags(o->diags, &got) != 0) {
    snprintf(dst, cap, "(too many diagnostics to compare)");
    return;
  }
  for (size_t i = 0; i < got.nrecords; i++) {
    const expect_record *g = &got.recs[i];
    const expect_record *w = expect_find(row, g->index);
    for (size_t j = 0; j < g->ndiags; j++) {
      int with_off = w && j < w->ndiags && w->diags[j].offset >= 0;
      size_t len = strlen(dst);
      if (len >= cap) break;
      if (j == 0)
        snprintf(dst + len, cap - len, "%s%zu:", len ? " " : "", g->index);
      len = strlen(dst);
      if (with_off)
        snprintf(dst + len, cap - len, "%s%s@%lld", j ? "," : "",
                 g->diags[j].code, (long long)g->diags[j].offset);
      else
        snprintf(dst + len, cap - len, "%s%s", j ? "," : "", g->diags[j].code);
    }
  }
  if (!dst[0]) snprintf(dst, cap, "-");
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s EXPECTED.tsv DATA_DIR SHARED_DIR\n", argv[0]);
    return 2;
  }
  FILE *tsv = fopen(argv[1], "r");
  if (!tsv) {
    perror(argv[1]);
    return 2;
  }
  char line[4096];
  size_t lineno = 0, files = 0, skipped = 0;
  static expect_row row; /* large: keep it off the stack */
  while (fgets(line, sizeof line, tsv)) {
    lineno++;
    int pr = expect_parse_line(line, &row);
    if (pr > 0) continue; /* comment or blank */
    if (pr < 0) {
      fprintf(stderr, "%s:%zu: malformed row\n", argv[1], lineno);
      CHECK(pr == 0);
      continue;
    }
    int shared = strcmp(row.root, "shared") == 0;
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", shared ? argv[3] : argv[2], row.path);
    uint8_t *data;
    size_t n;
    if (test_read_file(path, &data, &n) != 0) {
      if (shared) {
        skipped++;
        continue;
      }
      fprintf(stderr, "%s: cannot read\n", path);
      CHECK(0);
      continue;
    }
    files++;
    static outcome whole, bytewise;
    CHECK_EQ_INT(read_lenient(data, n, 0, &whole), 0);
    CHECK_EQ_INT(read_lenient(data, n, 1, &bytewise), 0);

    char got[8192];
    project(&whole, &row, got, sizeof got);
    if (whole.records != row.records || strcmp(got, row.diags_text) != 0 ||
        (strcmp(row.fields, "*") && strcmp(whole.fields, row.fields))) {
      fprintf(stderr,
              "%s:\n  want %zu records, fields %s, diags %s\n"
              "  got  %zu records, fields %s, diags %s\n",
              row.path, row.records, row.fields, row.diags_text, whole.records,
              whole.fields, got);
    }
    CHECK_EQ_INT(whole.records, row.records);
    CHECK_EQ_STR(got, row.diags_text);
    if (strcmp(row.fields, "*")) CHECK_EQ_STR(whole.fields, row.fields);
    if (!whole.bounds_ok)
      fprintf(stderr, "%s: a diagnostic or record lies outside its record\n",
              row.path);
    CHECK(whole.bounds_ok);
    /* Same records, fields, codes and offsets for one-byte chunks. */
    CHECK_EQ_INT(bytewise.records, whole.records);
    CHECK_EQ_STR(bytewise.diags, whole.diags);
    CHECK_EQ_STR(bytewise.fields, whole.fields);
    check_strict(row.path, data, n, &row, &whole);
    free(data);
  }
  fclose(tsv);
  printf("golden_errors: %zu files checked, %zu skipped (shared data "
         "absent)\n",
         files, skipped);
  CHECK(files > 0);
  return check_done("golden_errors");
}
