/* The pipeline's hand-offs: the pool of batches, the bounded queue from
 * the reader to the workers, and delivery to the sink in input order. */
#include "pipeline_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

double marc__pl_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Lock, counting the time spent when the lock was contended. */
void marc__pl_lock(pipeline *p) {
  if (pthread_mutex_trylock(&p->mu) == 0) return;
  double t = marc__pl_now();
  pthread_mutex_lock(&p->mu);
  p->lock_wait += marc__pl_now() - t;
}

void marc__pl_unlock(pipeline *p) { pthread_mutex_unlock(&p->mu); }

void marc__pl_batch_reset(batch *b) {
  b->input_done = 0;
  b->raw.len = 0;
  b->nrecs = 0;
  b->recs.len = 0;
  b->out.len = 0;
  b->msgs.len = 0;
  b->problems = 0;
  b->stop = 0;
  b->next = NULL;
}

int marc__pl_batch_add(batch *b, const marc_raw *raw) {
  marc_raw r = *raw;
  /* An offset, not a pointer: raw may move as it grows. */
  r.data = (const uint8_t *)(uintptr_t)b->raw.len;
  if (marc_buf_append(&b->recs, &r, sizeof r) != MARC_OK) return -1;
  b->nrecs++;
  return marc_buf_append(&b->raw, raw->data, raw->len) == MARC_OK ? 0 : -1;
}

void marc__pl_request_stop(pipeline *p) {
  atomic_store(&p->stop, 1);
  pthread_cond_broadcast(&p->cv_work);
  pthread_cond_broadcast(&p->cv_space);
  pthread_cond_broadcast(&p->cv_done);
}

/* Reader side: get an empty batch, waiting for one to be freed. */
batch *marc__pl_acquire(pipeline *p) {
  marc__pl_lock(p);
  double t = 0;
  while (!p->free_list && !p->stop) {
    if (!t) t = marc__pl_now();
    pthread_cond_wait(&p->cv_space, &p->mu);
  }
  if (t) p->reader_wait += marc__pl_now() - t;
  batch *b = p->stop ? NULL : p->free_list;
  if (b) p->free_list = b->next;
  marc__pl_unlock(p);
  return b;
}

/* Reader side: queue a full batch, waiting while the queue is full. */
int marc__pl_push(pipeline *p, batch *b) {
  marc__pl_lock(p);
  double t = 0;
  while (p->queue_len >= p->opt.queue_capacity && !p->stop) {
    if (!t) t = marc__pl_now();
    pthread_cond_wait(&p->cv_space, &p->mu);
  }
  if (t) p->reader_wait += marc__pl_now() - t;
  if (p->stop) {
    b->next = p->free_list;
    p->free_list = b;
    marc__pl_unlock(p);
    return -1;
  }
  b->seq = p->framed++;
  b->t_framed = marc__pl_now();
  b->next = NULL;
  if (p->queue_tail) p->queue_tail->next = b;
  else p->queue_head = b;
  p->queue_tail = b;
  p->queue_len++;
  pthread_cond_signal(&p->cv_work);
  marc__pl_unlock(p);
  return 0;
}

void marc__pl_reader_fail(pipeline *p, int err) {
  marc__pl_lock(p);
  if (!p->read_error) p->read_error = err;
  marc__pl_request_stop(p);
  marc__pl_unlock(p);
}

/* Hand a finished batch to the sink, count it and return it to the pool.
 * Called without the lock; takes it to update the shared counts. Returns
 * 1 when the run must stop. */
int marc__pl_deliver(pipeline *p, batch *b) {
  int stop = b->stop;
  if (p->sink &&
      p->sink(p->user, b->input, &b->out, &b->msgs, b->input_done) != 0)
    stop = 1;
  double t = marc__pl_now();
  marc__pl_lock(p);
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
  marc__pl_batch_reset(b);
  b->next = p->free_list;
  p->free_list = b;
  if (stop) {
    p->sink_stopped = 1;
    marc__pl_request_stop(p);
  }
  pthread_cond_broadcast(&p->cv_space);
  marc__pl_unlock(p);
  return stop;
}

/* sink_per_input: deliver every parked batch that is next for its input
 * and whose input no other worker is delivering, this worker writing. */
void marc__pl_deliver_per_input(pipeline *p, batch *b) {
  marc__pl_lock(p);
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
    marc__pl_unlock(p);
    size_t input = n->input;
    marc__pl_deliver(p, n);
    marc__pl_lock(p);
    p->next_in[input]++;
    p->writing[input] = 0;
  }
  pthread_cond_broadcast(&p->cv_done);
  marc__pl_unlock(p);
}
/* Take the next batch for the sink: the one with sequence `next` when
 * ordered, any finished one otherwise. NULL when the run is over. */
batch *marc__pl_take_done(pipeline *p, uint64_t next, double *waited) {
  marc__pl_lock(p);
  double t = 0;
  for (;;) {
    batch **pp = &p->done;
    while (*pp && !p->opt.unordered && (*pp)->seq != next) pp = &(*pp)->next;
    if (*pp) {
      batch *b = *pp;
      *pp = b->next;
      marc__pl_unlock(p);
      if (t) *waited += marc__pl_now() - t;
      return b;
    }
    if (p->stop || (p->reader_done && next >= p->framed)) break;
    if (!t) t = marc__pl_now();
    pthread_cond_wait(&p->cv_done, &p->mu);
  }
  marc__pl_unlock(p);
  if (t) *waited += marc__pl_now() - t;
  return NULL;
}
