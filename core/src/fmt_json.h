/* Framing JSON values in a byte stream without parsing them: where a
 * record object (or a value that is not one) ends, so the MARC-in-JSON
 * reader can hand exactly one object at a time to cJSON. */
#ifndef MARC_FMT_JSON_H
#define MARC_FMT_JSON_H

#include <stddef.h>
#include <stdint.h>

typedef struct marc__jscan {
  uint64_t depth; /* open { and [ not yet closed */
  int in_str;     /* inside a string */
  int esc;        /* the previous byte was a backslash in a string */
} marc__jscan;

/* Start scanning a value whose first byte is `first` ('{', '[' or '"'),
 * already consumed. */
void marc__jscan_start(marc__jscan *s, uint8_t first);

/* Scan on through p[0..n). Returns the number of bytes consumed: up to and
 * including the value's last byte with *done set, or n with *done clear.
 * Brackets are only counted, not matched: cJSON judges the value. */
size_t marc__jscan_run(marc__jscan *s, const uint8_t *p, size_t n, int *done);

#endif
