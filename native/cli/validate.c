/* marcato validate: the structure checks every build has
 * (marc_record_validate), then, where the core has Avram validation, each
 * record against the schema of its type (leader/06: the built-in MARC 21
 * bibliographic, authority or holdings schema) or the --schema FILE.
 * Runs on the worker threads: a record touches only its worker's
 * summary. */
#include "run.h"
#include "validate.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#ifdef MARCATO_HAVE_AVRAM
static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  marc_buf b = {0};
  /* Read straight into the buffer: WASI's stack is 64 KiB in all. */
  size_t n = 0;
  for (;;) {
    if (marc_buf_reserve(&b, 65536) != MARC_OK) break;
    n = fread(b.data + b.len, 1, b.cap - b.len, f);
    if (!n) break;
    b.len += n;
  }
  int bad = ferror(f) || !feof(f);
  fclose(f);
  if (bad) {
    marc_buf_free(&b);
    return NULL;
  }
  *len = b.len;
  if (!b.data) return calloc(1, 1);
  return (char *)b.data;
}
#endif

int cli_validate_rules(const char *list, cli_options *opt) {
  while (*list) {
    const char *end = strchr(list, ',');
    size_t n = end ? (size_t)(end - list) : strlen(list);
    int off = list[0] == '-';
    size_t skip = list[0] == '-' || list[0] == '+';
    char name[64];
    if (n <= skip || n - skip >= sizeof name) return -1;
    memcpy(name, list + skip, n - skip);
    name[n - skip] = 0;
#ifdef MARCATO_HAVE_AVRAM
    int r = marc_schema_rule_from_name(name);
#else
    int r = -1;
#endif
    if (r < 0) return -1;
    if (off) {
      opt->rules_disable |= 1u << r;
      opt->rules_enable &= ~(1u << r);
    } else {
      opt->rules_enable |= 1u << r;
      opt->rules_disable &= ~(1u << r);
    }
    list += n + (end != NULL);
  }
  return 0;
}

int cli_validate_init(cli_options *opt) {
  cli_validate *v = calloc(1, sizeof *v);
  if (!v) return EXIT_USAGE;
  opt->validate = v;
  /* Worker indexes go up to the -j limit. */
  v->nsums = 1025;
  if (!(v->sums = calloc(v->nsums, sizeof *v->sums))) return EXIT_USAGE;
#ifdef MARCATO_HAVE_AVRAM
  v->rules.enable = opt->rules_enable;
  v->rules.disable = opt->rules_disable;
  marc_error err;
  if (opt->schema_path) {
    size_t len = 0;
    char *json = read_all(opt->schema_path, &len);
    if (!json) {
      fprintf(stderr, "marcato: cannot read schema %s: %s\n", opt->schema_path,
              strerror(errno));
      return EXIT_USAGE;
    }
    v->custom = marc_schema_load(json, len, &err);
    free(json);
    if (!v->custom) {
      fprintf(stderr, "marcato: %s: not a valid Avram schema: %s\n",
              opt->schema_path, err.message);
      return EXIT_USAGE;
    }
    uint32_t counting = (1u << MARC_AV_COUNT_RECORD) |
                        (1u << MARC_AV_COUNT_FIELD) |
                        (1u << MARC_AV_COUNT_SUBFIELD);
    if ((opt->rules_enable & counting) &&
        !(v->counters = calloc(v->nsums, sizeof *v->counters)))
      return EXIT_USAGE;
  } else if (opt->rules_enable &
             ((1u << MARC_AV_COUNT_RECORD) | (1u << MARC_AV_COUNT_FIELD) |
              (1u << MARC_AV_COUNT_SUBFIELD))) {
    /* The built-in schemas give no counts to check. */
    fprintf(stderr, "marcato: the counting rules need --schema FILE with "
                    "\"records\" or \"total\" counts\n");
    return EXIT_USAGE;
  } else if (!opt->no_schema) {
    for (int i = 0; i < MARC_SCHEMA_BUILTIN_COUNT_; i++)
      if (!(v->builtin[i] =
                marc_schema_load_builtin((marc_schema_builtin)i, &err))) {
        fprintf(stderr, "marcato: built-in schema: %s\n", err.message);
        return EXIT_USAGE;
      }
  }
#else
  if (opt->schema_path || opt->rules_enable || opt->rules_disable) {
    fprintf(stderr, "marcato: this build has no Avram validation (it needs "
                    "cJSON); only the structure checks run\n");
    return EXIT_USAGE;
  }
#endif
  if (opt->reject_path && !(v->reject = fopen(opt->reject_path, "wb"))) {
    fprintf(stderr, "marcato: cannot create %s: %s\n", opt->reject_path,
            strerror(errno));
    return EXIT_USAGE;
  }
  return -1;
}

void cli_validate_free(cli_validate *v) {
  if (!v) return;
#ifdef MARCATO_HAVE_AVRAM
  for (unsigned i = 0; v->counters && i < v->nsums; i++)
    marc_schema_counter_free(v->counters[i]);
  free(v->counters);
  marc_schema_free(v->custom);
  for (int i = 0; i < MARC_SCHEMA_BUILTIN_COUNT_; i++)
    marc_schema_free(v->builtin[i]);
#endif
  for (unsigned i = 0; v->sums && i < v->nsums; i++)
    val_summary_free(v->sums[i]);
  free(v->sums);
  if (v->reject) fclose(v->reject);
  free(v);
}

/* What the schema callback needs. */
typedef struct rec_ctx {
  const cli_options *opt;
  const char *file;
  marc_buf *msgs;
  val_summary *sum;
  int nomem;
} rec_ctx;

#ifdef MARCATO_HAVE_AVRAM
/* One problem line, as the structure diagnostics are written:
 *   FILE: record N at byte OFFSET: RULE [245$a] message */
static int on_problem(void *ctx, const marc_schema_problem *p) {
  rec_ctx *c = ctx;
  val_key k = {.kind = (int)p->rule,
               .code = p->code,
               .indicator = p->indicator,
               .position = p->position};
  memcpy(k.tag, p->tag, 3);
  if (c->sum && val_summary_add(c->sum, &k, p->label, p->record) < 0)
    c->nomem = 1;
  if (c->opt->summary) return 0;
  char msg[200], where[32], line[512];
  marc_schema_problem_message(p, msg, sizeof msg);
  if (p->code)
    snprintf(where, sizeof where, " [%.3s$%c]", p->tag,
             p->code > 0x20 && p->code < 0x7F ? p->code : '?');
  else if (p->tag[0]) snprintf(where, sizeof where, " [%.3s]", p->tag);
  else where[0] = 0;
  int n = snprintf(line, sizeof line,
                   "%s: record %" PRIu64 " at byte %" PRIu64 ": %s%s %s\n",
                   c->file, p->record + 1, p->offset,
                   marc_schema_rule_name(p->rule), where, msg);
  if (n > 0 &&
      marc_buf_append(c->msgs, line,
                      (size_t)n < sizeof line ? (size_t)n : sizeof line - 1) !=
          MARC_OK)
    c->nomem = 1;
  return 0;
}

static const marc_schema *schema_for(const cli_validate *v,
                                     const marc_record *rec, int *which) {
  *which = -1;
  if (v->custom) return v->custom;
  int k = marc_schema_builtin_for(marc_record_leader(rec)[6]);
  if (k < 0 || !v->builtin[k]) return NULL;
  *which = k;
  return v->builtin[k];
}
#endif

/* --reject: a record framed for cli_validate_emit: its channel (1 rejected,
 * 0 clean), its length (8 bytes, host order) and its ISO 2709 bytes (the
 * bytes as read when the record came from ISO 2709 input, so a rejected
 * record can be mended and read again as it was). */
static int frame_record(const marc_record *rec, int rejected, marc_buf *out) {
  size_t at = out->len;
  uint8_t head[9] = {(uint8_t)rejected};
  if (marc_buf_append(out, head, sizeof head) != MARC_OK) return -1;
  const uint8_t *raw = marc_record_bytes(rec);
  size_t len = marc_record_raw_length(rec);
  /* A record parsed from ISO 2709 keeps its raw bytes, leader first;
   * records built from text formats are written. */
  if (raw && len >= 24 && !memcmp(raw, marc_record_leader(rec), 24)) {
    if (marc_buf_append(out, raw, len) != MARC_OK) return -1;
  } else {
    marc_status s = marc_write_iso2709(rec, out, NULL);
    if (s == MARC_E_NOMEM) return -1;
  }
  uint64_t n = (uint64_t)(out->len - at - sizeof head);
  memcpy(out->data + at + 1, &n, sizeof n);
  return 0;
}

static void reverse(uint8_t *lo, uint8_t *end) {
  for (uint8_t *hi = end - 1; lo < hi; lo++, hi--) {
    uint8_t t = *lo;
    *lo = *hi;
    *hi = t;
  }
}

/* Swap the adjacent byte runs [p, p + a) and [p + a, p + a + b) in
 * place. */
static void swap_runs(uint8_t *p, size_t a, size_t b) {
  reverse(p, p + a);
  reverse(p + a, p + a + b);
  reverse(p, p + a + b);
}

int cli_validate_record(const cli_options *opt, unsigned worker,
                        marc_record *rec, const char *file, marc_buf *out,
                        marc_buf *msgs) {
  cli_validate *v = opt->validate;
  val_summary *sum = NULL;
  if (opt->summary && worker < v->nsums) {
    if (!v->sums[worker] && !(v->sums[worker] = val_summary_new())) return -1;
    sum = v->sums[worker];
  }
  int64_t found = 0;
  size_t start = msgs->len;
#ifdef MARCATO_HAVE_AVRAM
  /* Structure and schema in one pass: the schema's problem lines come
   * first in `msgs`, the structure lines are put before them below. */
  rec_ctx c = {.opt = opt, .file = file, .msgs = msgs, .sum = sum};
  int which = -1;
  const marc_schema *s =
      marc_record_damaged(rec) ? NULL : schema_for(v, rec, &which);
  if (sum) val_summary_schema(sum, s ? which : -2);
  found = marc_record_validate_schema(rec, s, &v->rules, on_problem, &c, NULL);
  if (found < 0 || c.nomem) return -1;
  if (v->counters && worker < v->nsums) {
    if (!v->counters[worker] &&
        !(v->counters[worker] = marc_schema_counter_new(v->custom)))
      return -1;
    marc_schema_counter_add(v->counters[worker], rec);
  }
#else
  if (marc_record_validate(rec) < 0) return -1;
  if (sum) val_summary_schema(sum, -2);
#endif
  size_t schema_end = msgs->len;
  size_t ndiag = marc_record_diag_count(rec);
  for (size_t i = 0; i < ndiag; i++) {
    const marc_diag *d = marc_record_diag(rec, i);
    if (!opt->summary) cli_format_diag(msgs, file, d);
    val_key k = {.kind = VAL_STRUCTURE + (int)d->code};
    memcpy(k.tag, d->tag, 3);
    if (sum && val_summary_add(sum, &k, NULL, d->record) < 0) return -1;
  }
  if (schema_end > start && msgs->len > schema_end)
    swap_runs(msgs->data + start, schema_end - start, msgs->len - schema_end);
  if (sum) val_summary_end_record(sum);
  int problems = ndiag || found;
  if (v->reject && frame_record(rec, problems, out) < 0) return -1;
  return problems;
}

int cli_validate_emit(const cli_options *opt, FILE *good, const marc_buf *out) {
  const uint8_t *p = out->data, *end = out->data + out->len;
  while (p + 9 <= end) {
    uint64_t n;
    memcpy(&n, p + 1, sizeof n);
    FILE *f = p[0] ? opt->validate->reject : good;
    if (n > (uint64_t)(end - p - 9) || fwrite(p + 9, 1, (size_t)n, f) != n)
      return -1;
    p += 9 + n;
  }
  return 0;
}

#ifdef MARCATO_HAVE_AVRAM
/* A counting problem: about the whole run, so no record number. */
static int on_count(void *ctx, const marc_schema_problem *p) {
  const cli_options *opt = ctx;
  char msg[200];
  marc_schema_problem_message(p, msg, sizeof msg);
  if (!opt->quiet)
    fprintf(stderr, "%s: %s%s%.3s%s %s\n", opt->schema_path,
            marc_schema_rule_name(p->rule), p->tag[0] ? " [" : "", p->tag,
            p->tag[0] ? "]" : "", msg);
  return 0;
}

/* The counts of every worker, checked against the schema's. */
static int64_t check_counts(const cli_options *opt) {
  cli_validate *v = opt->validate;
  marc_schema_counter *all = NULL;
  for (unsigned i = 0; v->counters && i < v->nsums; i++) {
    if (!v->counters[i]) continue;
    if (!all) all = v->counters[i];
    else marc_schema_counter_merge(all, v->counters[i]);
  }
  marc_schema_counter *none = NULL;
  if (!all && v->counters) all = none = marc_schema_counter_new(v->custom);
  int64_t n =
      all ? marc_schema_counter_check(all, &v->rules, on_count, (void *)opt)
          : 0;
  marc_schema_counter_free(none);
  return n;
}
#endif

int64_t cli_validate_report(const cli_options *opt, FILE *f, uint64_t records,
                            uint64_t with_problems) {
  cli_validate *v = opt->validate;
  int64_t counted = 0;
#ifdef MARCATO_HAVE_AVRAM
  if (v && v->counters) counted = check_counts(opt);
#endif
  /* The output holds the clean records with --reject: report elsewhere. */
  if (opt->reject_path) f = stderr;
  val_summary *all = NULL;
  for (unsigned i = 0; v && i < v->nsums; i++) {
    if (!v->sums[i]) continue;
    if (!all) {
      all = v->sums[i];
    } else if (val_summary_merge(all, v->sums[i]) < 0) {
      fprintf(stderr, "marcato: out of memory\n");
      return counted;
    }
  }
  if (opt->summary) {
    val_summary_print(all, opt, f, records, with_problems);
    return counted;
  }
  fprintf(f, "%" PRIu64 " records, %" PRIu64 " with problems\n", records,
          with_problems);
#ifdef MARCATO_HAVE_AVRAM
  if (v && v->custom)
    fprintf(f, "schema: %s\n",
            marc_schema_title(v->custom)[0] ? marc_schema_title(v->custom)
                                            : opt->schema_path);
  else if (v && v->builtin[0])
    fprintf(f, "schemas: MARC 21 bibliographic; authority and holdings "
               "are partial (fields they omit are not reported)\n");
#endif
  return counted;
}
