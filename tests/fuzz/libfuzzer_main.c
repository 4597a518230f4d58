/* libFuzzer entry point (built only with -DMARCATO_FUZZ=ON and clang). */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return marcato_fuzz_reader(data, size);
}
