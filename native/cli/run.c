/* Running a record command: read the inputs, turn each record into output
 * and diagnostic lines, write them in input order. Native builds run the
 * threaded pipeline over all inputs at once (-j N); builds without threads
 * (WASI), -j 1 and head read serially through the same per-record
 * function. */
#include "cli.h"
#include "progress.h"
#include "source.h"
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
  cli_stats *stats;       /* stats command */
  uint64_t with_problems; /* validate: records with a problem */
} worker_state;

/* An output file: the formats that wrap their records (a MARCXML
 * collection, a JSON array) get their opening before the first record and
 * their closing at the end, even when no record was written. */
typedef struct cli_output {
  FILE *f;
  int started; /* opening written */
  int records; /* a record was written (JSON: drop the first separator) */
} cli_output;

typedef struct cli_input {
  const char *path;
  const char *name; /* in diagnostics: the path, or <stdin> */
  int fd;           /* -1 until opened */
  struct run_state *st;
  cli_output out; /* -O: this input's output file */
  char out_path[4096];
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

static void shared_lock(run_state *st) {
#ifdef MARCATO_HAVE_PIPELINE
  pthread_mutex_lock(&st->lock);
#else
  (void)st;
#endif
}

static void shared_unlock(run_state *st) {
#ifdef MARCATO_HAVE_PIPELINE
  pthread_mutex_unlock(&st->lock);
#else
  (void)st;
#endif
}

static void format_diag(marc_buf *msgs, const char *file, const marc_diag *d) {
  char line[512];
  int n = snprintf(line, sizeof line,
                   "%s: record %" PRIu64 " at byte %" PRIu64 ": %s%s%s%s %s\n",
                   file, d->record + 1, d->offset, marc_code_name(d->code),
                   d->tag[0] ? " [" : "", d->tag, d->tag[0] ? "]" : "", d->msg);
  if (n > 0)
    marc_buf_append(msgs, line,
                    (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* Separator the JSON array writer puts before every record; the output
 * drops it before the very first record (see output_write). */
#define JSON_SEP ",\n"
#define JSON_SEP_LEN 2

static marc_status write_record(const char *file, cli_format to,
                                const marc_record *rec, marc_buf *out,
                                marc_buf *msgs) {
  marc_diag err;
  marc_status s = MARC_OK;
  switch (to) {
  case FMT_ISO2709:
    s = marc_write_iso2709(rec, out, &err);
    if (s == MARC_E_TOO_LONG) {
      err.offset = marc_record_offset(rec);
      format_diag(msgs, file, &err);
    }
    return s;
  case FMT_MRK: return marc_write_mrk(rec, out);
  case FMT_TEXT: return marc_write_text(rec, out);
  case FMT_MARCXML: return marc_write_marcxml(rec, out, MARC_XML_IN_COLLECTION);
  case FMT_JSONL: return marc_write_jsonl(rec, out);
  case FMT_JSON:
    s = marc_buf_append(out, JSON_SEP, JSON_SEP_LEN);
    return s == MARC_OK ? marc_write_json(rec, out) : s;
  }
  return MARC_E_ARG;
}

/* Does the record need converting to the output encoding? */
static int needs_conversion(const cli_options *opt, const marc_record *rec) {
  char l09 = marc_record_leader(rec)[9];
  switch (opt->to_encoding) {
  case TO_UTF8: return l09 != 'a' || opt->nfc || opt->encoding != MARC_ENC_AUTO;
  case TO_MARC8: return l09 == 'a' || opt->encoding == MARC_ENC_UTF8;
  default: return 0;
  }
}

/* Output and diagnostics for one record; returns non-zero to stop (strict
 * mode and a problem). Touches only its arguments and its worker's state,
 * so it runs on many threads at once. */
static int process_record(const run_state *st, size_t input, marc_record *rec,
                          marc_buf *out, marc_buf *msgs, unsigned worker) {
  const cli_options *opt = st->opt;
  const char *file = st->inputs[input].name;
  worker_state *ws = &st->workers[worker];
  int writes =
      opt->command == CMD_DUMP || opt->command == CMD_CONVERT ||
      opt->command == CMD_HEAD ||
      (opt->command == CMD_FILTER && marc_query_match(opt->query, rec));
  if (opt->command == CMD_VALIDATE) {
    if (marc_record_validate(rec) < 0) return 1;
    if (marc_record_diag_count(rec)) ws->with_problems++;
  }
  if (opt->command == CMD_STATS) cli_stats_add(ws->stats, rec);
  /* The record written: converted to the output encoding when needed; its
   * diagnostics are the source's plus the conversion's. */
  marc_record *conv = NULL;
  const marc_record *shown = rec;
  if (writes && needs_conversion(opt, rec)) {
    marc_charset_options co = {
        .encoding = opt->encoding, .nfc = opt->nfc, .strict = opt->strict};
    /* Every problem becomes a diagnostic of the converted record (the
     * first 64: the record's diagnostics are capped about there too). */
    marc_charset_issue issue[64];
    marc_charset_log log = {issue, 64, 0};
    marc_status s = opt->to_encoding == TO_MARC8
                        ? marc_record_to_marc8(rec, &co, &conv, &log)
                        : marc_record_to_utf8(rec, &co, &conv, &log);
    if (s == MARC_E_INVALID) {
      marc_diag d = {.code = MARC_D_NONE,
                     .record = marc_record_index(rec),
                     .offset = marc_record_offset(rec) + issue[0].offset,
                     .msg = marc_charset_code_name(issue[0].code)};
      memcpy(d.tag, issue[0].tag, 4);
      for (size_t i = 0; i < marc_record_diag_count(rec); i++)
        format_diag(msgs, file, marc_record_diag(rec, i));
      format_diag(msgs, file, &d);
      return 1;
    }
    if (s != MARC_OK) {
      const char *m = "marcato: out of memory\n";
      marc_buf_append(msgs, m, strlen(m));
      return 1;
    }
    shown = conv;
  }
  size_t ndiag = marc_record_diag_count(shown);
  for (size_t i = 0; i < ndiag; i++)
    format_diag(msgs, file, marc_record_diag(shown, i));
  int stop = opt->strict && ndiag;
  if (!stop && writes) {
    marc_status s = write_record(file, opt->to, shown, out, msgs);
    if (s == MARC_E_TOO_LONG) {
      stop = opt->strict;
    } else if (s != MARC_OK) {
      const char *m = "marcato: out of memory\n";
      marc_buf_append(msgs, m, strlen(m));
      stop = 1;
    }
  }
  marc_record_free(conv);
  return stop;
}

static marc_status output_wrapper(cli_format to, marc_buf *b, int end) {
  if (to == FMT_MARCXML)
    return end ? marc_write_marcxml_end(b)
               : marc_write_marcxml_begin(b, MARC_XML_DECLARATION);
  if (to == FMT_JSON)
    return end ? marc_write_json_end(b) : marc_write_json_begin(b);
  return MARC_OK;
}

static int output_put(FILE *f, const void *p, size_t n) {
  return n && fwrite(p, 1, n, f) != n ? -1 : 0;
}

static int output_write(cli_output *o, cli_format to, const uint8_t *p,
                        size_t n) {
  marc_buf head = {0};
  int rc = 0;
  if (!o->started) {
    o->started = 1;
    if (output_wrapper(to, &head, 0) != MARC_OK) rc = -1;
    if (!rc) rc = output_put(o->f, head.data, head.len);
  }
  if (!rc && n && to == FMT_JSON && !o->records) {
    p += JSON_SEP_LEN; /* every record starts with one; not the first */
    n -= JSON_SEP_LEN;
  }
  if (n) o->records = 1;
  if (!rc) rc = output_put(o->f, p, n);
  marc_buf_free(&head);
  return rc;
}

static int output_finish(cli_output *o, cli_format to) {
  if (output_write(o, to, NULL, 0) != 0) return -1;
  marc_buf tail = {0};
  int rc = output_wrapper(to, &tail, 1) == MARC_OK
               ? output_put(o->f, tail.data, tail.len)
               : -1;
  marc_buf_free(&tail);
  return rc;
}

static const char *format_extension(cli_format f) {
  switch (f) {
  case FMT_ISO2709: return "mrc";
  case FMT_MRK: return "mrk";
  case FMT_MARCXML: return "xml";
  case FMT_JSON: return "json";
  case FMT_JSONL: return "jsonl";
  case FMT_TEXT: return "txt";
  }
  return "out";
}

/* -O: DIR/NAME.EXT for input .../NAME.OLDEXT (the last extension only:
 * a.b.mrc gives a.b.mrk). */
static void output_path(const cli_options *opt, const char *input, char *out,
                        size_t cap) {
  const char *base = strrchr(input, '/');
  base = base ? base + 1 : input;
  const char *dot = strrchr(base, '.');
  size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  snprintf(out, cap, "%s/%.*s.%s", opt->output_dir, (int)stem, base,
           format_extension(opt->to));
}

/* -O: two inputs named alike would write one file: refuse up front. */
static int output_paths_clash(run_state *st) {
  const cli_options *opt = st->opt;
  for (size_t i = 0; i < opt->ninputs; i++)
    output_path(opt, st->inputs[i].name, st->inputs[i].out_path,
                sizeof st->inputs[i].out_path);
  for (size_t i = 0; i < opt->ninputs; i++)
    for (size_t j = i + 1; j < opt->ninputs; j++)
      if (!strcmp(st->inputs[i].out_path, st->inputs[j].out_path)) {
        fprintf(stderr, "marcato: %s and %s would both be written to %s\n",
                st->inputs[i].name, st->inputs[j].name, st->inputs[i].out_path);
        return 1;
      }
  return 0;
}

/* The output of an input: the one output, or with -O its own file,
 * created on its first output. */
static cli_output *input_output(run_state *st, cli_input *in) {
  if (!st->opt->output_dir) return &st->out;
  if (in->out.f) return &in->out;
  in->out.f = fopen(in->out_path, "wb");
  if (!in->out.f) {
    int err = errno;
    shared_lock(st);
    fprintf(stderr, "marcato: cannot create %s: %s\n", in->out_path,
            strerror(err));
    st->failed = 1;
    shared_unlock(st);
    return NULL;
  }
  return &in->out;
}

static void write_failed(run_state *st, const char *name) {
  if (errno == EPIPE) {
    st->closed = 1;
    return;
  }
  fprintf(stderr, "marcato: cannot write %s: %s\n", name, strerror(errno));
  st->failed = 1;
}

/* Write a batch's output and messages, in input order. With -O this runs
 * on several workers at once, each for its own input: the input's file is
 * its own, everything shared is under st->lock. */
static int emit(run_state *st, size_t input, const marc_buf *out,
                const marc_buf *msgs, int input_done) {
  cli_input *in = &st->inputs[input];
  shared_lock(st);
  if (msgs->len) {
    st->problems = 1;
    cli_progress_clear(&st->progress);
    if (!st->opt->quiet) {
      fwrite(msgs->data, 1, msgs->len, stderr);
    } else {
      /* -q hides record diagnostics, not errors about the inputs. */
      const char *p = (const char *)msgs->data, *end = p + msgs->len;
      while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        if (len > 9 && !memcmp(p, "marcato: ", 9)) fwrite(p, 1, len, stderr);
        p += len;
      }
    }
  }
  shared_unlock(st);
  const char *name = st->opt->output_dir ? in->out_path : st->out_name;
  int rc = 0;
  if (out->len) {
    cli_output *o = input_output(st, in);
    if (!o || output_write(o, st->opt->to, out->data, out->len) != 0) rc = -1;
  }
  if (!rc && input_done && st->opt->output_dir) {
    /* Every input gets its file, with its wrapper, even when empty. */
    cli_output *o = input_output(st, in);
    if (!o) {
      rc = -1;
    } else {
      rc = output_finish(o, st->opt->to);
      if (fclose(o->f) != 0) rc = -1;
      o->f = NULL;
    }
  }
  shared_lock(st);
  if (rc != 0 && !st->failed) write_failed(st, name);
  cli_progress_update(&st->progress, atomic_load(&st->bytes_read));
  rc = st->failed || st->closed ? -1 : 0;
  shared_unlock(st);
  return rc;
}

/* Reads an input, opening it on first use and closing it at its end (so
 * thousands of inputs never hold thousands of descriptors). After SIGINT
 * it reports the end of input: what was read is finished and written
 * whole. */
static int64_t read_input(void *src, void *buf, size_t n) {
  cli_input *in = src;
  if (in->fd < 0) {
    in->fd = strcmp(in->path, "-") ? open(in->path, O_RDONLY) : 0;
    if (in->fd < 0) return -1;
  }
  for (;;) {
    if (cli_interrupted) return 0;
    ssize_t got = read(in->fd, buf, n);
    if (got > 0) atomic_fetch_add(&in->st->bytes_read, (uint64_t)got);
    if (got == 0 && in->fd > 0) {
      close(in->fd);
      in->fd = -2; /* done: further reads see the end again */
    }
    if (got >= 0 || errno != EINTR) return (int64_t)got;
  }
}

static int64_t read_input_once(void *src, void *buf, size_t n) {
  cli_input *in = src;
  return in->fd == -2 ? 0 : read_input(src, buf, n);
}

#ifdef MARCATO_HAVE_PIPELINE
static int on_record(void *user, size_t input, marc_record *rec, marc_buf *out,
                     marc_buf *msgs, unsigned worker) {
  return process_record(user, input, rec, out, msgs, worker);
}

static int on_batch(void *user, size_t input, const marc_buf *out,
                    const marc_buf *msgs, int input_done) {
  return emit(user, input, out, msgs, input_done);
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
  return read_input_once(src, buf, n);
}

static void print_stats(const marc_pipeline_stats *s) {
  fprintf(stderr,
          "marcato: %" PRIu64 " records, %.1f MB in %.3f s (%.0f records/s, "
          "%.1f MB/s) on %u thread(s)%s; first record after %.2f ms; batch "
          "latency p50 %.2f ms p95 %.2f ms p99 %.2f ms; waits: reader "
          "%.3f s, workers %.3f s, sink %.3f s, locks %.4f s\n",
          s->records, (double)s->bytes / 1e6, s->seconds,
          (double)s->records / s->seconds, (double)s->bytes / 1e6 / s->seconds,
          s->threads, s->serial ? " (small input: serial)" : "",
          s->first_record_seconds * 1e3, s->latency_p50 * 1e3,
          s->latency_p95 * 1e3, s->latency_p99 * 1e3, s->reader_wait_seconds,
          s->worker_wait_seconds, s->sink_wait_seconds, s->lock_wait_seconds);
}

static void run_parallel(run_state *st) {
  size_t n = st->opt->ninputs;
  marc_pipeline_input *ins = calloc(n, sizeof *ins);
  if (!ins) {
    fprintf(stderr, "marcato: out of memory\n");
    st->failed = 1;
    return;
  }
  for (size_t i = 0; i < n; i++) {
    ins[i].path = st->inputs[i].name;
    ins[i].read = read_on_reader_thread;
    ins[i].src = &st->inputs[i];
  }
  marc_pipeline_options po = {.threads = st->nworkers,
                              .strict = st->opt->strict,
                              .sink_per_input = st->opt->output_dir != NULL,
                              .batch_records = st->opt->batch_records,
                              .batch_bytes = st->opt->batch_bytes,
                              .queue_capacity = st->opt->queue};
  marc_pipeline_stats stats;
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, &old);
  int rc =
      marc_pipeline_run_inputs(&po, ins, n, on_record, on_batch, st, &stats);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  free(ins);
  st->records += stats.records;
  if (rc < 0) {
    fprintf(stderr, "marcato: %s\n", strerror(errno));
    st->failed = 1;
  } else if (rc > 0 && !st->failed && !st->closed) {
    st->stop = 1;
  }
  if (stats.input_errors) st->failed = 1; /* reported in order already */
  if (st->opt->stats) print_stats(&stats);
}
#endif

/* The serial path: one reader per input (of its format), output flushed
 * in large writes. */
static void run_serial_input(run_state *st, size_t input) {
  cli_input *in = &st->inputs[input];
  const cli_options *opt = st->opt;
  cli_source *src = NULL;
  uint8_t *chunk = malloc(READ_CHUNK);
  marc_buf out = {0}, msgs = {0};
  if (!chunk) {
    fprintf(stderr, "marcato: out of memory\n");
    st->failed = 1;
    goto done;
  }
  marc_reader_options ropt = {.strict = opt->strict};
  int eof = 0;
  for (;;) {
    marc_record *rec;
    marc_status s = src ? cli_source_next(src, &rec) : MARC_NEED_MORE;
    if (s == MARC_OK) {
      int head_done = opt->command == CMD_HEAD && st->records >= opt->head;
      int stop = head_done || process_record(st, input, rec, &out, &msgs, 0);
      if (!stop) st->records++;
      if (stop || cli_interrupted || out.len >= FLUSH_AT ||
          msgs.len >= FLUSH_AT) {
        if (emit(st, input, &out, &msgs, 0) != 0) break;
        out.len = msgs.len = 0;
      }
      if (stop) {
        if (!head_done) st->stop = 1;
        break;
      }
      continue;
    }
    if (s == MARC_END) break;
    if (s == MARC_E_INVALID) {
      /* Strict mode, or a problem no record carries (text formats). */
      const marc_diag *d = cli_source_error(src);
      if (d) format_diag(&msgs, in->name, d);
      if (opt->strict) {
        st->stop = 1;
        break;
      }
      continue;
    }
    if (s != MARC_NEED_MORE || eof) {
      fprintf(stderr, "marcato: %s: %s\n", in->name, marc_status_str(s));
      st->failed = 1;
      break;
    }
    int64_t n = read_input_once(in, chunk, READ_CHUNK);
    if (n < 0) {
      fprintf(stderr, "marcato: cannot read %s: %s\n", in->name,
              strerror(errno));
      st->failed = 1;
      break;
    }
    if (!src) {
      /* The first bytes tell the format, unless -f said. */
      cli_in_format f = (cli_in_format)opt->from;
      if (f == IN_AUTO) f = cli_sniff(chunk, (size_t)(n > 0 ? n : 0));
      int missing;
      src = cli_source_new(f, &ropt, &missing);
      if (!src) {
        if (missing)
          fprintf(stderr,
                  "marcato: %s: reading %s needs a library this build "
                  "lacks\n",
                  in->name, cli_in_format_name(f));
        else fprintf(stderr, "marcato: out of memory\n");
        st->failed = 1;
        break;
      }
    }
    if (n == 0) {
      eof = 1;
      cli_source_finish(src);
    } else {
      cli_source_feed(src, chunk, (size_t)n);
    }
  }
  emit(st, input, &out, &msgs, 1);
done:
  if (in->fd > 0) close(in->fd);
  in->fd = -2;
  marc_buf_free(&out);
  marc_buf_free(&msgs);
  free(chunk);
  cli_source_free(src);
}

#ifdef MARCATO_HAVE_PIPELINE
/* The pipeline frames ISO 2709 only: other formats, and standard input
 * whose format is not given, are read serially. */
static int all_iso2709(const cli_options *opt) {
  if (opt->from != IN_AUTO) return opt->from == IN_ISO2709;
  for (size_t i = 0; i < opt->ninputs; i++) {
    if (!strcmp(opt->inputs[i], "-")) return 0;
    int fd = open(opt->inputs[i], O_RDONLY);
    if (fd < 0) continue; /* reported when it is read */
    uint8_t head[64];
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    if (n > 0 && cli_sniff(head, (size_t)n) != IN_ISO2709) return 0;
  }
  return 1;
}
#endif

static unsigned worker_count(const cli_options *opt) {
#ifdef MARCATO_HAVE_PIPELINE
  if (opt->command == CMD_HEAD) return 1; /* serial: stops at once */
  return opt->threads ? opt->threads : marc_pipeline_cpus();
#else
  (void)opt;
  return 1;
#endif
}

static void print_summary(run_state *st) {
  const cli_options *opt = st->opt;
  if (opt->command == CMD_COUNT)
    fprintf(st->out.f, "%" PRIu64 "\n", st->records);
  if (opt->command == CMD_STATS) {
    for (unsigned w = 1; w < st->nworkers; w++)
      cli_stats_merge(st->workers[0].stats, st->workers[w].stats);
    cli_stats_print(st->workers[0].stats, st->out.f);
  }
  if (opt->command == CMD_VALIDATE) {
    uint64_t bad = 0;
    for (unsigned w = 0; w < st->nworkers; w++)
      bad += st->workers[w].with_problems;
    fprintf(st->out.f, "%" PRIu64 " records, %" PRIu64 " with problems\n",
            st->records, bad);
    if (bad) st->problems = 1;
  }
}

int cli_run(const cli_options *opt) {
  if (opt->command == CMD_SPLIT) return cli_split(opt);
  run_state st = {.opt = opt, .out = {.f = stdout}, .out_name = "<stdout>"};
  st.nworkers = worker_count(opt);
#ifdef MARCATO_HAVE_PIPELINE
  pthread_mutex_init(&st.lock, NULL);
#endif
  st.workers = calloc(st.nworkers, sizeof *st.workers);
  st.inputs = calloc(opt->ninputs, sizeof *st.inputs);
  if (!st.workers || !st.inputs) {
    fprintf(stderr, "marcato: out of memory\n");
    free(st.workers);
    free(st.inputs);
    return EXIT_USAGE;
  }
  uint64_t total = 0;
  for (size_t i = 0; i < opt->ninputs; i++) {
    cli_input *in = &st.inputs[i];
    in->path = opt->inputs[i];
    in->name = strcmp(in->path, "-") ? in->path : "<stdin>";
    in->fd = -1;
    in->st = &st;
    struct stat sb;
    if (strcmp(in->path, "-") && stat(in->path, &sb) == 0 &&
        S_ISREG(sb.st_mode))
      total += (uint64_t)sb.st_size;
  }
  for (unsigned w = 0; w < st.nworkers && opt->command == CMD_STATS; w++)
    if (!(st.workers[w].stats = cli_stats_new())) {
      fprintf(stderr, "marcato: out of memory\n");
      st.failed = 1;
    }
  if (opt->output_dir && output_paths_clash(&st)) st.failed = 1;
  if (!st.failed && opt->output && strcmp(opt->output, "-")) {
    st.out.f = fopen(opt->output, "wb");
    st.out_name = opt->output;
    if (!st.out.f) {
      fprintf(stderr, "marcato: cannot create %s: %s\n", opt->output,
              strerror(errno));
      st.out.f = stdout;
      st.failed = 1;
    }
  }
  cli_progress_start(&st.progress, opt->progress,
                     opt->ninputs == 1 ? st.inputs[0].name : "marcato", total);
  if (!st.failed) {
#ifdef MARCATO_HAVE_PIPELINE
    if (st.nworkers != 1 && all_iso2709(opt)) run_parallel(&st);
    else
#endif
      for (size_t i = 0;
           i < opt->ninputs && !st.stop && !st.closed && !cli_interrupted;
           i++) {
        run_serial_input(&st, i);
        if (opt->command == CMD_HEAD && st.records >= opt->head) break;
      }
  }
  cli_progress_clear(&st.progress);
  int writes = opt->command == CMD_DUMP || opt->command == CMD_CONVERT ||
               opt->command == CMD_FILTER || opt->command == CMD_HEAD;
  if (writes && !opt->output_dir && !st.closed && !st.failed &&
      output_finish(&st.out, opt->to) != 0)
    write_failed(&st, st.out_name);
  if (!st.closed) print_summary(&st);
  if (fflush(st.out.f) != 0 && !st.failed && errno != EPIPE) {
    fprintf(stderr, "marcato: cannot write %s: %s\n", st.out_name,
            strerror(errno));
    st.failed = 1;
  }
  if (st.out.f != stdout) fclose(st.out.f);
  for (size_t i = 0; i < opt->ninputs; i++)
    if (st.inputs[i].out.f) fclose(st.inputs[i].out.f);
  for (unsigned w = 0; w < st.nworkers; w++)
    cli_stats_free(st.workers[w].stats);
  free(st.workers);
  free(st.inputs);
#ifdef MARCATO_HAVE_PIPELINE
  pthread_mutex_destroy(&st.lock);
#endif
  if (st.failed) return EXIT_USAGE;
  if (cli_interrupted) return 130; /* 128 + SIGINT, as shells report it */
  return st.problems ? EXIT_PROBLEMS : EXIT_CLEAN;
}
