/* libFuzzer target: the MRK reader (see fuzz_fmt.h). */
#include "formats/fuzz_fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_fmt(MARC_FORMAT_MRK, data, size);
  return 0;
}
