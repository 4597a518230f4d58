/* Running a record command: read each input, turn each record into output
 * and diagnostic lines, write them in input order. Native builds run the
 * threaded pipeline (-j N); builds without threads (WASI) and -j 1 read
 * serially through the same per-record function. */
#include "cli.h"
#include "progress.h"
#include "stats.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef MARCATO_HAVE_PIPELINE
#include "marcato_pipeline.h"

#include <pthread.h>
#include <signal.h>
#endif

#define READ_CHUNK ((size_t)1 << 20)
#define FLUSH_AT ((size_t)1 << 20)

/* What one worker thread accumulates; merged at the end. */
typedef struct worker_state {
  cli_stats *stats;          /* stats command */
  uint64_t with_problems;    /* validate: records with a problem */
} worker_state;

typedef struct run_state {
  const cli_options *opt;
  const char *file; /* name used in diagnostics */
  int fd;
  FILE *out;
  const char *out_name;
  uint64_t records;    /* records of the inputs finished so far */
  uint64_t file_base;  /* head: records before the current input */
  worker_state *workers;
  unsigned nworkers;
  cli_progress progress;
  atomic_uint_least64_t bytes_read; /* of the current input */
  int problems; /* some input had a diagnostic */
  int failed;   /* a fatal error (I/O) happened */
  int stop;     /* strict mode hit a problem */
  int closed;   /* the output was closed (EPIPE): stop quietly */
} run_state;

static void format_diag(marc_buf *msgs, const char *file, const marc_diag *d) {
  char line[512];
  int n = snprintf(line, sizeof line,
                   "%s: record %" PRIu64 " at byte %" PRIu64 ": %s%s%s%s %s\n",
                   file, d->record + 1, d->offset, marc_code_name(d->code),
                   d->tag[0] ? " [" : "", d->tag, d->tag[0] ? "]" : "",
                   d->msg);
  if (n > 0)
    marc_buf_append(msgs, line,
                    (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static marc_status write_record(const run_state *st, const marc_record *rec,
                                marc_buf *out, marc_buf *msgs) {
  marc_diag err;
  marc_status s = st->opt->to == FMT_MRK ? marc_write_mrk(rec, out)
                                         : marc_write_iso2709(rec, out, &err);
  if (s == MARC_E_TOO_LONG) {
    err.offset = marc_record_offset(rec);
    format_diag(msgs, st->file, &err);
  }
  return s;
}

/* Output and diagnostics for one record; returns non-zero to stop (strict
 * mode and a problem, head reached its count). Touches only its arguments
 * and its worker's state, so it runs on many threads at once. */
static int process_record(const run_state *st, marc_record *rec,
                          marc_buf *out, marc_buf *msgs, unsigned worker) {
  const cli_options *opt = st->opt;
  worker_state *ws = &st->workers[worker];
  if (opt->command == CMD_HEAD &&
      st->file_base + marc_record_index(rec) >= opt->head)
    return 1;
  if (opt->command == CMD_VALIDATE) {
    if (marc_record_validate(rec) < 0) return 1;
    if (marc_record_diag_count(rec)) ws->with_problems++;
  }
  size_t ndiag = marc_record_diag_count(rec);
  for (size_t i = 0; i < ndiag; i++)
    format_diag(msgs, st->file, marc_record_diag(rec, i));
  if (opt->strict && ndiag) return 1;
  marc_status s = MARC_OK;
  switch (opt->command) {
  case CMD_COUNT:
  case CMD_VALIDATE:
  case CMD_SPLIT: return 0;
  case CMD_STATS: cli_stats_add(ws->stats, rec); return 0;
  case CMD_FILTER:
    if (!marc_query_match(opt->query, rec)) return 0;
    s = write_record(st, rec, out, msgs);
    break;
  case CMD_DUMP:
  case CMD_CONVERT:
  case CMD_HEAD: s = write_record(st, rec, out, msgs); break;
  }
  if (s == MARC_E_TOO_LONG) return opt->strict;
  if (s != MARC_OK) {
    const char *m = "marcato: out of memory\n";
    marc_buf_append(msgs, m, strlen(m));
    return 1;
  }
  return 0;
}

/* Write a batch's output and messages. */
static int emit(run_state *st, const marc_buf *out, const marc_buf *msgs) {
  if (msgs->len) {
    st->problems = 1;
    if (!st->opt->quiet) {
      cli_progress_clear(&st->progress);
      fwrite(msgs->data, 1, msgs->len, stderr);
    }
  }
  if (out->len && fwrite(out->data, 1, out->len, st->out) != out->len) {
    if (errno == EPIPE) {
      st->closed = 1;
      return -1;
    }
    fprintf(stderr, "marcato: cannot write %s: %s\n", st->out_name,
            strerror(errno));
    st->failed = 1;
    return -1;
  }
  cli_progress_update(&st->progress, atomic_load(&st->bytes_read));
  return 0;
}

/* Reads the input; after SIGINT it reports the end of input, so what was
 * read is finished and written whole. */
static int64_t read_input(void *src, void *buf, size_t n) {
  run_state *st = src;
  for (;;) {
    if (cli_interrupted) return 0;
    ssize_t got = read(st->fd, buf, n);
    if (got > 0) atomic_fetch_add(&st->bytes_read, (uint64_t)got);
    if (got >= 0 || errno != EINTR) return (int64_t)got;
  }
}

#ifdef MARCATO_HAVE_PIPELINE
static int on_record(void *user, marc_record *rec, marc_buf *out,
                     marc_buf *msgs, unsigned worker) {
  return process_record(user, rec, out, msgs, worker);
}

static int on_batch(void *user, const marc_buf *out, const marc_buf *msgs) {
  return emit(user, out, msgs);
}

/* SIGINT must interrupt a read blocked on the reader thread, so only that
 * thread takes it: the others inherit it blocked from run_parallel. */
static int64_t read_on_reader_thread(void *src, void *buf, size_t n) {
  static _Thread_local int unblocked;
  if (!unblocked) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    unblocked = 1;
  }
  return read_input(src, buf, n);
}

static void print_stats(const run_state *st, const marc_pipeline_stats *s) {
  fprintf(stderr,
          "%s: %" PRIu64 " records, %.1f MB in %.3f s (%.0f records/s, "
          "%.1f MB/s) on %u threads; first record after %.2f ms; batch "
          "latency p50 %.2f ms p95 %.2f ms p99 %.2f ms; waits: reader "
          "%.3f s, workers %.3f s, sink %.3f s, locks %.4f s\n",
          st->file, s->records, (double)s->bytes / 1e6, s->seconds,
          (double)s->records / s->seconds,
          (double)s->bytes / 1e6 / s->seconds, s->threads,
          s->first_record_seconds * 1e3, s->latency_p50 * 1e3,
          s->latency_p95 * 1e3, s->latency_p99 * 1e3, s->reader_wait_seconds,
          s->worker_wait_seconds, s->sink_wait_seconds,
          s->lock_wait_seconds);
}

static void run_parallel(run_state *st) {
  marc_pipeline_options po = {.threads = st->nworkers,
                              .strict = st->opt->strict,
                              .batch_records = st->opt->batch_records,
                              .batch_bytes = st->opt->batch_bytes,
                              .queue_capacity = st->opt->queue};
  marc_pipeline_stats stats;
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, &old);
  int rc = marc_pipeline_run(&po, read_on_reader_thread, st, on_record,
                             on_batch, st, &stats);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  st->records += stats.records;
  if (rc < 0) {
    fprintf(stderr, "marcato: cannot read %s: %s\n", st->file,
            strerror(errno));
    st->failed = 1;
  } else if (rc > 0 && !st->failed && !st->closed &&
             st->opt->command != CMD_HEAD) {
    st->stop = 1;
  }
  if (st->opt->stats) print_stats(st, &stats);
}
#endif

/* The serial path: one reader, output flushed in large writes. */
static void run_serial(run_state *st) {
  marc_reader *r = marc_reader_new(NULL);
  uint8_t *chunk = malloc(READ_CHUNK);
  marc_buf out = {0}, msgs = {0};
  if (!r || !chunk) {
    fprintf(stderr, "marcato: out of memory\n");
    st->failed = 1;
    goto done;
  }
  int eof = 0;
  for (;;) {
    marc_record *rec;
    marc_status s = marc_reader_next(r, &rec);
    if (s == MARC_OK) {
      int stop = process_record(st, rec, &out, &msgs, 0);
      if (!(stop && st->opt->command == CMD_HEAD)) st->records++;
      if (stop || cli_interrupted || out.len >= FLUSH_AT ||
          msgs.len >= FLUSH_AT) {
        if (emit(st, &out, &msgs) != 0) break;
        out.len = msgs.len = 0;
      }
      if (stop) {
        if (st->opt->command != CMD_HEAD) st->stop = 1;
        break;
      }
      continue;
    }
    if (s == MARC_END) break;
    if (s != MARC_NEED_MORE || eof) {
      fprintf(stderr, "marcato: %s: %s\n", st->file, marc_status_str(s));
      st->failed = 1;
      break;
    }
    int64_t n = read_input(st, chunk, READ_CHUNK);
    if (n < 0) {
      fprintf(stderr, "marcato: cannot read %s: %s\n", st->file,
              strerror(errno));
      st->failed = 1;
      break;
    }
    if (n == 0) {
      eof = 1;
      marc_reader_finish(r);
    } else {
      marc_reader_feed(r, chunk, (size_t)n);
    }
  }
  emit(st, &out, &msgs);
done:
  marc_buf_free(&out);
  marc_buf_free(&msgs);
  free(chunk);
  marc_reader_free(r);
}

static void run_input(run_state *st, const char *path) {
  int stdin_input = !strcmp(path, "-");
  st->file = stdin_input ? "<stdin>" : path;
  st->fd = stdin_input ? 0 : open(path, O_RDONLY);
  if (st->fd < 0) {
    fprintf(stderr, "marcato: cannot open %s: %s\n", path, strerror(errno));
    st->failed = 1;
    return;
  }
  struct stat sb;
  uint64_t size = fstat(st->fd, &sb) == 0 && S_ISREG(sb.st_mode)
                      ? (uint64_t)sb.st_size
                      : 0;
  atomic_store(&st->bytes_read, 0);
  cli_progress_start(&st->progress, st->opt->progress, st->file, size);
  st->file_base = st->records;
#ifdef MARCATO_HAVE_PIPELINE
  if (st->nworkers != 1)
    run_parallel(st);
  else
#endif
    run_serial(st);
  cli_progress_clear(&st->progress);
  if (!stdin_input) close(st->fd);
}

static unsigned worker_count(const cli_options *opt) {
#ifdef MARCATO_HAVE_PIPELINE
  return opt->threads ? opt->threads : marc_pipeline_cpus();
#else
  (void)opt;
  return 1;
#endif
}

int cli_run(const cli_options *opt) {
  if (opt->command == CMD_SPLIT) return cli_split(opt);
  run_state st = {.opt = opt, .out = stdout, .out_name = "<stdout>"};
  st.nworkers = worker_count(opt);
  st.workers = calloc(st.nworkers, sizeof *st.workers);
  if (!st.workers) {
    fprintf(stderr, "marcato: out of memory\n");
    return EXIT_USAGE;
  }
  for (unsigned w = 0; w < st.nworkers && opt->command == CMD_STATS; w++)
    if (!(st.workers[w].stats = cli_stats_new())) {
      fprintf(stderr, "marcato: out of memory\n");
      st.failed = 1;
    }
  if (!st.failed && opt->output && strcmp(opt->output, "-")) {
    st.out = fopen(opt->output, "wb");
    st.out_name = opt->output;
    if (!st.out) {
      fprintf(stderr, "marcato: cannot create %s: %s\n", opt->output,
              strerror(errno));
      st.out = stdout;
      st.failed = 1;
    }
  }
  for (size_t i = 0; i < opt->ninputs && !st.failed && !st.stop &&
                     !st.closed && !cli_interrupted;
       i++) {
    run_input(&st, opt->inputs[i]);
    if (opt->command == CMD_HEAD && st.records >= opt->head) break;
  }
  if (!st.failed && !st.closed) {
    if (opt->command == CMD_COUNT)
      fprintf(st.out, "%" PRIu64 "\n", st.records);
    if (opt->command == CMD_STATS) {
      for (unsigned w = 1; w < st.nworkers; w++)
        cli_stats_merge(st.workers[0].stats, st.workers[w].stats);
      cli_stats_print(st.workers[0].stats, st.out);
    }
    if (opt->command == CMD_VALIDATE) {
      uint64_t bad = 0;
      for (unsigned w = 0; w < st.nworkers; w++)
        bad += st.workers[w].with_problems;
      fprintf(st.out, "%" PRIu64 " records, %" PRIu64 " with problems\n",
              st.records, bad);
      if (bad) st.problems = 1;
    }
  }
  if (fflush(st.out) != 0 && !st.failed && errno != EPIPE) {
    fprintf(stderr, "marcato: cannot write %s: %s\n", st.out_name,
            strerror(errno));
    st.failed = 1;
  }
  if (st.out != stdout) fclose(st.out);
  for (unsigned w = 0; w < st.nworkers; w++)
    cli_stats_free(st.workers[w].stats);
  free(st.workers);
  if (st.failed) return EXIT_USAGE;
  if (cli_interrupted) return 130; /* 128 + SIGINT, as shells report it */
  return st.problems ? EXIT_PROBLEMS : EXIT_CLEAN;
}
