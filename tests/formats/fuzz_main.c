/* Without libFuzzer: run a fuzz target once over each file named on the
 * command line (the seed corpus), so the targets are exercised by ctest. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (!f) {
      fprintf(stderr, "cannot open %s\n", argv[i]);
      return 1;
    }
    size_t cap = 1 << 16, n = 0, k;
    uint8_t *p = malloc(cap);
    while (p && (k = fread(p + n, 1, cap - n, f)) > 0)
      if ((n += k) == cap) p = realloc(p, cap *= 2);
    fclose(f);
    if (!p) return 1;
    LLVMFuzzerTestOneInput(p, n);
    free(p);
  }
  printf("ran %d input(s)\n", argc - 1);
  return 0;
}
