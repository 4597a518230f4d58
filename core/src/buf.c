/* The growable output buffer the writers append to. */
#include "internal.h"

#include <stdlib.h>

void marc_buf_free(marc_buf *b) {
  if (!b) return;
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

marc_status marc__grow(uint8_t **data, size_t *cap, size_t used, size_t need) {
  size_t c = *cap ? *cap : 256;
  while (c - used < need) c *= 2;
  uint8_t *p = realloc(*data, c);
  if (!p) return MARC_E_NOMEM;
  *data = p;
  *cap = c;
  return MARC_OK;
}

marc_status marc_buf_reserve(marc_buf *b, size_t n) {
  if (!b) return MARC_E_ARG;
  if (b->cap - b->len >= n) return MARC_OK;
  if (n > SIZE_MAX / 2 - b->len) return MARC_E_NOMEM;
  return marc__grow(&b->data, &b->cap, b->len, n);
}

marc_status marc_buf_append(marc_buf *b, const void *p, size_t n) {
  marc_status s = marc_buf_reserve(b, n);
  if (s != MARC_OK) return s;
  if (n) memcpy(b->data + b->len, p, n);
  b->len += n;
  return MARC_OK;
}
