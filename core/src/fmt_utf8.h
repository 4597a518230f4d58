/* UTF-8 checks shared by the MARCXML and MARC-in-JSON writers. Both
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
 * U+10FFFF), or 0 when p[0] does not start one. */
static inline size_t marc__utf8_seq(const uint8_t *p, size_t n) {
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
    return 0;
  }
  if (n < len || p[1] < lo || p[1] > hi) return 0;
  for (size_t i = 2; i < len; i++)
    if (p[i] < 0x80 || p[i] > 0xBF) return 0;
  return len;
}

#endif
