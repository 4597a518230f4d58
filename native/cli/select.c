/* marcato select: one row per record, one column per MARCspec, as TSV,
 * CSV (RFC 4180) or JSON Lines. Rows are written by the worker threads
 * into their batch's output (cli_process_record), so this file touches
 * only its arguments. */
#include "run.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int cli_select_format_parse(const char *s, cli_select_format *f) {
  if (!strcmp(s, "tsv")) *f = SELECT_TSV;
  else if (!strcmp(s, "csv")) *f = SELECT_CSV;
  else if (!strcmp(s, "jsonl")) *f = SELECT_JSONL;
  else return 0;
  return 1;
}

int cli_select_compile(cli_options *opt, marc_error *err, size_t *bad) {
  opt->spec = calloc(opt->nspecs ? opt->nspecs : 1, sizeof *opt->spec);
  if (!opt->spec) {
    memset(err, 0, sizeof *err);
    snprintf(err->message, sizeof err->message, "out of memory");
    *bad = 0;
    return 0;
  }
  for (size_t i = 0; i < opt->nspecs; i++) {
    opt->spec[i] =
        marc_spec_compile_flags(opt->spec_text[i], MARC_SPEC_TRAJECT, err);
    if (!opt->spec[i]) {
      *bad = i;
      return 0;
    }
  }
  return 1;
}

void cli_select_free(cli_options *opt) {
  for (size_t i = 0; opt->spec && i < opt->nspecs; i++)
    marc_spec_free(opt->spec[i]);
  free(opt->spec);
  free(opt->spec_text);
  opt->spec = NULL;
  opt->spec_text = NULL;
}

/* Append p[0..n) with every byte that is not part of well-formed UTF-8
 * replaced by U+FFFD: records that claim UTF-8 are not always, and the
 * readers of CSV and JSON (DuckDB, Python) refuse such bytes. */
static marc_status put_utf8(marc_buf *out, const uint8_t *p, size_t n,
                            marc_status (*put)(marc_buf *, const uint8_t *,
                                               size_t)) {
  while (n) {
    size_t bad = n;
    if (marc_utf8_check(p, n, &bad) != MARC_UTF8_INVALID) bad = n;
    if (put(out, p, bad) != MARC_OK) return MARC_E_NOMEM;
    if (bad == n) break;
    if (marc_buf_append(out, "\xEF\xBF\xBD", 3) != MARC_OK) return MARC_E_NOMEM;
    p += bad + 1;
    n -= bad + 1;
  }
  return MARC_OK;
}

/* TSV has no quoting: tabs and line breaks in a value become spaces. */
static marc_status put_tsv(marc_buf *out, const uint8_t *p, size_t n) {
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] != '\t' && p[i] != '\n' && p[i] != '\r') continue;
    if (marc_buf_append(out, p + run, i - run) != MARC_OK ||
        marc_buf_append(out, " ", 1) != MARC_OK)
      return MARC_E_NOMEM;
    run = i + 1;
  }
  return marc_buf_append(out, p + run, n - run);
}

/* CSV: the cell is quoted as a whole by the caller; quotes doubled. */
static marc_status put_csv(marc_buf *out, const uint8_t *p, size_t n) {
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] != '"') continue;
    if (marc_buf_append(out, p + run, i + 1 - run) != MARC_OK ||
        marc_buf_append(out, "\"", 1) != MARC_OK)
      return MARC_E_NOMEM;
    run = i + 1;
  }
  return marc_buf_append(out, p + run, n - run);
}

/* A JSON string's contents: " and \ escaped, controls as \u00XX. */
static marc_status put_json(marc_buf *out, const uint8_t *p, size_t n) {
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    char esc[8];
    if (p[i] == '"' || p[i] == '\\') snprintf(esc, sizeof esc, "\\%c", p[i]);
    else if (p[i] < 0x20) snprintf(esc, sizeof esc, "\\u%04x", p[i]);
    else continue;
    if (marc_buf_append(out, p + run, i - run) != MARC_OK ||
        marc_buf_append(out, esc, strlen(esc)) != MARC_OK)
      return MARC_E_NOMEM;
    run = i + 1;
  }
  return marc_buf_append(out, p + run, n - run);
}

typedef marc_status (*put_fn)(marc_buf *, const uint8_t *, size_t);

static put_fn put_for(cli_select_format f) {
  return f == SELECT_CSV ? put_csv : f == SELECT_JSONL ? put_json : put_tsv;
}

/* CSV quotes every spec cell, whatever it holds (values may hold , " CR
 * LF or the join separator): one rule, and no reader has to guess. */
static const char *open_cell(cli_select_format f) {
  return f == SELECT_CSV ? "\"" : f == SELECT_JSONL ? "[" : "";
}

static const char *close_cell(cli_select_format f) {
  return f == SELECT_CSV ? "\"" : f == SELECT_JSONL ? "]" : "";
}

static const char *column_sep(cli_select_format f) {
  return f == SELECT_CSV ? "," : f == SELECT_JSONL ? ", " : "\t";
}

static const char *row_end(cli_select_format f) {
  return f == SELECT_CSV ? "\r\n" : f == SELECT_JSONL ? "}\n" : "\n";
}

static marc_status put_str(marc_buf *out, const char *s) {
  return marc_buf_append(out, s, strlen(s));
}

marc_status cli_select_header(const cli_options *opt, marc_buf *out) {
  cli_select_format f = opt->select_format;
  if (f == SELECT_JSONL) return MARC_OK; /* the keys name the columns */
  marc_status s = put_str(out, "record");
  for (size_t i = 0; s == MARC_OK && i < opt->nspecs; i++) {
    const uint8_t *t = (const uint8_t *)opt->spec_text[i];
    s = put_str(out, column_sep(f));
    if (s == MARC_OK) s = put_str(out, open_cell(f));
    if (s == MARC_OK) s = put_utf8(out, t, strlen((const char *)t), put_for(f));
    if (s == MARC_OK) s = put_str(out, close_cell(f));
  }
  return s == MARC_OK ? put_str(out, row_end(f)) : s;
}

typedef struct row {
  marc_buf *out;
  const cli_options *opt;
  size_t values;
  marc_status status;
} row;

static int value_cb(void *user, const marc_spec_value *v) {
  row *r = user;
  const cli_options *opt = r->opt;
  cli_select_format f = opt->select_format;
  marc_status s = MARC_OK;
  if (r->values++) {
    if (f == SELECT_JSONL) s = put_str(r->out, ", ");
    else
      s = put_utf8(r->out, (const uint8_t *)opt->join, strlen(opt->join),
                   put_for(f));
  }
  if (s == MARC_OK && f == SELECT_JSONL) s = put_str(r->out, "\"");
  if (s == MARC_OK) s = put_utf8(r->out, v->data, v->len, put_for(f));
  if (s == MARC_OK && f == SELECT_JSONL) s = put_str(r->out, "\"");
  r->status = s;
  return s != MARC_OK;
}

marc_status cli_select_row(const cli_options *opt, const marc_record *rec,
                           marc_buf *out, marc_buf *scratch) {
  cli_select_format f = opt->select_format;
  char num[48];
  snprintf(num, sizeof num,
           f == SELECT_JSONL ? "{\"record\": %" PRIu64 : "%" PRIu64,
           marc_record_index(rec) + 1);
  marc_status s = put_str(out, num);
  for (size_t i = 0; s == MARC_OK && i < opt->nspecs; i++) {
    s = put_str(out, column_sep(f));
    if (s == MARC_OK && f == SELECT_JSONL) {
      const uint8_t *t = (const uint8_t *)opt->spec_text[i];
      s = put_str(out, "\"");
      if (s == MARC_OK) s = put_utf8(out, t, strlen((const char *)t), put_json);
      if (s == MARC_OK) s = put_str(out, "\": ");
    }
    if (s == MARC_OK) s = put_str(out, open_cell(f));
    row r = {out, opt, 0, MARC_OK};
    if (s == MARC_OK)
      s = marc_spec_eval(opt->spec[i], rec, scratch, value_cb, &r);
    if (s == MARC_OK) s = r.status;
    if (s == MARC_OK) s = put_str(out, close_cell(f));
  }
  return s == MARC_OK ? put_str(out, row_end(f)) : s;
}
