/* POSIX regexec on a value that is bytes with a length, not a C string:
 * the queries (query.c, query_spec.c) and Avram patterns (avram_regex.c)
 * all match record values this way. */
#ifndef MARC_REGEX_BYTES_H
#define MARC_REGEX_BYTES_H

#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* 1 when `re` matches the `n` bytes at `p`, 0 when not, -1 when the copy
 * regexec needs (it wants a NUL-terminated string) could not be made.
 * Most values fit the stack buffer. */
static inline int marc__regex_bytes(const regex_t *re, const uint8_t *p,
                                    size_t n) {
  char small[4096];
  char *s = n < sizeof small ? small : malloc(n + 1);
  if (!s) return -1;
  if (n) memcpy(s, p, n);
  s[n] = 0;
  int ok = regexec(re, s, 0, NULL, 0) == 0;
  if (s != small) free(s);
  return ok;
}

#endif
