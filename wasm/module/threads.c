/* threads.c: the threaded run (marcato-threads only): the native pipeline
 * (native/src/pipeline.c) on Web Workers, its workers encoding record
 * blocks (batch.c) and its ordered sink making batches for JS. */
#include "glue.h"

#if MARCATO_WASM_THREADS
#include "marcato_pipeline.h"

#include <emscripten/threading.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A run of the native pipeline over input that JS feeds in chunks:
 *
 *   JS feed ──> input queue ──> pipeline reader thread ──> workers
 *   (main)      (bounded)       (the read callback)        (encode records)
 *        <── output queue <── ordered sink (on the driver thread)
 *   JS take     (bounded)
 *
 * The pipeline runs on a "driver" pthread; JS never blocks: feeding
 * returns NULL when the input queue is full, taking returns 0 when no
 * batch is ready, and `state` (an int JS can Atomics.waitAsync on) changes
 * whenever a batch is ready, input room frees up or the run ends. */

typedef struct mt_chunk {
  struct mt_chunk *next;
  size_t len, pos;
  uint8_t data[];
} mt_chunk;

typedef struct mt_out {
  struct mt_out *next;
  marc_buf buf;
} mt_out;

typedef struct mt_run {
  pthread_t driver;
  pthread_mutex_t mu;
  pthread_cond_t cv_in;  /* input arrived, or cancel */
  pthread_cond_t cv_out; /* JS took a batch, or cancel */
  mt_chunk *in_head, *in_tail, *staged;
  size_t in_count, in_cap;
  int in_eof;
  mt_out *out_head, *out_tail;
  mt_out *taken; /* the batch JS holds */
  size_t out_count, out_cap;
  int cancel, finished, rc;
  int strict;
  glue_validation validate; /* what each record is checked against */
  const marc_query *query;  /* drop the records that do not match */
  int committed;            /* a chunk was queued: options are fixed */
  int32_t state;            /* bumped on every event JS may wait for */
  marc_pipeline_options popt;
  encoder *enc; /* one per worker */
  unsigned nenc;
  marc_pipeline_stats stats;
} mt_run;

static void mt_bump(mt_run *r) {
  __atomic_fetch_add(&r->state, 1, __ATOMIC_SEQ_CST);
  emscripten_futex_wake(&r->state, 0x7fffffff);
}

/* Pipeline reader thread: the next bytes of the input queue. */
static int64_t mt_read(void *src, void *buf, size_t n) {
  mt_run *r = src;
  pthread_mutex_lock(&r->mu);
  while (!r->in_head && !r->in_eof && !r->cancel)
    pthread_cond_wait(&r->cv_in, &r->mu);
  if (r->cancel || !r->in_head) {
    pthread_mutex_unlock(&r->mu);
    return 0;
  }
  mt_chunk *c = r->in_head;
  size_t k = c->len - c->pos < n ? c->len - c->pos : n;
  memcpy(buf, c->data + c->pos, k);
  c->pos += k;
  int freed = 0;
  if (c->pos == c->len) {
    r->in_head = c->next;
    if (!r->in_head) r->in_tail = NULL;
    r->in_count--;
    free(c);
    freed = 1;
  }
  pthread_mutex_unlock(&r->mu);
  if (freed) mt_bump(r);
  return (int64_t)k;
}

/* Worker thread: encode one record into the batch's blocks (`out`) and
 * text (`msgs`). The first record of a batch finds `msgs` empty. `raw` is
 * its framing as the pipeline's reader saw it (flags, claimed length,
 * junk), which the block keeps for the writers, as a single-threaded
 * reader's block does. */
/* A pseudo record block flagged WASM_REC_ERROR holding the problem `d`
 * that ends a strict run. */
static int error_block(marc_buf *out, const marc_diag *d) {
  size_t len = strlen(d->msg);
  size_t size = glue_align8(sizeof(wasm_rec) + sizeof(wasm_diag) + len);
  if (marc_buf_reserve(out, size) != MARC_OK) return 1;
  uint8_t *b = out->data + out->len;
  memset(b, 0, size);
  wasm_rec *h = (wasm_rec *)b;
  h->size = (uint32_t)size;
  h->flags = WASM_REC_ERROR;
  h->ndiags = 1;
  h->diags = sizeof(wasm_rec);
  memcpy(b + sizeof(wasm_rec) + sizeof(wasm_diag), d->msg, len);
  glue_put_diag((wasm_diag *)(b + sizeof(wasm_rec)), (uint32_t)d->code, d->tag,
                d->offset, d->record,
                (uint32_t)(sizeof(wasm_rec) + sizeof(wasm_diag)),
                (uint32_t)len);
  out->len += size;
  return 1;
}

static int mt_on_record(void *user, marc_record *rec, const marc_raw *raw,
                        marc_buf *out, marc_buf *msgs, unsigned worker) {
  mt_run *r = user;
  encoder *e = &r->enc[worker < r->nenc ? worker : 0];
  /* As a single-threaded reader does (reader.c: next_record, and
   * marc__wasm_next_batch for a conversion problem in strict mode). */
  if (r->query && !marc_query_match(r->query, rec)) return 0;
  int64_t found = r->validate.on ? glue_validate(e, &r->validate, rec) : 0;
  if (found < 0) return 1;
  if (r->strict && (found || marc_record_diag_count(rec))) {
    /* The first problem: a diagnostic, or a schema finding (its rule's
     * code goes through the diagnostic's code as is). */
    marc_diag d;
    uint32_t code;
    char msg[200];
    memset(&d, 0, sizeof d);
    glue_first_problem(e, rec, &code, d.tag, &d.offset, &d.record, msg,
                       sizeof msg);
    d.code = (marc_code)code;
    d.msg = msg;
    e->nfinds = 0;
    return error_block(out, &d);
  }
  int built = 0;
  const marc_record *use = glue_convert(e, rec, &built);
  if (r->strict && use != rec && marc_record_diag_count(use))
    return error_block(out, marc_record_diag(use, 0));
  /* `msgs` becomes the batch text: text_off is already relative to it. */
  if (glue_append_record(e, out, msgs, use, raw, built) != MARC_OK) return 1;
  return 0;
}

/* Driver thread: one batch of the pipeline, in input order. Build a batch
 * (header, blocks with their text offsets, text) and queue it for JS. */
static int mt_sink(void *user, const marc_buf *out, const marc_buf *msgs) {
  mt_run *r = user;
  mt_out *o = calloc(1, sizeof *o);
  if (!o || marc_buf_reserve(&o->buf, sizeof(wasm_batch) + out->len +
                                          msgs->len + 64) != MARC_OK) {
    free(o);
    return 1;
  }
  memset(o->buf.data, 0, sizeof(wasm_batch));
  o->buf.len = sizeof(wasm_batch);
  uint32_t count = 0;
  size_t err_at = 0;
  int32_t status = MARC_OK;
  /* Copy the record blocks (their text offsets hold: `msgs` is the text). */
  size_t p = 0;
  while (p < out->len) {
    const wasm_rec *h = (const wasm_rec *)(out->data + p);
    if (h->flags & WASM_REC_ERROR) {
      const wasm_diag *d = (const wasm_diag *)(out->data + p + h->diags);
      char msg[256];
      size_t len = d->msg_len < sizeof msg - 1 ? d->msg_len : sizeof msg - 1;
      memcpy(msg, out->data + p + d->msg, len);
      msg[len] = 0;
      glue_append_error(
          &o->buf, d->code, d->tag, (uint64_t)d->offset_hi << 32 | d->offset_lo,
          (uint64_t)d->record_hi << 32 | d->record_lo, msg, &err_at);
      status = MARC_E_INVALID;
      break;
    }
    marc_buf_append(&o->buf, h, h->size);
    count++;
    p += h->size;
  }
  if (glue_finish_batch(&o->buf, msgs, status, count, (uint32_t)err_at) !=
      MARC_OK) {
    marc_buf_free(&o->buf);
    free(o);
    return 1;
  }
  pthread_mutex_lock(&r->mu);
  while (r->out_count >= r->out_cap && !r->cancel)
    pthread_cond_wait(&r->cv_out, &r->mu);
  int cancel = r->cancel;
  if (!cancel) {
    if (r->out_tail) r->out_tail->next = o;
    else r->out_head = o;
    r->out_tail = o;
    r->out_count++;
  }
  pthread_mutex_unlock(&r->mu);
  if (cancel) {
    marc_buf_free(&o->buf);
    free(o);
    return 1;
  }
  mt_bump(r);
  return status == MARC_E_INVALID;
}

static void *mt_driver(void *arg) {
  mt_run *r = arg;
  int rc = marc_pipeline_run(&r->popt, mt_read, r, mt_on_record, mt_sink, r,
                             &r->stats);
  pthread_mutex_lock(&r->mu);
  r->rc = rc;
  r->finished = 1;
  pthread_mutex_unlock(&r->mu);
  mt_bump(r);
  return NULL;
}

/* Start a run with `threads` workers (pthreads: threads + 2 with the
 * pipeline's reader and the driver). `max_record` and `max_diags` as for
 * marc__wasm_reader_new (0: the defaults). NULL when out of memory or no
 * thread could be started. */
WASM_EXPORT mt_run *marc__wasm_mt_new(uint32_t threads, int32_t strict,
                                      int32_t encoding, int32_t nfc,
                                      uint32_t batch_records,
                                      uint32_t batch_bytes, uint32_t max_record,
                                      uint32_t max_diags) {
  if (!threads) threads = 1;
  mt_run *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->enc = calloc(threads, sizeof *r->enc);
  if (!r->enc) {
    free(r);
    return NULL;
  }
  r->nenc = threads;
  for (unsigned i = 0; i < threads; i++)
    glue_encoder_init(&r->enc[i], encoding, nfc);
  r->strict = strict ? 1 : 0;
  r->in_cap = 4;
  r->out_cap = 4;
  r->popt.threads = threads;
  /* One worker: it runs on the driver thread, reading as it goes. A
   * reader thread and a worker thread beside the JS thread (which builds
   * the objects) would share the cores three ways: on 2 cores, reading
   * real-all.mrc with every subfield took 25 ms that way, 21 ms so. */
  r->popt.serial = threads == 1;
  r->popt.batch_records = batch_records;
  r->popt.batch_bytes = batch_bytes;
  r->popt.strict = 0; /* strict is handled in mt_on_record */
  r->popt.read_chunk = (size_t)1 << 20;
  r->popt.max_record = max_record;
  r->popt.max_diags = max_diags;
  pthread_mutex_init(&r->mu, NULL);
  pthread_cond_init(&r->cv_in, NULL);
  pthread_cond_init(&r->cv_out, NULL);
  if (pthread_create(&r->driver, NULL, mt_driver, r) != 0) {
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv_in);
    pthread_cond_destroy(&r->cv_out);
    free(r->enc);
    free(r);
    return NULL;
  }
  glue_live_objects++;
  return r;
}

/* Reader options of a run, as marc__wasm_reader_set_query and
 * marc__wasm_reader_set_validate; before the first marc__wasm_mt_commit
 * (the workers read them once records come, after the chunk's hand-off
 * through the run's mutex), else MARC_E_STATE. */
WASM_EXPORT int32_t marc__wasm_mt_set_query(mt_run *r, const wasm_query *q) {
  if (!r || (q && !q->q)) return MARC_E_ARG;
  if (r->committed) return MARC_E_STATE;
  r->query = q ? q->q : NULL;
  return MARC_OK;
}

WASM_EXPORT int32_t marc__wasm_mt_set_validate(mt_run *r, int32_t on) {
  if (!r) return MARC_E_ARG;
  if (r->committed) return MARC_E_STATE;
  memset(&r->validate, 0, sizeof r->validate);
  r->validate.on = on ? 1 : 0;
  return MARC_OK;
}

/* As marc__wasm_reader_set_schema, for the run's workers (the schema
 * must outlive the run). */
WASM_EXPORT int32_t marc__wasm_mt_set_schema(mt_run *r, int32_t mode,
                                             const wasm_schema *s,
                                             uint32_t enable,
                                             uint32_t disable) {
  if (!r) return MARC_E_ARG;
  if (r->committed) return MARC_E_STATE;
  return glue_validation_set(&r->validate, mode, s, enable, disable);
}

/* The address of the state counter (JS: Atomics.waitAsync on it). */
WASM_EXPORT int32_t *marc__wasm_mt_state(mt_run *r) { return &r->state; }

/* Room for a chunk of `n` bytes; NULL when the input queue is full (take
 * batches, wait for the state to change, and retry) or out of memory. */
WASM_EXPORT uint8_t *marc__wasm_mt_input(mt_run *r, uint32_t n) {
  if (!r) return NULL;
  pthread_mutex_lock(&r->mu);
  int full = r->in_count >= r->in_cap;
  pthread_mutex_unlock(&r->mu);
  if (full) return NULL;
  free(r->staged);
  r->staged = malloc(sizeof(mt_chunk) + (n ? n : 1));
  if (!r->staged) return NULL;
  r->staged->next = NULL;
  r->staged->len = n;
  r->staged->pos = 0;
  return r->staged->data;
}

/* Queue the chunk written into marc__wasm_mt_input's room. */
WASM_EXPORT int32_t marc__wasm_mt_commit(mt_run *r) {
  if (!r || !r->staged) return MARC_E_STATE;
  mt_chunk *c = r->staged;
  r->staged = NULL;
  if (!c->len) {
    free(c);
    return MARC_OK;
  }
  r->committed = 1;
  pthread_mutex_lock(&r->mu);
  if (r->in_tail) r->in_tail->next = c;
  else r->in_head = c;
  r->in_tail = c;
  r->in_count++;
  pthread_cond_broadcast(&r->cv_in);
  pthread_mutex_unlock(&r->mu);
  return MARC_OK;
}

/* Raise `flag` (the end of input, or cancel) and wake every wait on it:
 * the reader waits for input, the sink for room in the output queue. */
static void mt_raise(mt_run *r, int *flag) {
  pthread_mutex_lock(&r->mu);
  *flag = 1;
  pthread_cond_broadcast(&r->cv_in);
  pthread_cond_broadcast(&r->cv_out);
  pthread_mutex_unlock(&r->mu);
}

/* No more input. */
WASM_EXPORT void marc__wasm_mt_finish(mt_run *r) {
  if (r) mt_raise(r, &r->in_eof);
}

/* The next batch in input order (valid until the next take or free), or
 * NULL: none ready now (wait for the state to change), or the run is over
 * (marc__wasm_mt_done). */
WASM_EXPORT const uint8_t *marc__wasm_mt_take(mt_run *r) {
  if (!r) return NULL;
  pthread_mutex_lock(&r->mu);
  mt_out *prev = r->taken;
  mt_out *o = r->out_head;
  if (o) {
    r->out_head = o->next;
    if (!r->out_head) r->out_tail = NULL;
    r->out_count--;
    pthread_cond_broadcast(&r->cv_out);
  }
  r->taken = o;
  pthread_mutex_unlock(&r->mu);
  if (prev) {
    marc_buf_free(&prev->buf);
    free(prev);
  }
  return o ? o->buf.data : NULL;
}

/* WASM_MT_RUNNING; WASM_MT_DONE when the run ended and every batch was
 * taken; WASM_MT_FAILED when it ended with an error (out of memory). */
WASM_EXPORT int32_t marc__wasm_mt_done(mt_run *r) {
  if (!r) return WASM_MT_FAILED;
  pthread_mutex_lock(&r->mu);
  int32_t d = !r->finished || r->out_head ? WASM_MT_RUNNING
              : r->rc < 0                 ? WASM_MT_FAILED
                                          : WASM_MT_DONE;
  pthread_mutex_unlock(&r->mu);
  return d;
}

/* Ask the run to stop (early break): the pipeline ends after the batches
 * in flight. Wait for marc__wasm_mt_finished before freeing. */
WASM_EXPORT void marc__wasm_mt_cancel(mt_run *r) {
  if (r) mt_raise(r, &r->cancel);
}

WASM_EXPORT int32_t marc__wasm_mt_finished(mt_run *r) {
  if (!r) return 1;
  pthread_mutex_lock(&r->mu);
  int f = r->finished;
  pthread_mutex_unlock(&r->mu);
  return f;
}

/* Seconds to the first record and records of the finished run. */
WASM_EXPORT double marc__wasm_mt_stat(mt_run *r, int32_t which) {
  if (!r) return 0;
  switch (which) {
  case WASM_MT_RECORDS: return (double)r->stats.records;
  case WASM_MT_SECONDS: return r->stats.seconds;
  case WASM_MT_FIRST_RECORD: return r->stats.first_record_seconds;
  case WASM_MT_THREADS: return (double)r->stats.threads;
  default: return 0;
  }
}

/* Free a finished run (after marc__wasm_mt_finished returned 1). */
WASM_EXPORT void marc__wasm_mt_free(mt_run *r) {
  if (!r) return;
  pthread_join(r->driver, NULL);
  for (mt_chunk *c = r->in_head, *n; c; c = n) {
    n = c->next;
    free(c);
  }
  free(r->staged);
  for (mt_out *o = r->out_head, *n; o; o = n) {
    n = o->next;
    marc_buf_free(&o->buf);
    free(o);
  }
  if (r->taken) {
    marc_buf_free(&r->taken->buf);
    free(r->taken);
  }
  for (unsigned i = 0; i < r->nenc; i++) glue_encoder_free(&r->enc[i]);
  free(r->enc);
  pthread_mutex_destroy(&r->mu);
  pthread_cond_destroy(&r->cv_in);
  pthread_cond_destroy(&r->cv_out);
  free(r);
  glue_live_objects--;
}

#endif /* MARCATO_WASM_THREADS */
