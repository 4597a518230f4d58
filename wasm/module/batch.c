/* batch.c: record blocks and batches, laid out as glue.h describes: the
 * record's fields, subfields (indexed by text_index.c), diagnostics and
 * bytes in one self-contained block, blocks back to back after a batch
 * header, the batch text after them. */
#include "glue.h"

#include <stdlib.h>
#include <string.h>

void glue_encoder_free(encoder *e) {
  free(e->subs.v);
  free(e->fa);
  free(e->delims.v);
  marc_buf_free(&e->text);
  marc_record_free(e->conv);
  free(e->finds);
  marc_buf_free(&e->find_text);
  memset(e, 0, sizeof *e);
}

void glue_put_diag(wasm_diag *d, uint32_t code, const char *tag,
                   uint64_t offset, uint64_t record, uint32_t msg,
                   uint32_t msg_len) {
  d->code = code;
  memcpy(d->tag, tag, 3);
  d->tag[3] = 0;
  glue_put_u64(&d->offset_lo, &d->offset_hi, offset);
  glue_put_u64(&d->record_lo, &d->record_hi, record);
  d->msg = msg;
  d->msg_len = msg_len;
  d->sub = d->ind = d->label = d->label_len = 0;
  d->pos = d->pos_len = d->type = d->type_len = 0;
}

marc_status glue_begin_batch(marc_buf *out) {
  out->len = 0;
  if (marc_buf_reserve(out, sizeof(wasm_batch)) != MARC_OK) return MARC_E_NOMEM;
  memset(out->data, 0, sizeof(wasm_batch));
  out->len = sizeof(wasm_batch);
  return MARC_OK;
}

marc_status glue_append_record(encoder *e, marc_buf *out, marc_buf *text,
                               const marc_record *rec, const marc_raw *raw,
                               int built) {
  size_t nf = marc_record_field_count(rec);
  const marc_field *fs = marc_record_fields(rec);
  size_t nd = marc_record_diag_count(rec);
  size_t nx = e->nextra;
  size_t nv = e->nfinds; /* schema problems (schema.c) */
  size_t msgs = e->find_text.len;
  for (size_t i = 0; i < nd; i++) msgs += strlen(marc_record_diag(rec, i)->msg);
  for (size_t i = 0; i < nx; i++) msgs += strlen(e->extra[i].msg);
  const uint8_t *src = marc_record_bytes(rec);
  size_t nbytes = 0;
  if (built) {
    for (size_t i = 0; i < nf; i++) nbytes += fs[i].len;
  } else {
    nbytes = marc_record_raw_length(rec);
  }
  /* The text first: the subfield count sizes the block. */
  record_text rt;
  if (glue_index_text(e, rec, built, nbytes, text, &rt) != MARC_OK)
    return MARC_E_NOMEM;
  size_t text_start = rt.in_bytes ? text->len : rt.off;
  const field_at *fa = e->fa;
  size_t ns = e->subs.n;

  size_t at_fields = sizeof(wasm_rec);
  size_t at_subs = at_fields + nf * sizeof(wasm_field);
  size_t at_diags = at_subs + ns * sizeof(wasm_sub);
  size_t at_msgs = at_diags + (nd + nx + nv) * sizeof(wasm_diag);
  size_t at_bytes = at_msgs + msgs;
  size_t size = glue_align8(at_bytes + nbytes);
  if (size > UINT32_MAX || out->len + size > UINT32_MAX ||
      marc_buf_reserve(out, size) != MARC_OK) {
    text->len = text_start;
    return MARC_E_NOMEM;
  }
  uint8_t *b = out->data + out->len;
  /* No stale heap bytes reach JS: the header and the diagnostics are
   * cleared, the fields and subfields written whole below (they have no
   * padding). */
  memset(b, 0, sizeof(wasm_rec));
  memset(b + at_diags, 0, at_bytes - at_diags);
  wasm_rec *h = (wasm_rec *)b;
  h->size = (uint32_t)size;
  h->nfields = (uint32_t)nf;
  h->ndiags = (uint32_t)(nd + nx + nv);
  h->fields = (uint32_t)at_fields;
  h->subs = (uint32_t)at_subs;
  h->nsubs = (uint32_t)ns;
  h->diags = (uint32_t)at_diags;
  h->bytes = (uint32_t)at_bytes;
  h->nbytes = (uint32_t)nbytes;
  h->text_off = (uint32_t)rt.off;
  h->text_len = (uint32_t)rt.len;
  h->raw_length = (uint32_t)marc_record_raw_length(rec);
  if (raw) {
    h->raw_flags = raw->flags;
    h->claimed = raw->claimed;
    glue_put_u64(&h->junk_lo, &h->junk_hi, raw->junk);
  }
  glue_put_u64(&h->index_lo, &h->index_hi, marc_record_index(rec));
  glue_put_u64(&h->offset_lo, &h->offset_hi, marc_record_offset(rec));
  memcpy(h->leader, marc_record_leader(rec), 24);
  if (e->set_l09) h->leader[9] = e->set_l09;
  h->flags = (rt.ascii ? WASM_REC_ASCII : 0) | (built ? WASM_REC_BUILT : 0) |
             (rt.in_bytes ? WASM_REC_TEXT_IN_BYTES : 0);

  wasm_field *wf = (wasm_field *)(b + at_fields);
  wasm_sub *ws = (wasm_sub *)(b + at_subs);
  if (ns) memcpy(ws, e->subs.v, ns * sizeof(wasm_sub));
  uint8_t *bytes = b + at_bytes;
  size_t pos = 0;
  for (size_t i = 0; i < nf; i++) {
    const marc_field *f = &fs[i];
    memcpy(wf[i].tag, f->tag, 4);
    wf[i].tag[3] = 0;
    wf[i].ind1 = f->ind1;
    wf[i].ind2 = f->ind2;
    wf[i].control = (uint8_t)marc_tag_is_control(f->tag);
    wf[i].ascii = fa[i].ascii;
    if (built) {
      if (f->len) memcpy(bytes + pos, src + f->off, f->len);
      wf[i].off = (uint32_t)pos;
      pos += f->len;
    } else {
      wf[i].off = f->off;
    }
    wf[i].len = f->len;
    /* Subfield offsets were counted from the field's start. */
    uint32_t soff = rt.in_bytes ? fa[i].at_bytes : fa[i].at_copy;
    wf[i].soff = soff;
    wf[i].slen = fa[i].units;
    wf[i].sub = fa[i].sub;
    wf[i].nsub = fa[i].nsub;
    for (uint32_t k = 0; k < fa[i].nsub; k++) ws[fa[i].sub + k].at += soff;
  }
  if (!built && nbytes) memcpy(bytes, src, nbytes);
  if (e->set_l09 && !built && nbytes > 9) bytes[9] = (uint8_t)e->set_l09;
  memset(bytes + nbytes, 0, size - at_bytes - nbytes);

  wasm_diag *wd = (wasm_diag *)(b + at_diags);
  size_t m = at_msgs;
  for (size_t i = 0; i < nd; i++) {
    const marc_diag *d = marc_record_diag(rec, i);
    size_t len = strlen(d->msg);
    memcpy(b + m, d->msg, len);
    glue_put_diag(&wd[i], (uint32_t)d->code, d->tag, d->offset, d->record,
                  (uint32_t)m, (uint32_t)len);
    m += len;
  }
  for (size_t i = 0; i < nx; i++) {
    const extra_diag *x = &e->extra[i];
    size_t len = strlen(x->msg);
    memcpy(b + m, x->msg, len);
    glue_put_diag(&wd[nd + i], x->code, x->tag, x->offset,
                  marc_record_index(rec), (uint32_t)m, (uint32_t)len);
    m += len;
  }
  /* The schema problems' messages and labels, in one copy. */
  if (nv) memcpy(b + m, e->find_text.data, e->find_text.len);
  for (size_t i = 0; i < nv; i++) {
    const glue_find *f = &e->finds[i];
    wasm_diag *d = &wd[nd + nx + i];
    glue_put_diag(d, f->code, f->tag, f->offset, f->record,
                  (uint32_t)m + f->msg, f->msg_len);
    d->sub = f->sub;
    d->ind = f->ind;
    d->label = f->label_len ? (uint32_t)m + f->label : 0;
    d->label_len = f->label_len;
    d->pos = f->pos_len ? (uint32_t)m + f->pos : 0;
    d->pos_len = f->pos_len;
    d->type = f->type_len ? (uint32_t)m + f->type : 0;
    d->type_len = f->type_len;
  }
  e->nfinds = 0;
  e->find_text.len = 0;
  out->len += size;
  return MARC_OK;
}

marc_status glue_append_error(marc_buf *out, uint32_t code, const char *tag,
                              uint64_t offset, uint64_t record, const char *msg,
                              size_t *at) {
  size_t len = strlen(msg);
  size_t need = glue_align8(sizeof(wasm_diag) + len);
  if (marc_buf_reserve(out, need) != MARC_OK) return MARC_E_NOMEM;
  uint8_t *b = out->data + out->len;
  memset(b, 0, need);
  memcpy(b + sizeof(wasm_diag), msg, len);
  glue_put_diag((wasm_diag *)b, code, tag, offset, record, sizeof(wasm_diag),
                (uint32_t)len);
  *at = out->len;
  out->len += need;
  return MARC_OK;
}

marc_status glue_finish_batch(marc_buf *out, const marc_buf *text,
                              int32_t status, uint32_t count, uint32_t err_at) {
  size_t tl = text->len;
  if (marc_buf_reserve(out, glue_align8(tl)) != MARC_OK) return MARC_E_NOMEM;
  size_t at = out->len;
  if (tl) memcpy(out->data + at, text->data, tl);
  out->len += tl;
  wasm_batch *bh = (wasm_batch *)out->data;
  bh->status = status;
  bh->count = count;
  bh->size = (uint32_t)out->len;
  bh->first = sizeof(wasm_batch);
  bh->err = err_at;
  bh->text = (uint32_t)at;
  bh->text_len = (uint32_t)tl;
  return MARC_OK;
}
