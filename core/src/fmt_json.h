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
  int lines;      /* JSON Lines: a newline ends the value, whole or not */
  int saw_nl;     /* the value spans a newline (outside JSON Lines) */
} marc__jscan;

/* Start scanning a value whose first byte is `first` ('{', '[' or '"'),
 * already consumed; `lines` when the input is JSON Lines. */
void marc__jscan_start(marc__jscan *s, uint8_t first, int lines);

/* Scan on through p[0..n). Returns the number of bytes consumed: up to and
 * including the value's last byte with *done set to 1, or n with *done
 * clear. In JSON Lines a newline before the value's end ends it broken:
 * *done is 2 and the newline is not consumed, so one bad line never takes
 * the lines after it along. Brackets are only counted, not matched: cJSON
 * judges the value. */
size_t marc__jscan_run(marc__jscan *s, const uint8_t *p, size_t n, int *done);

#endif
