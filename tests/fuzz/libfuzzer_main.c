/* libFuzzer entry point (built only with -DMARCATO_FUZZ=ON and clang). */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef FUZZ_CHECK
#define FUZZ_CHECK marcato_fuzz_reader /* or another, given by the build */
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return FUZZ_CHECK(data, size);
}
