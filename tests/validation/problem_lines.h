/* What the validation tests compare, as text: each problem a callback is
 * given (every member, and the message) as a line, optionally asking to
 * stop after some; each diagnostic of a record as a line; and the records
 * of a file. Shared by one_pass.c and avram_settle.c. */
#ifndef MARCATO_PROBLEM_LINES_H
#define MARCATO_PROBLEM_LINES_H

#include "marcato.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Problems as text, one line each, and how many to take before asking to
 * stop (-1: all). */
typedef struct lines {
  marc_buf text;
  int64_t n, stop_after;
} lines;

/* A marc_schema_callback: the problem as a line of l->text. */
static int take(void *ctx, const marc_schema_problem *p) {
  lines *l = ctx;
  char msg[200], line[400];
  marc_schema_problem_message(p, msg, sizeof msg);
  int k = snprintf(line, sizeof line,
                   "%s %s %d %u %s %" PRIu64 " %" PRIu64 " %s %s %s %s\n",
                   marc_schema_rule_name(p->rule), p->tag, p->code,
                   p->indicator, p->position ? p->position : "-", p->offset,
                   p->record, p->label ? p->label : "-", p->id ? p->id : "-",
                   p->type ? p->type : "-", msg);
  if (k > 0) marc_buf_append(&l->text, line, strlen(line));
  l->n++;
  return l->stop_after >= 0 && l->n >= l->stop_after;
}

/* The record's diagnostics, a line each, appended to out. */
static void diags_text(const marc_record *rec, marc_buf *out) {
  for (size_t i = 0; i < marc_record_diag_count(rec); i++) {
    const marc_diag *d = marc_record_diag(rec, i);
    char line[400];
    snprintf(line, sizeof line, "%s %s %" PRIu64 " %s\n",
             marc_code_name(d->code), d->tag, d->offset, d->msg);
    marc_buf_append(out, line, strlen(line));
  }
}

static int same(const marc_buf *a, const marc_buf *b) {
  return a->len == b->len && (!a->len || !memcmp(a->data, b->data, a->len));
}

/* A reader over the whole file at `path` (finished), or NULL when the
 * file cannot be read. */
static marc_reader *reader_of_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  marc_reader *r = marc_reader_new(NULL);
  uint8_t buf[65536];
  size_t n;
  while (r && (n = fread(buf, 1, sizeof buf, f)) > 0)
    marc_reader_feed(r, buf, n);
  fclose(f);
  if (r) marc_reader_finish(r);
  return r;
}

#endif
