/* What the text writers (MARCXML, MARC-in-JSON, .mrk, text) share: room
 * reserved once per field for what its bytes can need at most, then
 * unchecked appends, and a scan eight bytes at a time for the bytes a
 * format must escape, so that plain runs are copied whole. */
#ifndef MARC_FMT_WRITE_H
#define MARC_FMT_WRITE_H

#include "byte_scan.h" /* marc__load8, marc__w_eq_exact */
#include "internal.h"

/* The scan loops are inlined into each caller: they run once per
 * subfield, and most subfields are short. */
#if defined(__GNUC__)
#define MARC__HOT_INLINE static inline __attribute__((always_inline))
#else
#define MARC__HOT_INLINE static inline
#endif

/* SSE2 (every x86-64) scans 16 bytes at a time; elsewhere, the wasm
 * builds among them, eight bytes in a 64-bit word. */
#if defined(__SSE2__)
#include <emmintrin.h>
#define MARC__V16 1
#define MARC__VSET(c) _mm_set1_epi8((char)(c))
/* Flags (mask bit per byte) bytes equal to c; below 0x20 or from 0x80
 * (a signed comparison). */
#define MARC__VEQ(v, c) _mm_cmpeq_epi8((v), MARC__VSET(c))
#define MARC__VCTL_HIGH(v) _mm_cmplt_epi8((v), MARC__VSET(0x20))
#define MARC__VOR(a, b) _mm_or_si128((a), (b))
#define MARC__VMASK(m) ((unsigned)_mm_movemask_epi8(m))
#else
#define MARC__V16 0
#endif

/* Appends without a capacity check: the writer reserved room first
 * (marc__fmt_room). */
static inline marc_status marc__fmt_put(marc_buf *out, const char *s,
                                        size_t n) {
  memcpy(out->data + out->len, s, n);
  out->len += n;
  return MARC_OK;
}

#define PUT(lit) marc__fmt_put(out, lit, sizeof lit - 1)
#define APPEND(lit) marc_buf_append(out, lit, sizeof lit - 1)
/* The same on an output cursor `o` (uint8_t *). */
#define EMIT(lit) (memcpy(o, lit, sizeof lit - 1), o += sizeof lit - 1)

/* Room for `n` more bytes; the buffer grows geometrically, so reserving
 * per field costs one comparison in the common case. The writers reserve
 * what a field's bytes can need at most (a small multiple of its length,
 * stated at each call), never a bound for the whole record: a batch
 * buffer then holds the output plus at most one field's worst case. */
static inline marc_status marc__fmt_room(marc_buf *out, size_t per_byte,
                                         size_t len, size_t extra) {
  if (len > (SIZE_MAX / 2 - extra) / per_byte) return MARC_E_NOMEM;
  size_t n = len * per_byte + extra;
  if (out->cap - out->len >= n) return MARC_OK;
  return marc_buf_reserve(out, n);
}

/* Slack the word copies need past what they write: the scan stores whole
 * words (16 bytes with SSE2, else 8) and then advances over the bytes
 * that belong. */
#define MARC__WORD_SLACK 16

/* The last n (< 8) bytes, padded with 'a' (plain in every format). */
static inline uint64_t marc__load_tail(const uint8_t *p, size_t n) {
  uint8_t t[8] = {'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'};
  memcpy(t, p, n);
  return marc__load8(t);
}

static inline void marc__store8(uint8_t *o, uint64_t w) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(o, &w, 8);
#else
  for (int i = 0; i < 8; i++) o[i] = (uint8_t)(w >> (8 * i));
#endif
}

#define MARC__ONES 0x0101010101010101u
#define MARC__HIGHS 0x8080808080808080u

/* Flags (high bit of the byte) the bytes of w equal to c. The classic
 * "has a zero byte" test: a borrow can flag a byte above a true one, never
 * below, so the lowest flag of this test, and of an OR of such tests, is a
 * true one. */
static inline uint64_t marc__w_eq(uint64_t w, uint8_t c) {
  uint64_t x = w ^ (MARC__ONES * c);
  return (x - MARC__ONES) & ~x & MARC__HIGHS;
}

/* Flags bytes below 0x20 (C0 controls, MARC's delimiters) or from 0x80
 * (non-ASCII), with the same lowest-flag guarantee. */
static inline uint64_t marc__w_ctl_high(uint64_t w) {
  return ((w - MARC__ONES * 0x20) | w) & MARC__HIGHS;
}

/* Index (0..7) of the lowest flagged byte of a non-zero mask. */
static inline size_t marc__w_first(uint64_t hit) {
#if defined(__GNUC__)
  return (size_t)__builtin_ctzll(hit) >> 3;
#else
  size_t k = 0;
  while (!(hit & 0x80)) hit >>= 8, k++;
  return k;
#endif
}

#if MARC__V16
/* Sixteen bytes at a time while they last: VHIT, an expression of the
 * vector `v`, gives the mask of the bytes to stop at. */
#define MARC__COPY16(o, p, end, VHIT)                                          \
  while ((size_t)((end) - (p)) >= 16) {                                        \
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p));           \
    unsigned vhit_ = (VHIT);                                                   \
    _mm_storeu_si128((__m128i *)(void *)(o), v);                               \
    if (!vhit_) {                                                              \
      (o) += 16, (p) += 16;                                                    \
      continue;                                                                \
    }                                                                          \
    size_t k_ = (size_t)__builtin_ctz(vhit_);                                  \
    (o) += k_, (p) += k_;                                                      \
    done_ = 1;                                                                 \
    break;                                                                     \
  }
#else
#define MARC__COPY16(o, p, end, VHIT)
#endif

/* Copies p[0..end) to o up to the first byte the format must treat (HIT,
 * an expression of the little-endian word `w`, flags it; VHIT the same
 * for the SSE2 vector `v`); leaves p at that byte (or end) and o after
 * the copy. Needs MARC__WORD_SLACK bytes of room past the copy. */
#define MARC__COPY_PLAIN(o, p, end, HIT, VHIT)                                 \
  do {                                                                         \
    int done_ = 0;                                                             \
    MARC__COPY16(o, p, end, VHIT)                                              \
    while (!done_) {                                                           \
      size_t left_ = (size_t)((end) - (p));                                    \
      if (left_ >= 8) {                                                        \
        uint64_t w = marc__load8(p);                                           \
        uint64_t hit_ = (HIT);                                                 \
        marc__store8(o, w);                                                    \
        if (!hit_) {                                                           \
          (o) += 8, (p) += 8;                                                  \
          continue;                                                            \
        }                                                                      \
        size_t k_ = marc__w_first(hit_);                                       \
        (o) += k_, (p) += k_;                                                  \
        break;                                                                 \
      }                                                                        \
      if (!left_) break;                                                       \
      uint64_t w = marc__load_tail(p, left_);                                  \
      uint64_t hit_ = (HIT);                                                   \
      marc__store8(o, w);                                                      \
      size_t k_ = hit_ ? marc__w_first(hit_) : left_;                          \
      (o) += k_, (p) += k_;                                                    \
      break;                                                                   \
    }                                                                          \
  } while (0)

#endif
