/* The reader fuzz check, shared by the libFuzzer entry point and the
 * seed-replay test. */
#ifndef MARCATO_FUZZ_READER_H
#define MARCATO_FUZZ_READER_H

#include <stddef.h>
#include <stdint.h>

/* Run every check on one input; aborts on a failure. Returns 0. */
int marcato_fuzz_reader(const uint8_t *data, size_t size);

/* The same for the wasm glue's batches (fuzz_glue.c). */
int marcato_fuzz_glue(const uint8_t *data, size_t size);

/* The same for Avram schema loading and validation (fuzz_schema.c). */
int marcato_fuzz_schema(const uint8_t *data, size_t size);

/* The same for the MARCspec compiler and evaluator (fuzz_spec.c). */
int marcato_fuzz_spec(const uint8_t *data, size_t size);

/* The same for the writer property: read, write every format, read back
 * (fuzz_writer.c). Its input has no header bytes. */
int marcato_fuzz_writer(const uint8_t *data, size_t size);

/* The same for the Python package's C extension, in an embedded
 * interpreter (fuzz_python.c). No header bytes. */
int marcato_fuzz_python(const uint8_t *data, size_t size);

#endif
