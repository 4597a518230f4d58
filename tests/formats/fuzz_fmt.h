/* The body of the text-format fuzz targets: read the input whole and in
 * small chunks (the results must be the same), lenient and strict, and
 * write every record back in every format. Any difference aborts. */
#ifndef FUZZ_FMT_H
#define FUZZ_FMT_H

#include "formats/fmt_test.h"

/* Length of the dump that must not depend on chunking. Expat's report of
 * malformed XML (which error, at which byte) can differ with the chunking
 * for the same input, so for XML the comparison stops before the record
 * or error that reports one. */
static inline size_t fuzz_stable_len(marc_format fmt, const marc_buf *d) {
  if (fmt != MARC_FORMAT_MARCXML || !d->len) return d->len;
  const char *s = (const char *)d->data, *end = s + d->len;
  const char *key = "XML not well-formed";
  size_t kl = strlen(key);
  const char *hit = NULL;
  for (const char *q = s; q + kl <= end && !hit; q++)
    if (memcmp(q, key, kl) == 0) hit = q;
  if (!hit) return d->len;
  const char *cut = s; /* the last "record " or "error " line before it */
  for (const char *q = s; q < hit; q++)
    if ((q == s || q[-1] == '\n') &&
        (strncmp(q, "record ", 7) == 0 || strncmp(q, "error ", 6) == 0))
      cut = q;
  return (size_t)(cut - s);
}

static inline void fuzz_fmt(marc_format fmt, const uint8_t *p, size_t n) {
  ft_result whole, cut, strict;
  size_t chunk = n ? (size_t)p[0] % 7 + 1 : 1;
  ft_read(fmt, p, n, 0, 0, 1, &whole);
  ft_read(fmt, p, n, chunk, 0, 0, &cut);
  ft_read(fmt, p, n, chunk, 1, 0, &strict);
  size_t a = fuzz_stable_len(fmt, &whole.dump);
  size_t b = fuzz_stable_len(fmt, &cut.dump);
  if (whole.failed || cut.failed || strict.failed || a != b ||
      (a && memcmp(whole.dump.data, cut.dump.data, a) != 0))
    abort();
  marc_buf out = {0};
  for (size_t i = 0; i < whole.n; i++) {
    out.len = 0;
    for (int f = MARC_FORMAT_ISO2709; f <= MARC_FORMAT_TEXT; f++)
      marc_write(whole.recs[i], (marc_format)f, 0, &out);
  }
  marc_buf_free(&out);
  ft_result_free(&whole);
  ft_result_free(&cut);
  ft_result_free(&strict);
}

#endif
