/* Runs the charset fuzz target without libFuzzer: over each file given,
 * over every field of each file (ISO 2709 split on 0x1E), and over
 * pseudo-random byte strings drawn from MARC-8's alphabet (escapes, ANSEL
 * marks, EACC bytes, delimiters), so every build exercises it.
 * usage: charset_fuzz_seeds FILE... */
#include "charset_util.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t next(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return (uint32_t)rng;
}

int main(int argc, char **argv) {
  size_t runs = 0;
  for (int a = 1; a < argc; a++) {
    size_t n;
    uint8_t *p = cs_read_file(argv[a], &n);
    if (!p) continue;
    /* Whole file (bounded), then field by field. */
    LLVMFuzzerTestOneInput(p, n < 65536 ? n : 65536);
    runs++;
    for (size_t i = 0, start = 0; i <= n; i++) {
      if (i == n || p[i] == 0x1E || p[i] == 0x1D) {
        LLVMFuzzerTestOneInput(p + start, i - start);
        runs++;
        start = i + 1;
      }
    }
    free(p);
  }
  static const uint8_t alphabet[] = {
      0x1B, '(',  ')',  ',',  '-',  '$',  '!',  'E',  'B',  '1',  '2',
      '3',  '4',  'N',  'Q',  'S',  'g',  'b',  'p',  's',  0x1F, 'a',
      ' ',  '&',  '#',  'x',  ';',  '0',  'F',  0x7F, 0x80, 0x88, 0x8D,
      0xA0, 0xA1, 0xB0, 0xC8, 0xE0, 0xE2, 0xEB, 0xEC, 0xFA, 0xFB, 0xFE,
      0xFF, 0x21, 0x30, 0x24, 0x7E, 0x20, 0xC3, 0xA9, 0xC3, 0xC2, 0x82,
      0x83, 0x8C, 0x81, 0xC3, 0xC2, 0x83, 0xC2}; /* and double-encoded UTF-8 */
  uint8_t buf[64];
  for (int k = 0; k < 100000; k++) {
    size_t len = next() % sizeof buf;
    for (size_t i = 0; i < len; i++)
      buf[i] =
          (next() & 3) ? alphabet[next() % sizeof alphabet] : (uint8_t)next();
    LLVMFuzzerTestOneInput(buf, len);
    runs++;
  }
  printf("charset_fuzz_seeds: %zu inputs: 1 passed, 0 failed\n", runs);
  return 0;
}
