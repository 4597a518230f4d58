/* reader.c: the reader exports. A reader takes chunks of any input format
 * (JS writes each into marc__wasm_reader_buffer's room and commits it),
 * and hands out batches of records (batch.c) converted by the charset
 * policy (charset.c); records that do not match the reader's query are
 * dropped here, before any block or JS object exists, and with `validate`
 * the MARC 21 rules' problems become the records' diagnostics. */
#include "glue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if MARCATO_WASM_HAVE_XML_READER && defined(__EMSCRIPTEN__)
/* expat (wasm/module/deps.sh builds it with HAVE_GETRANDOM) seeds its hash
 * salt with getrandom(), which Emscripten 3.1.6's prebuilt libc lacks;
 * getentropy() is there (crypto.getRandomValues / node:crypto). */
int getentropy(void *buf, size_t n);
long getrandom(void *buf, size_t n, unsigned flags);
long getrandom(void *buf, size_t n, unsigned flags) {
  (void)flags;
  if (n > 256) n = 256;
  return getentropy(buf, n) == 0 ? (long)n : -1;
}
#endif

struct wasm_reader {
  marc_reader *r;   /* ISO 2709: framed here, to give blocks their raw
                       bytes and framing */
  marc_input *tr;   /* the other formats */
  marc_record *rec; /* ISO 2709 parse target, reused */
  uint8_t *in;      /* text formats: the chunk being read */
  size_t in_cap;
  /* ISO 2709: two buffers the chunks are written to in turn. The reader
   * reads each chunk in place (marc_reader_feed: no copy, and its fast
   * path frames whole records there); it copies out only a record cut by
   * the chunk's end, from the previous chunk's buffer when the next chunk
   * is fed. So the buffer being written is never the one it still reads. */
  uint8_t *stage[2];
  size_t stage_cap[2];
  int stage_next; /* where the next chunk goes */
  marc_buf out;   /* the current batch */
  encoder enc;
  int strict;
  size_t max_diags;
  uint64_t counted;  /* records seen by marc__wasm_count */
  marc_diag err;     /* text formats: marc_input_error as a diagnostic */
  marc_diag pending; /* text formats, lenient: a problem outside records */
  char err_msg[160], pending_msg[160];
  int has_pending;
  const marc_query *query;  /* records that do not match are dropped */
  glue_validation validate; /* what each record is checked against */
  marc_diag problem;        /* strict: a schema problem as the error */
  char problem_msg[200];
};

/* A reader of `format` (a marc_format; not AUTO: marc__wasm_sniff tells
 * the format of the first bytes); `strict` 0 (lenient) or 1;
 * `max_record` and `max_diags` 0 for the defaults; `encoding` -1 (bytes
 * as read, invalid UTF-8 shown as U+FFFD), 0 auto (leader/09), 1 MARC-8,
 * 2 UTF-8; `nfc` 1 to compose. NULL when out of memory or the format is
 * not in this build. */
WASM_EXPORT wasm_reader *
marc__wasm_reader_new(int32_t strict, uint32_t max_record, uint32_t max_diags,
                      int32_t format, int32_t encoding, int32_t nfc) {
  wasm_reader *h = calloc(1, sizeof *h);
  if (!h) return NULL;
  marc_reader_options opt = {0};
  opt.strict = strict ? 1 : 0;
  opt.max_record = max_record;
  opt.max_diags = max_diags;
  h->strict = opt.strict;
  h->max_diags = max_diags;
  glue_encoder_init(&h->enc, encoding, nfc);
  int ok;
  if (format == MARC_FORMAT_ISO2709) {
    h->r = marc_reader_new(&opt);
    h->rec = marc_record_new();
    ok = h->r && h->rec;
  } else {
    /* AUTO would sniff inside marc_input, but an ISO 2709 stream must be
     * framed here. */
    ok = format != MARC_FORMAT_AUTO &&
         (h->tr = marc_input_new((marc_format)format, &opt)) != NULL;
  }
  if (!ok) {
    marc_reader_free(h->r);
    marc_record_free(h->rec);
    free(h);
    return NULL;
  }
  glue_live_objects++;
  return h;
}

/* Accepts NULL. */
WASM_EXPORT void marc__wasm_reader_free(wasm_reader *h) {
  if (!h) return;
  marc_reader_free(h->r);
  marc_record_free(h->rec);
  marc_input_free(h->tr);
  free(h->in);
  free(h->stage[0]);
  free(h->stage[1]);
  marc_buf_free(&h->out);
  glue_encoder_free(&h->enc);
  free(h);
  glue_live_objects--;
}

/* A buffer of at least `n` bytes in *buf, reallocated when too small or,
 * after a large chunk, much too large. */
static uint8_t *chunk_room(uint8_t **buf, size_t *cap, size_t n) {
  if (*cap < n || *cap > ((size_t)4 << 20)) {
    free(*buf);
    *buf = malloc(n ? n : 1);
    *cap = *buf ? n : 0;
  }
  return *buf;
}

/* Room for `n` bytes of input: JS writes the chunk there (one HEAPU8.set)
 * and commits. The buffer stays valid until the next commit after this
 * one (ISO 2709) or until the batch calls return MARC_NEED_MORE (text
 * formats). NULL when out of memory. */
WASM_EXPORT uint8_t *marc__wasm_reader_buffer(wasm_reader *h, uint32_t n) {
  if (!h) return NULL;
  if (h->r) {
    int k = h->stage_next;
    return chunk_room(&h->stage[k], &h->stage_cap[k], n);
  }
  return chunk_room(&h->in, &h->in_cap, n);
}

WASM_EXPORT int32_t marc__wasm_reader_commit(wasm_reader *h, uint32_t n) {
  if (!h) return MARC_E_ARG;
  if (h->r) {
    int k = h->stage_next;
    if (n > h->stage_cap[k]) return MARC_E_ARG;
    marc_status s = marc_reader_feed(h->r, h->stage[k], n);
    if (s == MARC_OK) h->stage_next = !k;
    return s;
  }
  if (n > h->in_cap) return MARC_E_ARG;
  return marc_input_feed(h->tr, h->in, n);
}

WASM_EXPORT int32_t marc__wasm_reader_finish(wasm_reader *h) {
  if (!h) return MARC_E_ARG;
  return h->r ? marc_reader_finish(h->r) : marc_input_finish(h->tr);
}

/* The next record as read (a view of the ISO 2709 reader, or a text
 * reader's owned record); in strict mode a record with a problem gives
 * MARC_E_INVALID and the problem in *err. *raw is filled for ISO 2709.
 * Lenient text readers report a problem between records (junk) as
 * MARC_E_INVALID without a record; it goes to the next record. */
static marc_status read_record(wasm_reader *h, marc_raw *raw, marc_record **rec,
                               const marc_diag **err) {
  if (h->r) {
    marc_status s = marc_reader_next_raw(h->r, raw);
    if (s != MARC_OK) return s;
    s = marc_record_parse(h->rec, raw, h->strict, 0, h->max_diags);
    if (s == MARC_E_INVALID) *err = marc_record_diag(h->rec, 0);
    *rec = h->rec;
    return s;
  }
  marc_status s = marc_input_next(h->tr, rec);
  if (s != MARC_E_INVALID) return s;
  /* The problem as the diagnostic the batch's error block and the
   * pending list take. */
  const marc_error *e = marc_input_error(h->tr);
  memset(&h->err, 0, sizeof h->err);
  h->err.code = (marc_code)e->code;
  memcpy(h->err.tag, e->tag, sizeof h->err.tag);
  h->err.offset = (uint64_t)e->position;
  h->err.record = e->record;
  snprintf(h->err_msg, sizeof h->err_msg, "%s", e->message);
  h->err.msg = h->err_msg;
  if (h->strict) {
    *err = &h->err;
    return s;
  }
  /* Lenient: a problem outside any record. Keep it for the next record,
   * or drop it at the end. */
  h->pending = h->err;
  snprintf(h->pending_msg, sizeof h->pending_msg, "%s", h->err_msg);
  h->pending.msg = h->pending_msg;
  h->has_pending = 1;
  return marc_input_next(h->tr, rec);
}

/* The next record for JS: read_record's, past the records the query
 * drops, validated when asked (in strict mode a record with validation
 * problems is an error, as in `marcato validate --strict`). Records are
 * matched as read, before any charset conversion, as the CLI's filter
 * does, so a search gives the same records everywhere. */
static marc_status next_record(wasm_reader *h, marc_raw *raw, marc_record **rec,
                               const marc_diag **err) {
  for (;;) {
    marc_status s = read_record(h, raw, rec, err);
    if (s != MARC_OK) return s;
    if (h->query && !marc_query_match(h->query, *rec)) continue;
    if (h->validate.on) {
      int64_t n = glue_validate(&h->enc, &h->validate, *rec);
      if (n < 0) return MARC_E_NOMEM;
      if (h->strict && n) {
        uint32_t code;
        glue_first_problem(&h->enc, *rec, &code, h->problem.tag,
                           &h->problem.offset, &h->problem.record,
                           h->problem_msg, sizeof h->problem_msg);
        /* The rule's code goes in as is (glue_append_error takes it). */
        h->problem.code = (marc_code)code;
        h->problem.msg = h->problem_msg;
        *err = &h->problem;
        return MARC_E_INVALID;
      }
    }
    return MARC_OK;
  }
}

/* The format of input that starts with p[0..n) (a marc_format: the core's
 * one rule, marc_sniff; give it the first chunk, or at least its first
 * line and the start of the next for JSON Lines). p may come from
 * marc__wasm_alloc. */
WASM_EXPORT int32_t marc__wasm_sniff(const uint8_t *p, uint32_t n) {
  return (int32_t)marc_sniff(p, n);
}

/* Drop the records that do not match `q` (a compiled query from
 * marc__wasm_query_compile, which must outlive its use here; NULL: keep
 * every record). Takes effect from the next record read. */
WASM_EXPORT int32_t marc__wasm_reader_set_query(wasm_reader *h,
                                                const wasm_query *q) {
  if (!h || (q && !q->q)) return MARC_E_ARG;
  h->query = q ? q->q : NULL;
  return MARC_OK;
}

/* With `on` 1, each record read is checked against MARC 21 rules
 * (marc_record_validate) and the problems are its diagnostics; no schema
 * (marc__wasm_reader_set_schema adds one). */
WASM_EXPORT int32_t marc__wasm_reader_set_validate(wasm_reader *h, int32_t on) {
  if (!h) return MARC_E_ARG;
  memset(&h->validate, 0, sizeof h->validate);
  h->validate.on = on ? 1 : 0;
  return MARC_OK;
}

/* Validate each record read: the structure checks, then the schema `mode`
 * says (GLUE_SCHEMA_NONE, _BY_TYPE: the built-in schema of the record's
 * type, _ONE: `s`, which must outlive the reader) with the rule bits
 * `enable` and `disable` (marc_schema_options). The problems are the
 * record's diagnostics; strict mode: the first one is an error. */
WASM_EXPORT int32_t marc__wasm_reader_set_schema(wasm_reader *h, int32_t mode,
                                                 const wasm_schema *s,
                                                 uint32_t enable,
                                                 uint32_t disable) {
  if (!h) return MARC_E_ARG;
  return glue_validation_set(&h->validate, mode, s, enable, disable);
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
  h->enc.text.len = 0;
  if (glue_begin_batch(&h->out) != MARC_OK) return NULL;
  if (!max_records) max_records = 1;
  uint32_t count = 0;
  marc_status s = MARC_OK;
  const marc_diag *err = NULL;
  marc_raw raw;
  while (count < max_records) {
    marc_record *rec = NULL;
    err = NULL;
    s = next_record(h, &raw, &rec, &err);
    if (s != MARC_OK) break;
    int built = h->r == NULL;
    const marc_record *use = glue_convert(&h->enc, rec, &built);
    /* Strict mode: a conversion problem (MARC8_BAD_ESCAPE...) is the
     * error, as in the CLI (the record read had none, or it would have
     * been the error already). */
    if (h->strict && use != rec && marc_record_diag_count(use)) {
      err = marc_record_diag(use, 0);
      s = MARC_E_INVALID;
      break;
    }
    if (h->has_pending && h->enc.nextra < MAX_EXTRA) {
      extra_diag *x = &h->enc.extra[h->enc.nextra++];
      x->code = (uint32_t)h->pending.code;
      memcpy(x->tag, h->pending.tag, 4);
      x->offset = h->pending.offset;
      snprintf(x->msg, sizeof x->msg, "%s", h->pending.msg);
      h->has_pending = 0;
    }
    if (glue_append_record(&h->enc, &h->out, &h->enc.text, use,
                           h->r ? &raw : NULL, built) != MARC_OK) {
      s = MARC_E_NOMEM;
      break;
    }
    count++;
    if (h->out.len + h->enc.text.len >= max_bytes) break;
  }
  size_t err_at = 0;
  if (s == MARC_E_INVALID && err) {
    if (glue_append_error(&h->out, (uint32_t)err->code, err->tag, err->offset,
                          err->record, err->msg, &err_at) != MARC_OK)
      s = MARC_E_NOMEM;
  }
  if (glue_finish_batch(&h->out, &h->enc.text, s, count, (uint32_t)err_at) !=
      MARC_OK) {
    wasm_batch *bh = (wasm_batch *)h->out.data;
    bh->status = MARC_E_NOMEM;
    bh->count = 0;
    bh->size = sizeof(wasm_batch);
    bh->text = bh->text_len = 0;
  }
  return h->out.data;
}

/* Parse-only: read every record available now without building anything
 * (the wasm side of the parse benchmark). Returns the last status
 * (MARC_NEED_MORE, MARC_END, or an error); strict-mode problems are
 * counted as records and reading goes on. */
WASM_EXPORT int32_t marc__wasm_count(wasm_reader *h) {
  if (!h) return MARC_E_ARG;
  marc_raw raw;
  for (;;) {
    const marc_diag *err = NULL;
    marc_record *rec = NULL;
    marc_status s = next_record(h, &raw, &rec, &err);
    if (s == MARC_OK || (s == MARC_E_INVALID && rec)) {
      h->counted++;
      continue;
    }
    if (s == MARC_E_INVALID) continue;
    return s;
  }
}

WASM_EXPORT double marc__wasm_counted(wasm_reader *h) {
  return h ? (double)h->counted : 0;
}
