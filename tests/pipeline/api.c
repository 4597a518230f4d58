/* The pipeline's C API: every record reaches the callback once, batches
 * reach the sink in input order (or all of them, unordered), each input
 * ends with one batch marked done, an unreadable input is reported in
 * order and the run goes on, a callback can stop the run, and the serial
 * path for small inputs gives the same results as the threads, and
 * max_record / max_diags reach the reader and the parser.
 * usage: pipeline_api FILE... (real ISO 2709 files) */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include "check.h"
#include "marcato_pipeline.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct run {
  atomic_uint_least64_t seen;    /* callbacks */
  atomic_uint_least64_t raw_off; /* records whose raw framing disagreed */
  uint64_t stop_at;              /* 0: never stop */
  marc_buf order;                /* "input:index\n" as the sink saw them */
  size_t done_marks[8];          /* input_done batches per input */
  size_t error_lines;
} run;

/* Output per record: its input and index, so the sink can check order.
 * The raw framing handed beside the record must be the record's own. */
static int on_record(void *user, size_t input, marc_record *rec,
                     const marc_raw *raw, marc_buf *out, marc_buf *msgs,
                     unsigned worker) {
  (void)msgs, (void)worker;
  run *r = user;
  uint64_t n = atomic_fetch_add(&r->seen, 1) + 1;
  if (!raw || raw->index != marc_record_index(rec) ||
      raw->offset != marc_record_offset(rec) ||
      raw->len != marc_record_raw_length(rec) ||
      (raw->len >= 24 && memcmp(raw->data, marc_record_leader(rec), 5) != 0))
    atomic_fetch_add(&r->raw_off, 1);
  char line[64];
  int len = snprintf(line, sizeof line, "%zu:%llu\n", input,
                     (unsigned long long)marc_record_index(rec));
  marc_buf_append(out, line, (size_t)len);
  return r->stop_at && n >= r->stop_at;
}

/* With sink_per_input the sink runs on several workers at once: the run's
 * log is shared, so it is locked. */
static pthread_mutex_t sink_lock = PTHREAD_MUTEX_INITIALIZER;

static int sink(void *user, size_t input, const marc_buf *out,
                const marc_buf *msgs, int input_done) {
  run *r = user;
  pthread_mutex_lock(&sink_lock);
  marc_buf_append(&r->order, out->data, out->len);
  if (input_done && input < 8) r->done_marks[input]++;
  for (size_t i = 0; i < msgs->len; i++)
    r->error_lines += msgs->data[i] == '\n';
  pthread_mutex_unlock(&sink_lock);
  return 0;
}

/* Options of a threaded run whatever the input's size. */
static marc_pipeline_options threaded(unsigned threads, size_t batch_records) {
  marc_pipeline_options o = {.threads = threads,
                             .batch_records = batch_records,
                             .serial_below = SIZE_MAX};
  return o;
}

/* Records cut by max_record, and the most diagnostics one record kept. */
typedef struct limits {
  atomic_uint_least64_t oversize;
  atomic_uint_least64_t raw_oversize; /* by the raw framing flags */
  atomic_uint_least64_t most_diags;
} limits;

static int on_record_limits(void *user, size_t input, marc_record *rec,
                            const marc_raw *raw, marc_buf *out, marc_buf *msgs,
                            unsigned worker) {
  limits *l = user;
  size_t n = marc_record_diag_count(rec);
  (void)input, (void)out, (void)msgs, (void)worker;
  atomic_fetch_add(&l->raw_oversize, (raw->flags & MARC_RAW_OVERSIZE) != 0);
  for (size_t i = 0; i < n; i++)
    if (marc_record_diag(rec, i)->code == MARC_D_RECORD_OVERSIZE)
      atomic_fetch_add(&l->oversize, 1);
  uint64_t m = atomic_load(&l->most_diags);
  while (n > m && !atomic_compare_exchange_weak(&l->most_diags, &m, n)) {
  }
  return 0;
}

static int sink_none(void *user, size_t input, const marc_buf *out,
                     const marc_buf *msgs, int input_done) {
  (void)user, (void)input, (void)out, (void)msgs, (void)input_done;
  return 0;
}

/* A run stopped by its sink while workers have finished later batches:
 * their output goes to `discard`, so output owning memory is not lost. */
typedef struct dropping {
  run r;
  size_t lines_dropped;
} dropping;

static size_t count_lines(const uint8_t *p, size_t n) {
  size_t lines = 0;
  for (size_t i = 0; i < n; i++) lines += p[i] == '\n';
  return lines;
}

static int sink_stop_late(void *user, size_t input, const marc_buf *out,
                          const marc_buf *msgs, int input_done) {
  dropping *d = user;
  /* Let the workers finish more batches (at most 2 s) before stopping. */
  for (int i = 0; i < 2000 && atomic_load(&d->r.seen) < 24; i++) {
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
  sink(&d->r, input, out, msgs, input_done);
  return 1;
}

static void discard_out(void *user, size_t input, const marc_buf *out) {
  (void)input;
  ((dropping *)user)->lines_dropped += count_lines(out->data, out->len);
}

static int on_record_dropping(void *user, size_t input, marc_record *rec,
                              const marc_raw *raw, marc_buf *out,
                              marc_buf *msgs, unsigned worker) {
  return on_record(&((dropping *)user)->r, input, rec, raw, out, msgs, worker);
}

/* Records of `path` longer than `max` bytes, framed by a reader alone. */
static uint64_t oversize_in(const char *path, size_t max) {
  marc_reader_options ro = {.max_record = max};
  marc_reader *r = marc_reader_new(&ro);
  marc_record *rec = marc_record_new();
  FILE *f = fopen(path, "rb");
  uint64_t n = 0;
  char buf[1 << 16];
  size_t got;
  int eof = 0;
  while (f && r && rec) {
    marc_raw raw;
    marc_status s = marc_reader_next_raw(r, &raw);
    if (s == MARC_OK) {
      marc_record_parse(rec, &raw, 0, 0, 0);
      for (size_t i = 0; i < marc_record_diag_count(rec); i++)
        n += marc_record_diag(rec, i)->code == MARC_D_RECORD_OVERSIZE;
      continue;
    }
    if (s != MARC_NEED_MORE || eof) break;
    if ((got = fread(buf, 1, sizeof buf, f)) > 0) marc_reader_feed(r, buf, got);
    else {
      marc_reader_finish(r);
      eof = 1;
    }
  }
  if (f) fclose(f);
  marc_record_free(rec);
  marc_reader_free(r);
  return n;
}

/* Lines of `a` sorted, for comparing unordered runs. */
static int cmp_lines(const void *x, const void *y) {
  return strcmp(*(char *const *)x, *(char *const *)y);
}

static char *sorted(const marc_buf *b) {
  char *copy = malloc(b->len + 1);
  memcpy(copy, b->data, b->len);
  copy[b->len] = 0;
  size_t n = 0;
  for (size_t i = 0; i < b->len; i++) n += copy[i] == '\n';
  char **lines = malloc((n + 1) * sizeof *lines);
  size_t k = 0;
  for (char *tok = strtok(copy, "\n"); tok; tok = strtok(NULL, "\n"))
    lines[k++] = tok;
  qsort(lines, k, sizeof *lines, cmp_lines);
  char *outp = malloc(b->len + 1), *o = outp;
  for (size_t i = 0; i < k; i++) o += sprintf(o, "%s\n", lines[i]);
  *o = 0;
  free(lines);
  free(copy);
  return outp;
}

/* The "input:index" lines of one input, in the order they appear. */
static void lines_of(const marc_buf *all, size_t input, marc_buf *out) {
  char prefix[32];
  int pl = snprintf(prefix, sizeof prefix, "%zu:", input);
  const char *p = (const char *)all->data, *end = p + all->len;
  while (p < end) {
    const char *e = memchr(p, '\n', (size_t)(end - p));
    size_t len = (size_t)(e - p) + 1;
    if (!strncmp(p, prefix, (size_t)pl)) marc_buf_append(out, p, len);
    p += len;
  }
}

static void run_once(const marc_pipeline_input *in, size_t n,
                     marc_pipeline_options opt, run *r, marc_pipeline_stats *st,
                     int *rc) {
  memset(r->done_marks, 0, sizeof r->done_marks);
  r->error_lines = 0;
  r->order.len = 0;
  atomic_store(&r->seen, 0);
  atomic_store(&r->raw_off, 0);
  *rc = marc_pipeline_run_inputs(&opt, in, n, on_record, sink, r, st);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    printf("pipeline_api: needs two or more data files: skipped\n");
    return CHECK_SKIP;
  }
  size_t nfiles = (size_t)argc - 1 < 6 ? (size_t)argc - 1 : 6;
  marc_pipeline_input in[8] = {{0}};
  for (size_t i = 0; i < nfiles; i++) in[i].path = argv[i + 1];
  /* An unreadable input in the middle. */
  in[nfiles].path = "/nonexistent/marcato-test.mrc";
  size_t ninputs = nfiles + 1;

  run ref = {0}, r = {0};
  marc_pipeline_stats st;
  int rc;
  /* Reference: one worker thread. */
  marc_pipeline_options one = {.threads = 1, .serial_below = SIZE_MAX};
  run_once(in, ninputs, one, &ref, &st, &rc);
  CHECK_EQ_INT(rc, 0);
  CHECK(st.serial == 0);
  CHECK_EQ_INT(st.input_errors, 1);
  CHECK_EQ_INT(ref.error_lines, 1);
  CHECK(st.records > 0);
  CHECK_EQ_INT(atomic_load(&ref.seen), st.records);
  CHECK_EQ_INT(atomic_load(&ref.raw_off), 0);
  for (size_t i = 0; i < ninputs; i++) CHECK_EQ_INT(ref.done_marks[i], 1);

  /* Threads, ordered: same order, for several shapes. */
  const size_t batches[] = {1, 7, 1000}, queues[] = {1, 4};
  const unsigned threads[] = {2, 3, 8};
  for (size_t t = 0; t < 3; t++)
    for (size_t b = 0; b < 3; b++)
      for (size_t q = 0; q < 2; q++) {
        marc_pipeline_options o = {.threads = threads[t],
                                   .batch_records = batches[b],
                                   .queue_capacity = queues[q],
                                   .serial_below = SIZE_MAX};
        run_once(in, ninputs, o, &r, &st, &rc);
        CHECK_EQ_INT(rc, 0);
        CHECK(st.serial == 0);
        CHECK_EQ_INT(st.threads, threads[t]);
        CHECK(r.order.len == ref.order.len &&
              !memcmp(r.order.data, ref.order.data, r.order.len));
        CHECK_EQ_INT(r.error_lines, 1);
        CHECK_EQ_INT(st.input_errors, 1);
        for (size_t i = 0; i < ninputs; i++) CHECK_EQ_INT(r.done_marks[i], 1);
        CHECK(st.latency_p50 <= st.latency_p95 &&
              st.latency_p95 <= st.latency_p99);
        CHECK(st.first_record_seconds > 0 &&
              st.first_record_seconds <= st.seconds);
      }

  /* Unordered: every record once, in some order. */
  marc_pipeline_options un = threaded(3, 5);
  un.unordered = 1;
  run_once(in, ninputs, un, &r, &st, &rc);
  CHECK_EQ_INT(rc, 0);
  char *a = sorted(&ref.order), *b = sorted(&r.order);
  CHECK(!strcmp(a, b));
  free(a);
  free(b);

  /* sink_per_input: each input's batches in order (different inputs may
   * interleave), every batch once. */
  marc_pipeline_options pi = threaded(3, 3);
  pi.sink_per_input = 1;
  run_once(in, ninputs, pi, &r, &st, &rc);
  CHECK_EQ_INT(rc, 0);
  for (size_t i = 0; i < ninputs; i++) CHECK_EQ_INT(r.done_marks[i], 1);
  for (size_t i = 0; i < ninputs; i++) {
    /* Per input, the lines in the order seen must be the reference's. */
    marc_buf mine = {0}, theirs = {0};
    lines_of(&r.order, i, &mine);
    lines_of(&ref.order, i, &theirs);
    CHECK(mine.len == theirs.len &&
          (!mine.len || !memcmp(mine.data, theirs.data, mine.len)));
    marc_buf_free(&mine);
    marc_buf_free(&theirs);
  }

  /* Small regular files stay on the calling thread, with the same
   * results as the threads give for them. */
  marc_pipeline_options small = {.threads = 2, .serial_below = SIZE_MAX - 1};
  marc_pipeline_options big = {.threads = 2, .serial_below = SIZE_MAX};
  run s1 = {0}, s2 = {0};
  run_once(in, nfiles, small, &s1, &st, &rc);
  CHECK_EQ_INT(rc, 0);
  CHECK(st.serial == 1);
  run_once(in, nfiles, big, &s2, &st, &rc);
  CHECK(st.serial == 0);
  CHECK(s1.order.len > 0 && s1.order.len == s2.order.len &&
        !memcmp(s1.order.data, s2.order.data, s1.order.len));
  marc_buf_free(&s1.order);
  marc_buf_free(&s2.order);

  /* serial: on the calling thread whatever the inputs, with the same
   * results (the unreadable input included). */
  marc_pipeline_options ser = {.threads = 4, .serial = 1};
  run_once(in, ninputs, ser, &r, &st, &rc);
  CHECK_EQ_INT(rc, 0);
  CHECK(st.serial == 1);
  CHECK_EQ_INT(st.input_errors, 1);
  CHECK(r.order.len == ref.order.len &&
        !memcmp(r.order.data, ref.order.data, r.order.len));

  /* A callback stops the run: returns 1, and no record after the stopping
   * batch reaches the sink. */
  run stopper = {0};
  stopper.stop_at = 10;
  marc_pipeline_options so = threaded(2, 4);
  run_once(in, ninputs, so, &stopper, &st, &rc);
  CHECK_EQ_INT(rc, 1);
  CHECK(stopper.order.len < ref.order.len);
  CHECK(!memcmp(stopper.order.data, ref.order.data, stopper.order.len));

  /* Output of finished batches that a stopped run never delivered reaches
   * `discard`: every record's output is either sunk or discarded. */
  dropping dr = {0};
  marc_pipeline_options dro = threaded(2, 4);
  dro.discard = discard_out;
  rc = marc_pipeline_run_inputs(&dro, in, ninputs, on_record_dropping,
                                sink_stop_late, &dr, &st);
  CHECK_EQ_INT(rc, 1);
  CHECK(dr.lines_dropped > 0);
  CHECK_EQ_INT(count_lines(dr.r.order.data, dr.r.order.len) + dr.lines_dropped,
               atomic_load(&dr.r.seen));
  marc_buf_free(&dr.r.order);

  /* max_record and max_diags reach the reader and the parser. */
  limits lim = {0};
  marc_pipeline_options lo = {.threads = 2,
                              .serial_below = SIZE_MAX,
                              .max_record = 2048,
                              .max_diags = 1};
  rc = marc_pipeline_run_inputs(&lo, in, 1, on_record_limits, sink_none, &lim,
                                &st);
  CHECK_EQ_INT(rc, 0);
  uint64_t want = oversize_in(in[0].path, 2048);
  CHECK(want > 0);
  CHECK_EQ_INT(atomic_load(&lim.oversize), want);
  CHECK_EQ_INT(atomic_load(&lim.raw_oversize), want);
  /* One diagnostic, and the marker that more were dropped. */
  CHECK(atomic_load(&lim.most_diags) <= 2);

  marc_buf_free(&ref.order);
  marc_buf_free(&r.order);
  marc_buf_free(&stopper.order);
  return check_done("pipeline_api");
}
