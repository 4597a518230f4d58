/* Running a record command: read the inputs, turn each record into output
 * and diagnostic lines, write them in input order. Native builds run the
 * threaded pipeline over all inputs at once (-j N) when they are all ISO
 * 2709; builds without threads (WASI), -j 1, head and the text formats
 * read serially through the same per-record function (record.c). */
#include "run.h"
#include "validate.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef MARCATO_HAVE_PIPELINE
#include "marcato_pipeline.h"

#include <signal.h>
#endif

#define READ_CHUNK ((size_t)1 << 20)
#define FLUSH_AT ((size_t)1 << 20)

#ifdef MARCATO_HAVE_PIPELINE
static int on_record(void *user, size_t input, marc_record *rec,
                     const marc_raw *raw, marc_buf *out, marc_buf *msgs,
                     unsigned worker) {
  (void)raw; /* the record's diagnostics already tell its framing */
  return cli_process_record(user, input, rec, out, msgs, worker);
}

static int on_batch(void *user, size_t input, const marc_buf *out,
                    const marc_buf *msgs, int input_done) {
  return cli_emit(user, input, out, msgs, input_done);
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
  return cli_read_input(src, buf, n);
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

/* The serial path: one reader per input (of its format, sniffed from the
 * first bytes unless -f said), output flushed in large writes. */
static void run_serial_input(run_state *st, size_t input) {
  cli_input *in = &st->inputs[input];
  const cli_options *opt = st->opt;
  marc_reader_options ropt = {.strict = opt->strict};
  marc_input *src = marc_input_new(opt->from, &ropt);
  uint8_t *chunk = malloc(READ_CHUNK);
  marc_buf out = {0}, msgs = {0};
  if (!src || !chunk) {
    if (src || marc_format_readable(opt->from))
      fprintf(stderr, "marcato: out of memory\n");
    else
      fprintf(stderr,
              "marcato: %s: reading %s needs a library this build lacks\n",
              in->name, marc_format_name(opt->from));
    st->failed = 1;
    goto done;
  }
  int eof = 0;
  for (;;) {
    marc_record *rec;
    marc_status s = marc_input_next(src, &rec);
    if (s == MARC_OK) {
      int head_done = opt->command == CMD_HEAD && st->records >= opt->head;
      int stop =
          head_done || cli_process_record(st, input, rec, &out, &msgs, 0);
      if (!stop) st->records++;
      if (stop || cli_interrupted || out.len >= FLUSH_AT ||
          msgs.len >= FLUSH_AT) {
        if (cli_emit(st, input, &out, &msgs, 0) != 0) break;
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
      const marc_error *e = marc_input_error(src);
      marc_diag d = {.code = (marc_code)e->code,
                     .msg = e->message,
                     .offset = e->position,
                     .record = e->record};
      memcpy(d.tag, e->tag, sizeof d.tag);
      cli_format_diag(&msgs, in->name, &d);
      if (opt->strict) {
        st->stop = 1;
        break;
      }
      continue;
    }
    if (s == MARC_E_STATE && !marc_format_readable(marc_input_format(src))) {
      fprintf(stderr, "marcato: %s: %s\n", in->name,
              marc_input_error(src)->message);
      st->failed = 1;
      break;
    }
    if (s != MARC_NEED_MORE || eof) {
      fprintf(stderr, "marcato: %s: %s\n", in->name, marc_status_str(s));
      st->failed = 1;
      break;
    }
    int64_t n = cli_read_input(in, chunk, READ_CHUNK);
    if (n < 0) {
      fprintf(stderr, "marcato: cannot read %s: %s\n", in->name,
              strerror(errno));
      st->failed = 1;
      break;
    }
    eof = n == 0;
    if (eof) marc_input_finish(src);
    else marc_input_feed(src, chunk, (size_t)n);
  }
  cli_emit(st, input, &out, &msgs, 1);
done:
  if (in->fd > 0) close(in->fd);
  in->fd = -2;
  marc_buf_free(&out);
  marc_buf_free(&msgs);
  free(chunk);
  marc_input_free(src);
}

#ifdef MARCATO_HAVE_PIPELINE
/* The pipeline frames ISO 2709 only: other formats are read serially. The
 * format is sniffed from each input's first bytes, which are kept and
 * read again from memory (an input is never read twice). */
static int all_iso2709(run_state *st) {
  const cli_options *opt = st->opt;
  if (opt->from != MARC_FORMAT_AUTO) return opt->from == MARC_FORMAT_ISO2709;
  for (size_t i = 0; i < opt->ninputs; i++) {
    marc_format f = cli_input_sniff(&st->inputs[i]);
    /* NONE: unreadable, reported when it is read. */
    if (f != MARC_FORMAT_ISO2709 && f != MARC_FORMAT_NONE) return 0;
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
    if (cli_validate_report(opt, st->out.f, st->records, bad) > 0 || bad)
      st->problems = 1;
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
  if (opt->output_dir && cli_output_paths_clash(&st)) st.failed = 1;
  if (!st.failed && opt->output && strcmp(opt->output, "-") &&
      cli_output_is_input(&st, opt->output))
    st.failed = 1;
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
  if (!st.failed && opt->command == CMD_SELECT) {
    marc_buf head = {0};
    if (cli_select_header(opt, &head) != MARC_OK ||
        (head.len && fwrite(head.data, 1, head.len, st.out.f) != head.len))
      cli_write_failed(&st, st.out_name);
    marc_buf_free(&head);
  }
  cli_progress_start(&st.progress, opt->progress,
                     opt->ninputs == 1 ? st.inputs[0].name : "marcato", total);
  if (!st.failed) {
#ifdef MARCATO_HAVE_PIPELINE
    if (st.nworkers != 1 && all_iso2709(&st)) run_parallel(&st);
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
      cli_output_finish(&st.out, opt->to) != 0)
    cli_write_failed(&st, st.out_name);
  if (!st.closed) print_summary(&st);
  if (fflush(st.out.f) != 0 && !st.failed && errno != EPIPE) {
    fprintf(stderr, "marcato: cannot write %s: %s\n", st.out_name,
            strerror(errno));
    st.failed = 1;
  }
  if (st.out.f != stdout) fclose(st.out.f);
  for (size_t i = 0; i < opt->ninputs; i++)
    if (st.inputs[i].out.f) fclose(st.inputs[i].out.f);
  for (unsigned w = 0; w < st.nworkers; w++) {
    cli_stats_free(st.workers[w].stats);
    marc_buf_free(&st.workers[w].scratch);
  }
  free(st.workers);
  free(st.inputs);
#ifdef MARCATO_HAVE_PIPELINE
  pthread_mutex_destroy(&st.lock);
#endif
  if (st.failed) return EXIT_USAGE;
  if (cli_interrupted) return 130; /* 128 + SIGINT, as shells report it */
  /* The output's reader closed it (| head): how much was read by then
   * depends on pipe buffers and threads, so the status cannot speak for
   * the input; a closed output is not an error either. */
  if (st.closed) return EXIT_CLEAN;
  return st.problems ? EXIT_PROBLEMS : EXIT_CLEAN;
}
