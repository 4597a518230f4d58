/* UTF-8 checks shared by the MARCXML and MARC-in-JSON writers and the wasm
 * glue (wasm/module/text_index.c). Both
 * formats must be valid UTF-8, while MARC records in the wild are not
 * (MARC-8 records, Latin-1 leftovers, cut multibyte characters), so the
 * writers look at every non-ASCII sequence. */
#ifndef MARC_FMT_UTF8_H
#define MARC_FMT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The replacement for every byte of an invalid sequence: U+FFFD. */
#define MARC_FMT_FFFD "\xEF\xBF\xBD"

/* Length (2..4) of the well-formed UTF-8 sequence starting at p[0] >= 0x80
 * (Unicode's table 3-7: no overlongs, no surrogates, nothing above
 * U+10FFFF), or 0 when p[0..n) does not start one; then *bad is the length
 * (1..3) of its maximal subpart, which the WHATWG decoder (TextDecoder)
 * replaces by one U+FFFD: the wasm glue counts UTF-16 units that way. */
static inline size_t marc__utf8_check(const uint8_t *p, size_t n, size_t *bad) {
  uint8_t c = p[0];
  uint8_t lo = 0x80, hi = 0xBF;
  size_t len;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    *bad = 1;
    return 0;
  }
  for (size_t i = 1; i < len; i++) {
    if (i >= n || p[i] < lo || p[i] > hi) {
      *bad = i;
      return 0;
    }
    lo = 0x80;
    hi = 0xBF;
  }
  return len;
}

/* marc__utf8_check for callers that replace every byte of an invalid
 * sequence (the writers). */
static inline size_t marc__utf8_seq(const uint8_t *p, size_t n) {
  size_t bad;
  return marc__utf8_check(p, n, &bad);
}

/* The bytes of a subfield code the .mrk and text writers write, `p` at
 * the code byte with `n` bytes left in the field: a code byte that begins
 * a multibyte UTF-8 character with the bytes after it (a character split
 * by a subfield delimiter, as real records have) is written with them,
 * whole, so the line stays UTF-8 and .mrk reads back the same bytes; 1
 * byte otherwise (written as marc__line_byte says). */
static inline size_t marc__line_code_len(const uint8_t *p, size_t n) {
  if (!n || p[0] < 0xC2) return 1;
  size_t k = marc__utf8_seq(p, n);
  return k > 1 ? k : 1;
}

#endif
