/* One record of a run: check it, convert it to the output encoding, write
 * it in the output format and its diagnostics as lines. Runs on the worker
 * threads (or serially), touching only its arguments and its worker's
 * state. */
#include "run.h"
#include "validate.h"

#include <inttypes.h>
#include <string.h>

void cli_format_diag(marc_buf *msgs, const char *file, const marc_diag *d) {
  char line[512];
  int n = snprintf(line, sizeof line,
                   "%s: record %" PRIu64 " at byte %" PRIu64 ": %s%s%s%s %s\n",
                   file, d->record + 1, d->offset, marc_code_name(d->code),
                   d->tag[0] ? " [" : "", d->tag, d->tag[0] ? "]" : "", d->msg);
  if (n > 0)
    marc_buf_append(msgs, line,
                    (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void out_of_memory(marc_buf *msgs) {
  const char *m = "marcato: out of memory\n";
  marc_buf_append(msgs, m, strlen(m));
}

/* A change the writer makes to keep its output valid, reported as a
 * diagnostic of the record. */
typedef struct change_ctx {
  const char *file;
  marc_buf *msgs;
} change_ctx;

static void report_change(void *user, const marc_diag *d) {
  const change_ctx *c = user;
  cli_format_diag(c->msgs, c->file, d);
}

/* The record in the output format. Records of a JSON array each start
 * with the separator: batches are written on many threads at once, so
 * none knows whether it holds the first record; output.c drops the very
 * first separator. */
static marc_status write_record(const char *file, marc_format to,
                                const marc_record *rec, marc_buf *out,
                                marc_buf *msgs) {
  change_ctx ctx = {file, msgs};
  marc_status s = marc_write_reporting(
      rec, to, MARC_WRITE_IN_COLLECTION | MARC_WRITE_NOT_FIRST, out,
      report_change, &ctx);
  if (s == MARC_E_TOO_LONG || s == MARC_E_INVALID) {
    /* Only ISO 2709 has a length limit or refuses a record that would not
     * read back as itself; ask it which field did. */
    marc_diag err;
    if (marc_write_iso2709(rec, out, &err) == s) {
      err.offset = marc_record_offset(rec);
      cli_format_diag(msgs, file, &err);
    }
  }
  return s;
}

/* Does the record need converting to the output encoding? A record that
 * says UTF-8 but holds bytes that are not, or double-encoded UTF-8 (auto
 * encoding), goes through the conversion too (text output is UTF-8): it
 * writes U+FFFD for each bad byte and reports it (UTF8_INVALID), and
 * repairs the double encoding (ENCODING_REPAIRED), instead of copying. */
static int needs_conversion(const cli_options *opt, const marc_record *rec) {
  char l09 = marc_record_leader(rec)[9];
  switch (opt->to_encoding) {
  case TO_UTF8:
    return l09 != 'a' || opt->nfc || opt->encoding != MARC_ENC_AUTO ||
           marc_record_utf8_needs_repair(rec, opt->encoding);
  case TO_MARC8: return l09 == 'a' || opt->encoding == MARC_ENC_UTF8;
  default: return 0;
  }
}

/* The record converted to the output encoding in *conv; non-zero when
 * out of memory, with the reason in msgs. Its diagnostics are the
 * source's plus the conversion's, with their own codes (MARC8_BAD_ESCAPE
 * ...): in strict mode the caller stops at the first, as the wasm glue
 * does. */
static int convert(const cli_options *opt, const marc_record *rec,
                   marc_record **conv, marc_buf *msgs) {
  marc_charset_options co = {.encoding = opt->encoding, .nfc = opt->nfc};
  /* Every problem becomes a diagnostic of the converted record (the first
   * 64: the record's diagnostics are capped about there too). */
  marc_charset_issue issue[64];
  marc_charset_log log = {issue, 64, 0};
  marc_status s = opt->to_encoding == TO_MARC8
                      ? marc_record_to_marc8(rec, &co, conv, &log)
                      : marc_record_to_utf8(rec, &co, conv, &log);
  if (s != MARC_OK) {
    out_of_memory(msgs);
    return 1;
  }
  return 0;
}

int cli_process_record(const run_state *st, size_t input, marc_record *rec,
                       marc_buf *out, marc_buf *msgs, unsigned worker) {
  const cli_options *opt = st->opt;
  const char *file = st->inputs[input].name;
  worker_state *ws = &st->workers[worker];
  int writes =
      opt->command == CMD_DUMP || opt->command == CMD_CONVERT ||
      opt->command == CMD_HEAD || opt->command == CMD_SELECT ||
      (opt->command == CMD_FILTER && marc_query_match(opt->query, rec));
  if (opt->command == CMD_VALIDATE) {
    /* validate.c writes the record's lines (and --reject its bytes). */
    int r = cli_validate_record(opt, worker, rec, file, out, msgs);
    if (r < 0) {
      out_of_memory(msgs);
      return 1;
    }
    if (r) ws->with_problems++;
    return opt->strict && r;
  }
  if (opt->command == CMD_STATS) cli_stats_add(ws->stats, rec);
  marc_record *conv = NULL;
  const marc_record *shown = rec;
  if (writes && needs_conversion(opt, rec)) {
    if (convert(opt, rec, &conv, msgs)) return 1;
    shown = conv;
  }
  size_t ndiag = marc_record_diag_count(shown);
  int stop = opt->strict && ndiag;
  /* Strict mode: the first problem is the error (one line). */
  if (stop) ndiag = 1;
  for (size_t i = 0; i < ndiag; i++)
    cli_format_diag(msgs, file, marc_record_diag(shown, i));
  if (!stop && writes) {
    marc_status s = opt->command == CMD_SELECT
                        ? cli_select_row(opt, shown, out, &ws->scratch)
                        : write_record(file, opt->to, shown, out, msgs);
    if (s == MARC_E_TOO_LONG || s == MARC_E_INVALID) {
      stop = opt->strict;
    } else if (s != MARC_OK) {
      out_of_memory(msgs);
      stop = 1;
    }
  }
  marc_record_free(conv);
  return stop;
}
