/* Parsing of the golden-error table; see expect.h for the notation. */
#include "expect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy the next tab-separated column of *p into dst; 0 if absent. */
static int column(const char **p, char *dst, size_t cap) {
  const char *s = *p;
  if (!s) return 0;
  size_t n = strcspn(s, "\t\r\n");
  if (n >= cap) return 0;
  memcpy(dst, s, n);
  dst[n] = 0;
  *p = s[n] == '\t' ? s + n + 1 : NULL;
  return 1;
}

int expect_parse_diags(const char *text, expect_row *row) {
  row->nrecords = 0;
  const char *p = text;
  while (*p == ' ') p++;
  if (strcmp(p, "-") == 0 || !*p) return 0;
  while (*p) {
    if (row->nrecords == EXPECT_MAX_RECORDS) return -1;
    expect_record *r = &row->recs[row->nrecords++];
    char *end;
    unsigned long long idx = strtoull(p, &end, 10);
    if (end == p || *end != ':' || idx == 0) return -1;
    r->index = (size_t)idx;
    r->ndiags = 0;
    p = end + 1;
    for (;;) {
      if (r->ndiags == EXPECT_MAX_DIAGS) return -1;
      expect_diag *d = &r->diags[r->ndiags++];
      size_t n = strcspn(p, "@, ");
      if (!n || n >= sizeof d->code) return -1;
      memcpy(d->code, p, n);
      d->code[n] = 0;
      p += n;
      d->offset = -1;
      if (*p == '@') {
        long long off = strtoll(p + 1, &end, 10);
        if (end == p + 1 || off < 0) return -1;
        d->offset = off;
        p = end;
      }
      if (*p != ',') break;
      p++;
    }
    while (*p == ' ') p++;
  }
  return 0;
}

int expect_parse_line(const char *line, expect_row *row) {
  const char *p = line;
  while (*p == ' ' || *p == '\t') p++;
  if (*p == '#' || *p == '\n' || *p == '\r' || !*p) return 1;
  char records[32];
  p = line;
  if (!column(&p, row->root, sizeof row->root) ||
      !column(&p, row->path, sizeof row->path) ||
      !column(&p, records, sizeof records) ||
      !column(&p, row->fields, sizeof row->fields) ||
      !column(&p, row->diags_text, sizeof row->diags_text))
    return -1;
  if (strcmp(row->root, "data") && strcmp(row->root, "shared")) return -1;
  char *end;
  row->records = (size_t)strtoull(records, &end, 10);
  if (end == records || *end) return -1;
  return expect_parse_diags(row->diags_text, row);
}

const expect_record *expect_find(const expect_row *row, size_t index) {
  for (size_t i = 0; i < row->nrecords; i++)
    if (row->recs[i].index == index) return &row->recs[i];
  return NULL;
}
