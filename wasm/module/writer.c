/* writer.c: the writer exports. JS hands a record back into the writer's
 * input area, either as the record block a batch gave it (unedited
 * records: parsed again from its bytes, so output is byte-identical to
 * the CLI's) or as a field table it fills (wasm_table: edited or new
 * records, built with the core's record builder), and gets it back in any
 * output format; the frame calls give what goes around a stream of them.
 * The same held record serves matching and validating (query.c). */
#include "glue.h"

#include <stdlib.h>
#include <string.h>

struct wasm_writer {
  marc_record *rec; /* the record of the last call */
  uint8_t *in;      /* a record block or field table, copied from JS */
  size_t in_cap;
  size_t in_len; /* bytes JS asked for last */
  marc_buf wire; /* scratch: a data field's subfields in wire form */
  marc_buf out;
  wasm_result res;
  encoder enc; /* marc__wasm_validate's one-record batch */
  marc_buf batch;
  /* What the last write changed to keep its output valid
   * (marc_write_changes), as glue_append_error entries: JS adds them to
   * the record's diagnostics, as the CLI prints them. */
  marc_buf changes;
  marc_status changes_status;
};

WASM_EXPORT wasm_writer *marc__wasm_writer_new(void) {
  wasm_writer *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->rec = marc_record_new();
  if (!w->rec) {
    free(w);
    return NULL;
  }
  glue_encoder_init(&w->enc, -1, 0);
  glue_live_objects++;
  return w;
}

WASM_EXPORT void marc__wasm_writer_free(wasm_writer *w) {
  if (!w) return;
  marc_record_free(w->rec);
  free(w->in);
  marc_buf_free(&w->wire);
  marc_buf_free(&w->out);
  glue_encoder_free(&w->enc);
  marc_buf_free(&w->batch);
  marc_buf_free(&w->changes);
  free(w);
  glue_live_objects--;
}

/* Room for a record block of `n` bytes (JS copies it there). Kept small
 * between calls: a block over 1 MiB is released after its write. */
WASM_EXPORT uint8_t *marc__wasm_writer_input(wasm_writer *w, uint32_t n) {
  if (!w) return NULL;
  if (w->in_cap < n) {
    free(w->in);
    w->in = malloc(n ? n : 1);
    w->in_cap = w->in ? n : 0;
  }
  w->in_len = w->in ? n : 0;
  return w->in;
}

/* A record built for the writer (`s` how building went) becomes the held
 * record, or is dropped. */
static marc_status hold(wasm_writer *w, marc_record *r, marc_status s) {
  if (s != MARC_OK) {
    marc_record_free(r);
    return s;
  }
  marc_record_free(w->rec);
  w->rec = r;
  return MARC_OK;
}

/* The record of the block in the input area: parsed again from its raw
 * bytes with the framing it was read with (so ISO 2709 output keeps the
 * data-area order byte for byte, as the CLI does), or rebuilt from its
 * fields (WASM_REC_BUILT). */
static marc_status block_record(wasm_writer *w) {
  const wasm_rec *h = (const wasm_rec *)w->in;
  if (h->flags & WASM_REC_BUILT) {
    marc_record *r = marc_record_new();
    if (!r) return MARC_E_NOMEM;
    marc_status s = marc_record_set_leader(r, h->leader);
    /* A built block's fields are its data back to back: appended as they
     * are, the record is the one read. */
    const wasm_field *f = (const wasm_field *)(w->in + h->fields);
    const uint8_t *bytes = w->in + h->bytes;
    for (uint32_t i = 0; i < h->nfields && s == MARC_OK; i++)
      s = marc_record_append_field_tag3(r, f[i].tag, (char)f[i].ind1,
                                        (char)f[i].ind2, bytes + f[i].off,
                                        f[i].len);
    return hold(w, r, s);
  }
  marc_raw raw = {0};
  raw.data = w->in + h->bytes;
  raw.len = h->nbytes;
  raw.offset = (uint64_t)h->offset_hi << 32 | h->offset_lo;
  raw.index = (uint64_t)h->index_hi << 32 | h->index_lo;
  raw.junk = (uint64_t)h->junk_hi << 32 | h->junk_lo;
  raw.flags = h->raw_flags;
  raw.claimed = h->claimed;
  return marc_record_parse(w->rec, &raw, 0, 0, 0);
}

/* Range [off, off + count * size) inside the input area of `n` bytes,
 * 4-byte aligned (JS writes the tables through a Uint32Array). */
static int in_range(size_t n, uint32_t off, uint32_t count, size_t size) {
  return off % 4 == 0 && off <= n && count <= (n - off) / size;
}

/* Code point `c` as UTF-8 into o[0..4); 0 when it is not a Unicode
 * scalar value. */
static size_t put_utf8(uint8_t *o, uint32_t c) {
  if (c < 0x80) {
    o[0] = (uint8_t)c;
    return 1;
  }
  if (c < 0x800) {
    o[0] = (uint8_t)(0xC0 | c >> 6);
    o[1] = (uint8_t)(0x80 | (c & 0x3F));
    return 2;
  }
  if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) return 0;
  if (c < 0x10000) {
    o[0] = (uint8_t)(0xE0 | c >> 12);
    o[1] = (uint8_t)(0x80 | (c >> 6 & 0x3F));
    o[2] = (uint8_t)(0x80 | (c & 0x3F));
    return 3;
  }
  o[0] = (uint8_t)(0xF0 | c >> 18);
  o[1] = (uint8_t)(0x80 | (c >> 12 & 0x3F));
  o[2] = (uint8_t)(0x80 | (c >> 6 & 0x3F));
  o[3] = (uint8_t)(0x80 | (c & 0x3F));
  return 4;
}

/* The subfields s[0..n) of a data field in wire form ("\x1F" "aTitle"
 * "\x1F" "cAuthor") in w->wire, their values taken from data[0..ndata). */
static marc_status wire_subfields(wasm_writer *w, const wasm_tsub *s, size_t n,
                                  const uint8_t *data, size_t ndata) {
  w->wire.len = 0;
  for (size_t k = 0; k < n; k++) {
    if (s[k].off > ndata || s[k].len > ndata - s[k].off) return MARC_E_ARG;
    if (marc_buf_reserve(&w->wire, 5 + (size_t)s[k].len) != MARC_OK)
      return MARC_E_NOMEM;
    uint8_t *o = w->wire.data + w->wire.len;
    if (s[k].code) {
      size_t c = put_utf8(o + 1, s[k].code);
      if (!c) return MARC_E_ARG;
      o[0] = 0x1F;
      o += 1 + c;
    }
    if (s[k].len) memcpy(o, data + s[k].off, s[k].len);
    w->wire.len = (size_t)(o + s[k].len - w->wire.data);
  }
  return MARC_OK;
}

/* The record of the field table in the input area (its size `n`), built
 * with the core's record builder: what JS holds, edits included, with no
 * ISO 2709 in between. MARC_E_ARG when a range leaves the table. */
static marc_status table_record(wasm_writer *w, size_t n) {
  if (n < sizeof(wasm_table)) return MARC_E_ARG;
  const wasm_table *t = (const wasm_table *)w->in;
  if (!in_range(n, t->fields, t->nfields, sizeof(wasm_tfield)) ||
      !in_range(n, t->subs, t->nsubs, sizeof(wasm_tsub)) || t->data > n ||
      t->ndata > n - t->data)
    return MARC_E_ARG;
  const wasm_tfield *f = (const wasm_tfield *)(w->in + t->fields);
  const wasm_tsub *s = (const wasm_tsub *)(w->in + t->subs);
  const uint8_t *data = w->in + t->data;
  marc_record *r = marc_record_new();
  if (!r) return MARC_E_NOMEM;
  marc_status st = marc_record_set_leader(r, t->leader);
  for (uint32_t i = 0; i < t->nfields && st == MARC_OK; i++) {
    char tag[4] = {f[i].tag[0], f[i].tag[1], f[i].tag[2], 0};
    if (marc_tag_is_control(tag)) {
      if (f[i].off > t->ndata || f[i].len > t->ndata - f[i].off) {
        st = MARC_E_ARG;
        break;
      }
      st = marc_record_append_field_tag3(r, f[i].tag, ' ', ' ', data + f[i].off,
                                         f[i].len);
      continue;
    }
    if (f[i].sub > t->nsubs || f[i].nsub > t->nsubs - f[i].sub) {
      st = MARC_E_ARG;
      break;
    }
    st = wire_subfields(w, s + f[i].sub, f[i].nsub, data, t->ndata);
    if (st == MARC_OK)
      st = marc_record_append_field_tag3(r, f[i].tag, (char)f[i].ind1,
                                         (char)f[i].ind2, w->wire.data,
                                         w->wire.len);
  }
  return hold(w, r, st);
}

marc_status glue_writer_record(wasm_writer *w, int table, marc_record **rec) {
  if (!w || !w->in) return MARC_E_ARG;
  marc_status s = table ? table_record(w, w->in_len) : block_record(w);
  *rec = w->rec;
  return s;
}

const uint8_t *glue_writer_output(const wasm_writer *w) { return w->out.data; }

encoder *glue_writer_encoder(wasm_writer *w) { return &w->enc; }

const uint8_t *glue_writer_batch(wasm_writer *w, int table, marc_status s) {
  w->enc.text.len = 0;
  if (glue_begin_batch(&w->batch) != MARC_OK) return NULL;
  if (s == MARC_OK) {
    const wasm_rec *h = (const wasm_rec *)w->in;
    int built = table || (h->flags & WASM_REC_BUILT);
    marc_raw raw = {0};
    if (!built) {
      raw.flags = h->raw_flags;
      raw.claimed = h->claimed;
      raw.junk = (uint64_t)h->junk_hi << 32 | h->junk_lo;
    }
    s = glue_append_record(&w->enc, &w->batch, &w->enc.text, w->rec,
                           built ? NULL : &raw, built);
  }
  int ok = s == MARC_OK;
  if (glue_finish_batch(&w->batch, &w->enc.text, ok ? MARC_END : s, ok ? 1 : 0,
                        0) != MARC_OK)
    return NULL;
  return w->batch.data;
}

/* What marc__wasm_write and marc__wasm_write_table return: the result
 * (status, output pointer and length), valid until the next call on this
 * writer. The input area is kept small between calls: over 1 MiB, it is
 * released. */
static const wasm_result *write_result(wasm_writer *w, marc_status s,
                                       const marc_diag *err) {
  w->res.status = s;
  w->res.data = (uint32_t)(uintptr_t)w->out.data;
  w->res.len = (uint32_t)w->out.len;
  w->res.err_code = (uint32_t)err->code;
  memcpy(w->res.err_tag, err->tag, 4);
  w->res.err_tag[3] = 0;
  w->res.changes = (uint32_t)(uintptr_t)w->changes.data;
  w->res.changes_len = (uint32_t)w->changes.len;
  if (w->in_cap > (1u << 20)) {
    free(w->in);
    w->in = NULL;
    w->in_cap = w->in_len = 0;
  }
  return &w->res;
}

static void keep_change(void *user, const marc_diag *d) {
  wasm_writer *w = user;
  size_t at;
  if (w->changes_status == MARC_OK)
    w->changes_status =
        glue_append_error(&w->changes, (uint32_t)d->code, d->tag, d->offset,
                          d->record, d->msg, &at);
}

/* The record in `rec` in format `fmt` (a marc_format; `flags` are
 * marc_write's) into w->out, and what the writer changed into
 * w->changes. */
static marc_status write_format(wasm_writer *w, const marc_record *rec,
                                uint32_t fmt, uint32_t flags, marc_diag *err) {
  w->out.len = 0;
  w->changes_status = MARC_OK;
  marc_status s = marc_write_reporting(rec, (marc_format)fmt, flags, &w->out,
                                       keep_change, w);
  if (s == MARC_OK) s = w->changes_status;
  else w->changes.len = 0; /* the changes go with a written record only */
  /* JS names the field that does not fit: marc_write_iso2709 tells it
   * (appending nothing again). */
  if (s == MARC_E_TOO_LONG && fmt == MARC_FORMAT_ISO2709)
    s = marc_write_iso2709(rec, &w->out, err);
  return s;
}

/* The held record `rec` converted to MARC-8 in *out (WASM_WRITE_MARC8).
 * What JS holds is Unicode whatever its leader says (MARC-8 input was
 * decoded when read), so the source is UTF-8. The conversion's problems
 * (characters MARC-8 lacks, written "&#xXXXX;") are the diagnostics it
 * added to the copy: they go to the write's changes, as the CLI prints
 * them for --to-encoding marc8. */
static marc_status to_marc8(wasm_writer *w, const marc_record *rec,
                            marc_record **out) {
#if MARCATO_WASM_HAVE_MARC8
  marc_charset_options co = {.encoding = MARC_ENC_UTF8};
  marc_status s = marc_record_to_marc8(rec, &co, out, NULL);
  size_t n = *out ? marc_record_diag_count(*out) : 0;
  for (size_t i = marc_record_diag_count(rec); s == MARC_OK && i < n; i++) {
    const marc_diag *d = marc_record_diag(*out, i);
    size_t at;
    s = glue_append_error(&w->changes, (uint32_t)d->code, d->tag, d->offset,
                          d->record, d->msg, &at);
  }
  return s;
#else
  (void)w;
  (void)rec;
  *out = NULL;
  return MARC_E_ARG;
#endif
}

/* The held record (a block, or with `table` a field table) written;
 * with WASM_WRITE_MARC8 in `flags`, converted to MARC-8 first. */
static const wasm_result *write_held(wasm_writer *w, int table, uint32_t fmt,
                                     uint32_t flags) {
  if (!w) return NULL;
  memset(&w->res, 0, sizeof w->res);
  marc_diag err;
  memset(&err, 0, sizeof err);
  w->out.len = 0;
  w->changes.len = 0;
  marc_record *rec = NULL, *marc8 = NULL;
  marc_status s = glue_writer_record(w, table, &rec);
  if (s == MARC_OK && (flags & WASM_WRITE_MARC8)) {
    s = fmt == MARC_FORMAT_ISO2709 || fmt == MARC_FORMAT_MRK
            ? to_marc8(w, rec, &marc8)
            : MARC_E_ARG;
    rec = marc8;
  }
  if (s == MARC_OK)
    s = write_format(w, rec, fmt, flags & ~WASM_WRITE_MARC8, &err);
  marc_record_free(marc8);
  return write_result(w, s, &err);
}

/* Write the record block in the input area in format `fmt` (a
 * marc_format; `flags` are marc_write's): parsed again from its raw bytes, so
 * ISO 2709 output of an unedited record is the input byte for byte. */
WASM_EXPORT const wasm_result *marc__wasm_write(wasm_writer *w, uint32_t fmt,
                                                uint32_t flags) {
  return write_held(w, 0, fmt, flags);
}

/* Write the field table in the input area (wasm_table, glue.h) in format
 * `fmt`, as marc__wasm_write does a block. The calling convention:
 *   1. n = the table's size: sizeof wasm_table + nfields * sizeof
 *      wasm_tfield + nsubs * sizeof wasm_tsub + the data bytes (each part
 *      at a 4-byte aligned offset; layout "table", "tfield", "tsub");
 *   2. p = marc__wasm_writer_input(w, n); write the table at p: the
 *      leader (24 bytes), the counts and offsets (from p), the fields
 *      (tag, ind1, ind2; a control field's value as off/len in the data;
 *      a data field's subfields as sub/nsub in the subfield table), the
 *      subfields (code point, value off/len in the data), the data (for
 *      text, one TextEncoder.encodeInto of every value);
 *   3. r = marc__wasm_write_table(w, fmt, flags): a wasm_result, as
 *      marc__wasm_write's. Status MARC_E_ARG when a range or offset is
 *      outside the table or a code is not a Unicode scalar value. */
WASM_EXPORT const wasm_result *
marc__wasm_write_table(wasm_writer *w, uint32_t fmt, uint32_t flags) {
  return write_held(w, 1, fmt, flags);
}

/* What goes before (WASM_FRAME_BEGIN), between two records
 * (WASM_FRAME_SEPARATOR) and after (WASM_FRAME_END) a stream of records in
 * format `fmt` (`flags` as marc_write_begin's). */
WASM_EXPORT const wasm_result *marc__wasm_write_frame(wasm_writer *w,
                                                      uint32_t fmt,
                                                      uint32_t part,
                                                      uint32_t flags) {
  if (!w) return NULL;
  memset(&w->res, 0, sizeof w->res);
  w->out.len = 0;
  marc_status s = MARC_OK;
  switch (part) {
  case WASM_FRAME_BEGIN:
    s = marc_write_begin((marc_format)fmt, flags, &w->out);
    break;
  case WASM_FRAME_SEPARATOR:
    /* marc_write writes JSON's separator itself before a record flagged
     * MARC_WRITE_NOT_FIRST; this is for records written without it. */
    if (fmt == MARC_FORMAT_JSON) s = marc_write_json_sep(&w->out);
    break;
  default: s = marc_write_end((marc_format)fmt, flags, &w->out); break;
  }
  w->res.status = s;
  w->res.data = (uint32_t)(uintptr_t)w->out.data;
  w->res.len = (uint32_t)w->out.len;
  return &w->res;
}
