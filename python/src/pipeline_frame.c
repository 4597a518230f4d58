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

int frame_on_record(void *user, size_t input, marc_record *rec,
                    const marc_raw *raw, marc_buf *out, marc_buf *msgs,
                    unsigned worker) {
  (void)input, (void)msgs, (void)worker;
  const frame_job *job = frame_job_of(user);
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
  uint8_t kind = job->records ? 'U' : 'B';
  size_t kind_at = out->len;
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
    if (job->records && conv) {
      s = marc_write_iso2709(conv, out, NULL);
      if (s == MARC_E_TOO_LONG) kind = 'R';
    } else if (job->records) {
      kind = 'R';
    } else {
      s = job->fmt == MARC_FORMAT_ISO2709
              ? marc_write_iso2709(src, out, NULL)
              : marc_write(src, job->fmt, MARC_WRITE_IN_COLLECTION, out);
      if (s == MARC_E_TOO_LONG) s = MARC_OK; /* nothing written: empty */
    }
    if (kind == 'R') s = put(out, raw->data, raw->len);
  }
  marc_record_free(conv);
  if (s != MARC_OK) {
    out->len = start;
    return 1;
  }
  out->data[kind_at] = kind;
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

/* One frame at data[*pos] read into `d` (records: the record parsed;
 * bytes: d->raw/rawlen point into `data`, not owned). No Python calls.
 * Returns 0, -1 when out of memory, -2 when the frame is damaged. */
int frame_decode(const frame_job *job, const uint8_t *data, size_t len,
                 size_t *pos, decoded *d) {
  memset(d, 0, sizeof *d);
  const uint8_t *p = data + *pos, *end;
  if (len - *pos < 4 + 21) return -2;
  end = p + 4 + get_u32(p);
  if (end > data + len) return -2;
  *pos = (size_t)(end - data);
  uint8_t kind = p[4];
  marc_raw raw = {0};
  raw.index = get_u64(p + 5);
  raw.offset = get_u64(p + 13);
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
    if (!(g->msg = malloc(ml + 1))) goto nomem;
    memcpy(g->msg, p, ml);
    g->msg[ml] = 0;
    p += ml;
  }
  raw.data = p;
  raw.len = (size_t)(end - p);
  if (kind == 'B') {
    d->raw = (uint8_t *)raw.data; /* borrowed: the batch's bytes */
    d->rawlen = raw.len;
    return 0;
  }
  marc_record *rec = marc_record_new();
  if (!rec) goto nomem;
  if (kind == 'U') {
    if (marc_record_parse(rec, &raw, 0, 1, 0) != MARC_OK) {
      marc_record_free(rec);
      goto nomem;
    }
    d->rec = rec;
    return 0;
  }
  /* 'R', as read: parse and convert here, with this record's own problems. */
  diags_free(d->diags, d->ndiags);
  memset(d, 0, sizeof *d);
  int rc = marc_record_parse(rec, &raw, 0, 0, 0) == MARC_OK
               ? decode_record(rec, job->text, 0, d)
               : -1;
  marc_record_free(rec);
  return rc;
nomem:
  diags_free(d->diags, d->ndiags);
  memset(d, 0, sizeof *d);
  return -1;
damaged:
  diags_free(d->diags, d->ndiags);
  memset(d, 0, sizeof *d);
  return -2;
}

PyObject *frame_to_python(const frame_job *job, decoded *d, int permissive,
                          int salvage, PyObject **problem) {
  *problem = NULL;
  if (job->records)
    return decoded_to_python(d, job->text, permissive, salvage, problem);
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
