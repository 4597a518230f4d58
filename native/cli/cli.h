/* The marcato command: shared definitions between its source files. */
#ifndef MARCATO_CLI_H
#define MARCATO_CLI_H

#include "marcato.h"

#include <stdint.h>
#include <stdio.h>

/* Exit codes: 0 clean, 1 the input had problems (all reported), 2 usage or
 * I/O error; 130 after SIGINT. */
enum { EXIT_CLEAN = 0, EXIT_PROBLEMS = 1, EXIT_USAGE = 2 };

typedef enum cli_command {
  CMD_DUMP,
  CMD_COUNT,
  CMD_CONVERT,
  CMD_VALIDATE,
  CMD_STATS,
  CMD_FILTER,
  CMD_HEAD,
  CMD_SPLIT
} cli_command;

/* What encoding records are written in. */
typedef enum cli_to_encoding {
  TO_DEFAULT, /* UTF-8 for the text formats, unchanged for ISO 2709 */
  TO_KEEP,
  TO_UTF8,
  TO_MARC8
} cli_to_encoding;

typedef struct cli_split_options {
  uint64_t records;     /* --records N: a new shard every N records */
  uint64_t bytes;       /* --bytes N: shards of at most N bytes */
  uint64_t range_start; /* --range A-B: the records starting in [A, B) */
  uint64_t range_end;   /* 0: no range */
  uint64_t plan;        /* --plan K: print K byte ranges */
} cli_split_options;

typedef struct cli_options {
  cli_command command;
  marc_format to;
  marc_format from;       /* MARC_FORMAT_AUTO sniffs */
  marc_encoding encoding; /* --encoding: the source's, default auto */
  cli_to_encoding to_encoding;
  int nfc;
  const char *output;     /* NULL or "-": stdout; split: shard prefix */
  const char *output_dir; /* -O DIR: one output file per input */
  const char **inputs;    /* "-" is stdin */
  size_t ninputs;
  int strict;
  int quiet;        /* no diagnostics on stderr */
  unsigned threads; /* -j: 0 = online CPUs, 1 = serial */
  int stats;        /* --stats: throughput and latency on stderr */
  uint64_t batch_records, batch_bytes, queue; /* pipeline tuning; 0: auto */
  int progress; /* progress bar: 1 when stderr is a terminal */
  const char *query_text;
  marc_query *query; /* filter */
  uint64_t head;     /* head -n */
  cli_split_options split;
} cli_options;

/* Set by SIGINT: input ends where it is, what was read is written out
 * whole, and the exit code is 130. */
extern volatile int cli_interrupted;

/* Install the SIGINT handler and ignore SIGPIPE (a closed output is
 * seen as EPIPE and ends the run quietly). */
void cli_signals_init(void);

/* Parse argv; on --help/--version/usage errors prints and returns the exit
 * code to use (>= 0), else returns -1 and fills *opt. */
int cli_parse(int argc, char **argv, cli_options *opt);
void cli_options_free(cli_options *opt);

/* Run the command; returns the exit code. */
int cli_run(const cli_options *opt);
int cli_split(const cli_options *opt);
/* split: does a record of `len` bytes start a new shard after one holding
 * `records` records and `bytes` bytes? The one rule both split paths use. */
int cli_split_starts_shard(const cli_split_options *so, uint64_t records,
                           uint64_t bytes, uint64_t len);
/* split --records/--bytes of a regular file: plan, then write the shards
 * concurrently (split_shards.c). */
int cli_split_shards(const cli_options *opt, int fd, const char *path);

#endif
