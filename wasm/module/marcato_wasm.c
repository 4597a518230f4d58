/* marcato_wasm.c: the Emscripten glue of the npm package `marcato`.
 *
 * A thin wasm-only layer over the public C API (marcato.h); the core is not
 * changed for it. Every export is named marc__wasm_* (double underscore:
 * internal to the package, not a public API) and never throws: results are
 * status codes and flat buffers that the JS side (web/src/core.js) reads.
 *
 * The same file builds two modules: marcato (single-threaded) and, with
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

#if defined(__EMSCRIPTEN_PTHREADS__)
#define MARCATO_WASM_THREADS 1
#include "marcato_pipeline.h"
#include <emscripten/threading.h>
#include <pthread.h>
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
#ifndef MARCATO_WASM_HAVE_JSON_READER
#define MARCATO_WASM_HAVE_JSON_READER 0
#endif
#ifndef MARCATO_WASM_HAVE_MRK_READER
#define MARCATO_WASM_HAVE_MRK_READER 0
#endif

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
  uint32_t code; /* marc_code, or WASM_CS_BASE + marc_charset_code */
  char tag[4];
  uint32_t offset_lo, offset_hi; /* absolute byte offset */
  uint32_t record_lo, record_hi; /* record index */
  uint32_t msg, msg_len;         /* message, relative to the block holding it */
} wasm_diag;

#define WASM_CS_BASE 1000u

/* Input formats. */
enum {
  WASM_IN_ISO2709 = 0,
  WASM_IN_MARCXML = 1,
  WASM_IN_JSON = 2,
  WASM_IN_MRK = 3
};

/* Writer formats (marc__wasm_write). */
enum {
  WASM_FMT_ISO2709 = 0,
  WASM_FMT_MRK = 1,
  WASM_FMT_MARCXML = 2,
  WASM_FMT_JSON = 3,
  WASM_FMT_JSONL = 4
};

typedef struct wasm_result {
  int32_t status; /* marc_status */
  uint32_t data;  /* pointer to the output */
  uint32_t len;
  uint32_t err_code; /* marc_code when status is MARC_E_TOO_LONG */
  char err_tag[4];
} wasm_result;

/* ------------------------------------------------------------------ */
/* Accounting                                                           */
/* ------------------------------------------------------------------ */

static int32_t live_objects; /* readers, writers, runs not yet freed */

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
  static char json[8192];
  if (json[0]) return json;
  size_t n = 0;
#define PUT(...) n += (size_t)snprintf(json + n, sizeof json - n, __VA_ARGS__)
  PUT("{\"version\":\"%s\",\"threads\":%s,", marc_version(),
      MARCATO_WASM_THREADS ? "true" : "false");
  PUT("\"batch\":{" F(b, status) F(b, count) F(b, size) F(b, first) F(b, err)
          F(b, text) F(b, text_len) "\"sizeof\":%u},",
      O(wasm_batch, status), O(wasm_batch, count), O(wasm_batch, size),
      O(wasm_batch, first), O(wasm_batch, err), O(wasm_batch, text),
      O(wasm_batch, text_len), (unsigned)sizeof(wasm_batch));
  PUT("\"rec\":{" F(r, size) F(r, nfields) F(r, ndiags) F(r, fields) F(r, diags)
          F(r, bytes) F(r, nbytes) F(r, flags) F(r, raw_flags) F(r, claimed)
              F(r, index_lo) F(r, index_hi) F(r, offset_lo) F(r, offset_hi)
                  F(r, junk_lo) F(r, junk_hi) F(r, subs) F(r, nsubs)
                      F(r, text_off) F(r, text_len) F(r, raw_length)
                          F(r, leader) "\"sizeof\":%u},",
      O(wasm_rec, size), O(wasm_rec, nfields), O(wasm_rec, ndiags),
      O(wasm_rec, fields), O(wasm_rec, diags), O(wasm_rec, bytes),
      O(wasm_rec, nbytes), O(wasm_rec, flags), O(wasm_rec, raw_flags),
      O(wasm_rec, claimed), O(wasm_rec, index_lo), O(wasm_rec, index_hi),
      O(wasm_rec, offset_lo), O(wasm_rec, offset_hi), O(wasm_rec, junk_lo),
      O(wasm_rec, junk_hi), O(wasm_rec, subs), O(wasm_rec, nsubs),
      O(wasm_rec, text_off), O(wasm_rec, text_len), O(wasm_rec, raw_length),
      O(wasm_rec, leader), (unsigned)sizeof(wasm_rec));
  PUT("\"field\":{" F(f, tag) F(f, ind1) F(f, ind2) F(f, control) F(f, ascii)
          F(f, off) F(f, len) F(f, soff) F(f, slen) F(f, sub)
              F(f, nsub) "\"sizeof\":%u},",
      O(wasm_field, tag), O(wasm_field, ind1), O(wasm_field, ind2),
      O(wasm_field, control), O(wasm_field, ascii), O(wasm_field, off),
      O(wasm_field, len), O(wasm_field, soff), O(wasm_field, slen),
      O(wasm_field, sub), O(wasm_field, nsub), (unsigned)sizeof(wasm_field));
  PUT("\"sub\":{" F(s, code) F(s, at) F(s, len) "\"sizeof\":%u},",
      O(wasm_sub, code), O(wasm_sub, at), O(wasm_sub, len),
      (unsigned)sizeof(wasm_sub));
  PUT("\"diag\":{" F(d, code) F(d, tag) F(d, offset_lo) F(d, offset_hi)
          F(d, record_lo) F(d, record_hi) F(d, msg)
              F(d, msg_len) "\"sizeof\":%u},",
      O(wasm_diag, code), O(wasm_diag, tag), O(wasm_diag, offset_lo),
      O(wasm_diag, offset_hi), O(wasm_diag, record_lo), O(wasm_diag, record_hi),
      O(wasm_diag, msg), O(wasm_diag, msg_len), (unsigned)sizeof(wasm_diag));
  PUT("\"result\":{" F(x, status) F(x, data) F(x, len) F(x, err_code)
          F(x, err_tag) "\"sizeof\":%u},",
      O(wasm_result, status), O(wasm_result, data), O(wasm_result, len),
      O(wasm_result, err_code), O(wasm_result, err_tag),
      (unsigned)sizeof(wasm_result));
  PUT("\"recFlags\":{\"ascii\":%u,\"built\":%u,\"error\":%u,"
      "\"textInBytes\":%u},",
      WASM_REC_ASCII, WASM_REC_BUILT, WASM_REC_ERROR, WASM_REC_TEXT_IN_BYTES);
  PUT("\"status\":{\"OK\":%d,\"NEED_MORE\":%d,\"END\":%d,\"E_NOMEM\":%d,"
      "\"E_ARG\":%d,\"E_INVALID\":%d,\"E_TOO_LONG\":%d,\"E_READONLY\":%d,"
      "\"E_STATE\":%d},",
      MARC_OK, MARC_NEED_MORE, MARC_END, MARC_E_NOMEM, MARC_E_ARG,
      MARC_E_INVALID, MARC_E_TOO_LONG, MARC_E_READONLY, MARC_E_STATE);
  PUT("\"formats\":{\"iso2709\":%d,\"mrk\":%d", WASM_FMT_ISO2709, WASM_FMT_MRK);
#if MARCATO_WASM_HAVE_MARCXML
  PUT(",\"marcxml\":%d", WASM_FMT_MARCXML);
#endif
#if MARCATO_WASM_HAVE_JSON
  PUT(",\"json\":%d,\"jsonl\":%d", WASM_FMT_JSON, WASM_FMT_JSONL);
#endif
  PUT("},\"inputs\":{\"iso2709\":%d", WASM_IN_ISO2709);
#if MARCATO_WASM_HAVE_XML_READER
  PUT(",\"marcxml\":%d", WASM_IN_MARCXML);
#endif
#if MARCATO_WASM_HAVE_JSON_READER
  PUT(",\"json\":%d", WASM_IN_JSON);
#endif
#if MARCATO_WASM_HAVE_MRK_READER
  PUT(",\"mrk\":%d", WASM_IN_MRK);
#endif
  PUT("},\"marc8\":%s,\"csBase\":%u,\"codes\":[",
      MARCATO_WASM_HAVE_MARC8 ? "true" : "false", WASM_CS_BASE);
  for (int c = 0; c < MARC_D_COUNT_; c++)
    PUT("%s\"%s\"", c ? "," : "", marc_code_name((marc_code)c));
  PUT("],\"csCodes\":[");
#if MARCATO_WASM_HAVE_MARC8
  for (int c = 0; c < MARC_CS_COUNT_; c++)
    PUT("%s\"%s\"", c ? "," : "", marc_charset_code_name((marc_charset_code)c));
#endif
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
/* Text: UTF-8 as TextDecoder reads it                                  */
/* ------------------------------------------------------------------ */

/* Length of the well-formed UTF-8 sequence at p[0..n) (2..4), or 0 with
 * *bad set to the length of the maximal subpart to replace by one U+FFFD
 * (the WHATWG decoder's rule). p[0] >= 0x80. */
static size_t utf8_seq(const uint8_t *p, size_t n, size_t *bad) {
  uint8_t c = p[0];
  size_t k;
  uint8_t lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) k = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    k = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    k = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    *bad = 1;
    return 0;
  }
  for (size_t j = 1; j < k; j++) {
    if (j >= n || p[j] < lo || p[j] > hi) {
      *bad = j;
      return 0;
    }
    lo = 0x80;
    hi = 0xBF;
  }
  return k;
}

typedef struct sub_list {
  wasm_sub *v;
  size_t n, cap;
} sub_list;

static int sub_push(sub_list *s, uint32_t code, uint32_t at) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 256;
    wasm_sub *v = realloc(s->v, cap * sizeof *v);
    if (!v) return -1;
    s->v = v;
    s->cap = cap;
  }
  s->v[s->n].code = code;
  s->v[s->n].at = at;
  s->v[s->n].len = 0;
  s->n++;
  return 0;
}

/* Bytes of the 8-byte word `w` that end a plain ASCII run: a delimiter
 * (0x1F) or a byte >= 0x80, as the top bit of each such byte. The zero-byte
 * test can also flag a byte just above a real match (borrow), never below
 * one, so the lowest flag is exact, which is all the caller uses. */
static uint64_t run_enders(uint64_t w) {
  const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  uint64_t x = w ^ (ones * 0x1F);
  return ((x - ones) & ~x & high) | (w & high);
}

/* What indexing one field's data found. */
typedef struct field_text {
  uint32_t units; /* UTF-16 units of the decoded text */
  int ascii;      /* every byte below 0x80 */
  int bad;        /* some bytes are not UTF-8 (each maximal invalid subpart
                     decodes to one U+FFFD) */
} field_text;

/* Close the open subfield (the last one pushed) where its value ends. */
static void sub_close(sub_list *subs, uint32_t end) {
  wasm_sub *s = &subs->v[subs->n - 1];
  s->len = end - s->at - (s->code ? (s->code > 0xFFFF ? 2 : 1) : 0);
}

/* Index field data p[0..n) as TextDecoder decodes it, without copying it:
 * its UTF-16 length, and with `subs` non-NULL its subfields as
 * marc_subfield_next splits them (text before the first delimiter gets
 * code 0; a delimiter ending the data is no subfield), at UTF-16 offsets
 * from the field's start. */
static marc_status index_field_any(const uint8_t *p, size_t n, sub_list *subs,
                                   field_text *ft) {
  uint32_t u = 0;
  int open = 0; /* a subfield is open: its value ends at the next delimiter */
  ft->ascii = 1;
  ft->bad = 0;
  if (subs && n && p[0] != 0x1F) {
    if (sub_push(subs, 0, 0) != 0) return MARC_E_NOMEM;
    open = 1;
  }
  size_t i = 0;
  while (i < n) {
    /* Plain ASCII, 8 bytes at a time (one UTF-16 unit per byte): most
     * MARC data. */
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, p + i, 8);
      uint64_t m = run_enders(w);
      if (m) {
        size_t k = (size_t)__builtin_ctzll(m) >> 3;
        i += k;
        u += (uint32_t)k;
        break;
      }
      i += 8;
      u += 8;
    }
    if (i >= n) break;
    uint8_t c = p[i];
    if (c == 0x1F && subs) {
      if (open) sub_close(subs, u);
      open = 0;
      u++;
      i++;
      if (i >= n) break; /* lone delimiter at the end: no subfield */
      /* The code: one character (one or two UTF-16 units), even 0x1F. */
      uint32_t at = u, code = p[i];
      if (code < 0x80) {
        u++;
        i++;
      } else {
        ft->ascii = 0;
        size_t bad = 0, k = utf8_seq(p + i, n - i, &bad);
        if (k) {
          uint32_t cp = code & (k == 2 ? 0x1F : k == 3 ? 0x0F : 0x07);
          for (size_t j = 1; j < k; j++) cp = cp << 6 | (p[i + j] & 0x3F);
          i += k;
          u += cp >= 0x10000 ? 2 : 1;
          code = cp;
        } else {
          ft->bad = 1;
          i += bad;
          u++;
          code = 0xFFFD;
        }
      }
      if (sub_push(subs, code, at) != 0) return MARC_E_NOMEM;
      open = 1;
      continue;
    }
    if (c < 0x80) {
      u++;
      i++;
      continue;
    }
    ft->ascii = 0;
    size_t bad = 0, k = utf8_seq(p + i, n - i, &bad);
    if (k) {
      i += k;
      u += k == 4 ? 2 : 1;
    } else {
      ft->bad = 1;
      i += bad;
      u++;
    }
  }
  if (open) sub_close(subs, u);
  ft->units = u;
  return MARC_OK;
}

/* marc_tag_is_control, inlined: the loops below ask it once per field. */
static inline int control_tag(const char *tag) {
  return tag[0] == '0' && tag[1] == '0';
}

#define WORD_ONES 0x0101010101010101ull
#define WORD_HIGH 0x8080808080808080ull

/* The top bit of each byte of `w` equal to 0x1F, exactly (no borrow). */
static uint64_t delimiter_bytes(uint64_t w) {
  const uint64_t low7 = ~WORD_HIGH;
  uint64_t x = w ^ (WORD_ONES * 0x1F);
  return ~(((x & low7) + low7) | x) & WORD_HIGH;
}

/* Room for `more` subfields. */
static int sub_reserve(sub_list *s, size_t more) {
  if (s->cap - s->n >= more) return 0;
  size_t cap = s->cap ? s->cap : 256;
  while (cap - s->n < more) cap *= 2;
  wasm_sub *v = realloc(s->v, cap * sizeof *v);
  if (!v) return -1;
  s->v = v;
  s->cap = cap;
  return 0;
}

/* Scratch for delimiter offsets (one per byte at most). */
typedef struct delim_list {
  uint32_t *v;
  size_t cap;
} delim_list;

static int delims_reserve(delim_list *d, size_t n) {
  if (n <= d->cap) return 0;
  uint32_t *v = realloc(d->v, n * sizeof *v);
  if (!v) return -1;
  d->v = v;
  d->cap = n;
  return 0;
}

/* The word of p[0..n) at byte i; the last one zero-padded (zero is plain). */
static inline uint64_t load_word(const uint8_t *p, size_t n, size_t i) {
  uint64_t w = 0;
  if (i + 8 <= n) {
    memcpy(&w, p + i, 8);
  } else {
    for (size_t j = i; j < n; j++) w |= (uint64_t)p[j] << (8 * (j - i));
  }
  return w;
}

/* The offsets of the delimiters of ASCII data p[0..n), ascending, into
 * dl (room for n), a word at a time, each from a bit mask (no branch per
 * byte). Returns their count, or SIZE_MAX at the first byte >= 0x80. */
static size_t ascii_delimiters(const uint8_t *p, size_t n, uint32_t *dl) {
  size_t nd = 0;
  for (size_t i = 0; i < n; i += 8) {
    uint64_t w = load_word(p, n, i);
    /* Most words are ASCII without a delimiter: one test for both (the
     * "has a zero byte" test after the XOR may flag a byte that is not a
     * delimiter, never miss one), the exact mask only after a flag. */
    uint64_t x = w ^ (WORD_ONES * 0x1F);
    if (!((w | ((x - WORD_ONES) & ~x)) & WORD_HIGH)) continue;
    if (w & WORD_HIGH) return SIZE_MAX;
    for (uint64_t m = delimiter_bytes(w); m; m &= m - 1)
      dl[nd++] = (uint32_t)(i + ((size_t)__builtin_ctzll(m) >> 3));
  }
  return nd;
}

/* The subfields of the ASCII field p[a..b) into v[k..], at offsets from
 * `a`, as index_field_any splits it, taking its delimiters from dl[*di..nd)
 * (ascending offsets into p; those before `a` are skipped, *di ends past
 * the field). Room must be reserved. Returns the new subfield count. */
static size_t deal_subfields(const uint8_t *p, uint32_t a, uint32_t b,
                             const uint32_t *dl, size_t nd, size_t *di,
                             wasm_sub *v, size_t k) {
  size_t j = *di;
  while (j < nd && dl[j] < a) j++;
  int open = 0;
  if (a < b && p[a] != 0x1F) {
    v[k].code = 0;
    v[k].at = 0;
    k++;
    open = 1;
  }
  uint32_t next = a; /* a delimiter before this is a subfield code */
  for (; j < nd && dl[j] < b; j++) {
    uint32_t d = dl[j];
    if (d < next) continue;
    if (open) v[k - 1].len = d - a - v[k - 1].at - (v[k - 1].code ? 1 : 0);
    open = 0;
    if (d + 1 >= b) continue; /* lone delimiter at the end: no subfield */
    v[k].code = p[d + 1];
    v[k].at = d + 1 - a;
    k++;
    open = 1;
    next = d + 2;
  }
  if (open) v[k - 1].len = b - a - v[k - 1].at - (v[k - 1].code ? 1 : 0);
  *di = j;
  return k;
}

/* index_field_any for the common case, ASCII data: its delimiters found
 * a word at a time, then dealt out. Falls back to index_field_any at the
 * first byte >= 0x80. */
static marc_status index_field(const uint8_t *p, size_t n, sub_list *subs,
                               delim_list *scratch, field_text *ft) {
  ft->ascii = 1;
  ft->bad = 0;
  ft->units = (uint32_t)n;
  if (delims_reserve(scratch, n + 1) != 0) return MARC_E_NOMEM;
  size_t nd = ascii_delimiters(p, n, scratch->v);
  if (nd == SIZE_MAX) return index_field_any(p, n, subs, ft);
  if (!subs) return MARC_OK;
  /* One subfield per delimiter at most, plus the text before the first. */
  if (sub_reserve(subs, nd + 1) != 0) return MARC_E_NOMEM;
  size_t di = 0;
  subs->n =
      deal_subfields(p, 0, (uint32_t)n, scratch->v, nd, &di, subs->v, subs->n);
  return MARC_OK;
}

/* Are the bytes between two fields (terminator, indicators) ASCII? */
static int gap_is_ascii(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] >= 0x80) return 0;
  return 1;
}

/* Append field data to `text` as TextDecoder would decode it: the bytes
 * as they are, or with `bad` each maximal invalid subpart as U+FFFD. */
static marc_status copy_field_text(marc_buf *text, const uint8_t *p, size_t n,
                                   int bad) {
  if (!bad) return n ? marc_buf_append(text, p, n) : MARC_OK;
  if (marc_buf_reserve(text, n * 3) != MARC_OK) return MARC_E_NOMEM;
  uint8_t *o = text->data + text->len;
  for (size_t i = 0; i < n;) {
    size_t nbad = 0, k = p[i] < 0x80 ? 1 : utf8_seq(p + i, n - i, &nbad);
    if (k) {
      memcpy(o, p + i, k);
      o += k;
      i += k;
    } else {
      *o++ = 0xEF, *o++ = 0xBF, *o++ = 0xBD;
      i += nbad;
    }
  }
  text->len = (size_t)(o - text->data);
  return MARC_OK;
}

/* ------------------------------------------------------------------ */
/* Encoding a record into a block                                      */
/* ------------------------------------------------------------------ */

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

static void put_u64(uint32_t *lo, uint32_t *hi, uint64_t v) {
  *lo = (uint32_t)v;
  *hi = (uint32_t)(v >> 32);
}

static void put_diag(wasm_diag *d, uint32_t code, const char *tag,
                     uint64_t offset, uint64_t record, uint32_t msg,
                     uint32_t msg_len) {
  d->code = code;
  memcpy(d->tag, tag, 3);
  d->tag[3] = 0;
  put_u64(&d->offset_lo, &d->offset_hi, offset);
  put_u64(&d->record_lo, &d->record_hi, record);
  d->msg = msg;
  d->msg_len = msg_len;
}

/* Diagnostics beyond the record's own: charset problems. */
typedef struct extra_diag {
  uint32_t code;
  char tag[4];
  uint64_t offset;
  char msg[64];
} extra_diag;

#define MAX_EXTRA 64

/* Per-encoder scratch (one per reader, one per pipeline worker). */
/* Per field, while a record is encoded. */
typedef struct field_at {
  uint32_t sub, nsub;         /* its subfields in the encoder's list */
  uint32_t units;             /* UTF-16 units of its text */
  uint32_t at_bytes, at_copy; /* UTF-16 offset of its text when the text is
                                 read from the bytes / copied */
  uint8_t bad;                /* not all UTF-8 */
  uint8_t ascii;              /* all ASCII */
} field_at;

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
#if MARCATO_WASM_HAVE_MARC8
  marc_charset_issue issues[MAX_EXTRA]; /* the converter adds them to the
                                           record as diagnostics */
#endif
} encoder;

static void encoder_free(encoder *e) {
  free(e->subs.v);
  free(e->fa);
  free(e->delims.v);
  marc_buf_free(&e->text);
  marc_record_free(e->conv);
  memset(e, 0, sizeof *e);
}

#if MARCATO_WASM_HAVE_MARC8
/* Does converting `rec` to UTF-8 change no data byte? Yes when every byte
 * is ASCII below 0x7F but ESC (a MARC-8 escape) and '&' (maybe a MARC-8
 * character reference): those read as themselves in MARC-8, UTF-8 and NFC.
 * Records with diagnostics go to the converter, which may add more. */
static int converts_as_is(const marc_record *rec) {
  if (marc_record_diag_count(rec)) return 0;
  size_t nf = marc_record_field_count(rec);
  const marc_field *fs = marc_record_fields(rec);
  const uint8_t *bytes = marc_record_bytes(rec);
  for (size_t i = 0; i < nf; i++)
    if (!marc_charset_plain(bytes + fs[i].off, fs[i].len)) return 0;
  return 1;
}
#endif

/* The record to encode: `rec` itself, or its UTF-8 conversion (MARC-8
 * decoded; with nfc, UTF-8 normalised). Sets *built when converted.
 * Charset problems become extra diagnostics. */
static const marc_record *convert(encoder *e, const marc_record *rec,
                                  int *built) {
  e->nextra = 0;
  e->set_l09 = 0;
#if MARCATO_WASM_HAVE_MARC8
  if (e->encoding < 0) return rec;
  const char *ld = marc_record_leader(rec);
  int is_utf8 = ld[9] == 'a';
  if (e->encoding == MARC_ENC_UTF8 ||
      (e->encoding == MARC_ENC_AUTO && is_utf8)) {
    if (!e->nfc) return rec;
  }
  if (converts_as_is(rec)) {
    /* The converter would only set leader/09: the block says 'a' instead
     * (about half the MARC-8 records of real files). */
    if (!is_utf8) e->set_l09 = 'a';
    return rec;
  }
  marc_charset_options opt;
  memset(&opt, 0, sizeof opt);
  opt.encoding = (marc_encoding)e->encoding;
  opt.nfc = e->nfc;
  marc_charset_log log = {e->issues, MAX_EXTRA, 0};
  marc_record_free(e->conv);
  e->conv = NULL;
  marc_status s = marc_record_to_utf8(rec, &opt, &e->conv, &log);
  if (s != MARC_OK || !e->conv) return rec; /* out of memory: as read */
  /* The converted record carries the conversion problems as diagnostics
   * (MARC8_UNMAPPED...); the log is not needed. */
  *built = 1;
  return e->conv;
#else
  (void)built;
  return rec;
#endif
}

/* The common case in one pass: a record read as is (not built) whose
 * fields lie in order in its bytes, all ASCII from the first field to the
 * last. Then the text is those bytes (UTF-16 offsets are byte offsets from
 * the first field), and the delimiters of the whole span, found a word at
 * a time, are dealt out to the fields' subfields as index_field_any would
 * split each field. Returns 0, leaving `fa` and the subfields for the
 * general path, when the record is not such a record; 1 when indexed;
 * -1 when out of memory. *span_end is the end of the last field. */
static int index_ascii_record(encoder *e, const marc_record *rec,
                              const uint8_t *src, size_t nbytes, size_t nf,
                              field_at *fa, size_t *span_end) {
  if (!nf) return 0;
  const marc_field *fs = marc_record_fields(rec);
  size_t prev = 0;
  for (size_t i = 0; i < nf; i++) {
    const marc_field *f = &fs[i];
    if ((i && f->off < prev) || (size_t)f->off + f->len > nbytes) return 0;
    prev = (size_t)f->off + f->len;
  }
  size_t r0 = fs[0].off, n = prev - r0;
  const uint8_t *p = src + r0;
  /* Every delimiter of the span, relative to r0. */
  if (delims_reserve(&e->delims, n + 1) != 0) return -1;
  const uint32_t *dl = e->delims.v;
  size_t nd = ascii_delimiters(p, n, e->delims.v);
  if (nd == SIZE_MAX) return 0;
  /* At most one subfield per delimiter, plus one per field. */
  if (sub_reserve(&e->subs, nd + nf) != 0) return -1;
  size_t k = e->subs.n, di = 0;
  for (size_t i = 0; i < nf; i++) {
    const marc_field *f = &fs[i];
    uint32_t a = f->off - (uint32_t)r0, b = a + f->len;
    fa[i].sub = (uint32_t)k;
    fa[i].units = f->len;
    fa[i].at_bytes = a;
    fa[i].at_copy = 0;
    fa[i].bad = 0;
    fa[i].ascii = 1;
    if (!control_tag(f->tag))
      k = deal_subfields(p, a, b, dl, nd, &di, e->subs.v, k);
    fa[i].nsub = (uint32_t)k - fa[i].sub;
  }
  e->subs.n = k;
  *span_end = prev;
  return 1;
}

/* Append one record block for `rec` to `out` and its text to the batch
 * text `text`. `raw` is NULL for records that are not views of raw ISO
 * 2709 bytes (then `built` must be 1). */
static marc_status append_record(encoder *e, marc_buf *out, marc_buf *text,
                                 const marc_record *rec, const marc_raw *raw,
                                 int built) {
  size_t nf = marc_record_field_count(rec);
  const marc_field *fs = marc_record_fields(rec);
  size_t nd = marc_record_diag_count(rec);
  size_t nx = e->nextra;
  size_t msgs = 0;
  for (size_t i = 0; i < nd; i++) msgs += strlen(marc_record_diag(rec, i)->msg);
  for (size_t i = 0; i < nx; i++) msgs += strlen(e->extra[i].msg);
  const uint8_t *src = marc_record_bytes(rec);
  size_t nbytes = 0;
  if (built) {
    for (size_t i = 0; i < nf; i++) nbytes += fs[i].len;
  } else {
    nbytes = marc_record_raw_length(rec);
  }

  /* Index the fields' text first: the subfield count sizes the block. */
  e->subs.n = 0;
  if (nf > e->fa_cap) {
    field_at *fa = realloc(e->fa, nf * sizeof *fa);
    if (!fa) return MARC_E_NOMEM;
    e->fa = fa;
    e->fa_cap = nf;
  }
  field_at *fa = e->fa;
  /* The text is read from the block's bytes when every field decodes on
   * its own as it does within them: fields in order, apart by ASCII bytes
   * (terminators, indicators: they end any UTF-8 sequence) or back to back
   * and both valid UTF-8. Else the fields' text is copied to `text`. */
  int in_bytes = nf > 0, ascii = 1;
  size_t region = 0, prev_end = 0, pos = 0;
  uint32_t ub = 0, uc = 0; /* UTF-16 units from the region's start, copied */
  int prev_bad = 0;
  int fast =
      built ? 0 : index_ascii_record(e, rec, src, nbytes, nf, fa, &prev_end);
  if (fast < 0) return MARC_E_NOMEM;
  if (fast) region = fs[0].off;
  for (size_t i = 0; i < nf && !fast; i++) {
    const marc_field *f = &fs[i];
    const uint8_t *d = src + f->off;
    size_t at = built ? pos : f->off; /* where the data is in the bytes */
    pos += f->len;
    field_text ft;
    fa[i].sub = (uint32_t)e->subs.n;
    if (index_field(d, f->len, control_tag(f->tag) ? NULL : &e->subs,
                    &e->delims, &ft) != MARC_OK)
      return MARC_E_NOMEM;
    fa[i].nsub = (uint32_t)e->subs.n - fa[i].sub;
    fa[i].bad = (uint8_t)ft.bad;
    fa[i].ascii = (uint8_t)ft.ascii;
    ascii &= ft.ascii;
    if (i == 0) {
      region = at;
    } else if (in_bytes) {
      size_t gap = at - prev_end;
      if (at < prev_end ||
          (gap ? !gap_is_ascii(src + prev_end, gap) : prev_bad || ft.bad))
        in_bytes = 0;
      ub += (uint32_t)gap;
    }
    fa[i].at_bytes = ub;
    fa[i].at_copy = uc;
    fa[i].units = ft.units;
    ub += ft.units;
    uc += ft.units;
    prev_end = at + f->len;
    prev_bad = ft.bad;
  }
  if (prev_end > nbytes) in_bytes = 0;
  size_t text_start = text->len;
  if (!in_bytes) {
    for (size_t i = 0; i < nf; i++) {
      const marc_field *f = &fs[i];
      if (copy_field_text(text, src + f->off, f->len, fa[i].bad) != MARC_OK) {
        text->len = text_start;
        return MARC_E_NOMEM;
      }
    }
  }
  size_t ns = e->subs.n;

  size_t at_fields = sizeof(wasm_rec);
  size_t at_subs = at_fields + nf * sizeof(wasm_field);
  size_t at_diags = at_subs + ns * sizeof(wasm_sub);
  size_t at_msgs = at_diags + (nd + nx) * sizeof(wasm_diag);
  size_t at_bytes = at_msgs + msgs;
  size_t size = align8(at_bytes + nbytes);
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
  h->ndiags = (uint32_t)(nd + nx);
  h->fields = (uint32_t)at_fields;
  h->subs = (uint32_t)at_subs;
  h->nsubs = (uint32_t)ns;
  h->diags = (uint32_t)at_diags;
  h->bytes = (uint32_t)at_bytes;
  h->nbytes = (uint32_t)nbytes;
  if (in_bytes) {
    h->text_off = (uint32_t)region;
    h->text_len = (uint32_t)(prev_end - region);
  } else {
    h->text_off = (uint32_t)text_start;
    h->text_len = (uint32_t)(text->len - text_start);
  }
  h->raw_length = (uint32_t)marc_record_raw_length(rec);
  if (raw) {
    h->raw_flags = raw->flags;
    h->claimed = raw->claimed;
    put_u64(&h->junk_lo, &h->junk_hi, raw->junk);
  }
  put_u64(&h->index_lo, &h->index_hi, marc_record_index(rec));
  put_u64(&h->offset_lo, &h->offset_hi, marc_record_offset(rec));
  memcpy(h->leader, marc_record_leader(rec), 24);
  if (e->set_l09) h->leader[9] = e->set_l09;
  h->flags = (ascii ? WASM_REC_ASCII : 0) | (built ? WASM_REC_BUILT : 0) |
             (in_bytes ? WASM_REC_TEXT_IN_BYTES : 0);

  wasm_field *wf = (wasm_field *)(b + at_fields);
  wasm_sub *ws = (wasm_sub *)(b + at_subs);
  if (ns) memcpy(ws, e->subs.v, ns * sizeof(wasm_sub));
  uint8_t *bytes = b + at_bytes;
  pos = 0;
  for (size_t i = 0; i < nf; i++) {
    const marc_field *f = &fs[i];
    memcpy(wf[i].tag, f->tag, 4);
    wf[i].tag[3] = 0;
    wf[i].ind1 = f->ind1;
    wf[i].ind2 = f->ind2;
    wf[i].control = (uint8_t)control_tag(f->tag);
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
    uint32_t soff = in_bytes ? fa[i].at_bytes : fa[i].at_copy;
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
    put_diag(&wd[i], (uint32_t)d->code, d->tag, d->offset, d->record,
             (uint32_t)m, (uint32_t)len);
    m += len;
  }
  for (size_t i = 0; i < nx; i++) {
    const extra_diag *x = &e->extra[i];
    size_t len = strlen(x->msg);
    memcpy(b + m, x->msg, len);
    put_diag(&wd[nd + i], x->code, x->tag, x->offset, marc_record_index(rec),
             (uint32_t)m, (uint32_t)len);
    m += len;
  }
  out->len += size;
  return MARC_OK;
}

/* An error block: a wasm_diag and its message. */
static marc_status append_error(marc_buf *out, uint32_t code, const char *tag,
                                uint64_t offset, uint64_t record,
                                const char *msg, size_t *at) {
  size_t len = strlen(msg);
  size_t need = align8(sizeof(wasm_diag) + len);
  if (marc_buf_reserve(out, need) != MARC_OK) return MARC_E_NOMEM;
  uint8_t *b = out->data + out->len;
  memset(b, 0, need);
  memcpy(b + sizeof(wasm_diag), msg, len);
  put_diag((wasm_diag *)b, code, tag, offset, record, sizeof(wasm_diag),
           (uint32_t)len);
  *at = out->len;
  out->len += need;
  return MARC_OK;
}

/* Append the text after the blocks and fill the header. */
static marc_status finish_batch(marc_buf *out, const marc_buf *text,
                                int32_t status, uint32_t count,
                                uint32_t err_at) {
  size_t tl = text->len;
  if (marc_buf_reserve(out, align8(tl)) != MARC_OK) return MARC_E_NOMEM;
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

/* ------------------------------------------------------------------ */
/* Reader                                                               */
/* ------------------------------------------------------------------ */

typedef struct wasm_reader {
  int format;       /* WASM_IN_* */
  marc_reader *r;   /* ISO 2709 */
  void *tr;         /* text-format reader */
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
  marc_diag pending; /* text formats, lenient: a problem outside records */
  char pending_msg[160];
  int has_pending;
} wasm_reader;

static marc_status tr_feed(wasm_reader *h, const void *p, size_t n) {
  switch (h->format) {
#if MARCATO_WASM_HAVE_XML_READER
  case WASM_IN_MARCXML: return marc_xml_reader_feed(h->tr, p, n);
#endif
#if MARCATO_WASM_HAVE_JSON_READER
  case WASM_IN_JSON: return marc_json_reader_feed(h->tr, p, n);
#endif
#if MARCATO_WASM_HAVE_MRK_READER
  case WASM_IN_MRK: return marc_mrk_reader_feed(h->tr, p, n);
#endif
  default: (void)p, (void)n; return MARC_E_ARG;
  }
}

static marc_status tr_finish(wasm_reader *h) {
  switch (h->format) {
#if MARCATO_WASM_HAVE_XML_READER
  case WASM_IN_MARCXML: return marc_xml_reader_finish(h->tr);
#endif
#if MARCATO_WASM_HAVE_JSON_READER
  case WASM_IN_JSON: return marc_json_reader_finish(h->tr);
#endif
#if MARCATO_WASM_HAVE_MRK_READER
  case WASM_IN_MRK: return marc_mrk_reader_finish(h->tr);
#endif
  default: return MARC_E_ARG;
  }
}

static marc_status tr_next(wasm_reader *h, marc_record **rec,
                           const marc_diag **err) {
  marc_status s = MARC_E_ARG;
  switch (h->format) {
#if MARCATO_WASM_HAVE_XML_READER
  case WASM_IN_MARCXML:
    s = marc_xml_reader_next(h->tr, rec);
    if (s == MARC_E_INVALID) *err = marc_xml_reader_error(h->tr);
    break;
#endif
#if MARCATO_WASM_HAVE_JSON_READER
  case WASM_IN_JSON:
    s = marc_json_reader_next(h->tr, rec);
    if (s == MARC_E_INVALID) *err = marc_json_reader_error(h->tr);
    break;
#endif
#if MARCATO_WASM_HAVE_MRK_READER
  case WASM_IN_MRK:
    s = marc_mrk_reader_next(h->tr, rec);
    if (s == MARC_E_INVALID) *err = marc_mrk_reader_error(h->tr);
    break;
#endif
  default: (void)rec, (void)err; break;
  }
  return s;
}

static void tr_free(wasm_reader *h) {
  if (!h->tr) return;
  switch (h->format) {
#if MARCATO_WASM_HAVE_XML_READER
  case WASM_IN_MARCXML: marc_xml_reader_free(h->tr); break;
#endif
#if MARCATO_WASM_HAVE_JSON_READER
  case WASM_IN_JSON: marc_json_reader_free(h->tr); break;
#endif
#if MARCATO_WASM_HAVE_MRK_READER
  case WASM_IN_MRK: marc_mrk_reader_free(h->tr); break;
#endif
  default: break;
  }
}

/* encoding: -1 none (bytes as read), 0 auto, 1 MARC-8, 2 UTF-8. */
static void encoder_init(encoder *e, int32_t encoding, int32_t nfc) {
  memset(e, 0, sizeof *e);
#if MARCATO_WASM_HAVE_MARC8
  e->encoding = encoding < 0 || encoding > 2 ? -1 : encoding;
#else
  (void)encoding;
  e->encoding = -1;
#endif
  e->nfc = nfc ? 1 : 0;
}

/* A reader of `format` (WASM_IN_*); `strict` 0 (lenient) or 1;
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
  h->format = format;
  encoder_init(&h->enc, encoding, nfc);
  int ok = 0;
  switch (format) {
  case WASM_IN_ISO2709:
    h->r = marc_reader_new(&opt);
    h->rec = marc_record_new();
    ok = h->r && h->rec;
    break;
#if MARCATO_WASM_HAVE_XML_READER
  case WASM_IN_MARCXML: ok = (h->tr = marc_xml_reader_new(&opt)) != NULL; break;
#endif
#if MARCATO_WASM_HAVE_JSON_READER
  case WASM_IN_JSON: ok = (h->tr = marc_json_reader_new(&opt)) != NULL; break;
#endif
#if MARCATO_WASM_HAVE_MRK_READER
  case WASM_IN_MRK: ok = (h->tr = marc_mrk_reader_new(&opt)) != NULL; break;
#endif
  default: break;
  }
  if (!ok) {
    marc_reader_free(h->r);
    marc_record_free(h->rec);
    tr_free(h);
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
  tr_free(h);
  free(h->in);
  free(h->stage[0]);
  free(h->stage[1]);
  marc_buf_free(&h->out);
  encoder_free(&h->enc);
  free(h);
  live_objects--;
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
  return tr_feed(h, h->in, n);
}

WASM_EXPORT int32_t marc__wasm_reader_finish(wasm_reader *h) {
  if (!h) return MARC_E_ARG;
  return h->r ? marc_reader_finish(h->r) : tr_finish(h);
}

/* The next record (a view of the ISO 2709 reader, or a text reader's
 * owned record); in strict mode a record with a problem gives
 * MARC_E_INVALID and the problem in *err. *raw is filled for ISO 2709. */
static marc_status next_record(wasm_reader *h, marc_raw *raw, marc_record **rec,
                               const marc_diag **err) {
  if (h->r) {
    marc_status s = marc_reader_next_raw(h->r, raw);
    if (s != MARC_OK) return s;
    s = marc_record_parse(h->rec, raw, h->strict, 0, h->max_diags);
    if (s == MARC_E_INVALID) *err = marc_record_diag(h->rec, 0);
    *rec = h->rec;
    return s;
  }
  marc_status s = tr_next(h, rec, err);
  if (s == MARC_E_INVALID && !h->strict && *err) {
    /* A problem outside any record (lenient): keep it for the next
     * record, or drop it at the end. */
    h->pending = **err;
    snprintf(h->pending_msg, sizeof h->pending_msg, "%s", (*err)->msg);
    h->pending.msg = h->pending_msg;
    h->has_pending = 1;
    return tr_next(h, rec, err);
  }
  if (s == MARC_E_INVALID && h->strict && *rec && !*err &&
      marc_record_diag_count(*rec))
    *err = marc_record_diag(*rec, 0);
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
  h->enc.text.len = 0;
  if (marc_buf_reserve(&h->out, sizeof(wasm_batch)) != MARC_OK) return NULL;
  memset(h->out.data, 0, sizeof(wasm_batch));
  h->out.len = sizeof(wasm_batch);
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
    const marc_record *use = convert(&h->enc, rec, &built);
    if (h->has_pending && h->enc.nextra < MAX_EXTRA) {
      extra_diag *x = &h->enc.extra[h->enc.nextra++];
      x->code = (uint32_t)h->pending.code;
      memcpy(x->tag, h->pending.tag, 4);
      x->offset = h->pending.offset;
      snprintf(x->msg, sizeof x->msg, "%s", h->pending.msg);
      h->has_pending = 0;
    }
    if (append_record(&h->enc, &h->out, &h->enc.text, use, h->r ? &raw : NULL,
                      built) != MARC_OK) {
      s = MARC_E_NOMEM;
      break;
    }
    count++;
    if (h->out.len + h->enc.text.len >= max_bytes) break;
  }
  size_t err_at = 0;
  if (s == MARC_E_INVALID && err) {
    if (append_error(&h->out, (uint32_t)err->code, err->tag, err->offset,
                     err->record, err->msg, &err_at) != MARC_OK)
      s = MARC_E_NOMEM;
  }
  if (finish_batch(&h->out, &h->enc.text, s, count, (uint32_t)err_at) !=
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

/* ------------------------------------------------------------------ */
/* Writers                                                              */
/* ------------------------------------------------------------------ */

typedef struct wasm_writer {
  marc_record *rec;
  uint8_t *in; /* a record block and its bytes, copied from JS */
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

/* The record of the block in the input area: parsed again from its raw
 * bytes with the framing it was read with (so ISO 2709 output keeps the
 * data-area order byte for byte, as the CLI does), or rebuilt from its
 * fields (WASM_REC_BUILT). */
static marc_status writer_record(wasm_writer *w) {
  const wasm_rec *h = (const wasm_rec *)w->in;
  if (h->flags & WASM_REC_BUILT) {
    marc_record *r = marc_record_new();
    if (!r) return MARC_E_NOMEM;
    marc_status s = marc_record_set_leader(r, h->leader);
    const wasm_field *f = (const wasm_field *)(w->in + h->fields);
    const uint8_t *bytes = w->in + h->bytes;
    for (uint32_t i = 0; i < h->nfields && s == MARC_OK; i++)
      s = marc_record_append_field(r, f[i].tag, (char)f[i].ind1,
                                   (char)f[i].ind2, bytes + f[i].off, f[i].len);
    if (s != MARC_OK) {
      marc_record_free(r);
      return s;
    }
    marc_record_free(w->rec);
    w->rec = r;
    return MARC_OK;
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

/* Write the record block in the input area in format `fmt` (WASM_FMT_*;
 * `flags` are the MARCXML writer's). Returns the result (status, output
 * pointer and length), valid until the next call on this writer. */
WASM_EXPORT const wasm_result *marc__wasm_write(wasm_writer *w, uint32_t fmt,
                                                uint32_t flags) {
  if (!w) return NULL;
  memset(&w->res, 0, sizeof w->res);
  w->out.len = 0;
  marc_status s = writer_record(w);
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
    case WASM_FMT_JSONL: s = marc_write_jsonl(w->rec, &w->out); break;
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

/* What goes before (part 0), between two records (1) and after (2) a
 * stream of records in format `fmt`. */
WASM_EXPORT const wasm_result *marc__wasm_write_frame(wasm_writer *w,
                                                      uint32_t fmt,
                                                      uint32_t part,
                                                      uint32_t flags) {
  if (!w) return NULL;
  memset(&w->res, 0, sizeof w->res);
  w->out.len = 0;
  marc_status s = MARC_OK;
  switch (fmt) {
#if MARCATO_WASM_HAVE_MARCXML
  case WASM_FMT_MARCXML:
    if (part == 0) s = marc_write_marcxml_begin(&w->out, flags);
    else if (part == 2) s = marc_write_marcxml_end(&w->out);
    break;
#endif
#if MARCATO_WASM_HAVE_JSON
  case WASM_FMT_JSON:
    if (part == 0) s = marc_write_json_begin(&w->out);
    else if (part == 1) s = marc_write_json_sep(&w->out);
    else s = marc_write_json_end(&w->out);
    break;
#endif
  default: break;
  }
  (void)part;
  (void)flags;
  w->res.status = s;
  w->res.data = (uint32_t)(uintptr_t)w->out.data;
  w->res.len = (uint32_t)w->out.len;
  return &w->res;
}

/* ------------------------------------------------------------------ */
/* Threaded pipeline (marcato-threads only)                             */
/* ------------------------------------------------------------------ */
#if MARCATO_WASM_THREADS

/* A run of the native pipeline over input that JS feeds in chunks:
 *
 *   JS feed ──> input queue ──> pipeline reader thread ──> workers
 *   (main)      (bounded)       (the read callback)        (encode records)
 *        <── output queue <── ordered sink (on the driver thread)
 *   JS take     (bounded)
 *
 * The pipeline runs on a "driver" pthread; JS never blocks: feeding
 * returns NULL when the input queue is full, taking returns 0 when no
 * batch is ready, and `state` (an int JS can Atomics.waitAsync on) changes
 * whenever a batch is ready, input room frees up or the run ends. */

typedef struct mt_chunk {
  struct mt_chunk *next;
  size_t len, pos;
  uint8_t data[];
} mt_chunk;

typedef struct mt_out {
  struct mt_out *next;
  marc_buf buf;
} mt_out;

typedef struct mt_run {
  pthread_t driver;
  pthread_mutex_t mu;
  pthread_cond_t cv_in;  /* input arrived, or cancel */
  pthread_cond_t cv_out; /* JS took a batch, or cancel */
  mt_chunk *in_head, *in_tail, *staged;
  size_t in_count, in_cap;
  int in_eof;
  mt_out *out_head, *out_tail;
  mt_out *taken; /* the batch JS holds */
  size_t out_count, out_cap;
  int cancel, finished, rc;
  int strict;
  int32_t state; /* bumped on every event JS may wait for */
  marc_pipeline_options popt;
  encoder *enc; /* one per worker */
  unsigned nenc;
  marc_pipeline_stats stats;
} mt_run;

static void mt_bump(mt_run *r) {
  __atomic_fetch_add(&r->state, 1, __ATOMIC_SEQ_CST);
  emscripten_futex_wake(&r->state, 0x7fffffff);
}

/* Pipeline reader thread: the next bytes of the input queue. */
static int64_t mt_read(void *src, void *buf, size_t n) {
  mt_run *r = src;
  pthread_mutex_lock(&r->mu);
  while (!r->in_head && !r->in_eof && !r->cancel)
    pthread_cond_wait(&r->cv_in, &r->mu);
  if (r->cancel || !r->in_head) {
    pthread_mutex_unlock(&r->mu);
    return 0;
  }
  mt_chunk *c = r->in_head;
  size_t k = c->len - c->pos < n ? c->len - c->pos : n;
  memcpy(buf, c->data + c->pos, k);
  c->pos += k;
  int freed = 0;
  if (c->pos == c->len) {
    r->in_head = c->next;
    if (!r->in_head) r->in_tail = NULL;
    r->in_count--;
    free(c);
    freed = 1;
  }
  pthread_mutex_unlock(&r->mu);
  if (freed) mt_bump(r);
  return (int64_t)k;
}

/* Worker thread: encode one record into the batch's blocks (`out`) and
 * text (`msgs`). The first record of a batch finds `msgs` empty. */
static int mt_on_record(void *user, marc_record *rec, const marc_raw *framed,
                        marc_buf *out, marc_buf *msgs, unsigned worker) {
  mt_run *r = user;
  encoder *e = &r->enc[worker < r->nenc ? worker : 0];
  if (r->strict && marc_record_diag_count(rec)) {
    const marc_diag *d = marc_record_diag(rec, 0);
    /* A pseudo record block flagged WASM_REC_ERROR holding the problem. */
    size_t at = 0;
    size_t len = strlen(d->msg);
    size_t size = align8(sizeof(wasm_rec) + sizeof(wasm_diag) + len);
    if (marc_buf_reserve(out, size) != MARC_OK) return 1;
    uint8_t *b = out->data + out->len;
    memset(b, 0, size);
    wasm_rec *h = (wasm_rec *)b;
    h->size = (uint32_t)size;
    h->flags = WASM_REC_ERROR;
    h->ndiags = 1;
    h->diags = sizeof(wasm_rec);
    memcpy(b + sizeof(wasm_rec) + sizeof(wasm_diag), d->msg, len);
    put_diag((wasm_diag *)(b + sizeof(wasm_rec)), (uint32_t)d->code, d->tag,
             d->offset, d->record,
             (uint32_t)(sizeof(wasm_rec) + sizeof(wasm_diag)), (uint32_t)len);
    out->len += size;
    (void)at;
    return 1;
  }
  int built = 0;
  const marc_record *use = convert(e, rec, &built);
  marc_raw raw = {0};
  raw.flags = framed->flags; /* the framing as the pipeline's reader saw it */
  const char *ld = marc_record_leader(rec);
  uint32_t claimed = 0;
  for (int i = 0; i < 5 && ld[i] >= '0' && ld[i] <= '9'; i++)
    claimed = claimed * 10 + (uint32_t)(ld[i] - '0');
  raw.claimed = claimed;
  /* `msgs` becomes the batch text: text_off is already relative to it. */
  if (append_record(e, out, msgs, use, &raw, built) != MARC_OK) return 1;
  return 0;
}

/* Driver thread: one batch of the pipeline, in input order. Build a batch
 * (header, blocks with their text offsets, text) and queue it for JS. */
static int mt_sink(void *user, const marc_buf *out, const marc_buf *msgs) {
  mt_run *r = user;
  mt_out *o = calloc(1, sizeof *o);
  if (!o || marc_buf_reserve(&o->buf, sizeof(wasm_batch) + out->len +
                                          msgs->len + 64) != MARC_OK) {
    free(o);
    return 1;
  }
  memset(o->buf.data, 0, sizeof(wasm_batch));
  o->buf.len = sizeof(wasm_batch);
  uint32_t count = 0;
  size_t err_at = 0;
  int32_t status = MARC_OK;
  /* Copy the record blocks (their text offsets hold: `msgs` is the text). */
  size_t p = 0;
  while (p < out->len) {
    const wasm_rec *h = (const wasm_rec *)(out->data + p);
    if (h->flags & WASM_REC_ERROR) {
      const wasm_diag *d = (const wasm_diag *)(out->data + p + h->diags);
      char msg[256];
      size_t len = d->msg_len < sizeof msg - 1 ? d->msg_len : sizeof msg - 1;
      memcpy(msg, out->data + p + d->msg, len);
      msg[len] = 0;
      append_error(&o->buf, d->code, d->tag,
                   (uint64_t)d->offset_hi << 32 | d->offset_lo,
                   (uint64_t)d->record_hi << 32 | d->record_lo, msg, &err_at);
      status = MARC_E_INVALID;
      break;
    }
    marc_buf_append(&o->buf, h, h->size);
    count++;
    p += h->size;
  }
  if (finish_batch(&o->buf, msgs, status, count, (uint32_t)err_at) != MARC_OK) {
    marc_buf_free(&o->buf);
    free(o);
    return 1;
  }
  pthread_mutex_lock(&r->mu);
  while (r->out_count >= r->out_cap && !r->cancel)
    pthread_cond_wait(&r->cv_out, &r->mu);
  int cancel = r->cancel;
  if (!cancel) {
    if (r->out_tail) r->out_tail->next = o;
    else r->out_head = o;
    r->out_tail = o;
    r->out_count++;
  }
  pthread_mutex_unlock(&r->mu);
  if (cancel) {
    marc_buf_free(&o->buf);
    free(o);
    return 1;
  }
  mt_bump(r);
  return status == MARC_E_INVALID;
}

static void *mt_driver(void *arg) {
  mt_run *r = arg;
  int rc = marc_pipeline_run(&r->popt, mt_read, r, mt_on_record, mt_sink, r,
                             &r->stats);
  pthread_mutex_lock(&r->mu);
  r->rc = rc;
  r->finished = 1;
  pthread_mutex_unlock(&r->mu);
  mt_bump(r);
  return NULL;
}

/* Start a run with `threads` workers (pthreads: threads + 2 with the
 * pipeline's reader and the driver). `max_record` and `max_diags` as for
 * marc__wasm_reader_new (0: the defaults). NULL when out of memory or no
 * thread could be started. */
WASM_EXPORT mt_run *marc__wasm_mt_new(uint32_t threads, int32_t strict,
                                      int32_t encoding, int32_t nfc,
                                      uint32_t batch_records,
                                      uint32_t batch_bytes, uint32_t max_record,
                                      uint32_t max_diags) {
  if (!threads) threads = 1;
  mt_run *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->enc = calloc(threads, sizeof *r->enc);
  if (!r->enc) {
    free(r);
    return NULL;
  }
  r->nenc = threads;
  for (unsigned i = 0; i < threads; i++)
    encoder_init(&r->enc[i], encoding, nfc);
  r->strict = strict ? 1 : 0;
  r->in_cap = 4;
  r->out_cap = 4;
  r->popt.threads = threads;
  /* One worker: it runs on the driver thread, reading as it goes. A
   * reader thread and a worker thread beside the JS thread (which builds
   * the objects) would share the cores three ways: on 2 cores, reading
   * real-all.mrc with every subfield took 25 ms that way, 21 ms so. */
  r->popt.serial = threads == 1;
  r->popt.batch_records = batch_records;
  r->popt.batch_bytes = batch_bytes;
  r->popt.strict = 0; /* strict is handled in mt_on_record */
  r->popt.read_chunk = (size_t)1 << 20;
  r->popt.max_record = max_record;
  r->popt.max_diags = max_diags;
  pthread_mutex_init(&r->mu, NULL);
  pthread_cond_init(&r->cv_in, NULL);
  pthread_cond_init(&r->cv_out, NULL);
  if (pthread_create(&r->driver, NULL, mt_driver, r) != 0) {
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv_in);
    pthread_cond_destroy(&r->cv_out);
    free(r->enc);
    free(r);
    return NULL;
  }
  live_objects++;
  return r;
}

/* The address of the state counter (JS: Atomics.waitAsync on it). */
WASM_EXPORT int32_t *marc__wasm_mt_state(mt_run *r) { return &r->state; }

/* Room for a chunk of `n` bytes; NULL when the input queue is full (take
 * batches, wait for the state to change, and retry) or out of memory. */
WASM_EXPORT uint8_t *marc__wasm_mt_input(mt_run *r, uint32_t n) {
  if (!r) return NULL;
  pthread_mutex_lock(&r->mu);
  int full = r->in_count >= r->in_cap;
  pthread_mutex_unlock(&r->mu);
  if (full) return NULL;
  free(r->staged);
  r->staged = malloc(sizeof(mt_chunk) + (n ? n : 1));
  if (!r->staged) return NULL;
  r->staged->next = NULL;
  r->staged->len = n;
  r->staged->pos = 0;
  return r->staged->data;
}

/* Queue the chunk written into marc__wasm_mt_input's room. */
WASM_EXPORT int32_t marc__wasm_mt_commit(mt_run *r) {
  if (!r || !r->staged) return MARC_E_STATE;
  mt_chunk *c = r->staged;
  r->staged = NULL;
  if (!c->len) {
    free(c);
    return MARC_OK;
  }
  pthread_mutex_lock(&r->mu);
  if (r->in_tail) r->in_tail->next = c;
  else r->in_head = c;
  r->in_tail = c;
  r->in_count++;
  pthread_cond_broadcast(&r->cv_in);
  pthread_mutex_unlock(&r->mu);
  return MARC_OK;
}

/* No more input. */
WASM_EXPORT void marc__wasm_mt_finish(mt_run *r) {
  if (!r) return;
  pthread_mutex_lock(&r->mu);
  r->in_eof = 1;
  pthread_cond_broadcast(&r->cv_in);
  pthread_mutex_unlock(&r->mu);
}

/* The next batch in input order (valid until the next take or free), or
 * NULL: none ready now (wait for the state to change), or the run is over
 * (marc__wasm_mt_done). */
WASM_EXPORT const uint8_t *marc__wasm_mt_take(mt_run *r) {
  if (!r) return NULL;
  pthread_mutex_lock(&r->mu);
  mt_out *prev = r->taken;
  mt_out *o = r->out_head;
  if (o) {
    r->out_head = o->next;
    if (!r->out_head) r->out_tail = NULL;
    r->out_count--;
    pthread_cond_broadcast(&r->cv_out);
  }
  r->taken = o;
  pthread_mutex_unlock(&r->mu);
  if (prev) {
    marc_buf_free(&prev->buf);
    free(prev);
  }
  return o ? o->buf.data : NULL;
}

/* 0 while running; 1 when the run ended and every batch was taken; 2 when
 * it ended with an error (out of memory). */
WASM_EXPORT int32_t marc__wasm_mt_done(mt_run *r) {
  if (!r) return 2;
  pthread_mutex_lock(&r->mu);
  int32_t d = r->finished && !r->out_head ? (r->rc < 0 ? 2 : 1) : 0;
  pthread_mutex_unlock(&r->mu);
  return d;
}

/* Ask the run to stop (early break): the pipeline ends after the batches
 * in flight. Wait for marc__wasm_mt_finished before freeing. */
WASM_EXPORT void marc__wasm_mt_cancel(mt_run *r) {
  if (!r) return;
  pthread_mutex_lock(&r->mu);
  r->cancel = 1;
  pthread_cond_broadcast(&r->cv_in);
  pthread_cond_broadcast(&r->cv_out);
  pthread_mutex_unlock(&r->mu);
}

WASM_EXPORT int32_t marc__wasm_mt_finished(mt_run *r) {
  if (!r) return 1;
  pthread_mutex_lock(&r->mu);
  int f = r->finished;
  pthread_mutex_unlock(&r->mu);
  return f;
}

/* Seconds to the first record and records of the finished run. */
WASM_EXPORT double marc__wasm_mt_stat(mt_run *r, int32_t which) {
  if (!r) return 0;
  switch (which) {
  case 0: return (double)r->stats.records;
  case 1: return r->stats.seconds;
  case 2: return r->stats.first_record_seconds;
  case 3: return (double)r->stats.threads;
  default: return 0;
  }
}

/* Free a finished run (after marc__wasm_mt_finished returned 1). */
WASM_EXPORT void marc__wasm_mt_free(mt_run *r) {
  if (!r) return;
  pthread_join(r->driver, NULL);
  for (mt_chunk *c = r->in_head, *n; c; c = n) {
    n = c->next;
    free(c);
  }
  free(r->staged);
  for (mt_out *o = r->out_head, *n; o; o = n) {
    n = o->next;
    marc_buf_free(&o->buf);
    free(o);
  }
  if (r->taken) {
    marc_buf_free(&r->taken->buf);
    free(r->taken);
  }
  for (unsigned i = 0; i < r->nenc; i++) encoder_free(&r->enc[i]);
  free(r->enc);
  pthread_mutex_destroy(&r->mu);
  pthread_cond_destroy(&r->cv_in);
  pthread_cond_destroy(&r->cv_out);
  free(r);
  live_objects--;
}

#endif /* MARCATO_WASM_THREADS */
