/* Internal interface of the character set code (MARC-8, UTF-8, NFC),
 * shared by marc8_*.c, utf8.c and nfc.c. Not installed. */
#ifndef MARC_MARC8_H
#define MARC_MARC8_H

#include "internal.h"

/* Where a conversion reports to: the caller's log, plus the position of
 * the text in the record (0 and "" for text calls). */
typedef struct marc8_ctx {
  const marc_charset_options *opt; /* never NULL */
  marc_charset_log *log;           /* may be NULL */
  uint64_t base;                   /* added to text offsets */
  const char *tag;                 /* "" for text calls */
} marc8_ctx;

/* Log a problem. Returns MARC_E_INVALID in strict mode (the caller stops),
 * else MARC_OK (the caller writes its replacement and goes on). */
marc_status marc__cs_report(const marc8_ctx *cx, marc_charset_code code,
                            uint32_t value, size_t offset);

/* In a converter whose output pointer is `o` into marc_buf `out`: report a
 * problem, and stop with MARC_E_INVALID (output kept up to `o`) when the
 * options make it an error. */
#define MARC__CS_REPORT(code, value, at)                                       \
  do {                                                                         \
    if (marc__cs_report(cx, (code), (value), (at)) != MARC_OK) {               \
      out->len = (size_t)(o - out->data);                                      \
      return MARC_E_INVALID;                                                   \
    }                                                                          \
  } while (0)

/* The bodies of marc_marc8_to_utf8 / marc_utf8_to_marc8 / marc_utf8_nfc:
 * append to `out`; on an error `out` may hold partial output (the public
 * calls restore its length). */
marc_status marc__marc8_decode(const uint8_t *in, size_t n, marc_buf *out,
                               const marc8_ctx *cx);
marc_status marc__marc8_encode(const uint8_t *in, size_t n, marc_buf *out,
                               const marc8_ctx *cx);
marc_status marc__utf8_nfc(const uint8_t *in, size_t n, marc_buf *out,
                           const marc8_ctx *cx);

/* What the public conversions share around their body: the arguments
 * checked, default options, and `out` left as it was on failure. */
typedef marc_status (*marc__cs_body)(const uint8_t *in, size_t n, marc_buf *out,
                                     const marc8_ctx *cx);
marc_status marc__cs_convert(marc__cs_body body, const uint8_t *in, size_t n,
                             marc_buf *out, const marc_charset_options *opt,
                             marc_charset_log *log);

/* NFC of `in`, which must be valid UTF-8 (the decoder's own output). */
marc_status marc__nfc_valid(const uint8_t *in, size_t n, marc_buf *out);
/* Replace out[start..], valid UTF-8, by its NFC. */
marc_status marc__nfc_tail(marc_buf *out, size_t start);
/* Canonical combining class of a code point (0 for starters). */
unsigned marc__nfc_ccc(uint32_t cp);
/* Full canonical decomposition of `cp` into d[0..3]; returns the length, 0
 * when the character has none. */
size_t marc__nfc_decompose(uint32_t cp, uint32_t d[4]);

/* Decode one UTF-8 sequence at p[0..n) (n >= 1): returns its length and
 * sets *cp, or 0 when it is not well-formed. */
size_t marc__utf8_next(const uint8_t *p, size_t n, uint32_t *cp);

/* Double-encoded UTF-8 (utf8_repair.c). marc__utf8_doubled: 1 + the
 * offset of the first double-encoded sequence in p[0, n), 0 for none.
 * marc__utf8_undouble: in[0, n) with every layer of double encoding
 * undone into `out` (cleared first; `scratch` is working space), the
 * number of sequences repaired in *fixed. */
size_t marc__utf8_doubled(const uint8_t *p, size_t n);
/* Length of the double-encoded sequence at p[0, n) (2 bytes per byte it
 * stands for), 0 when there is none; the bytes it stands for in `out`. */
size_t marc__utf8_doubled_at(const uint8_t *p, size_t n, uint8_t out[4]);
/* The walk behind marc_utf8_check (utf8.c), which the double-encoding
 * check shares: marc_utf8_check's result, and with `doubled` non-NULL,
 * *doubled set to 1 at the first double-encoded sequence. */
int marc__utf8_walk(const uint8_t *p, size_t n, size_t *bad, int *doubled);
marc_status marc__utf8_undouble(const uint8_t *in, size_t n, marc_buf *out,
                                marc_buf *scratch, size_t *fixed);

/* Write `cp` as UTF-8 into p (room for 4 bytes); returns the length. */
static inline size_t marc__utf8_put(uint8_t *p, uint32_t cp) {
  if (cp < 0x80) {
    p[0] = (uint8_t)cp;
    return 1;
  }
  if (cp < 0x800) {
    p[0] = (uint8_t)(0xC0 | (cp >> 6));
    p[1] = (uint8_t)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    p[0] = (uint8_t)(0xE0 | (cp >> 12));
    p[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    p[2] = (uint8_t)(0x80 | (cp & 0x3F));
    return 3;
  }
  p[0] = (uint8_t)(0xF0 | (cp >> 18));
  p[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
  p[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
  p[3] = (uint8_t)(0x80 | (cp & 0x3F));
  return 4;
}

#endif
