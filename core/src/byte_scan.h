/* Finding bytes a word or a vector at a time. The eight-byte word and
 * its exact per-byte compare serve the text writers (fmt_write.h) too.
 * The rest finds the subfield delimiters of a field, 64 bytes at a time:
 * the validators walk a field subfield by subfield; a memchr call per
 * subfield costs more than the subfield (most are shorter than 32 bytes)
 * and its early exit is a branch the processor mispredicts once per
 * subfield. A bitmap of a block's delimiters, taken bit by bit, costs a
 * few instructions per subfield. */
#ifndef MARC_BYTE_SCAN_H
#define MARC_BYTE_SCAN_H

#include <stdint.h>
#include <string.h>

/* SSE2 (every x86-64) compares 16 bytes at a time; elsewhere (the wasm
 * builds among them) eight bytes in a 64-bit word. MARC__SCAN_PORTABLE
 * forces the word path, so the unit test runs both on x86-64. */
#if defined(__SSE2__) && !defined(MARC__SCAN_PORTABLE)
#include <emmintrin.h>
#define MARC__SCAN_SSE2 1
#endif

/* Eight bytes as a little-endian word (byte 0 lowest), whatever the
 * machine's byte order, so that the first flagged byte is the lowest. */
static inline uint64_t marc__load8(const uint8_t *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint64_t w;
  memcpy(&w, p, 8);
  return w;
#else
  uint64_t w = 0;
  for (int i = 7; i >= 0; i--) w = (w << 8) | p[i];
  return w;
#endif
}

/* Flags (the high bit of the byte) exactly the bytes of w equal to c: no
 * borrow reaches the next byte, as it can in the common zero-byte trick,
 * so the flags can drive a substitution or a bitmap. */
static inline uint64_t marc__w_eq_exact(uint64_t w, uint8_t c) {
  const uint64_t low7 = 0x7F7F7F7F7F7F7F7Fu;
  uint64_t x = w ^ (0x0101010101010101u * c);
  return ~(((x & low7) + low7) | x | low7);
}

typedef struct {
  const uint8_t *lo;   /* bytes from here on may be read (the record's) */
  const uint8_t *end;  /* the field's end: nothing at or past it is read */
  const uint8_t *base; /* the block `mask` describes */
  uint64_t mask;       /* bit i: base[i] is a delimiter */
} marc__delims;

#if defined(MARC__SCAN_SSE2)
static inline uint64_t marc__delim16(const uint8_t *p) {
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
  return (uint64_t)(unsigned)_mm_movemask_epi8(
      _mm_cmpeq_epi8(v, _mm_set1_epi8(0x1F)));
}

static inline uint64_t marc__delim64(const uint8_t *p) {
  return marc__delim16(p) | marc__delim16(p + 16) << 16 |
         marc__delim16(p + 32) << 32 | marc__delim16(p + 48) << 48;
}
#else
/* A bit per byte of the eight at p: the exact flags, their eight high
 * bits gathered into one byte by a multiply. */
static inline uint64_t marc__delim8(const uint8_t *p) {
  uint64_t high = marc__w_eq_exact(marc__load8(p), 0x1F);
  return ((high >> 7) * 0x0102040810204080u) >> 56;
}

static inline uint64_t marc__delim64(const uint8_t *p) {
  uint64_t m = 0;
  for (int i = 0; i < 8; i++) m |= marc__delim8(p + 8 * i) << (8 * i);
  return m;
}
#endif

/* The delimiters of the block at d->base. */
static inline uint64_t marc__delim_block(const marc__delims *d) {
  const uint8_t *p = d->base;
  size_t n = (size_t)(d->end - p);
  if (n >= 64) return marc__delim64(p);
  /* A field's last block: the 64 bytes that end at the field's end, when
   * the record holds 64 bytes there (it does past a leader and a short
   * directory), shifted so the bytes before p drop out. No branch on the
   * block's length, which differs from field to field. */
  if (d->end - d->lo >= 64) return marc__delim64(d->end - 64) >> (64 - n);
  uint64_t m = 0;
  for (size_t i = 0; i < n; i++) m |= (uint64_t)(p[i] == 0x1F) << i;
  return m;
}

/* A scan of [p, end); bytes from `lo` (lo <= p) may be read. */
static inline void marc__delims_start(marc__delims *d, const uint8_t *lo,
                                      const uint8_t *p, const uint8_t *end) {
  d->lo = lo;
  d->end = end;
  d->base = p;
  d->mask = p < end ? marc__delim_block(d) : 0;
}

/* The first delimiter at or after x (x >= the last position asked for,
 * x <= the field's end), or the field's end. */
static inline const uint8_t *marc__delims_from(marc__delims *d,
                                               const uint8_t *x) {
  for (;;) {
    size_t off = (size_t)(x - d->base);
    if (off < 64) {
      uint64_t m = d->mask & (~(uint64_t)0 << off);
      if (m) return d->base + __builtin_ctzll(m);
      if ((size_t)(d->end - d->base) <= 64) return d->end;
      d->base += 64;
      x = d->base;
    } else {
      if (x >= d->end) return d->end;
      d->base += off & ~(size_t)63; /* the block holding x */
    }
    d->mask = marc__delim_block(d);
  }
}

#endif
