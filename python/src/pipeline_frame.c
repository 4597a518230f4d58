/* pipeline_frame.c: one record's frame, written by a pipeline worker
 * without the GIL and read back on the Python thread (pipeline_frame.h). */
#include "pipeline_frame.h"

#include <stdlib.h>
#include <string.h>

static marc_status put(marc_buf *b, const void *p, size_t n) {
  return marc_buf_append(b, p, n);
}

static marc_status put_u32(marc_buf *b, uint32_t v) { return put(b, &v, 4); }
static marc_status put_u64(marc_buf *b, uint64_t v) { return put(b, &v, 8); }

/* Records mode: the worker's decoded record itself goes into the batch
 * (the struct, its pointers owned by the batch from now on), so the Python
 * thread only wraps it. */
static int put_decoded(const frame_job *job, marc_record *rec, marc_buf *out) {
  decoded d;
  if (decode_record(rec, job->text, 0, &d) < 0) return 1;
  if (put(out, &d, sizeof d) != MARC_OK) {
    decoded_clear(&d);
    return 1;
  }
  atomic_fetch_add_explicit(job->decoded, 1, memory_order_relaxed);
  return 0;
}

int frame_on_record(void *user, size_t input, marc_record *rec,
                    const marc_raw *raw, marc_buf *out, marc_buf *msgs,
                    unsigned worker) {
  (void)input, (void)msgs, (void)worker;
  const frame_job *job = frame_job_of(user);
  if (job->records) return put_decoded(job, rec, out);
  size_t start = out->len;
  /* The reader's conversion (decode.c), so both give the same records. */
  decoded d;
  if (decode_record(rec, job->text, 0, &d) < 0) return 1;
  diags_free(d.diags, d.ndiags);
  marc_record *conv = job->text == TEXT_LATIN1 ? NULL : d.rec;
  if (!conv) marc_record_free(d.rec);
  const marc_record *src = conv ? conv : rec;
  size_t nd = marc_record_diag_count(src);
  marc_status s = put_u32(out, 0);
  uint8_t kind = 'B';
  if (s == MARC_OK) s = put(out, &kind, 1);
  if (s == MARC_OK) s = put_u64(out, raw->index);
  if (s == MARC_OK) s = put_u64(out, raw->offset);
  if (s == MARC_OK) s = put_u32(out, (uint32_t)nd);
  for (size_t i = 0; s == MARC_OK && i < nd; i++) {
    const marc_diag *g = marc_record_diag(src, i);
    size_t ml = strlen(g->msg);
    s = put_u32(out, (uint32_t)g->code);
    if (s == MARC_OK) s = put_u64(out, g->offset);
    if (s == MARC_OK) s = put_u64(out, g->record);
    if (s == MARC_OK) s = put(out, g->tag, 4);
    if (s == MARC_OK) s = put_u32(out, (uint32_t)ml);
    if (s == MARC_OK) s = put(out, g->msg, ml);
  }
  if (s == MARC_OK) {
    s = job->fmt == MARC_FORMAT_ISO2709
            ? marc_write_iso2709(src, out, NULL)
            : marc_write(src, job->fmt, MARC_WRITE_IN_COLLECTION, out);
    if (s == MARC_E_TOO_LONG) s = MARC_OK; /* nothing written: empty */
  }
  marc_record_free(conv);
  if (s != MARC_OK) {
    out->len = start;
    return 1;
  }
  uint32_t total = (uint32_t)(out->len - start - 4);
  memcpy(out->data + start, &total, 4);
  return 0;
}

static uint32_t get_u32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
static uint64_t get_u64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

/* One frame at data[*pos] read into `d`: d->raw/rawlen point into `data`
 * (not owned), the diagnostics are copied. No Python calls. Returns 0, -1
 * when out of memory, -2 when the frame is damaged. */
int frame_decode(const uint8_t *data, size_t len, size_t *pos, decoded *d) {
  memset(d, 0, sizeof *d);
  const uint8_t *p = data + *pos, *end;
  if (len - *pos < 4 + 21) return -2;
  end = p + 4 + get_u32(p);
  if (end > data + len || p[4] != 'B') return -2;
  *pos = (size_t)(end - data);
  size_t nd = get_u32(p + 21);
  p += 25;
  if (nd && !(d->diags = calloc(nd, sizeof *d->diags))) return -1;
  d->ndiags = nd;
  for (size_t i = 0; i < nd; i++) {
    if (end - p < 28) goto damaged;
    py_diag *g = &d->diags[i];
    g->code = marc_code_name((marc_code)get_u32(p));
    g->offset = get_u64(p + 4);
    g->record = get_u64(p + 12);
    memcpy(g->tag, p + 20, 4);
    g->tag[3] = 0;
    size_t ml = get_u32(p + 24);
    p += 28;
    if ((size_t)(end - p) < ml) goto damaged;
    if (!(g->msg = malloc(ml + 1))) {
      diags_free(d->diags, d->ndiags);
      memset(d, 0, sizeof *d);
      return -1;
    }
    memcpy(g->msg, p, ml);
    g->msg[ml] = 0;
    p += ml;
  }
  d->raw = (uint8_t *)p; /* borrowed: the batch's bytes */
  d->rawlen = (size_t)(end - p);
  return 0;
damaged:
  diags_free(d->diags, d->ndiags);
  memset(d, 0, sizeof *d);
  return -2;
}

PyObject *frame_to_python(const frame_job *job, decoded *d, int permissive,
                          int salvage, PyObject **problem) {
  *problem = NULL;
  if (job->records)
    return decoded_to_python(d, job->text, permissive, salvage, 0, problem);
  PyObject *out = NULL;
  const py_diag *bad = NULL;
  for (size_t i = 0; i < d->ndiags && !bad; i++)
    if (diag_is_structural(d->diags[i].code)) bad = &d->diags[i];
  if (bad && !permissive)
    raise_problem(bad->code, bad->msg, bad->offset, bad->record, bad->tag);
  else
    out =
        PyBytes_FromStringAndSize((const char *)d->raw, (Py_ssize_t)d->rawlen);
  diags_free(d->diags, d->ndiags);
  memset(d, 0, sizeof *d);
  return out;
}
