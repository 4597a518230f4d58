/* marcato validate: structure checks, Avram schemas, the summary report
 * and rejected records (validate.c, validate_report.c). */
#ifndef MARCATO_CLI_VALIDATE_H
#define MARCATO_CLI_VALIDATE_H

#include "cli.h"

/* Problem kinds of the report: Avram rules, then the core's structure
 * codes (marc_code) at VAL_STRUCTURE + code. */
#define VAL_STRUCTURE 64

/* One kind of problem at one place: rule, tag, subfield code, indicator
 * and position (a pointer owned by the schema, stable for the run). */
typedef struct val_key {
  int kind;
  char tag[4];
  char code;
  uint8_t indicator;
  const char *position;
} val_key;

/* What one worker thread counted; merged at the end. */
typedef struct val_summary val_summary;
typedef struct cli_validate cli_validate;

struct cli_validate {
#ifdef MARCATO_HAVE_AVRAM
  marc_schema *custom; /* --schema FILE */
  marc_schema *builtin[MARC_SCHEMA_BUILTIN_COUNT_];
  marc_schema_options rules;
  /* --schema with a counting rule on: one counter per worker. */
  marc_schema_counter **counters;
#endif
  val_summary **sums; /* one per worker, made by the worker */
  unsigned nsums;
  FILE *reject; /* --reject FILE */
};

/* Load the schemas and open the reject file for `validate`; -1 when all is
 * well, else the exit code (a bad schema is a usage error, exit 2, with
 * the JSON Pointer of the problem). */
int cli_validate_init(cli_options *opt);
/* --rules "+localField,-undefinedField": into opt->rules_*; -1 for a
 * name that is not a rule. */
int cli_validate_rules(const char *list, cli_options *opt);
void cli_validate_free(cli_validate *v);

/* Check one record: structure, then its schema (unless too damaged).
 * Problem lines go to `msgs` (none with --summary); with --reject the
 * record goes to `out` framed for cli_validate_emit. Returns 1 when the
 * record has problems, 0 when not, -1 when out of memory. */
int cli_validate_record(const cli_options *opt, unsigned worker,
                        marc_record *rec, const char *file, marc_buf *out,
                        marc_buf *msgs);

/* --reject: write a batch's framed records, the clean ones to `good`, the
 * others to the reject file. 0, or -1 when a write failed. */
int cli_validate_emit(const cli_options *opt, FILE *good, const marc_buf *out);

/* The closing lines: records and records with problems, and with
 * --summary the report (text, or JSON with -t json). `f` is the output
 * (stderr is used when the output holds the clean records). */
/* Returns the number of counting problems (countRecord...), which are
 * about the whole run and printed here. */
int64_t cli_validate_report(const cli_options *opt, FILE *f, uint64_t records,
                            uint64_t with_problems);

/* validate_report.c */
val_summary *val_summary_new(void);
void val_summary_free(val_summary *s);
/* Count one problem of record `record` (0-based); -1 out of memory. */
int val_summary_add(val_summary *s, const val_key *k, const char *label,
                    uint64_t record);
/* The record's problems are all counted: records per kind. */
void val_summary_end_record(val_summary *s);
void val_summary_schema(val_summary *s, int which); /* -1: none */
int val_summary_merge(val_summary *into, const val_summary *from);
void val_summary_print(const val_summary *s, const cli_options *opt, FILE *f,
                       uint64_t records, uint64_t with_problems);
/* Name of a kind: the Avram rule or the structure code. */
const char *val_kind_name(int kind);

#endif
