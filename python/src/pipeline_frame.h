/* pipeline_frame.h: what a pipeline worker writes for each record, and how
 * the Python side reads it back. One frame:
 *   u32 length of the rest | u8 kind | u64 index | u64 offset |
 *   u32 diagnostics, each: u32 code, u64 offset, u64 record, char tag[4],
 *   u32 message length, message |
 *   body: kind 'U' the record converted, as ISO 2709; 'R' the record's
 *   bytes as read (when the converted record does not fit ISO 2709, or text
 *   is not converted); 'B' the record in the output format. */
#ifndef MARCATO_PY_PIPELINE_FRAME_H
#define MARCATO_PY_PIPELINE_FRAME_H

#include "ext.h"
#include "marcato_pipeline.h"

typedef struct frame_job {
  int records; /* 1: frames become Records; 0: bytes in `fmt` */
  marc_format fmt;
  int text; /* TEXT_* */
} frame_job;

/* marc_pipeline_input_record_fn: `user` is the PipelineObject, whose first
 * member after the header is not used; the job is passed through
 * frame_job_of(user). */
int frame_on_record(void *user, size_t input, marc_record *rec,
                    const marc_raw *raw, marc_buf *out, marc_buf *msgs,
                    unsigned worker);
/* Set by pipeline.c: the job of a pipeline object. */
const frame_job *frame_job_of(void *pipeline);

/* Read the frame at data[*pos] into `d` and advance *pos, without the
 * GIL: records are parsed (owned), bytes borrowed from `data`. 0, -1 out
 * of memory, -2 a damaged frame. */
int frame_decode(const frame_job *job, const uint8_t *data, size_t len,
                 size_t *pos, decoded *d);
/* A decoded frame as a Record, None (permissive, *problem set) or bytes.
 * Consumes `d`. NULL with an exception. */
PyObject *frame_to_python(const frame_job *job, decoded *d, int permissive,
                          int salvage, PyObject **problem);

#endif
