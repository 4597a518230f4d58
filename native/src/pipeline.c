/* The threaded pipeline: reader thread -> bounded queue of batches ->
 * worker threads -> ordered sink on the calling thread. See
 * marcato_pipeline.h for the contract; pipeline_queue.c holds the
 * hand-offs, pipeline_input.c the reading. */
#include "pipeline_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

unsigned marc_pipeline_cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (unsigned)n : 1u;
}
typedef struct worker_arg {
  pipeline *p;
  unsigned id;
} worker_arg;

static void *worker_main(void *arg) {
  worker_arg *wa = arg;
  pipeline *p = wa->p;
  marc_record *rec = marc_record_new();
  if (!rec) {
    marc__pl_reader_fail(p, ENOMEM);
    return NULL;
  }
  double waited = 0;
  for (;;) {
    marc__pl_lock(p);
    double t = 0;
    while (!p->queue_head && !p->reader_done && !p->stop) {
      if (!t) t = marc__pl_now();
      pthread_cond_wait(&p->cv_work, &p->mu);
    }
    if (t) waited += marc__pl_now() - t;
    batch *b = p->stop ? NULL : p->queue_head;
    if (b) {
      p->queue_head = b->next;
      if (!p->queue_head) p->queue_tail = NULL;
      p->queue_len--;
      pthread_cond_signal(&p->cv_space);
    }
    marc__pl_unlock(p);
    if (!b) break;
    b->done = b->nrecs;
    for (size_t i = 0; i < b->nrecs; i++) {
      marc_raw raw = ((const marc_raw *)b->recs.data)[i];
      raw.data = b->raw.data + (uintptr_t)raw.data;
      marc_status s =
          marc_record_parse(rec, &raw, p->opt.strict, 0, p->opt.max_diags);
      if (s == MARC_E_NOMEM) {
        b->stop = 1;
        marc__pl_reader_fail(p, ENOMEM);
        break;
      }
      if (marc_record_diag_count(rec)) b->problems++;
      if (p->on_record(p->user, b->input, rec, &raw, &b->out, &b->msgs,
                       wa->id) != 0 ||
          s == MARC_E_INVALID) {
        b->stop = 1;
        b->done = i; /* the stopping record is not counted */
        break;
      }
    }
    if (p->opt.sink_per_input) {
      marc__pl_deliver_per_input(p, b);
      continue;
    }
    marc__pl_lock(p);
    b->next = p->done;
    p->done = b;
    pthread_cond_broadcast(&p->cv_done);
    marc__pl_unlock(p);
  }
  marc__pl_lock(p);
  p->worker_wait += waited;
  marc__pl_unlock(p);
  marc_record_free(rec);
  return NULL;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double percentile(const double *v, size_t n, double q) {
  if (!n) return 0;
  size_t i = (size_t)(q * (double)(n - 1) + 0.5);
  return v[i];
}
static void set_defaults(marc_pipeline_options *o) {
  if (!o->threads) o->threads = marc_pipeline_cpus();
  if (!o->batch_records) o->batch_records = 1000;
  if (!o->batch_bytes) o->batch_bytes = (size_t)512 << 10;
  /* Two batches waiting per worker keep workers busy; more only costs
   * memory, so the default stops at 8. */
  if (!o->queue_capacity) {
    o->queue_capacity = 2 * (size_t)o->threads;
    if (o->queue_capacity > 8) o->queue_capacity = 8;
  }
  if (!o->read_chunk) o->read_chunk = (size_t)1 << 20;
  if (!o->serial_below) o->serial_below = MARC_PIPELINE_SERIAL_BELOW;
}
int marc_pipeline_run_inputs(const marc_pipeline_options *opt,
                             const marc_pipeline_input *inputs, size_t ninputs,
                             marc_pipeline_input_record_fn on_record,
                             marc_pipeline_input_sink_fn sink, void *user,
                             marc_pipeline_stats *stats) {
  pipeline p;
  memset(&p, 0, sizeof p);
  if (opt) p.opt = *opt;
  set_defaults(&p.opt);
  p.inputs = inputs;
  p.ninputs = ninputs;
  p.on_record = on_record;
  p.user = user;
  p.sink = sink;
  p.t0 = marc__pl_now();
  marc_pipeline_stats local;
  if (!stats) stats = &local;
  memset(stats, 0, sizeof *stats);

  if (p.opt.serial ||
      (p.opt.serial_below != SIZE_MAX &&
       marc__pl_total_input_size(inputs, ninputs) < p.opt.serial_below)) {
    int rc = marc__pl_run_inline(&p, sink, stats);
    stats->serial = 1;
    stats->threads = 1;
    stats->seconds = marc__pl_now() - p.t0;
    return rc;
  }

  pthread_mutex_init(&p.mu, NULL);
  pthread_cond_init(&p.cv_work, NULL);
  pthread_cond_init(&p.cv_space, NULL);
  pthread_cond_init(&p.cv_done, NULL);

  /* Enough batches for a full queue, one per worker, one being filled
   * and one at the sink; the ordered sink can hold finished batches only
   * up to this bound, which bounds memory. */
  p.pool_size = p.opt.queue_capacity + p.opt.threads + 2;
  p.pool = calloc(p.pool_size, sizeof *p.pool);
  pthread_t *workers = calloc(p.opt.threads, sizeof *workers);
  worker_arg *wargs = calloc(p.opt.threads, sizeof *wargs);
  int rc = 0;
  if (p.opt.sink_per_input) {
    p.next_in = calloc(ninputs ? ninputs : 1, sizeof *p.next_in);
    p.writing = calloc(ninputs ? ninputs : 1, sizeof *p.writing);
  }
  if (!p.pool || !workers || !wargs ||
      (p.opt.sink_per_input && (!p.next_in || !p.writing))) {
    errno = ENOMEM;
    rc = -1;
    goto out;
  }
  for (size_t i = 0; i < p.pool_size; i++) {
    /* Sized once: a batch's raw bytes never need to grow past this. */
    if (marc_buf_reserve(&p.pool[i].raw, p.opt.batch_bytes) != MARC_OK) {
      errno = ENOMEM;
      rc = -1;
      goto out;
    }
    p.pool[i].next = p.free_list;
    p.free_list = &p.pool[i];
  }
  pthread_t reader;
  if (pthread_create(&reader, NULL, marc__pl_reader_main, &p) != 0) {
    rc = -1;
    goto out;
  }
  unsigned started = 0;
  for (; started < p.opt.threads; started++) {
    wargs[started].p = &p;
    wargs[started].id = started;
    if (pthread_create(&workers[started], NULL, worker_main, &wargs[started]) !=
        0)
      break;
  }
  if (!started) {
    marc__pl_lock(&p);
    marc__pl_request_stop(&p);
    marc__pl_unlock(&p);
    rc = -1;
  }

  double sink_wait = 0;
  uint64_t next = 0;
  batch *b;
  if (p.opt.sink_per_input) {
    /* Workers deliver; the calling thread only waits for the end. */
  } else {
    while ((b = marc__pl_take_done(&p, next, &sink_wait)) != NULL) {
      next++;
      if (marc__pl_deliver(&p, b)) break;
    }
  }
  if (p.sink_stopped) rc = 1;
  pthread_join(reader, NULL);
  for (unsigned i = 0; i < started; i++) pthread_join(workers[i], NULL);
  if (p.read_error == ENOMEM) {
    errno = ENOMEM;
    rc = -1;
  }
  if (p.sink_stopped) rc = 1;
  stats->records = p.records;
  stats->bytes = p.bytes;
  stats->batches = p.delivered;
  stats->records_with_problems = p.problems;
  stats->input_errors = p.input_errors;
  stats->threads = p.opt.threads;
  stats->seconds = marc__pl_now() - p.t0;
  stats->first_record_seconds = p.first;
  qsort(p.lat, p.nlat, sizeof *p.lat, cmp_double);
  stats->latency_p50 = percentile(p.lat, p.nlat, 0.50);
  stats->latency_p95 = percentile(p.lat, p.nlat, 0.95);
  stats->latency_p99 = percentile(p.lat, p.nlat, 0.99);
  stats->reader_wait_seconds = p.reader_wait;
  stats->worker_wait_seconds = p.worker_wait;
  stats->sink_wait_seconds = sink_wait;
  stats->lock_wait_seconds = p.lock_wait;
  if (rc == 0 && p.read_error) errno = p.read_error;
out:
  if (p.pool)
    for (size_t i = 0; i < p.pool_size; i++) {
      /* Delivered batches were reset: output left is output dropped. */
      if (p.opt.discard && p.pool[i].out.len)
        p.opt.discard(user, p.pool[i].input, &p.pool[i].out);
      marc_buf_free(&p.pool[i].raw);
      marc_buf_free(&p.pool[i].out);
      marc_buf_free(&p.pool[i].msgs);
      marc_buf_free(&p.pool[i].recs);
    }
  free(p.pool);
  free(workers);
  free(wargs);
  free(p.lat);
  free(p.next_in);
  free(p.writing);
  pthread_mutex_destroy(&p.mu);
  pthread_cond_destroy(&p.cv_work);
  pthread_cond_destroy(&p.cv_space);
  pthread_cond_destroy(&p.cv_done);
  return rc;
}

/* The one-input API: adapters over the many-inputs one. */
typedef struct single_run {
  marc_pipeline_record_fn on_record;
  marc_pipeline_sink_fn sink;
  void *user;
} single_run;

static int single_record(void *user, size_t input, marc_record *rec,
                         const marc_raw *raw, marc_buf *out, marc_buf *msgs,
                         unsigned worker) {
  (void)input;
  single_run *s = user;
  return s->on_record(s->user, rec, raw, out, msgs, worker);
}

static int single_sink(void *user, size_t input, const marc_buf *out,
                       const marc_buf *msgs, int input_done) {
  (void)input;
  (void)input_done;
  single_run *s = user;
  return s->sink ? s->sink(s->user, out, msgs) : 0;
}

int marc_pipeline_run(const marc_pipeline_options *opt,
                      marc_pipeline_read_fn read, void *src,
                      marc_pipeline_record_fn on_record,
                      marc_pipeline_sink_fn sink, void *user,
                      marc_pipeline_stats *stats) {
  marc_pipeline_input in = {.read = read, .src = src};
  single_run s = {on_record, sink, user};
  marc_pipeline_stats local;
  if (!stats) stats = &local;
  int rc = marc_pipeline_run_inputs(opt, &in, 1, single_record, single_sink, &s,
                                    stats);
  /* One input: a read error fails the run, as documented. */
  if (rc == 0 && stats->input_errors) rc = -1;
  return rc;
}
