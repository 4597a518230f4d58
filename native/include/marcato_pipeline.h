/*
 * marcato_pipeline.h: the native threaded pipeline (pthreads).
 *
 * A reader thread frames raw ISO 2709 records into batches (by record
 * count and by bytes); a bounded queue of batches gives backpressure; N
 * worker threads parse each record and hand it to a user callback that
 * appends output to the batch's buffers; the calling thread is the sink
 * and receives every batch's output in input order (or as soon as it is
 * ready, when unordered). A bad record never stops the run: diagnostics
 * travel with their batch.
 *
 * Memory is bounded by (queue_capacity + threads + 2) batches.
 */
#ifndef MARCATO_PIPELINE_H
#define MARCATO_PIPELINE_H

#include "marcato.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Default serial_below (bytes): below this much input the threads'
 * start-up and hand-offs cost more than the parallel work saves (measured
 * with bench/pipeline_threshold: on 2 cores, parse + .mrk output breaks
 * even at about 1 MB of input and runs 2x faster threaded from 4 MB). */
#define MARC_PIPELINE_SERIAL_BELOW ((size_t)1 << 20)

typedef struct marc_pipeline_options {
  unsigned threads;      /* worker threads; 0: the online CPUs */
  size_t batch_records;  /* records per batch; 0: 1,000 */
  size_t batch_bytes;    /* raw bytes per batch; 0: 512 KiB */
  size_t queue_capacity; /* batches waiting for a worker; 0: 2 per
                            thread, at most 8 */
  int unordered;         /* 1: deliver batches as they finish */
  /* 1 (marc_pipeline_run_inputs): the sink is called on the worker
   * threads, in order within each input, for different inputs at the same
   * time: one output file per input is written concurrently. The sink must
   * then be safe to call from several threads for different inputs. */
  int sink_per_input;
  int strict;        /* records with a problem are not delivered to
                        the callback; the run stops after the batch */
  size_t read_chunk; /* bytes per read call; 0: 1 MiB */
  /* marc_pipeline_run_inputs: total input size below which the run stays
   * on the calling thread; 0: MARC_PIPELINE_SERIAL_BELOW; SIZE_MAX: never
   * serial. */
  size_t serial_below;
  /* 1: the whole run on the calling thread (reader, records and sink, in
   * batches of the same shape), whatever the input; `threads` is not
   * used. For a caller whose own thread is busy too: one worker and a
   * reader thread beside it would compete for the cores. */
  int serial;
  size_t max_record; /* longest record framed as one (marc_reader_options);
                        0: the reader's default */
  size_t max_diags;  /* diagnostics kept per record; 0: the default */
  /* Called, after the threads have ended, with the output of every batch
   * that a record callback wrote to but that never reached the sink (a
   * stopped run: finished batches still waiting are dropped). For callers
   * whose output holds pointers to memory they own. NULL: dropped
   * silently. */
  void (*discard)(void *user, size_t input, const marc_buf *out);
} marc_pipeline_options;

/* Input: fill `buf` with up to `n` bytes; return the count, 0 at end of
 * input, or -1 on error (errno kept). Called on the reader thread. */
typedef int64_t (*marc_pipeline_read_fn)(void *src, void *buf, size_t n);

/* Per record, on a worker thread (`worker` in 0..threads-1). Append output
 * to `out` and messages (diagnostics) to `msgs`. Return 0 to go on, non-zero
 * to stop the run. The record is valid only during the call; it may be
 * given more diagnostics (marc_record_validate). `raw` is how the record
 * was framed: its bytes as read, offset, index, junk skipped before it and
 * the MARC_RAW_* framing flags (valid during the call too), for callers
 * that copy the record's bytes or report framing without re-deriving it
 * from diagnostics. */
typedef int (*marc_pipeline_record_fn)(void *user, marc_record *rec,
                                       const marc_raw *raw, marc_buf *out,
                                       marc_buf *msgs, unsigned worker);

/* Per batch, on the calling thread, in input order unless unordered.
 * Return 0 to go on, non-zero to stop the run. */
typedef int (*marc_pipeline_sink_fn)(void *user, const marc_buf *out,
                                     const marc_buf *msgs);

typedef struct marc_pipeline_stats {
  uint64_t records;      /* handed to the callback, not counting one that
                            stopped the run */
  uint64_t input_errors; /* inputs that could not be opened or read */
  int serial;            /* the run stayed on the calling thread */
  uint64_t bytes;
  uint64_t batches;
  uint64_t records_with_problems;
  unsigned threads;
  double seconds;              /* wall time of the run */
  double first_record_seconds; /* start to first record out of the sink */
  double latency_p50, latency_p95, latency_p99; /* batch framed -> sunk */
  double reader_wait_seconds; /* reader waiting for a free batch */
  double worker_wait_seconds; /* workers waiting for work (sum) */
  double sink_wait_seconds;   /* sink waiting for the next batch */
  double lock_wait_seconds;   /* time spent acquiring the queue lock */
} marc_pipeline_stats;

/* Run the pipeline over one input. Returns 0 when the run completed, 1 when
 * a callback or strict mode stopped it, -1 on a read error or out of
 * memory (errno set). `stats` may be NULL. */
int marc_pipeline_run(const marc_pipeline_options *opt,
                      marc_pipeline_read_fn read, void *src,
                      marc_pipeline_record_fn on_record,
                      marc_pipeline_sink_fn sink, void *user,
                      marc_pipeline_stats *stats);

/* Many inputs, read one after another by the reader thread and processed
 * by the same workers (a large input is cut into batches at record
 * boundaries; every batch holds records of one input, so record indexes and
 * byte offsets are those of its input). Each input is a path (opened and
 * closed by the pipeline; "-" is standard input) or a read callback. */
typedef struct marc_pipeline_input {
  const char *path;           /* used when read is NULL */
  marc_pipeline_read_fn read; /* or: a read callback and its source */
  void *src;
} marc_pipeline_input;

/* As marc_pipeline_record_fn, with the index of the input. */
typedef int (*marc_pipeline_input_record_fn)(void *user, size_t input,
                                             marc_record *rec,
                                             const marc_raw *raw, marc_buf *out,
                                             marc_buf *msgs, unsigned worker);
/* `input_done` is 1 on the last batch of an input (which may be empty).
 * An input that cannot be opened or read gives one batch whose `msgs` says
 * why (counted in stats->input_errors); the run goes on with the next. */
typedef int (*marc_pipeline_input_sink_fn)(void *user, size_t input,
                                           const marc_buf *out,
                                           const marc_buf *msgs,
                                           int input_done);

/* Returns as marc_pipeline_run. When the inputs are regular files whose
 * total size is below opt->serial_below bytes, everything runs on the
 * calling thread: starting threads would cost more than they save. */
int marc_pipeline_run_inputs(const marc_pipeline_options *opt,
                             const marc_pipeline_input *inputs, size_t ninputs,
                             marc_pipeline_input_record_fn on_record,
                             marc_pipeline_input_sink_fn sink, void *user,
                             marc_pipeline_stats *stats);

/* Number of online CPUs (at least 1). */
unsigned marc_pipeline_cpus(void);

#ifdef __cplusplus
}
#endif
#endif
