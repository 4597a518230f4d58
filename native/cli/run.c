/* Running a command: read each input, turn each record into output text
 * and diagnostic lines, write them in input order. Native builds run the
 * threaded pipeline (-j N); builds without threads (WASI) read serially
 * through the same per-record function. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef MARCATO_HAVE_PIPELINE
#include "marcato_pipeline.h"

#include <pthread.h>
#include <signal.h>
#endif

#define READ_CHUNK ((size_t)1 << 20)
#define FLUSH_AT ((size_t)1 << 20)

typedef struct run_state {
  const cli_options *opt;
  const char *file; /* name used in diagnostics */
  FILE *out;
  const char *out_name;
  uint64_t records;
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

/* Output and diagnostics for one record; returns non-zero to stop (strict
 * mode and a problem). Thread-safe: touches only its arguments. */
static int process_record(const run_state *st, const marc_record *rec,
                          marc_buf *out, marc_buf *msgs) {
  size_t ndiag = marc_record_diag_count(rec);
  for (size_t i = 0; i < ndiag; i++)
    format_diag(msgs, st->file, marc_record_diag(rec, i));
  if (st->opt->strict && ndiag) return 1;
  marc_status s = MARC_OK;
  marc_diag err;
  switch (st->opt->command) {
  case CMD_COUNT: return 0;
  case CMD_DUMP: s = marc_write_mrk(rec, out); break;
  case CMD_CONVERT:
    s = st->opt->to == FMT_MRK ? marc_write_mrk(rec, out)
                               : marc_write_iso2709(rec, out, &err);
    break;
  }
  if (s == MARC_E_TOO_LONG) {
    err.offset = marc_record_offset(rec);
    format_diag(msgs, st->file, &err);
    return st->opt->strict;
  }
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
    if (!st->opt->quiet) fwrite(msgs->data, 1, msgs->len, stderr);
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
  return 0;
}

/* Reads the input; after SIGINT it reports the end of input, so what was
 * read is finished and written whole. */
static int64_t read_fd(void *src, void *buf, size_t n) {
  for (;;) {
    if (cli_interrupted) return 0;
    ssize_t got = read(*(int *)src, buf, n);
    if (got >= 0 || errno != EINTR) return (int64_t)got;
  }
}

#ifdef MARCATO_HAVE_PIPELINE
static int on_record(void *user, const marc_record *rec, marc_buf *out,
                     marc_buf *msgs, unsigned worker) {
  (void)worker;
  return process_record(user, rec, out, msgs);
}

static int on_batch(void *user, const marc_buf *out, const marc_buf *msgs) {
  return emit(user, out, msgs);
}

/* SIGINT must interrupt a read blocked on the reader thread, so only that
 * thread takes it: the others inherit it blocked from run_parallel. */
static int64_t read_fd_reader_thread(void *src, void *buf, size_t n) {
  static _Thread_local int unblocked;
  if (!unblocked) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    unblocked = 1;
  }
  return read_fd(src, buf, n);
}

static void run_parallel(run_state *st, int fd) {
  marc_pipeline_options po = {.threads = st->opt->threads,
                              .strict = st->opt->strict};
  marc_pipeline_stats stats;
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, &old);
  int rc = marc_pipeline_run(&po, read_fd_reader_thread, &fd, on_record,
                             on_batch, st, &stats);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  st->records += stats.records;
  if (rc < 0) {
    fprintf(stderr, "marcato: cannot read %s: %s\n", st->file,
            strerror(errno));
    st->failed = 1;
  } else if (rc > 0 && !st->failed && !st->closed) {
    st->stop = 1;
  }
  if (st->opt->stats)
    fprintf(stderr,
            "%s: %" PRIu64 " records, %.1f MB in %.3f s (%.0f records/s, "
            "%.1f MB/s) on %u threads; first record after %.2f ms; batch "
            "latency p50 %.2f ms p95 %.2f ms p99 %.2f ms; waits: reader "
            "%.3f s, workers %.3f s, sink %.3f s, locks %.4f s\n",
            st->file, stats.records, (double)stats.bytes / 1e6,
            stats.seconds, (double)stats.records / stats.seconds,
            (double)stats.bytes / 1e6 / stats.seconds, stats.threads,
            stats.first_record_seconds * 1e3, stats.latency_p50 * 1e3,
            stats.latency_p95 * 1e3, stats.latency_p99 * 1e3,
            stats.reader_wait_seconds, stats.worker_wait_seconds,
            stats.sink_wait_seconds, stats.lock_wait_seconds);
}
#endif

/* The serial path: one reader, output flushed in large writes. */
static void run_serial(run_state *st, int fd) {
  marc_reader_options ropt = {.strict = 0};
  marc_reader *r = marc_reader_new(&ropt);
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
      st->records++;
      int stop = process_record(st, rec, &out, &msgs);
      if (stop || cli_interrupted || out.len >= FLUSH_AT ||
          msgs.len >= FLUSH_AT) {
        if (emit(st, &out, &msgs) != 0) break;
        out.len = msgs.len = 0;
      }
      if (stop) {
        st->stop = 1;
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
    int64_t n = read_fd(&fd, chunk, READ_CHUNK);
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
  int fd = stdin_input ? 0 : open(path, O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "marcato: cannot open %s: %s\n", path, strerror(errno));
    st->failed = 1;
    return;
  }
#ifdef MARCATO_HAVE_PIPELINE
  if (st->opt->threads != 1)
    run_parallel(st, fd);
  else
#endif
    run_serial(st, fd);
  if (!stdin_input) close(fd);
}

int cli_run(const cli_options *opt) {
  run_state st = {.opt = opt, .out = stdout, .out_name = "<stdout>"};
  if (opt->output && strcmp(opt->output, "-")) {
    st.out = fopen(opt->output, "wb");
    st.out_name = opt->output;
    if (!st.out) {
      fprintf(stderr, "marcato: cannot create %s: %s\n", opt->output,
              strerror(errno));
      return EXIT_USAGE;
    }
  }
  for (size_t i = 0; i < opt->ninputs && !st.failed && !st.stop &&
                     !st.closed && !cli_interrupted;
       i++)
    run_input(&st, opt->inputs[i]);
  if (opt->command == CMD_COUNT && !st.failed && !st.closed)
    fprintf(st.out, "%" PRIu64 "\n", st.records);
  if (fflush(st.out) != 0 && !st.failed && errno != EPIPE) {
    fprintf(stderr, "marcato: cannot write %s: %s\n", st.out_name,
            strerror(errno));
    st.failed = 1;
  }
  if (st.out != stdout) fclose(st.out);
  if (st.failed) return EXIT_USAGE;
  if (cli_interrupted) return 130; /* 128 + SIGINT, as shells report it */
  return st.problems ? EXIT_PROBLEMS : EXIT_CLEAN;
}
