/* Unit test of the validators' delimiter scan (core/src/byte_scan.h): on
 * fields of every length up to 300 bytes, with delimiters dense, sparse
 * and absent, at every start offset in the record's bytes, asking from
 * every position the scan's callers ask from, it finds what a byte loop
 * finds. The field sits at the end of its allocation, so ASan catches a
 * read past the field's end, behind 0, 32 or 64 readable bytes, so both
 * ways of scanning a field's last block are taken (reading behind the
 * field only where that is allowed). */
#include "byte_scan.h"
#include "check.h"

#include <stdlib.h>

static const uint8_t *naive(const uint8_t *x, const uint8_t *end) {
  while (x < end && *x != 0x1F) x++;
  return x;
}

static uint32_t rnd_state = 12345;
static uint32_t rnd(void) {
  rnd_state = rnd_state * 1103515245u + 12345u;
  return rnd_state >> 8;
}

/* Walk the field as the validators do: next delimiter, then from a
 * position 1-3 bytes past it (a code and maybe its UTF-8 continuation). */
static void walk(const uint8_t *lo, const uint8_t *p, const uint8_t *end) {
  marc__delims d;
  marc__delims_start(&d, lo, p, end);
  const uint8_t *x = p;
  while (x < end) {
    const uint8_t *got = marc__delims_from(&d, x);
    const uint8_t *want = naive(x, end);
    CHECK(got == want);
    if (got != want) {
      fprintf(stderr, "  field of %zu bytes, from %zu: got %zu want %zu\n",
              (size_t)(end - p), (size_t)(x - p), (size_t)(got - p),
              (size_t)(want - p));
      return;
    }
    x = got + 1 + rnd() % 3;
  }
}

int main(void) {
  for (size_t len = 0; len <= 300; len++)
    for (int density = 0; density < 4; density++) {
      /* before: readable bytes in front of the field: none, fewer than
       * a block, a block (the last-block path that reads behind). */
      for (size_t before = 0; before <= 64; before += 32) {
        uint8_t *buf = malloc(before + len);
        uint8_t *p = buf + before;
        for (size_t i = 0; i < before; i++) buf[i] = 0x1F;
        for (size_t i = 0; i < len; i++) {
          uint32_t r = rnd() % 64;
          int delim = density == 1   ? r < 2
                      : density == 2 ? r < 16
                                     : density == 3;
          /* Other bytes of every value, so the word path's compare is
           * shown exact (0x9F, 0x1E, 0x3F and 0x00 differ from 0x1F by
           * one bit). */
          uint8_t other = (uint8_t)rnd();
          p[i] = delim ? 0x1F : other == 0x1F ? 0x9F : other;
        }
        walk(buf, p, p + len);
        /* Every start offset (the structure check resumes mid-field). */
        for (size_t s = 0; s < len && s < 70; s++) walk(buf, p + s, p + len);
        free(buf);
      }
    }
  printf("%d checks, %d failed\n", check_count, check_failures);
  return check_failures != 0;
}
