/* What the native benchmark programs share: a monotonic clock, a fatal
 * error that names the program, and the "read every subfield" work that
 * bench_core and bench_read both time (kept identical so their numbers
 * compare). Header-only: each benchmark is one translation unit. */
#ifndef MARCATO_BENCH_UTIL_H
#define MARCATO_BENCH_UTIL_H

#include "marcato.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Exit 2 with "PROGRAM: WHAT: DETAIL" (the detail is optional). */
static inline void bench_die(const char *program, const char *what,
                             const char *detail) {
  fprintf(stderr, "%s: %s%s%s\n", program, what, detail ? ": " : "",
          detail ? detail : "");
  exit(2);
}

/* Visit every subfield of every data field (and the length of every
 * control field) so that the work cannot be optimised away. */
static inline uint64_t bench_touch_subfields(const marc_record *rec) {
  uint64_t acc = 0;
  size_t nf = marc_record_field_count(rec);
  for (size_t i = 0; i < nf; i++) {
    const marc_field *f = marc_record_field(rec, i);
    if (marc_tag_is_control(f->tag)) {
      acc += f->len;
      continue;
    }
    marc_subfield_iter it = marc_subfields(rec, f);
    marc_subfield sf;
    while (marc_subfield_next(&it, &sf)) acc += (uint8_t)sf.code + sf.len;
  }
  return acc;
}

#endif
