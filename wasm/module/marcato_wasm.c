/* marcato_wasm.c: the Emscripten glue of the npm package `marcato`.
 *
 * A thin wasm-only layer over the public C API (marcato.h); the core is not
 * changed for it. Every export is named marc__wasm_* (double underscore:
 * internal to the package, not a public API) and never throws: results are
 * status codes and flat buffers that the JS side (web/src/core.js) reads.
 *
 * Crossing the JS/wasm boundary is the cost to beat, so reading goes by
 * batch: marc__wasm_next_batch() decodes up to N records into one flat
 * buffer, which JS copies out with one slice() and turns into objects.
 *
 * Batch layout (all integers little-endian uint32 at 4-byte aligned
 * offsets; the offsets below come from offsetof()/sizeof() and reach JS as
 * data through marc__wasm_layout(), never as hand-copied numbers):
 *
 *   wasm_batch header
 *   record block 0, record block 1, ...      (each wasm_rec.size bytes,
 *                                             a multiple of 8)
 *   [strict-mode error block: wasm_diag + message]
 *
 * A record block is self-contained; the offsets in it are relative to the
 * block's start, so one block can be handed back to the writers as is:
 *
 *   wasm_rec header (leader, counts, framing, where the parts are)
 *   wasm_field[nfields]   tag, indicators, byte offset/length of the data,
 *                         and UTF-16 offset/length into the record decoded
 *                         as text (when the record is valid UTF-8)
 *   wasm_diag[ndiags]     code, tag, stream offset, record index, message
 *   messages              UTF-8 text of the diagnostics
 *   bytes                 the raw ISO 2709 record the field offsets index
 */
#include "marcato.h"

#include <malloc.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#define WASM_EXPORT EMSCRIPTEN_KEEPALIVE
#else
#define WASM_EXPORT
#endif

/* Optional parts of the core, detected by wasm/module/CMakeLists.txt from
 * the core's sources (other builds may leave them out). */
#ifndef MARCATO_WASM_HAVE_MARCXML
#define MARCATO_WASM_HAVE_MARCXML 0
#endif
#ifndef MARCATO_WASM_HAVE_JSON
#define MARCATO_WASM_HAVE_JSON 0
#endif
#ifndef MARCATO_WASM_HAVE_MARC8
#define MARCATO_WASM_HAVE_MARC8 0
#endif

/* ------------------------------------------------------------------ */
/* Flat layout                                                          */
/* ------------------------------------------------------------------ */

typedef struct wasm_batch {
  int32_t status;  /* why the batch ended: MARC_OK (batch full, maybe more),
                      MARC_NEED_MORE, MARC_END, MARC_E_INVALID (strict:
                      see err), MARC_E_NOMEM */
  uint32_t count;  /* records in the batch */
  uint32_t size;   /* bytes of the whole batch */
  uint32_t first;  /* offset of the first record block */
  uint32_t err;    /* offset of the error block (a wasm_diag), 0 if none */
  uint32_t pad_;
} wasm_batch;

enum {
  WASM_REC_ASCII = 1u << 0, /* every byte of the record is below 0x80 */
  WASM_REC_UTF8 = 1u << 1   /* the record is valid UTF-8 and every field
                               starts and ends on a character boundary:
                               soff/slen index the record decoded whole */
};

typedef struct wasm_rec {
  uint32_t size;      /* bytes of the block, a multiple of 8 */
  uint32_t nfields;
  uint32_t ndiags;
  uint32_t fields;    /* offset of wasm_field[nfields] */
  uint32_t diags;     /* offset of wasm_diag[ndiags] */
  uint32_t bytes;     /* offset of the raw record */
  uint32_t nbytes;
  uint32_t flags;     /* WASM_REC_* */
  uint32_t raw_flags; /* MARC_RAW_* framing flags, to parse it again */
  uint32_t claimed;   /* length the leader claimed */
  uint32_t index_lo, index_hi;   /* 0-based record index in the stream */
  uint32_t offset_lo, offset_hi; /* absolute byte offset in the stream */
  uint32_t junk_lo, junk_hi;     /* junk bytes skipped before it */
  char leader[24];
} wasm_rec;

typedef struct wasm_field {
  char tag[4];     /* three bytes and a NUL */
  uint8_t ind1, ind2;
  uint8_t control; /* 1 for control fields (tag "00X") */
  uint8_t pad_;
  uint32_t off, len;   /* value / subfield data in the record's bytes */
  uint32_t soff, slen; /* the same in UTF-16 units (WASM_REC_UTF8) */
} wasm_field;

typedef struct wasm_diag {
  uint32_t code; /* marc_code */
  char tag[4];
  uint32_t offset_lo, offset_hi; /* absolute byte offset */
  uint32_t record_lo, record_hi; /* record index */
  uint32_t msg, msg_len; /* message, relative to the block holding it */
} wasm_diag;

/* Writer formats (marc__wasm_write). */
enum {
  WASM_FMT_ISO2709 = 0,
  WASM_FMT_MRK = 1,
  WASM_FMT_MARCXML = 2,
  WASM_FMT_JSON = 3
};

typedef struct wasm_result {
  int32_t status;   /* marc_status */
  uint32_t data;    /* pointer to the output */
  uint32_t len;
  uint32_t err_code; /* marc_code when status is MARC_E_TOO_LONG */
  char err_tag[4];
} wasm_result;

/* ------------------------------------------------------------------ */
/* Accounting                                                           */
/* ------------------------------------------------------------------ */

static int32_t live_objects; /* readers and writers not yet freed */

/* Objects made by this glue and not freed yet. */
WASM_EXPORT int32_t marc__wasm_live_allocations(void) { return live_objects; }

/* Bytes of the C heap in use (dlmalloc's count of allocated bytes): what
 * the tests check returns to its baseline once a reader is freed. */
WASM_EXPORT uint32_t marc__wasm_heap_used(void) {
  struct mallinfo mi = mallinfo();
  return (uint32_t)mi.uordblks;
}

/* ------------------------------------------------------------------ */
/* Layout as data                                                       */
/* ------------------------------------------------------------------ */

#define F(T, m) "\"" #m "\":%u,"
#define O(T, m) (unsigned)offsetof(T, m)

/* A JSON description of the layout, the status and diagnostic codes and
 * the optional parts of this build. Built once; the pointer stays valid. */
WASM_EXPORT const char *marc__wasm_layout(void) {
  static char json[4096];
  if (json[0]) return json;
  size_t n = 0;
#define PUT(...) n += (size_t)snprintf(json + n, sizeof json - n, __VA_ARGS__)
  PUT("{\"version\":\"%s\",", marc_version());
  PUT("\"batch\":{" F(wasm_batch, status) F(wasm_batch, count)
          F(wasm_batch, size) F(wasm_batch, first) F(wasm_batch, err)
              "\"sizeof\":%u},",
      O(wasm_batch, status), O(wasm_batch, count), O(wasm_batch, size),
      O(wasm_batch, first), O(wasm_batch, err), (unsigned)sizeof(wasm_batch));
  PUT("\"rec\":{" F(r, size) F(r, nfields) F(r, ndiags) F(r, fields)
          F(r, diags) F(r, bytes) F(r, nbytes) F(r, flags) F(r, raw_flags)
              F(r, claimed) F(r, index_lo) F(r, index_hi) F(r, offset_lo)
                  F(r, offset_hi) F(r, junk_lo) F(r, junk_hi) F(r, leader)
                      "\"sizeof\":%u},",
      O(wasm_rec, size), O(wasm_rec, nfields), O(wasm_rec, ndiags),
      O(wasm_rec, fields), O(wasm_rec, diags), O(wasm_rec, bytes),
      O(wasm_rec, nbytes), O(wasm_rec, flags), O(wasm_rec, raw_flags),
      O(wasm_rec, claimed), O(wasm_rec, index_lo), O(wasm_rec, index_hi),
      O(wasm_rec, offset_lo), O(wasm_rec, offset_hi), O(wasm_rec, junk_lo),
      O(wasm_rec, junk_hi), O(wasm_rec, leader), (unsigned)sizeof(wasm_rec));
  PUT("\"field\":{" F(f, tag) F(f, ind1) F(f, ind2) F(f, control) F(f, off)
          F(f, len) F(f, soff) F(f, slen) "\"sizeof\":%u},",
      O(wasm_field, tag), O(wasm_field, ind1), O(wasm_field, ind2),
      O(wasm_field, control), O(wasm_field, off), O(wasm_field, len),
      O(wasm_field, soff), O(wasm_field, slen), (unsigned)sizeof(wasm_field));
  PUT("\"diag\":{" F(d, code) F(d, tag) F(d, offset_lo) F(d, offset_hi)
          F(d, record_lo) F(d, record_hi) F(d, msg) F(d, msg_len)
              "\"sizeof\":%u},",
      O(wasm_diag, code), O(wasm_diag, tag), O(wasm_diag, offset_lo),
      O(wasm_diag, offset_hi), O(wasm_diag, record_lo), O(wasm_diag, record_hi),
      O(wasm_diag, msg), O(wasm_diag, msg_len), (unsigned)sizeof(wasm_diag));
  PUT("\"result\":{" F(x, status) F(x, data) F(x, len) F(x, err_code)
          F(x, err_tag) "\"sizeof\":%u},",
      O(wasm_result, status), O(wasm_result, data), O(wasm_result, len),
      O(wasm_result, err_code), O(wasm_result, err_tag),
      (unsigned)sizeof(wasm_result));
  PUT("\"recFlags\":{\"ascii\":%u,\"utf8\":%u},", WASM_REC_ASCII,
      WASM_REC_UTF8);
  PUT("\"status\":{\"OK\":%d,\"NEED_MORE\":%d,\"END\":%d,\"E_NOMEM\":%d,"
      "\"E_ARG\":%d,\"E_INVALID\":%d,\"E_TOO_LONG\":%d,\"E_READONLY\":%d,"
      "\"E_STATE\":%d},",
      MARC_OK, MARC_NEED_MORE, MARC_END, MARC_E_NOMEM, MARC_E_ARG,
      MARC_E_INVALID, MARC_E_TOO_LONG, MARC_E_READONLY, MARC_E_STATE);
  PUT("\"formats\":{\"iso2709\":%d,\"mrk\":%d", WASM_FMT_ISO2709,
      WASM_FMT_MRK);
#if MARCATO_WASM_HAVE_MARCXML
  PUT(",\"marcxml\":%d", WASM_FMT_MARCXML);
#endif
#if MARCATO_WASM_HAVE_JSON
  PUT(",\"json\":%d", WASM_FMT_JSON);
#endif
  PUT("},\"marc8\":%s,\"codes\":[", MARCATO_WASM_HAVE_MARC8 ? "true" : "false");
  for (int c = 0; c < MARC_D_COUNT_; c++)
    PUT("%s\"%s\"", c ? "," : "", marc_code_name((marc_code)c));
  PUT("]}");
#undef PUT
  if (n >= sizeof json) json[0] = 0; /* cannot happen: the test sees it */
  return json;
}
#undef F
#undef O

/* Short English text of a status. */
WASM_EXPORT const char *marc__wasm_status_str(int32_t s) {
  return marc_status_str((marc_status)s);
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                                */
/* ------------------------------------------------------------------ */

/* 1 if every byte is below 0x80. */
static int all_ascii(const uint8_t *p, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ull) return 0;
  }
  for (; i < n; i++)
    if (p[i] & 0x80) return 0;
  return 1;
}

/* Well-formed UTF-8 as the WHATWG decoder (TextDecoder) defines it: no
 * overlong forms, surrogates or code points past U+10FFFF. */
static int utf8_valid(const uint8_t *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t k;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) k = 1, cp = c & 0x1Fu;
    else if (c >= 0xE0 && c <= 0xEF) k = 2, cp = c & 0x0Fu;
    else if (c >= 0xF0 && c <= 0xF4) k = 3, cp = c & 0x07u;
    else return 0;
    if (n - i <= k) return 0;
    for (size_t j = 1; j <= k; j++) {
      uint8_t b = p[i + j];
      if ((b & 0xC0) != 0x80) return 0;
      cp = cp << 6 | (b & 0x3Fu);
    }
    if (k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
    if (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
    i += k + 1;
  }
  return 1;
}

/* UTF-16 code units of valid UTF-8 text: one per lead byte, two for a
 * four-byte sequence. */
static uint32_t utf16_units(const uint8_t *p, size_t n) {
  uint32_t u = 0;
  for (size_t i = 0; i < n; i++)
    u += ((p[i] & 0xC0) != 0x80) + (p[i] >= 0xF0);
  return u;
}

static int continuation(const uint8_t *p, size_t n, size_t at) {
  return at < n && (p[at] & 0xC0) == 0x80;
}

/* ------------------------------------------------------------------ */
/* Encoding a record into a block                                      */
/* ------------------------------------------------------------------ */

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

static void put_u64(uint32_t *lo, uint32_t *hi, uint64_t v) {
  *lo = (uint32_t)v;
  *hi = (uint32_t)(v >> 32);
}

static void put_diag(wasm_diag *d, const marc_diag *src, uint32_t msg,
                     uint32_t msg_len) {
  d->code = (uint32_t)src->code;
  memcpy(d->tag, src->tag, 4);
  d->tag[3] = 0;
  put_u64(&d->offset_lo, &d->offset_hi, src->offset);
  put_u64(&d->record_lo, &d->record_hi, src->record);
  d->msg = msg;
  d->msg_len = msg_len;
}

/* Append one record block for `rec` (parsed from `raw`) to `out`. */
static marc_status append_record(marc_buf *out, const marc_record *rec,
                                 const marc_raw *raw) {
  size_t nf = marc_record_field_count(rec);
  size_t nd = marc_record_diag_count(rec);
  size_t msgs = 0;
  for (size_t i = 0; i < nd; i++) msgs += strlen(marc_record_diag(rec, i)->msg);
  size_t at_fields = sizeof(wasm_rec);
  size_t at_diags = at_fields + nf * sizeof(wasm_field);
  size_t at_msgs = at_diags + nd * sizeof(wasm_diag);
  size_t at_bytes = at_msgs + msgs;
  size_t nbytes = marc_record_raw_length(rec);
  size_t size = align8(at_bytes + nbytes);
  if (size > UINT32_MAX || out->len + size > UINT32_MAX) return MARC_E_NOMEM;
  if (marc_buf_reserve(out, size) != MARC_OK) return MARC_E_NOMEM;
  uint8_t *b = out->data + out->len;
  memset(b, 0, at_bytes); /* no stale heap bytes reach JS */
  wasm_rec *h = (wasm_rec *)b;
  h->size = (uint32_t)size;
  h->nfields = (uint32_t)nf;
  h->ndiags = (uint32_t)nd;
  h->fields = (uint32_t)at_fields;
  h->diags = (uint32_t)at_diags;
  h->bytes = (uint32_t)at_bytes;
  h->nbytes = (uint32_t)nbytes;
  h->raw_flags = raw->flags;
  h->claimed = raw->claimed;
  put_u64(&h->index_lo, &h->index_hi, marc_record_index(rec));
  put_u64(&h->offset_lo, &h->offset_hi, marc_record_offset(rec));
  put_u64(&h->junk_lo, &h->junk_hi, raw->junk);
  memcpy(h->leader, marc_record_leader(rec), 24);

  const uint8_t *src = marc_record_bytes(rec);
  if (nbytes) memcpy(b + at_bytes, src, nbytes);
  memset(b + at_bytes + nbytes, 0, size - at_bytes - nbytes);

  uint32_t flags = 0;
  if (all_ascii(src, nbytes)) flags = WASM_REC_ASCII | WASM_REC_UTF8;
  else if (utf8_valid(src, nbytes)) flags = WASM_REC_UTF8;

  wasm_field *wf = (wasm_field *)(b + at_fields);
  size_t pos_b = 0; /* UTF-16 units counted up to byte pos_b */
  uint32_t pos_u = 0;
  for (size_t i = 0; i < nf; i++) {
    const marc_field *f = marc_record_field(rec, i);
    memcpy(wf[i].tag, f->tag, 4);
    wf[i].tag[3] = 0;
    wf[i].ind1 = f->ind1;
    wf[i].ind2 = f->ind2;
    wf[i].control = (uint8_t)marc_tag_is_control(f->tag);
    wf[i].off = f->off;
    wf[i].len = f->len;
    if (flags & WASM_REC_ASCII) {
      wf[i].soff = f->off;
      wf[i].slen = f->len;
    } else if (flags & WASM_REC_UTF8) {
      if (continuation(src, nbytes, f->off) ||
          continuation(src, nbytes, (size_t)f->off + f->len)) {
        flags &= ~(uint32_t)WASM_REC_UTF8; /* a field cuts a character */
        continue;
      }
      if (f->off < pos_b) pos_b = 0, pos_u = 0; /* out of data order */
      pos_u += utf16_units(src + pos_b, f->off - pos_b);
      wf[i].soff = pos_u;
      wf[i].slen = utf16_units(src + f->off, f->len);
      pos_b = (size_t)f->off + f->len;
      pos_u += wf[i].slen;
    }
  }
  h->flags = flags;

  wasm_diag *wd = (wasm_diag *)(b + at_diags);
  size_t m = at_msgs;
  for (size_t i = 0; i < nd; i++) {
    const marc_diag *d = marc_record_diag(rec, i);
    size_t len = strlen(d->msg);
    memcpy(b + m, d->msg, len);
    put_diag(&wd[i], d, (uint32_t)m, (uint32_t)len);
    m += len;
  }
  out->len += size;
  return MARC_OK;
}

/* ------------------------------------------------------------------ */
/* Reader                                                               */
/* ------------------------------------------------------------------ */

typedef struct wasm_reader {
  marc_reader *r;
  marc_record *rec; /* parse target, reused */
  marc_buf out;     /* the current batch */
  int strict;
  size_t max_diags;
  uint64_t counted; /* records seen by marc__wasm_count */
} wasm_reader;

/* A reader; `strict` 0 (lenient) or 1; `max_record` and `max_diags` 0 for
 * the defaults. NULL when out of memory. */
WASM_EXPORT wasm_reader *marc__wasm_reader_new(int32_t strict,
                                               uint32_t max_record,
                                               uint32_t max_diags) {
  wasm_reader *h = calloc(1, sizeof *h);
  if (!h) return NULL;
  marc_reader_options opt = {0};
  opt.strict = strict ? 1 : 0;
  opt.max_record = max_record;
  opt.max_diags = max_diags;
  h->strict = opt.strict;
  h->max_diags = max_diags;
  h->r = marc_reader_new(&opt);
  h->rec = marc_record_new();
  if (!h->r || !h->rec) {
    marc_reader_free(h->r);
    marc_record_free(h->rec);
    free(h);
    return NULL;
  }
  live_objects++;
  return h;
}

/* Accepts NULL. */
WASM_EXPORT void marc__wasm_reader_free(wasm_reader *h) {
  if (!h) return;
  marc_reader_free(h->r);
  marc_record_free(h->rec);
  marc_buf_free(&h->out);
  free(h);
  live_objects--;
}

/* Room for `n` bytes of input inside the reader: JS writes the chunk there
 * (one HEAPU8.set) and commits. NULL when out of memory or finished. */
WASM_EXPORT uint8_t *marc__wasm_reader_buffer(wasm_reader *h, uint32_t n) {
  return h ? marc_reader_buffer(h->r, n) : NULL;
}

WASM_EXPORT int32_t marc__wasm_reader_commit(wasm_reader *h, uint32_t n) {
  return h ? marc_reader_commit(h->r, n) : MARC_E_ARG;
}

WASM_EXPORT int32_t marc__wasm_reader_finish(wasm_reader *h) {
  return h ? marc_reader_finish(h->r) : MARC_E_ARG;
}

/* The next record, parsed into h->rec; in strict mode a record with a
 * problem gives MARC_E_INVALID and its first diagnostic in *err. */
static marc_status next_record(wasm_reader *h, marc_raw *raw,
                               const marc_diag **err) {
  marc_status s = marc_reader_next_raw(h->r, raw);
  if (s != MARC_OK) return s;
  s = marc_record_parse(h->rec, raw, h->strict, 0, h->max_diags);
  if (s == MARC_E_INVALID) *err = marc_record_diag(h->rec, 0);
  return s;
}

/* Decode up to `max_records` records (at least one when one is ready; the
 * batch also ends once it holds `max_bytes`) into one flat buffer, laid
 * out as described at the top of this file. Returns the buffer, valid
 * until the next call on this reader; NULL only when out of memory before
 * anything was written. */
WASM_EXPORT const uint8_t *marc__wasm_next_batch(wasm_reader *h,
                                                 uint32_t max_records,
                                                 uint32_t max_bytes) {
  if (!h) return NULL;
  h->out.len = 0;
  if (marc_buf_reserve(&h->out, sizeof(wasm_batch)) != MARC_OK) return NULL;
  memset(h->out.data, 0, sizeof(wasm_batch));
  h->out.len = sizeof(wasm_batch);
  if (!max_records) max_records = 1;
  uint32_t count = 0;
  marc_status s = MARC_OK;
  const marc_diag *err = NULL;
  marc_raw raw;
  while (count < max_records) {
    s = next_record(h, &raw, &err);
    if (s != MARC_OK) break;
    if (append_record(&h->out, h->rec, &raw) != MARC_OK) {
      s = MARC_E_NOMEM;
      break;
    }
    count++;
    if (h->out.len >= max_bytes) break;
  }
  uint32_t err_at = 0;
  if (s == MARC_E_INVALID && err) {
    size_t len = strlen(err->msg);
    size_t need = align8(sizeof(wasm_diag) + len);
    if (marc_buf_reserve(&h->out, need) == MARC_OK) {
      uint8_t *b = h->out.data + h->out.len;
      memset(b, 0, need);
      memcpy(b + sizeof(wasm_diag), err->msg, len);
      put_diag((wasm_diag *)b, err, sizeof(wasm_diag), (uint32_t)len);
      err_at = (uint32_t)h->out.len;
      h->out.len += need;
    } else {
      s = MARC_E_NOMEM;
    }
  }
  wasm_batch *bh = (wasm_batch *)h->out.data;
  bh->status = s;
  bh->count = count;
  bh->size = (uint32_t)h->out.len;
  bh->first = sizeof(wasm_batch);
  bh->err = err_at;
  return h->out.data;
}

/* Parse-only: read every record available now without building anything
 * (the wasm side of the parse benchmark). Returns the last status
 * (MARC_NEED_MORE, MARC_END, or an error); strict-mode problems are
 * counted as records and reading goes on. */
WASM_EXPORT int32_t marc__wasm_count(wasm_reader *h) {
  if (!h) return MARC_E_ARG;
  marc_raw raw;
  const marc_diag *err = NULL;
  for (;;) {
    marc_status s = next_record(h, &raw, &err);
    if (s == MARC_OK || s == MARC_E_INVALID) {
      h->counted++;
      continue;
    }
    return s;
  }
}

WASM_EXPORT double marc__wasm_counted(wasm_reader *h) {
  return h ? (double)h->counted : 0;
}

/* ------------------------------------------------------------------ */
/* Writers                                                              */
/* ------------------------------------------------------------------ */

typedef struct wasm_writer {
  marc_record *rec;
  uint8_t *in; /* a record block copied from JS */
  size_t in_cap;
  marc_buf out;
  wasm_result res;
} wasm_writer;

WASM_EXPORT wasm_writer *marc__wasm_writer_new(void) {
  wasm_writer *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->rec = marc_record_new();
  if (!w->rec) {
    free(w);
    return NULL;
  }
  live_objects++;
  return w;
}

WASM_EXPORT void marc__wasm_writer_free(wasm_writer *w) {
  if (!w) return;
  marc_record_free(w->rec);
  free(w->in);
  marc_buf_free(&w->out);
  free(w);
  live_objects--;
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
  return w->in;
}

/* Write the record block in the input area in format `fmt` (WASM_FMT_*).
 * The record is parsed again from its raw bytes with the framing it was
 * read with, so what is written is what the reader saw (and ISO 2709
 * output keeps the data-area order byte for byte, as the CLI does).
 * Returns the result (status, output pointer and length), valid until the
 * next call on this writer. */
WASM_EXPORT const wasm_result *marc__wasm_write(wasm_writer *w, uint32_t fmt,
                                                uint32_t flags) {
  if (!w) return NULL;
  memset(&w->res, 0, sizeof w->res);
  w->out.len = 0;
  const wasm_rec *h = (const wasm_rec *)w->in;
  marc_raw raw = {0};
  raw.data = w->in + h->bytes;
  raw.len = h->nbytes;
  raw.offset = (uint64_t)h->offset_hi << 32 | h->offset_lo;
  raw.index = (uint64_t)h->index_hi << 32 | h->index_lo;
  raw.junk = (uint64_t)h->junk_hi << 32 | h->junk_lo;
  raw.flags = h->raw_flags;
  raw.claimed = h->claimed;
  marc_status s = marc_record_parse(w->rec, &raw, 0, 0, 0);
  marc_diag err;
  memset(&err, 0, sizeof err);
  if (s == MARC_OK) {
    switch (fmt) {
    case WASM_FMT_ISO2709: s = marc_write_iso2709(w->rec, &w->out, &err); break;
    case WASM_FMT_MRK: s = marc_write_mrk(w->rec, &w->out); break;
#if MARCATO_WASM_HAVE_MARCXML
    case WASM_FMT_MARCXML:
      s = marc_write_marcxml(w->rec, &w->out, flags);
      break;
#endif
#if MARCATO_WASM_HAVE_JSON
    case WASM_FMT_JSON: s = marc_write_json(w->rec, &w->out); break;
#endif
    default: s = MARC_E_ARG; break;
    }
  }
  (void)flags;
  w->res.status = s;
  w->res.data = (uint32_t)(uintptr_t)w->out.data;
  w->res.len = (uint32_t)w->out.len;
  w->res.err_code = (uint32_t)err.code;
  memcpy(w->res.err_tag, err.tag, 4);
  w->res.err_tag[3] = 0;
  if (w->in_cap > (1u << 20)) {
    free(w->in);
    w->in = NULL;
    w->in_cap = 0;
  }
  return &w->res;
}
