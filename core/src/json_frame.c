/* The JSON value framer (see fmt_json.h). Two byte classes tables keep
 * the hot loops to one lookup per byte. */
#include "fmt_json.h"

enum { OTHER = 0, QUOTE = 1, BSLASH = 2, OPEN = 3, CLOSE = 4, NL = 5 };

static const uint8_t cls[256] = {
    ['"'] = QUOTE, ['\\'] = BSLASH, ['{'] = OPEN, ['['] = OPEN,
    ['}'] = CLOSE, [']'] = CLOSE,   ['\n'] = NL,
};

/* Bytes that matter inside a string. */
static const uint8_t str_stop[256] = {['"'] = 1, ['\\'] = 1, ['\n'] = 1};

void marc__jscan_start(marc__jscan *s, uint8_t first, int lines) {
  s->esc = 0;
  s->lines = lines;
  s->saw_nl = 0;
  s->in_str = first == '"';
  s->depth = first == '"' ? 0 : 1;
}

size_t marc__jscan_run(marc__jscan *s, const uint8_t *p, size_t n, int *done) {
  size_t i = 0;
  *done = 0;
  while (i < n) {
    if (s->in_str) {
      if (s->esc) {
        s->esc = 0;
        i++;
        continue;
      }
      /* (A raw newline is never inside a valid string.) */
      while (i < n && !str_stop[p[i]]) i++;
      if (i == n) break;
      if (cls[p[i]] == NL) {
        if (s->lines) {
          *done = 2;
          return i;
        }
        s->saw_nl = 1;
        i++;
        continue;
      }
      if (p[i++] == '\\') {
        s->esc = 1;
        continue;
      }
      s->in_str = 0;
      if (s->depth == 0) {
        *done = 1;
        return i;
      }
      continue;
    }
    switch (cls[p[i++]]) {
    case NL:
      if (s->lines) {
        *done = 2;
        return i - 1;
      }
      s->saw_nl = 1;
      break;
    case QUOTE: s->in_str = 1; break;
    case OPEN: s->depth++; break;
    case CLOSE:
      if (--s->depth == 0) {
        *done = 1;
        return i;
      }
      break;
    default: break;
    }
  }
  return n;
}
