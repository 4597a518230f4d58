/* Shared by the pipeline's source files (not installed): a batch, the
 * run's state, and the functions one file gives the others. */
#ifndef MARCATO_PIPELINE_INTERNAL_H
#define MARCATO_PIPELINE_INTERNAL_H

#include "marcato_pipeline.h"

#include <pthread.h>
#include <stdatomic.h>

typedef struct batch {
  uint64_t seq;
  marc_buf raw;  /* the batch's raw records, back to back */
  marc_buf recs; /* nrecs marc_raw; .data holds an offset into raw */
  size_t nrecs;
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

/* pipeline_queue.c */
double marc__pl_now(void);
/* Lock, counting the time spent when the lock was contended. */
void marc__pl_lock(pipeline *p);
void marc__pl_unlock(pipeline *p);
void marc__pl_batch_reset(batch *b);
/* Append a framed record's bytes and framing to a batch; -1 when out of
 * memory. */
int marc__pl_batch_add(batch *b, const marc_raw *raw);
/* Wake every waiter: the run ends. Called with the lock held. */
void marc__pl_request_stop(pipeline *p);
/* Reader side: an empty batch (waits for one), NULL when stopping. */
batch *marc__pl_acquire(pipeline *p);
/* Reader side: queue a full batch (waits while the queue is full); -1 when
 * stopping (the batch went back to the pool). */
int marc__pl_push(pipeline *p, batch *b);
/* Record the first reading error and stop the run. */
void marc__pl_reader_fail(pipeline *p, int err);
/* Hand a finished batch to the sink and back to the pool; 1 to stop. */
int marc__pl_deliver(pipeline *p, batch *b);
/* sink_per_input: park a finished batch and deliver what is next. */
void marc__pl_deliver_per_input(pipeline *p, batch *b);
/* The sink's next batch (in order unless unordered); NULL at the end. */
batch *marc__pl_take_done(pipeline *p, uint64_t next, double *waited);

/* pipeline_input.c */
/* The reader thread: frames every input's records into batches. */
void *marc__pl_reader_main(void *arg);
/* Total size of the inputs when all are regular files, else SIZE_MAX. */
size_t marc__pl_total_input_size(const marc_pipeline_input *in, size_t n);
/* The whole run on the calling thread, in batches of the same shape. */
int marc__pl_run_inline(pipeline *p, marc_pipeline_input_sink_fn sink,
                        marc_pipeline_stats *st);

#endif
