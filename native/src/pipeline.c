/* The threaded pipeline: reader thread -> bounded queue of batches ->
 * worker threads -> ordered sink on the calling thread. See
 * marcato_pipeline.h for the contract. */
#include "marcato_pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdatomic.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct batch {
  uint64_t seq;
  marc_buf raw;   /* the batch's raw records, back to back */
  marc_raw *recs; /* .data holds an offset into raw until parsed */
  size_t nrecs, cap;
  size_t done; /* records handled before the batch stopped (or all) */
  marc_buf out, msgs;
  double t_framed;
  uint64_t problems;
  size_t input;    /* which input the records come from */
  uint64_t in_seq; /* its index among the batches of its input */
  int input_done;  /* the last batch of its input */
  int stop;
  struct batch *next;
} batch;

typedef struct pipeline {
  marc_pipeline_options opt;
  const marc_pipeline_input *inputs;
  size_t ninputs;
  marc_pipeline_input_record_fn on_record;
  void *user;

  pthread_mutex_t mu;
  pthread_cond_t cv_work;  /* queue gained a batch, or the run ends */
  pthread_cond_t cv_space; /* a batch was freed or the queue shrank */
  pthread_cond_t cv_done;  /* a batch finished */

  batch *pool; /* all batches */
  size_t pool_size;
  batch *free_list;
  batch *queue_head, *queue_tail; /* framed, waiting for a worker */
  size_t queue_len;
  batch *done;     /* finished, waiting for the sink */
  uint64_t framed; /* batches pushed by the reader */
  int reader_done;
  atomic_int stop; /* stop requested (callback, strict, error) */
  int read_error;  /* ENOMEM, or errno of the first failed input */
  uint64_t input_errors;

  double t0;
  double reader_wait, worker_wait, lock_wait;

  /* Delivery (under mu when workers deliver): what reached the sink. */
  marc_pipeline_input_sink_fn sink;
  uint64_t delivered, records, bytes, problems;
  double first;
  double *lat;
  size_t nlat, cap_lat;
  /* sink_per_input: per input, the next batch to deliver and whether a
   * worker is delivering one now. */
  uint64_t *next_in;
  uint8_t *writing;
  int sink_stopped;
} pipeline;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Lock, counting the time spent when the lock was contended. */
static void lock(pipeline *p) {
  if (pthread_mutex_trylock(&p->mu) == 0) return;
  double t = now();
  pthread_mutex_lock(&p->mu);
  p->lock_wait += now() - t;
}

static void unlock(pipeline *p) { pthread_mutex_unlock(&p->mu); }

unsigned marc_pipeline_cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (unsigned)n : 1u;
}

static void batch_reset(batch *b) {
  b->input_done = 0;
  b->raw.len = 0;
  b->nrecs = 0;
  b->out.len = 0;
  b->msgs.len = 0;
  b->problems = 0;
  b->stop = 0;
  b->next = NULL;
}

static int batch_add(batch *b, const marc_raw *raw) {
  if (b->nrecs == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    marc_raw *r = realloc(b->recs, cap * sizeof *r);
    if (!r) return -1;
    b->recs = r;
    b->cap = cap;
  }
  marc_raw *dst = &b->recs[b->nrecs++];
  *dst = *raw;
  dst->data = (const uint8_t *)(uintptr_t)b->raw.len; /* fixed up later */
  return marc_buf_append(&b->raw, raw->data, raw->len) == MARC_OK ? 0 : -1;
}

static void request_stop(pipeline *p) {
  atomic_store(&p->stop, 1);
  pthread_cond_broadcast(&p->cv_work);
  pthread_cond_broadcast(&p->cv_space);
  pthread_cond_broadcast(&p->cv_done);
}

/* Reader side: get an empty batch, waiting for one to be freed. */
static batch *acquire(pipeline *p) {
  lock(p);
  double t = 0;
  while (!p->free_list && !p->stop) {
    if (!t) t = now();
    pthread_cond_wait(&p->cv_space, &p->mu);
  }
  if (t) p->reader_wait += now() - t;
  batch *b = p->stop ? NULL : p->free_list;
  if (b) p->free_list = b->next;
  unlock(p);
  return b;
}

/* Reader side: queue a full batch, waiting while the queue is full. */
static int push(pipeline *p, batch *b) {
  lock(p);
  double t = 0;
  while (p->queue_len >= p->opt.queue_capacity && !p->stop) {
    if (!t) t = now();
    pthread_cond_wait(&p->cv_space, &p->mu);
  }
  if (t) p->reader_wait += now() - t;
  if (p->stop) {
    b->next = p->free_list;
    p->free_list = b;
    unlock(p);
    return -1;
  }
  b->seq = p->framed++;
  b->t_framed = now();
  b->next = NULL;
  if (p->queue_tail) p->queue_tail->next = b;
  else p->queue_head = b;
  p->queue_tail = b;
  p->queue_len++;
  pthread_cond_signal(&p->cv_work);
  unlock(p);
  return 0;
}

static void reader_fail(pipeline *p, int err) {
  lock(p);
  if (!p->read_error) p->read_error = err;
  request_stop(p);
  unlock(p);
}

/* An input being read: an opened path or the caller's read callback. */
typedef struct input_source {
  int fd; /* -1 when reading through a callback */
  int owned;
  marc_pipeline_read_fn read;
  void *src;
} input_source;

/* Open input `i`; on failure writes why into `msgs` and returns -1. */
static int input_open(const marc_pipeline_input *in, input_source *is,
                      marc_buf *msgs) {
  memset(is, 0, sizeof *is);
  is->fd = -1;
  if (in->read) {
    is->read = in->read;
    is->src = in->src;
    return 0;
  }
  if (!in->path || !strcmp(in->path, "-")) {
    is->fd = 0;
    return 0;
  }
  is->fd = open(in->path, O_RDONLY);
  if (is->fd >= 0) {
    is->owned = 1;
    return 0;
  }
  char line[512];
  int n = snprintf(line, sizeof line, "marcato: cannot open %s: %s\n", in->path,
                   strerror(errno));
  if (n > 0) marc_buf_append(msgs, line, strlen(line));
  return -1;
}

static int64_t input_read(input_source *is, void *buf, size_t n) {
  if (is->read) return is->read(is->src, buf, n);
  for (;;) {
    ssize_t got = read(is->fd, buf, n);
    if (got >= 0 || errno != EINTR) return (int64_t)got;
  }
}

static void input_close(input_source *is) {
  if (is->owned) close(is->fd);
  is->owned = 0;
}

static void read_failed(const marc_pipeline_input *in, int err,
                        marc_buf *msgs) {
  char line[512];
  snprintf(line, sizeof line, "marcato: cannot read %s: %s\n",
           in->path ? in->path : "input", strerror(err));
  marc_buf_append(msgs, line, strlen(line));
}

/* The framing reader, with the run's record size limit. */
static marc_reader *new_reader(const pipeline *p) {
  marc_reader_options ro = {0};
  ro.max_record = p->opt.max_record;
  ro.max_diags = p->opt.max_diags;
  return marc_reader_new(&ro);
}

static void *reader_main(void *arg) {
  pipeline *p = arg;
  marc_reader *r = new_reader(p);
  uint8_t *chunk = malloc(p->opt.read_chunk);
  if (!r || !chunk) reader_fail(p, ENOMEM);
  /* Small first batches so the first records come out quickly; then the
   * configured size. */
  size_t limit = p->opt.batch_records < 16 ? p->opt.batch_records : 16;
  batch *b = NULL;
  for (size_t in = 0; in < p->ninputs && r && chunk && !p->stop; in++) {
    uint64_t in_seq = 0; /* batches of this input so far */
    if (!b && !(b = acquire(p))) break;
    b->input = in;
    b->in_seq = in_seq++;
    marc_reader_reset(r);
    input_source is;
    int failed = input_open(&p->inputs[in], &is, &b->msgs) != 0;
    int eof = failed;
    while (!failed) {
      marc_raw raw;
      marc_status s = marc_reader_next_raw(r, &raw);
      if (s == MARC_OK) {
        /* Close a batch before a record would take it past its byte size,
         * so batch buffers stay at batch_bytes instead of doubling. */
        if ((b->nrecs && b->raw.len + raw.len > p->opt.batch_bytes) ||
            b->nrecs >= limit) {
          if (push(p, b) != 0 || !(b = acquire(p))) {
            b = NULL;
            break;
          }
          b->input = in;
          b->in_seq = in_seq++;
          if (limit < p->opt.batch_records) limit *= 2;
          if (limit > p->opt.batch_records) limit = p->opt.batch_records;
        }
        if (batch_add(b, &raw) != 0) {
          reader_fail(p, ENOMEM);
          break;
        }
        continue;
      }
      if (s == MARC_END) break;
      if (s != MARC_NEED_MORE || eof) {
        reader_fail(p, ENOMEM);
        break;
      }
      int64_t n = input_read(&is, chunk, p->opt.read_chunk);
      if (n < 0) {
        int err = errno ? errno : EIO;
        read_failed(&p->inputs[in], err, &b->msgs);
        failed = 1;
        lock(p);
        if (!p->read_error) p->read_error = err;
        unlock(p);
        break;
      }
      if (n == 0) {
        eof = 1;
        marc_reader_finish(r);
      } else {
        marc_reader_feed(r, chunk, (size_t)n);
      }
      if (p->stop) break;
    }
    input_close(&is);
    if (!b || p->stop) break;
    if (failed) {
      lock(p);
      p->input_errors++;
      unlock(p);
    }
    /* Every input ends with a batch marked done, empty or not. */
    b->input_done = 1;
    if (push(p, b) != 0) {
      b = NULL;
      break;
    }
    b = NULL;
  }
  if (b) {
    lock(p);
    batch_reset(b);
    b->next = p->free_list;
    p->free_list = b;
    unlock(p);
  }
  lock(p);
  p->reader_done = 1;
  pthread_cond_broadcast(&p->cv_work);
  pthread_cond_broadcast(&p->cv_done);
  unlock(p);
  free(chunk);
  marc_reader_free(r);
  return NULL;
}

/* Hand a finished batch to the sink, count it and return it to the pool.
 * Called without the lock; takes it to update the shared counts. Returns
 * 1 when the run must stop. */
static int deliver(pipeline *p, batch *b) {
  int stop = b->stop;
  if (p->sink &&
      p->sink(p->user, b->input, &b->out, &b->msgs, b->input_done) != 0)
    stop = 1;
  double t = now();
  lock(p);
  if (!p->first && b->nrecs) p->first = t - p->t0;
  if (p->nlat == p->cap_lat) {
    size_t c = p->cap_lat ? p->cap_lat * 2 : 256;
    double *l = realloc(p->lat, c * sizeof *l);
    if (l) p->lat = l, p->cap_lat = c;
  }
  if (p->nlat < p->cap_lat) p->lat[p->nlat++] = t - b->t_framed;
  p->delivered++;
  p->records += b->done;
  p->bytes += b->raw.len;
  p->problems += b->problems;
  batch_reset(b);
  b->next = p->free_list;
  p->free_list = b;
  if (stop) {
    p->sink_stopped = 1;
    request_stop(p);
  }
  pthread_cond_broadcast(&p->cv_space);
  unlock(p);
  return stop;
}

/* sink_per_input: deliver every parked batch that is next for its input
 * and whose input no other worker is delivering, this worker writing. */
static void deliver_per_input(pipeline *p, batch *b) {
  lock(p);
  b->next = p->done;
  p->done = b;
  for (;;) {
    batch **pp = &p->done;
    while (*pp && (p->writing[(*pp)->input] ||
                   (*pp)->in_seq != p->next_in[(*pp)->input]))
      pp = &(*pp)->next;
    if (!*pp || p->stop) break;
    batch *n = *pp;
    *pp = n->next;
    p->writing[n->input] = 1;
    unlock(p);
    size_t input = n->input;
    deliver(p, n);
    lock(p);
    p->next_in[input]++;
    p->writing[input] = 0;
  }
  pthread_cond_broadcast(&p->cv_done);
  unlock(p);
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
    reader_fail(p, ENOMEM);
    return NULL;
  }
  double waited = 0;
  for (;;) {
    lock(p);
    double t = 0;
    while (!p->queue_head && !p->reader_done && !p->stop) {
      if (!t) t = now();
      pthread_cond_wait(&p->cv_work, &p->mu);
    }
    if (t) waited += now() - t;
    batch *b = p->stop ? NULL : p->queue_head;
    if (b) {
      p->queue_head = b->next;
      if (!p->queue_head) p->queue_tail = NULL;
      p->queue_len--;
      pthread_cond_signal(&p->cv_space);
    }
    unlock(p);
    if (!b) break;
    b->done = b->nrecs;
    for (size_t i = 0; i < b->nrecs; i++) {
      marc_raw raw = b->recs[i];
      raw.data = b->raw.data + (uintptr_t)raw.data;
      marc_status s =
          marc_record_parse(rec, &raw, p->opt.strict, 0, p->opt.max_diags);
      if (s == MARC_E_NOMEM) {
        b->stop = 1;
        reader_fail(p, ENOMEM);
        break;
      }
      if (marc_record_diag_count(rec)) b->problems++;
      if (p->on_record(p->user, b->input, rec, &b->out, &b->msgs, wa->id) !=
              0 ||
          s == MARC_E_INVALID) {
        b->stop = 1;
        b->done = i; /* the stopping record is not counted */
        break;
      }
    }
    if (p->opt.sink_per_input) {
      deliver_per_input(p, b);
      continue;
    }
    lock(p);
    b->next = p->done;
    p->done = b;
    pthread_cond_broadcast(&p->cv_done);
    unlock(p);
  }
  lock(p);
  p->worker_wait += waited;
  unlock(p);
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

/* Take the next batch for the sink: the one with sequence `next` when
 * ordered, any finished one otherwise. NULL when the run is over. */
static batch *take_done(pipeline *p, uint64_t next, double *waited) {
  lock(p);
  double t = 0;
  for (;;) {
    batch **pp = &p->done;
    while (*pp && !p->opt.unordered && (*pp)->seq != next) pp = &(*pp)->next;
    if (*pp) {
      batch *b = *pp;
      *pp = b->next;
      unlock(p);
      if (t) *waited += now() - t;
      return b;
    }
    if (p->stop || (p->reader_done && next >= p->framed)) break;
    if (!t) t = now();
    pthread_cond_wait(&p->cv_done, &p->mu);
  }
  unlock(p);
  if (t) *waited += now() - t;
  return NULL;
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

/* Total size of the inputs when all are regular files, else SIZE_MAX. */
static size_t total_input_size(const marc_pipeline_input *in, size_t n) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    struct stat sb;
    if (in[i].read || !in[i].path || !strcmp(in[i].path, "-") ||
        stat(in[i].path, &sb) != 0 || !S_ISREG(sb.st_mode))
      return SIZE_MAX;
    total += (size_t)sb.st_size;
  }
  return total;
}

/* Small work: reader, parse, callback and sink on the calling thread, in
 * batches of the same shape as the threaded run. */
static int run_inline(pipeline *p, marc_pipeline_input_sink_fn sink,
                      marc_pipeline_stats *st) {
  marc_reader *r = new_reader(p);
  marc_record *rec = marc_record_new();
  uint8_t *chunk = malloc(p->opt.read_chunk);
  batch b;
  memset(&b, 0, sizeof b);
  int rc = 0;
  if (!r || !rec || !chunk) {
    errno = ENOMEM;
    rc = -1;
    goto out;
  }
  for (size_t in = 0; in < p->ninputs && rc == 0; in++) {
    marc_reader_reset(r);
    input_source is;
    int failed = input_open(&p->inputs[in], &is, &b.msgs) != 0;
    int eof = failed, stop = 0;
    while (!failed && !stop) {
      marc_raw raw;
      marc_status s = marc_reader_next_raw(r, &raw);
      if (s == MARC_OK) {
        s = marc_record_parse(rec, &raw, p->opt.strict, 0, p->opt.max_diags);
        if (s == MARC_E_NOMEM) {
          errno = ENOMEM;
          rc = -1;
          break;
        }
        st->bytes += raw.len;
        if (!st->first_record_seconds) st->first_record_seconds = now() - p->t0;
        if (marc_record_diag_count(rec)) st->records_with_problems++;
        if (p->on_record(p->user, in, rec, &b.out, &b.msgs, 0) != 0 ||
            s == MARC_E_INVALID)
          stop = 1;
        else st->records++; /* the stopping record is not counted */
        if (stop || b.out.len >= p->opt.batch_bytes ||
            b.msgs.len >= p->opt.batch_bytes) {
          st->batches++;
          if (sink && sink(p->user, in, &b.out, &b.msgs, 0) != 0) stop = 1;
          b.out.len = b.msgs.len = 0;
        }
        continue;
      }
      if (s == MARC_END) break;
      if (s != MARC_NEED_MORE || eof) {
        errno = ENOMEM;
        rc = -1;
        break;
      }
      int64_t n = input_read(&is, chunk, p->opt.read_chunk);
      if (n < 0) {
        read_failed(&p->inputs[in], errno ? errno : EIO, &b.msgs);
        failed = 1;
      } else if (n == 0) {
        eof = 1;
        marc_reader_finish(r);
      } else {
        marc_reader_feed(r, chunk, (size_t)n);
      }
    }
    input_close(&is);
    if (failed) st->input_errors++;
    st->batches++;
    if (sink && sink(p->user, in, &b.out, &b.msgs, 1) != 0) stop = 1;
    b.out.len = b.msgs.len = 0;
    if (stop && rc == 0) rc = 1;
  }
out:
  marc_buf_free(&b.out);
  marc_buf_free(&b.msgs);
  free(chunk);
  marc_record_free(rec);
  marc_reader_free(r);
  return rc;
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
  p.t0 = now();
  marc_pipeline_stats local;
  if (!stats) stats = &local;
  memset(stats, 0, sizeof *stats);

  if (p.opt.serial ||
      (p.opt.serial_below != SIZE_MAX &&
       total_input_size(inputs, ninputs) < p.opt.serial_below)) {
    int rc = run_inline(&p, sink, stats);
    stats->serial = 1;
    stats->threads = 1;
    stats->seconds = now() - p.t0;
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
  if (pthread_create(&reader, NULL, reader_main, &p) != 0) {
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
    lock(&p);
    request_stop(&p);
    unlock(&p);
    rc = -1;
  }

  double sink_wait = 0;
  uint64_t next = 0;
  batch *b;
  if (p.opt.sink_per_input) {
    /* Workers deliver; the calling thread only waits for the end. */
  } else {
    while ((b = take_done(&p, next, &sink_wait)) != NULL) {
      next++;
      if (deliver(&p, b)) break;
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
  stats->seconds = now() - p.t0;
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
      marc_buf_free(&p.pool[i].raw);
      marc_buf_free(&p.pool[i].out);
      marc_buf_free(&p.pool[i].msgs);
      free(p.pool[i].recs);
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
                         marc_buf *out, marc_buf *msgs, unsigned worker) {
  (void)input;
  single_run *s = user;
  return s->on_record(s->user, rec, out, msgs, worker);
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
