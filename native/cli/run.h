/* Running a record command: the state the run's files share (run.c drives
 * the run, record.c turns a record into output, output.c writes it,
 * input.c reads the inputs). */
#ifndef MARCATO_CLI_RUN_H
#define MARCATO_CLI_RUN_H

#include "cli.h"
#include "progress.h"
#include "stats.h"

#include <stdatomic.h>

#ifdef MARCATO_HAVE_PIPELINE
#include <pthread.h>
#endif

/* What one worker thread accumulates; merged at the end. */
typedef struct worker_state {
  cli_stats *stats;       /* stats command */
  uint64_t with_problems; /* validate: records with a problem */
  marc_buf scratch;       /* select: data fields' text */
} worker_state;

/* An output file: the formats that wrap their records (a MARCXML
 * collection, a JSON array) get their opening before the first record and
 * their closing at the end, even when no record was written. */
typedef struct cli_output {
  FILE *f;
  int started; /* opening written */
  int records; /* a record was written (JSON: drop the first separator) */
} cli_output;

/* Bytes read from the start of an input to learn its format; read_input
 * hands them out first, so no input is read twice (a pipe or FIFO could
 * not be). */
#define CLI_HEAD 64

typedef struct cli_input {
  const char *path;
  const char *name; /* in diagnostics: the path, or <stdin> */
  int fd;           /* -1 until opened, -2 after its end */
  struct run_state *st;
  cli_output out; /* -O: this input's output file */
  char out_path[4096];
  uint8_t head[CLI_HEAD]; /* first bytes, read by cli_input_sniff */
  size_t head_len, head_pos;
  int reopen_skip; /* a regular file closed after sniffing: skip the head
                      when it is opened again */
} cli_input;

typedef struct run_state {
  const cli_options *opt;
  cli_input *inputs;
  cli_output out;
  const char *out_name;
  uint64_t records;
  worker_state *workers;
  unsigned nworkers;
  cli_progress progress;
  atomic_uint_least64_t bytes_read;
#ifdef MARCATO_HAVE_PIPELINE
  /* With -O the sink runs on the workers (one output file per input,
   * written concurrently): this guards stderr, the flags and progress. */
  pthread_mutex_t lock;
#endif
  int problems; /* some input had a diagnostic */
  int failed;   /* a fatal error (I/O) happened */
  int stop;     /* strict mode hit a problem */
  int closed;   /* the output was closed (EPIPE): stop quietly */
} run_state;

/* Guard what the workers share (stderr, flags, progress) where there are
 * workers. */
#ifdef MARCATO_HAVE_PIPELINE
#define cli_shared_lock(st) pthread_mutex_lock(&(st)->lock)
#define cli_shared_unlock(st) pthread_mutex_unlock(&(st)->lock)
#else
#define cli_shared_lock(st) ((void)(st))
#define cli_shared_unlock(st) ((void)(st))
#endif

/* record.c */
/* Append the line "FILE: record N at byte OFFSET: CODE [TAG] message". */
void cli_format_diag(marc_buf *msgs, const char *file, const marc_diag *d);
/* Output and diagnostics for one record; non-zero to stop (strict mode
 * and a problem). Touches only its arguments and its worker's state, so
 * it runs on many threads at once. */
int cli_process_record(const run_state *st, size_t input, marc_record *rec,
                       marc_buf *out, marc_buf *msgs, unsigned worker);

/* output.c */
/* Write a batch's output and messages, in input order; -1 to stop. */
int cli_emit(run_state *st, size_t input, const marc_buf *out,
             const marc_buf *msgs, int input_done);
/* The end of an output: its opening if nothing was written, its closing. */
int cli_output_finish(cli_output *o, marc_format to);
/* -O: work out every input's output path; 1 when two would clash. */
int cli_output_paths_clash(run_state *st);
int cli_output_is_input(const run_state *st, const char *path);
/* A write failed: note it (EPIPE: the reader left, stop quietly). */
void cli_write_failed(run_state *st, const char *name);

/* input.c */
/* marcato_pipeline read callback over a cli_input: its head first, then
 * the rest, opened on first use and closed at its end (so thousands of
 * inputs never hold thousands of descriptors). After SIGINT it reports the
 * end of input. Returns 0 for ever once the end was seen. */
int64_t cli_read_input(void *src, void *buf, size_t n);
/* The format of an input, from its first CLI_HEAD bytes (kept for
 * cli_read_input); MARC_FORMAT_NONE when it cannot be opened or read
 * (reported when it is read). */
marc_format cli_input_sniff(cli_input *in);

#endif
