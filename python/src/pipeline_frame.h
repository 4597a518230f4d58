/* pipeline_frame.h: what a pipeline worker writes for each record, and how
 * the Python side reads it back.
 *
 * Records mode: the batch's output is an array of `decoded` (ext.h): the
 * record the worker parsed and converted, owned by the batch until the
 * Python thread wraps it or frees it (a run left early).
 *
 * Bytes mode, one frame per record:
 *   u32 length of the rest | u8 kind 'B' | u64 index | u64 offset |
 *   u32 diagnostics, each: u32 code, u64 offset, u64 record, char tag[4],
 *   u32 message length, message |
 *   body: the record in the output format. */
#ifndef MARCATO_PY_PIPELINE_FRAME_H
#define MARCATO_PY_PIPELINE_FRAME_H

#include "ext.h"
#include "marcato_pipeline.h"

#include <stdatomic.h>

typedef struct frame_job {
  int records; /* 1: frames become Records; 0: bytes in `fmt` */
  marc_format fmt;
  int text; /* TEXT_* */
  /* records mode: records decoded by the workers (every one is later
   * handed out or freed; the pipeline's stats show both) */
  atomic_uint_least64_t *decoded;
} frame_job;

/* marc_pipeline_input_record_fn: `user` is the PipelineObject, whose first
 * member after the header is not used; the job is passed through
 * frame_job_of(user). */
int frame_on_record(void *user, size_t input, marc_record *rec,
                    const marc_raw *raw, marc_buf *out, marc_buf *msgs,
                    unsigned worker);
/* Set by pipeline.c: the job of a pipeline object. */
const frame_job *frame_job_of(void *pipeline);

/* Bytes mode: read the frame at data[*pos] into `d` and advance *pos,
 * without the GIL: the bytes are borrowed from `data`. 0, -1 out of memory,
 * -2 a damaged frame. */
int frame_decode(const uint8_t *data, size_t len, size_t *pos, decoded *d);
/* A decoded frame as a Record, None (permissive, *problem set) or bytes.
 * Consumes `d`. NULL with an exception. */
PyObject *frame_to_python(const frame_job *job, decoded *d, int permissive,
                          int salvage, PyObject **problem);

#endif
