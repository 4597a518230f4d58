/* glue.h: what the files of the wasm glue share (internal; JS never sees
 * it). The glue is the Emscripten layer of the npm package `marcato` over
 * the public C API (marcato.h). Every export is named marc__wasm_* (double
 * underscore: internal to the package, not a public API) and never throws:
 * results are status codes and flat buffers that the JS side reads with
 * the offsets marc__wasm_layout() publishes.
 *
 * One file a job:
 *   layout.c      the layout JSON, status text, accounting
 *   text_index.c  UTF-16 indexing of a record's text, subfield splitting
 *   charset.c     the charset policy (MARC-8 -> UTF-8, NFC) of a reader
 *   batch.c       record blocks and batches
 *   reader.c      the reader exports (any input format), query filter and
 *                 validation while reading, sniffing
 *   query.c       compiled queries; matching and validating one record
 *   spec.c        compiled MARCspecs; the values of one record
 *   writer.c      the writer exports: from a record block or a field table
 *   schema.c      Avram schemas (built-in or loaded from JSON) and the
 *                 validation of a record: structure checks, then its schema
 *   threads.c     the pthreads run (marcato-threads only)
 *
 * The same files build two modules: marcato (single-threaded) and, with
 * -pthread, marcato-threads, which adds the marc__wasm_mt_* exports that
 * run the native pipeline (native/src/pipeline.c) on Web Workers.
 *
 * Crossing the JS/wasm boundary is the cost to beat, so reading goes by
 * batch: one call decodes many records into one flat buffer, which JS
 * copies out with one slice(). Each record's text is one UTF-8 run of the
 * batch text, which JS decodes on first use with one call per record
 * (measured in Node: per-record strings cost a quarter of one string per
 * batch, which lands in V8's large-object space); field values and
 * subfields are UTF-16 offsets into that string, computed here, so JS
 * only calls substring().
 *
 * Batch layout (all integers little-endian uint32 at 4-byte aligned
 * offsets; offsets come from offsetof()/sizeof() and reach JS as data
 * through marc__wasm_layout(), never as hand-copied numbers):
 *
 *   wasm_batch header
 *   record block 0, record block 1, ...   (each wasm_rec.size bytes, a
 *                                          multiple of 8)
 *   [strict-mode error block: wasm_diag + message]
 *   text                                   (UTF-8, always well-formed)
 *
 * A record block is self-contained except for its text; offsets in it are
 * relative to the block's start, so a block can be handed back to the
 * writers as is:
 *
 *   wasm_rec header (leader, counts, framing, where the parts are)
 *   wasm_field[nfields]   tag, indicators, byte offset/length of the data in
 *                         `bytes`, UTF-16 offset/length in the record's text,
 *                         first subfield and subfield count
 *   wasm_sub[nsubs]       code, UTF-16 offset/length of each value
 *   wasm_diag[ndiags]     code, tag, stream offset, record index, message
 *   messages              UTF-8 text of the diagnostics
 *   bytes                 the raw ISO 2709 record the field offsets index,
 *                         or (WASM_REC_BUILT: records converted to UTF-8
 *                         or read from a text format) the fields' data
 *                         back to back
 *
 * The text of a field is its data with every byte sequence that is not
 * UTF-8 replaced by U+FFFD as the WHATWG decoder does (TextDecoder), so
 * the UTF-16 offsets computed here are those of the decoded string.
 */
#ifndef MARCATO_WASM_GLUE_H
#define MARCATO_WASM_GLUE_H

#include "marcato.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#define WASM_EXPORT EMSCRIPTEN_KEEPALIVE
#else
#define WASM_EXPORT
#endif

#if defined(__EMSCRIPTEN_PTHREADS__)
#define MARCATO_WASM_THREADS 1
#else
#define MARCATO_WASM_THREADS 0
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
#ifndef MARCATO_WASM_HAVE_XML_READER
#define MARCATO_WASM_HAVE_XML_READER 0
#endif
#ifndef MARCATO_WASM_HAVE_AVRAM
#define MARCATO_WASM_HAVE_AVRAM 0
#endif

/* ------------------------------------------------------------------ */
/* Flat layout                                                          */
/* ------------------------------------------------------------------ */

typedef struct wasm_batch {
  int32_t status; /* why the batch ended: MARC_OK (batch full, maybe more),
                     MARC_NEED_MORE, MARC_END, MARC_E_INVALID (strict:
                     see err), MARC_E_NOMEM */
  uint32_t count; /* records in the batch */
  uint32_t size;  /* bytes of the whole batch */
  uint32_t first; /* offset of the first record block */
  uint32_t err;   /* offset of the error block (a wasm_diag), 0 if none */
  uint32_t text;  /* offset of the text (UTF-8) */
  uint32_t text_len;
  uint32_t pad_;
} wasm_batch;

enum {
  WASM_REC_ASCII = 1u << 0, /* every byte of the text is below 0x80 */
  WASM_REC_BUILT = 1u << 1, /* `bytes` holds the fields' data back to back
                               (converted or text-format records): the
                               writers rebuild the record from the fields */
  WASM_REC_ERROR = 1u << 2, /* (threaded pipeline, internal) not a record:
                               the strict-mode error, one diagnostic */
  WASM_REC_TEXT_IN_BYTES = 1u << 3 /* the record's text is text_len bytes of
                                      `bytes` from text_off, not in the
                                      batch text */
};

typedef struct wasm_rec {
  uint32_t size; /* bytes of the block, a multiple of 8 */
  uint32_t nfields;
  uint32_t ndiags;
  uint32_t fields; /* offset of wasm_field[nfields] */
  uint32_t diags;  /* offset of wasm_diag[ndiags] */
  uint32_t bytes;  /* offset of the record's bytes */
  uint32_t nbytes;
  uint32_t flags;              /* WASM_REC_* */
  uint32_t raw_flags;          /* MARC_RAW_* framing flags, to parse it again */
  uint32_t claimed;            /* length the leader claimed */
  uint32_t index_lo, index_hi; /* 0-based record index in the stream */
  uint32_t offset_lo, offset_hi; /* absolute byte offset in the stream */
  uint32_t junk_lo, junk_hi;     /* junk bytes skipped before it */
  uint32_t subs;                 /* offset of wasm_sub[nsubs] */
  uint32_t nsubs;
  uint32_t text_off;   /* the record's text: byte offset in the batch text
                          (or, WASM_REC_TEXT_IN_BYTES, in `bytes`) */
  uint32_t text_len;   /* and its length in bytes (UTF-8) */
  uint32_t raw_length; /* raw length in the input */
  uint32_t pad_;
  char leader[24];
} wasm_rec;

typedef struct wasm_field {
  char tag[4]; /* three bytes and a NUL */
  uint8_t ind1, ind2;
  uint8_t control;     /* 1 for control fields (tag "00X") */
  uint8_t ascii;       /* 1 when every byte of the data is below 0x80: the
                          text is then the bytes themselves (off, len) */
  uint32_t off, len;   /* value / subfield data in the record's bytes */
  uint32_t soff, slen; /* the same text in UTF-16 units, in the record's
                          text (wasm_rec.text_off) */
  uint32_t sub, nsub;  /* data fields: first subfield index, count */
} wasm_field;

/* A subfield: the code character at `at`, the value after it (UTF-16,
 * relative to the record's text); `code` is the code's code point (above
 * 0xFFFF: two UTF-16 units before the value), or 0 (and `at` is the
 * value's start) for text before the first delimiter. */
typedef struct wasm_sub {
  uint32_t code;
  uint32_t at;
  uint32_t len;
} wasm_sub;

/* Every byte of these is written when a block is built (not cleared). */
_Static_assert(sizeof(wasm_field) == 32, "wasm_field has padding");
_Static_assert(sizeof(wasm_sub) == 12, "wasm_sub has padding");

typedef struct wasm_diag {
  uint32_t code; /* marc_code, WASM_CS_BASE + marc_charset_code, or
                    WASM_AV_BASE + marc_schema_rule */
  char tag[4];
  uint32_t offset_lo, offset_hi; /* absolute byte offset */
  uint32_t record_lo, record_hi; /* record index */
  uint32_t msg, msg_len;         /* message, relative to the block holding it */
  /* Schema problems only (0 otherwise): */
  uint32_t sub;              /* the subfield code's byte */
  uint32_t ind;              /* the indicator, 1 or 2 */
  uint32_t label, label_len; /* the definition's label, like msg */
  uint32_t pos, pos_len;     /* the positions key ("07-10"), like msg */
  uint32_t type, type_len;   /* the typed definition's record type ("BK") */
} wasm_diag;

#define WASM_CS_BASE 1000u
#define WASM_AV_BASE 2000u

/* Formats, in and out, are marc_format values (marc__wasm_reader_new,
 * marc__wasm_write...); the layout names those this build has. */

/* marc__wasm_write_frame: what goes before, between and after records. */
enum { WASM_FRAME_BEGIN = 0, WASM_FRAME_SEPARATOR = 1, WASM_FRAME_END = 2 };

/* A write flag of the glue beside marc_write's MARC_WRITE_* (which it
 * never reaches): the record is converted to MARC-8 (leader/09 blank)
 * before it is written (ISO 2709 and MARCMaker, as the CLI's --to-encoding
 * marc8); what has no MARC-8 form becomes "&#xXXXX;", reported with the
 * write's changes (MARC8_UNREPRESENTABLE). MARC_E_ARG in builds without
 * the MARC-8 tables. */
#define WASM_WRITE_MARC8 (1u << 16)

/* The `encoding` of a reader or run: the bytes as read (no conversion), or
 * a marc_encoding (MARC_ENC_AUTO, MARC_ENC_MARC8, MARC_ENC_UTF8). */
enum { WASM_ENC_AS_READ = -1 };

/* marc__wasm_mt_stat's `which`, and marc__wasm_mt_done's results. */
enum {
  WASM_MT_RECORDS = 0,
  WASM_MT_SECONDS = 1,
  WASM_MT_FIRST_RECORD = 2,
  WASM_MT_THREADS = 3
};
enum { WASM_MT_RUNNING = 0, WASM_MT_DONE = 1, WASM_MT_FAILED = 2 };

typedef struct wasm_result {
  int32_t status; /* marc_status */
  uint32_t data;  /* pointer to the output */
  uint32_t len;
  uint32_t err_code; /* marc_code when status is MARC_E_TOO_LONG */
  char err_tag[4];
  /* A write's changes (marc_write_changes): glue_append_error entries,
   * each 8-byte aligned, `changes_len` bytes in all. */
  uint32_t changes;
  uint32_t changes_len;
} wasm_result;

/* A compiled query (query.c) or why it did not compile. JS reads status,
 * position and message at the offsets the layout gives ("query"). */
typedef struct wasm_query {
  int32_t status;    /* MARC_OK; MARC_E_INVALID: a syntax error at
                        `position`; MARC_E_NOMEM */
  uint32_t position; /* byte offset of the error in the query's text */
  char message[160]; /* the error, NUL-terminated ("" when compiled) */
  marc_query *q;     /* NULL unless compiled */
} wasm_query;

/* A compiled MARCspec (spec.c) or why it did not compile, and the values
 * of the last record it was evaluated on. JS reads status, position,
 * message, count, values and data at the offsets the layout gives
 * ("spec"). */
typedef struct wasm_spec {
  int32_t status;    /* as wasm_query's */
  uint32_t position; /* byte offset of the error in the spec's text */
  char message[160]; /* the error, NUL-terminated ("" when compiled) */
  uint32_t count;    /* values of the last evaluation */
  uint32_t values;   /* pointer to count (offset, length) uint32 pairs */
  uint32_t data;     /* pointer to the values' bytes the pairs index */
  int32_t failed;    /* out of memory while collecting */
  marc_spec *s;      /* NULL unless compiled */
  marc_buf scratch;  /* marc_spec_eval's, kept across records */
  marc_buf pairs;    /* the (offset, length) pairs */
  marc_buf bytes;    /* the values' bytes */
} wasm_spec;

/* A record as a field table, filled by JS (writer.c,
 * marc__wasm_write_table): edited records go to the writers through it
 * without being encoded to ISO 2709 and parsed again. One buffer, from
 * marc__wasm_writer_input; offsets from its start, each 4-byte aligned:
 *
 *   wasm_table            leader and where the parts are
 *   wasm_tfield[nfields]  tag, indicators; a control field's value as a
 *                         byte range of the data, a data field's subfields
 *                         as a range of the subfield table
 *   wasm_tsub[nsubs]      code point of the code, value as a byte range
 *   data                  UTF-8 (or any) bytes of every value
 */
typedef struct wasm_table {
  char leader[24];
  uint32_t nfields;
  uint32_t fields; /* offset of wasm_tfield[nfields] */
  uint32_t nsubs;
  uint32_t subs; /* offset of wasm_tsub[nsubs] */
  uint32_t data; /* offset of the value bytes */
  uint32_t ndata;
} wasm_table;

typedef struct wasm_tfield {
  char tag[4]; /* three characters; the fourth is ignored */
  uint8_t ind1, ind2;
  uint8_t pad_[2];
  uint32_t sub, nsub; /* data field: its subfields in the subfield table */
  uint32_t off, len;  /* control field (tag 00X): its value in the data */
} wasm_tfield;

typedef struct wasm_tsub {
  uint32_t code;     /* code point of the code (written as UTF-8 after the
                        delimiter); 0: bytes before the first delimiter of
                        a damaged field, written without one */
  uint32_t off, len; /* the value in the data */
} wasm_tsub;

/* A writer (writer.c): a record JS hands back, as a block or a table, and
 * the output of the last call. */
typedef struct wasm_writer wasm_writer;

/* The record in the writer's input area: from a record block (`table` 0)
 * or a field table (`table` 1). Valid until the next call on the writer. */
marc_status glue_writer_record(wasm_writer *w, int table, marc_record **rec);
/* The output of the writer's last call (wasm_result.data is that pointer
 * as wasm32 holds it; a native build, the glue's fuzz check, reads it
 * here). */
const uint8_t *glue_writer_output(const wasm_writer *w);
/* The record glue_writer_record made last (`s` its status) as a batch of
 * one record (status MARC_END), or of none (status `s` when not MARC_OK);
 * NULL when out of memory. Valid until the next call on the writer. */
const uint8_t *glue_writer_batch(wasm_writer *w, int table, marc_status s);

/* Objects made by the glue (readers, writers, queries, runs) and not freed
 * yet: marc__wasm_live_allocations() reports it to the tests. */
extern int32_t glue_live_objects;

static inline size_t glue_align8(size_t n) { return (n + 7) & ~(size_t)7; }

static inline void glue_put_u64(uint32_t *lo, uint32_t *hi, uint64_t v) {
  *lo = (uint32_t)v;
  *hi = (uint32_t)(v >> 32);
}

/* ------------------------------------------------------------------ */
/* Encoder state (text_index.c, charset.c, batch.c)                     */
/* ------------------------------------------------------------------ */

typedef struct sub_list {
  wasm_sub *v;
  size_t n, cap;
} sub_list;

/* Scratch for delimiter offsets (one per byte at most). */
typedef struct delim_list {
  uint32_t *v;
  size_t cap;
} delim_list;

/* Diagnostics beyond the record's own (a text reader's problem outside
 * any record, kept for the next record). */
typedef struct extra_diag {
  uint32_t code;
  char tag[4];
  uint64_t offset;
  char msg[64];
} extra_diag;

#define MAX_EXTRA 64

/* A schema problem found in a record (schema.c), kept for its block. */
typedef struct glue_find {
  uint32_t code; /* WASM_AV_BASE + marc_schema_rule */
  char tag[4];
  uint32_t sub, ind;
  uint64_t offset, record;
  uint32_t msg, msg_len, label, label_len; /* in the encoder's find_text */
  uint32_t pos, pos_len, type, type_len;
} glue_find;

/* Per field, while a record is encoded. */
typedef struct field_at {
  uint32_t sub, nsub;         /* its subfields in the encoder's list */
  uint32_t units;             /* UTF-16 units of its text */
  uint32_t at_bytes, at_copy; /* UTF-16 offset of its text when the text is
                                 read from the bytes / copied */
  uint8_t bad;                /* not all UTF-8 */
  uint8_t ascii;              /* all ASCII */
} field_at;

/* Per-encoder scratch (one per reader, one per pipeline worker). */
typedef struct encoder {
  sub_list subs;
  field_at *fa; /* scratch, one per field */
  size_t fa_cap;
  delim_list delims; /* scratch: delimiter offsets in a field or record */
  marc_buf text;     /* the batch text (single-threaded readers) */
  marc_record *conv; /* record converted to UTF-8 */
  int encoding;      /* -1: no conversion; else marc_encoding */
  int nfc;
  extra_diag extra[MAX_EXTRA];
  size_t nextra;
  char set_l09; /* nonzero: leader/09 of the block (converted as is) */
  /* The schema problems of the record being encoded (glue_validate);
   * glue_append_record puts them in its block and empties the list. */
  glue_find *finds;
  size_t nfinds, finds_cap;
  marc_buf find_text;
  int find_failed; /* out of memory while collecting */
#if MARCATO_WASM_HAVE_MARC8
  marc_charset_issue issues[MAX_EXTRA]; /* the converter adds them to the
                                           record as diagnostics */
#endif
} encoder;

/* Where glue_index_text put a record's text. */
typedef struct record_text {
  int in_bytes; /* the text is bytes [off, off + len) of the block's bytes
                   (else of the batch text) */
  int ascii;    /* every byte of it is below 0x80 */
  size_t off, len;
} record_text;

/* text_index.c: index the text of every field of `rec` (UTF-16 offsets,
 * subfields) into e->fa and e->subs, and decide where its text is: in
 * its bytes (`nbytes` of them, as the block will hold them) or appended
 * to `text`. `built`: the block's bytes are the fields' data back to
 * back. MARC_E_NOMEM leaves `text` as it was. */
marc_status glue_index_text(encoder *e, const marc_record *rec, int built,
                            size_t nbytes, marc_buf *text, record_text *rt);
/* Are all of p[0..n) below 0x80? */
int glue_is_ascii(const uint8_t *p, size_t n);

/* charset.c: `encoding` -1 none (bytes as read), 0 auto, 1 MARC-8,
 * 2 UTF-8; `nfc` 1 to compose. */
void glue_encoder_init(encoder *e, int32_t encoding, int32_t nfc);
/* The record to encode: `rec` itself, or its UTF-8 conversion (sets
 * *built then). */
const marc_record *glue_convert(encoder *e, const marc_record *rec, int *built);

/* batch.c */
void glue_encoder_free(encoder *e);
void glue_put_diag(wasm_diag *d, uint32_t code, const char *tag,
                   uint64_t offset, uint64_t record, uint32_t msg,
                   uint32_t msg_len);
/* Append one record block for `rec` to `out` and its text to the batch
 * text `text`. `raw` is NULL for records that are not views of raw ISO
 * 2709 bytes (then `built` must be 1). */
marc_status glue_append_record(encoder *e, marc_buf *out, marc_buf *text,
                               const marc_record *rec, const marc_raw *raw,
                               int built);
/* An error block: a wasm_diag and its message; *at is its offset. */
marc_status glue_append_error(marc_buf *out, uint32_t code, const char *tag,
                              uint64_t offset, uint64_t record, const char *msg,
                              size_t *at);
/* Start a batch in `out` (its header, cleared). */
marc_status glue_begin_batch(marc_buf *out);
/* Append the text after the blocks and fill the header. */
marc_status glue_finish_batch(marc_buf *out, const marc_buf *text,
                              int32_t status, uint32_t count, uint32_t err_at);

/* ------------------------------------------------------------------ */
/* Validation (schema.c)                                                */
/* ------------------------------------------------------------------ */

/* What a reader, run or one-off check validates: the structure checks
 * (marc_record_validate), then no schema, the built-in schema of each
 * record's type (leader/06), or one schema. */
enum { GLUE_SCHEMA_NONE = 0, GLUE_SCHEMA_BY_TYPE = 1, GLUE_SCHEMA_ONE = 2 };

/* A schema JS holds: a built-in one (never freed) or one loaded from JSON,
 * or why it did not load. JS reads status and message at the offsets the
 * layout gives ("schema"). */
typedef struct wasm_schema {
  int32_t status;    /* MARC_OK; MARC_E_INVALID (message says why);
                        MARC_E_NOMEM; MARC_E_ARG (no Avram in this build) */
  int32_t builtin;   /* 1: a built-in schema, not to be freed */
  char message[256]; /* NUL-terminated ("" when loaded) */
  marc_schema *s;    /* NULL unless loaded */
} wasm_schema;

typedef struct glue_validation {
  int on;     /* validate at all */
  int schema; /* GLUE_SCHEMA_* */
  const marc_schema *one;
  uint32_t enable, disable; /* rule bits (marc_schema_options) */
} glue_validation;

/* The writer's encoder (its one-record batches; schema.c fills its
 * findings). */
encoder *glue_writer_encoder(wasm_writer *w);

/* Set `v` from the arguments of the *_set_schema exports: `mode` a
 * GLUE_SCHEMA_*, `s` the schema for GLUE_SCHEMA_ONE. Loads the built-in
 * schemas first (on the calling thread, so a run's workers only read
 * them). MARC_E_ARG for a bad mode or schema, or Avram absent. */
marc_status glue_validation_set(glue_validation *v, int32_t mode,
                                const wasm_schema *s, uint32_t enable,
                                uint32_t disable);
/* Validate `rec` as `v` says: structure problems join its diagnostics,
 * schema problems go to e->finds. Returns the number of problems, or -1
 * when out of memory. */
int64_t glue_validate(encoder *e, const glue_validation *v, marc_record *rec);
/* The first problem of a record glue_validate found problems in, as the
 * error of a strict read: a diagnostic or the first schema finding (its
 * message NUL-terminated in `msg`). */
void glue_first_problem(const encoder *e, const marc_record *rec,
                        uint32_t *code, char tag[4], uint64_t *offset,
                        uint64_t *record, char *msg, size_t msg_size);

/* ------------------------------------------------------------------ */
/* The exports (what JS calls; each file says what they do)             */
/* ------------------------------------------------------------------ */

typedef struct wasm_reader wasm_reader;

/* layout.c */
WASM_EXPORT const char *marc__wasm_layout(void);
WASM_EXPORT const char *marc__wasm_status_str(int32_t s);
WASM_EXPORT int32_t marc__wasm_live_allocations(void);
WASM_EXPORT uint32_t marc__wasm_heap_used(void);

/* reader.c */
WASM_EXPORT wasm_reader *
marc__wasm_reader_new(int32_t strict, uint32_t max_record, uint32_t max_diags,
                      int32_t format, int32_t encoding, int32_t nfc);
WASM_EXPORT void marc__wasm_reader_free(wasm_reader *h);
WASM_EXPORT uint8_t *marc__wasm_reader_buffer(wasm_reader *h, uint32_t n);
WASM_EXPORT int32_t marc__wasm_reader_commit(wasm_reader *h, uint32_t n);
WASM_EXPORT int32_t marc__wasm_reader_finish(wasm_reader *h);
WASM_EXPORT int32_t marc__wasm_sniff(const uint8_t *p, uint32_t n);
WASM_EXPORT int32_t marc__wasm_reader_set_query(wasm_reader *h,
                                                const wasm_query *q);
WASM_EXPORT int32_t marc__wasm_reader_set_validate(wasm_reader *h, int32_t on);
WASM_EXPORT int32_t marc__wasm_reader_set_schema(wasm_reader *h, int32_t mode,
                                                 const wasm_schema *s,
                                                 uint32_t enable,
                                                 uint32_t disable);
WASM_EXPORT const uint8_t *
marc__wasm_next_batch(wasm_reader *h, uint32_t max_records, uint32_t max_bytes);
WASM_EXPORT int32_t marc__wasm_count(wasm_reader *h);
WASM_EXPORT double marc__wasm_counted(wasm_reader *h);

/* query.c */
WASM_EXPORT uint8_t *marc__wasm_alloc(uint32_t n);
WASM_EXPORT void marc__wasm_free(void *p);
WASM_EXPORT wasm_query *marc__wasm_query_compile(const char *text,
                                                 uint32_t len);
WASM_EXPORT void marc__wasm_query_free(wasm_query *q);
WASM_EXPORT int32_t marc__wasm_query_match(const wasm_query *q, wasm_writer *w,
                                           int32_t table);
WASM_EXPORT const uint8_t *marc__wasm_validate(wasm_writer *w, int32_t table);

/* spec.c */
WASM_EXPORT wasm_spec *marc__wasm_spec_compile(const char *text, uint32_t len,
                                               uint32_t flags);
WASM_EXPORT void marc__wasm_spec_free(wasm_spec *s);
WASM_EXPORT int32_t marc__wasm_spec_eval(wasm_spec *s, wasm_writer *w,
                                         int32_t table);

/* schema.c */
WASM_EXPORT wasm_schema *marc__wasm_schema_load(const char *json, uint32_t len);
WASM_EXPORT const wasm_schema *marc__wasm_schema_builtin(int32_t which);
WASM_EXPORT void marc__wasm_schema_free(wasm_schema *s);
WASM_EXPORT const char *marc__wasm_schema_title(const wasm_schema *s);
WASM_EXPORT int32_t marc__wasm_schema_partial(const wasm_schema *s);
WASM_EXPORT const char *marc__wasm_schema_builtin_json(int32_t which);
WASM_EXPORT uint32_t marc__wasm_schema_builtin_json_len(int32_t which);
WASM_EXPORT const uint8_t *
marc__wasm_validate_schema(wasm_writer *w, int32_t table, int32_t mode,
                           const wasm_schema *s, uint32_t enable,
                           uint32_t disable);

/* writer.c */
WASM_EXPORT wasm_writer *marc__wasm_writer_new(void);
WASM_EXPORT void marc__wasm_writer_free(wasm_writer *w);
WASM_EXPORT uint8_t *marc__wasm_writer_input(wasm_writer *w, uint32_t n);
WASM_EXPORT const wasm_result *marc__wasm_write(wasm_writer *w, uint32_t fmt,
                                                uint32_t flags);
WASM_EXPORT const wasm_result *
marc__wasm_write_table(wasm_writer *w, uint32_t fmt, uint32_t flags);
WASM_EXPORT const wasm_result *marc__wasm_write_frame(wasm_writer *w,
                                                      uint32_t fmt,
                                                      uint32_t part,
                                                      uint32_t flags);

#endif
