/* The golden-error table (expected.tsv) and its notation.
 *
 * One row per file, tab-separated:
 *   root  path  records  fields  diagnostics  [comment]
 * root: "data" (tests/data/errors) or "shared" (the shared reference data,
 * skipped when absent); records: how many records a lenient reader
 * returns; fields: the field count of each record ("18,15,..."), or "*";
 * diagnostics: "-" for none, else space-separated "N:CODE[@OFFSET],..."
 * where N is the 1-based record number, CODE a marc_code_name and OFFSET
 * the absolute byte offset (optional). Lines starting with '#' and blank
 * lines are comments. */
#ifndef MARCATO_TEST_EXPECT_H
#define MARCATO_TEST_EXPECT_H

#include <stddef.h>
#include <stdint.h>

#define EXPECT_MAX_RECORDS 64
#define EXPECT_MAX_DIAGS 64

typedef struct expect_diag {
  char code[40];
  int64_t offset; /* -1 when the table gives none */
} expect_diag;

typedef struct expect_record {
  size_t index; /* 1-based */
  size_t ndiags;
  expect_diag diags[EXPECT_MAX_DIAGS];
} expect_record;

typedef struct expect_row {
  char root[16];
  char path[512];
  size_t records;
  char fields[1024];
  char diags_text[2048];
  size_t nrecords; /* records that have diagnostics */
  expect_record recs[EXPECT_MAX_RECORDS];
} expect_row;

/* Parse one line. Returns 0 for a row, 1 for a comment or blank line, -1
 * when malformed. */
int expect_parse_line(const char *line, expect_row *row);

/* Parse the diagnostics notation into row->recs. Returns 0 or -1. */
int expect_parse_diags(const char *text, expect_row *row);

/* The entry for 1-based record `index`, or NULL when it has none. */
const expect_record *expect_find(const expect_row *row, size_t index);

#endif
