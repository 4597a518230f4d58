/* Avram patterns are ECMAScript regular expressions; the core has POSIX
 * regex.h everywhere it is built (glibc, Emscripten's and WASI's musl), so
 * a pattern is translated to a POSIX extended expression:
 *   \d \w \s (and \D \W \S outside brackets)  ->  bracket expressions
 *   \t \n \r \f \v \xHH \uHHHH                ->  the character itself
 *   \. \| \/ \- ... (escaped punctuation)     ->  the literal character
 *   (?: ... )                                  ->  ( ... )
 *   *? +? ?? {n,m}?                            ->  greedy form: a test for
 *                                                  a match cannot tell them
 *                                                  apart
 *   .                                          ->  one whole UTF-8 character
 *   [ ... ]                                    ->  rebuilt from the set of
 *                                                  its (ASCII) members, so
 *                                                  ']' '^' '-' land where
 *                                                  POSIX wants them
 * Anything else with a meaning POSIX lacks (look-arounds, back-references,
 * \b, \p{...}, named groups, non-ASCII members of brackets) is refused at
 * load time rather than matched differently. A pattern that is a single
 * character class ("[0-9]", "[^ ]", "\\d", "x") is tested by a bitmap
 * without regexec. */
#include "avram_internal.h"
#include "regex_bytes.h"

#include <stdlib.h>
#include <string.h>

typedef struct out_buf {
  char *p;
  size_t n, cap;
  int nomem;
} out_buf;

static void put(out_buf *o, const char *s, size_t n) {
  if (o->nomem) return;
  if (o->n + n + 1 > o->cap) {
    size_t cap = (o->n + n + 1) * 2;
    char *p = realloc(o->p, cap);
    if (!p) {
      o->nomem = 1;
      return;
    }
    o->p = p;
    o->cap = cap;
  }
  memcpy(o->p + o->n, s, n);
  o->n += n;
  o->p[o->n] = 0;
}

static void putc_(out_buf *o, char c) { put(o, &c, 1); }

static void set_bit(uint8_t *bits, unsigned c) {
  bits[c >> 3] |= (uint8_t)(1u << (c & 7));
}
static int has_bit(const uint8_t *bits, unsigned c) {
  return bits[c >> 3] >> (c & 7) & 1;
}
static void set_range(uint8_t *bits, unsigned a, unsigned b) {
  for (unsigned c = a; c <= b; c++) set_bit(bits, c);
}

/* The classes of \d \w \s into `bits`; 0 when `e` is not one of them. */
static int class_escape(char e, uint8_t *bits) {
  switch (e) {
  case 'd': set_range(bits, '0', '9'); return 1;
  case 'w':
    set_range(bits, '0', '9');
    set_range(bits, 'A', 'Z');
    set_range(bits, 'a', 'z');
    set_bit(bits, '_');
    return 1;
  case 's':
    set_range(bits, '\t', '\r');
    set_bit(bits, ' ');
    return 1;
  default: return 0;
  }
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* A character escape at s[0] == '\\': its code point and length, or -1
 * for escapes that are not one character. */
static int32_t char_escape(const char *s, size_t *len) {
  char e = s[1];
  *len = 2;
  switch (e) {
  case 't': return '\t';
  case 'n': return '\n';
  case 'r': return '\r';
  case 'f': return '\f';
  case 'v': return '\v';
  case 'x':
    if (hexval(s[2]) < 0 || hexval(s[3]) < 0) return -1;
    *len = 4;
    return hexval(s[2]) * 16 + hexval(s[3]);
  case 'u': {
    int32_t v = 0;
    for (int i = 2; i < 6; i++) {
      if (hexval(s[i]) < 0) return -1;
      v = v * 16 + hexval(s[i]);
    }
    *len = 6;
    return v;
  }
  default:
    /* Escaped punctuation is the character itself; escaped letters and
     * digits are classes, anchors or references handled elsewhere. */
    if (e && !((e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') ||
               (e >= 'A' && e <= 'Z')))
      return (unsigned char)e;
    return -1;
  }
}

/* Write a bracket expression for the ASCII set `bits` (negated or not). */
static void put_bracket(out_buf *o, const uint8_t *bits, int neg) {
  int rb = has_bit(bits, ']'), caret = has_bit(bits, '^'),
      dash = has_bit(bits, '-'), other = 0;
  for (unsigned c = 1; c < 128; c++)
    if (has_bit(bits, c) && c != ']' && c != '^' && c != '-') other = 1;
  if (!neg && !rb && !other && caret && !dash) {
    put(o, "\\^", 2);
    return;
  }
  putc_(o, '[');
  if (neg) putc_(o, '^');
  if (!neg && !rb && !other && caret) {
    put(o, "-^]", 3); /* '-' first is literal, '^' after it too */
    return;
  }
  if (rb) putc_(o, ']');
  for (unsigned c = 1; c < 128; c++) {
    if (!has_bit(bits, c) || c == ']' || c == '^' || c == '-') continue;
    unsigned e = c;
    while (e + 1 < 128 && has_bit(bits, e + 1) && e + 1 != ']' &&
           e + 1 != '^' && e + 1 != '-')
      e++;
    putc_(o, (char)c);
    if (e >= c + 2) putc_(o, '-');
    if (e > c) putc_(o, (char)e);
    c = e;
  }
  if (caret) putc_(o, '^');
  if (dash) putc_(o, '-');
  if (!rb && !other && !caret && !dash) {
    /* An empty set: "[]" matches nothing, "[^]" anything. Control
     * characters 1..8 stand in for "nothing" (no catalog value holds
     * them). */
    put(o, neg ? "\x01-\x7f]" : "\x01]", neg ? 4 : 2);
    return;
  }
  putc_(o, ']');
}

/* Parse an ECMAScript bracket expression at s[0] == '['; fills `bits` and
 * *neg, returns its length or -1 (what into *why). */
static int64_t parse_bracket(const char *s, uint8_t *bits, int *neg,
                             const char **why) {
  size_t i = 1;
  *neg = s[1] == '^';
  if (*neg) i++;
  int32_t prev = -1; /* last single character, a range's possible start */
  while (s[i] && s[i] != ']') {
    int32_t c;
    size_t len = 1;
    if (s[i] == '\\') {
      if (class_escape(s[i + 1], bits)) {
        i += 2;
        prev = -1;
        continue;
      }
      if ((c = char_escape(s + i, &len)) < 0) {
        *why = "unsupported escape in a bracket expression";
        return -1;
      }
    } else {
      c = (unsigned char)s[i];
    }
    if (c >= 128) {
      *why = "non-ASCII character in a bracket expression";
      return -1;
    }
    if (c == '-' && prev >= 0 && s[i + 1] && s[i + 1] != ']' && len == 1) {
      /* A range prev-next. */
      int32_t hi;
      size_t hl = 1;
      if (s[i + 1] == '\\') {
        if ((hi = char_escape(s + i + 1, &hl)) < 0) {
          *why = "unsupported range in a bracket expression";
          return -1;
        }
      } else {
        hi = (unsigned char)s[i + 1];
      }
      if (hi >= 128 || hi < prev) {
        *why = "bad range in a bracket expression";
        return -1;
      }
      set_range(bits, (unsigned)prev, (unsigned)hi);
      i += 1 + hl;
      prev = -1;
      continue;
    }
    if (c) set_bit(bits, (unsigned)c);
    prev = c;
    i += len;
  }
  if (s[i] != ']') {
    *why = "unterminated bracket expression";
    return -1;
  }
  return (int64_t)i + 1;
}

/* Valid quantifier "{n}", "{n,}", "{n,m}" at s? Its length, else 0. */
static size_t quantifier(const char *s) {
  size_t i = 1, d = 0;
  while (s[i] >= '0' && s[i] <= '9') i++, d++;
  if (!d) return 0;
  if (s[i] == ',') {
    i++;
    while (s[i] >= '0' && s[i] <= '9') i++;
  }
  return s[i] == '}' ? i + 1 : 0;
}

/* POSIX regcomp expands counted repetition: nested large counts
 * ("(a{999}){999}") would build a huge automaton from a short schema.
 * Counts above this are refused; MARC patterns count characters of a
 * field, far below it. */
#define MAX_COUNT 255

static int count_too_large(const char *s, size_t n) {
  uint32_t v = 0;
  for (size_t i = 1; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') {
      v = 0;
      continue;
    }
    v = v * 10 + (uint32_t)(s[i] - '0');
    if (v > MAX_COUNT) return 1;
  }
  return 0;
}

static void put_utf8(out_buf *o, int32_t c) {
  char b[4];
  size_t n;
  if (c < 0x80) {
    b[0] = (char)c;
    n = 1;
  } else if (c < 0x800) {
    b[0] = (char)(0xC0 | (c >> 6));
    b[1] = (char)(0x80 | (c & 0x3F));
    n = 2;
  } else {
    b[0] = (char)(0xE0 | (c >> 12));
    b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    b[2] = (char)(0x80 | (c & 0x3F));
    n = 3;
  }
  if (n == 1 && strchr(".[]()*+?{}|^$\\", b[0]) && b[0]) putc_(o, '\\');
  put(o, b, n);
}

/* Translate; returns NULL and *why on refusal (o holds the output). */
static int translate(const char *s, out_buf *o, const char **why) {
  int after_atom = 0; /* a quantifier may follow (lazy '?' dropped) */
  for (size_t i = 0; s[i];) {
    char c = s[i];
    if (c == '\\') {
      uint8_t bits[32] = {0};
      char e = s[i + 1];
      if (class_escape(e, bits) ||
          ((e == 'D' || e == 'W' || e == 'S') &&
           class_escape((char)(e - 'A' + 'a'), bits))) {
        put_bracket(o, bits, e == 'D' || e == 'W' || e == 'S');
        i += 2;
      } else {
        size_t len;
        int32_t v = char_escape(s + i, &len);
        if (v < 0 || v == 0) {
          *why = "unsupported escape (\\b, \\B, back-references, \\p and "
                 "\\k are not supported)";
          return -1;
        }
        put_utf8(o, v);
        i += len;
      }
      after_atom = 1;
    } else if (c == '[') {
      uint8_t bits[32] = {0};
      int neg;
      int64_t n = parse_bracket(s + i, bits, &neg, why);
      if (n < 0) return -1;
      put_bracket(o, bits, neg);
      i += (size_t)n;
      after_atom = 1;
    } else if (c == '(') {
      if (s[i + 1] == '?') {
        if (s[i + 2] != ':') {
          *why = "look-arounds and named groups are not supported";
          return -1;
        }
        i += 3;
      } else {
        i++;
      }
      putc_(o, '(');
      after_atom = 0;
    } else if (c == '.') {
      /* One whole character: a UTF-8 lead byte and its continuation
       * bytes, or any other byte but a continuation byte (so a lone byte
       * of MARC-8 or Latin-1 text still counts as one character). Byte
       * values are written raw into the pattern. */
      static const char dot[] = "([^\x80-\xBF]|[\xC2-\xF4][\x80-\xBF]+)";
      put(o, dot, sizeof dot - 1);
      i++;
      after_atom = 1;
    } else if (c == '*' || c == '+' || c == '?' ||
               (c == '{' && quantifier(s + i))) {
      size_t n = c == '{' ? quantifier(s + i) : 1;
      if (!after_atom) {
        *why = "nothing to repeat";
        return -1;
      }
      if (c == '{' && count_too_large(s + i, n)) {
        *why = "repetition count over 255";
        return -1;
      }
      put(o, s + i, n);
      i += n;
      if (s[i] == '?') i++; /* lazy: same strings match */
      after_atom = 0;
    } else if (c == '{' || c == '}') {
      put(o, c == '{' ? "\\{" : "\\}", 2);
      i++;
      after_atom = 1;
    } else {
      putc_(o, c);
      i++;
      after_atom = c != '|' && c != '^' && c != '$';
    }
  }
  return 0;
}

/* A pattern that is one character class: its bitmap. */
static int single_class(const char *s, uint8_t *bits) {
  int neg = 0;
  const char *why;
  memset(bits, 0, 32);
  if (s[0] == '[') {
    int64_t n = parse_bracket(s, bits, &neg, &why);
    if (n < 0 || s[n]) return 0;
  } else if (s[0] == '\\' && s[1] && !s[2]) {
    char e = s[1];
    int upper = e == 'D' || e == 'W' || e == 'S';
    if (!class_escape(upper ? (char)(e - 'A' + 'a') : e, bits)) return 0;
    neg = upper;
  } else if (s[0] && !s[1] && !strchr(".[]()*+?{}|^$\\", s[0]) &&
             (unsigned char)s[0] < 128) {
    set_bit(bits, (unsigned char)s[0]);
  } else {
    return 0;
  }
  if (neg)
    for (int i = 0; i < 32; i++) bits[i] = (uint8_t)~bits[i];
  bits[0] &= (uint8_t)~1u; /* NUL never matches */
  return 1;
}

#define AV_SEQ_MAX 64

/* One atom of a class sequence at s: a literal ASCII character, an
 * escaped one, a class escape or a bracket expression, as a bitmap; its
 * length, or 0 when it is none of these. */
static size_t seq_atom(const char *s, uint8_t *bits) {
  int neg = 0;
  size_t n;
  memset(bits, 0, 32);
  if (s[0] == '[') {
    const char *why;
    int64_t k = parse_bracket(s, bits, &neg, &why);
    if (k < 0) return 0;
    n = (size_t)k;
  } else if (s[0] == '\\' && s[1] && strchr("dDwWsS", s[1])) {
    int upper = s[1] == 'D' || s[1] == 'W' || s[1] == 'S';
    if (!class_escape(upper ? (char)(s[1] - 'A' + 'a') : s[1], bits)) return 0;
    neg = upper;
    n = 2;
  } else if (s[0] == '\\' && s[1] && strchr(".|/\\-[](){}*+?^$", s[1])) {
    set_bit(bits, (unsigned char)s[1]);
    n = 2;
  } else if (s[0] && !strchr(".[]()*+?{}|^$\\", s[0]) &&
             (unsigned char)s[0] < 128) {
    set_bit(bits, (unsigned char)s[0]);
    n = 1;
  } else {
    return 0;
  }
  if (neg)
    for (int i = 0; i < 32; i++) bits[i] = (uint8_t)~bits[i];
  bits[0] &= (uint8_t)~1u; /* NUL never matches */
  return n;
}

/* A pattern made of alternatives that are each a fixed sequence of
 * one-byte classes (atoms, each maybe repeated {n} times): compiled into
 * p->seq. 1 when it is one, 0 when not (regexec then), -1 when out of
 * memory. */
static int class_sequences(const char *s, av_pattern *p) {
  uint8_t items[AV_SEQ_MAX][32];
  size_t nitems = 0, cur = 0, i = 0;
  p->nalt = 0;
  for (;;) {
    if (!s[i] || s[i] == '|') {
      if (p->nalt == AV_SEQ_ALTS) return 0;
      p->alt_len[p->nalt++] = (uint8_t)cur;
      cur = 0;
      if (!s[i]) break;
      i++;
      continue;
    }
    uint8_t bits[32];
    size_t n = seq_atom(s + i, bits);
    if (!n) return 0;
    i += n;
    size_t count = 1;
    if (s[i] == '{') {
      count = 0;
      for (i++; s[i] >= '0' && s[i] <= '9' && count <= AV_SEQ_MAX; i++)
        count = count * 10 + (size_t)(s[i] - '0');
      if (s[i] != '}' || !count || count > AV_SEQ_MAX) return 0;
      i++;
    }
    if (s[i] && strchr("*+?{", s[i])) return 0;
    if (nitems + count > AV_SEQ_MAX) return 0;
    for (size_t k = 0; k < count; k++) memcpy(items[nitems++], bits, 32);
    cur += count;
  }
  if (!(p->seq = malloc((nitems ? nitems : 1) * sizeof *p->seq))) return -1;
  memcpy(p->seq, items, nitems * sizeof *p->seq);
  return 1;
}

int av_pattern_compile(av_loader *L, const char *source, av_pattern *p) {
  memset(p, 0, sizeof *p);
  p->source = source;
  if (single_class(source, p->class_bits)) {
    p->kind = AV_RE_CLASS_ANY;
    return 0;
  }
  int seq = class_sequences(source, p);
  if (seq < 0) return av_nomem(L);
  if (seq) {
    p->kind = AV_RE_SEQUENCES;
    return 0;
  }
  out_buf o = {0};
  const char *why = NULL;
  if (translate(source, &o, &why) < 0 || o.nomem) {
    free(o.p);
    return o.nomem ? av_nomem(L)
                   : av_fail(L, "pattern \"%.40s\": %s", source, why);
  }
  int rc = regcomp(&p->re, o.p ? o.p : "", REG_EXTENDED | REG_NOSUB);
  free(o.p);
  if (rc) {
    char msg[80];
    regerror(rc, &p->re, msg, sizeof msg);
    return av_fail(L, "pattern \"%.40s\": %s", source, msg);
  }
  p->kind = AV_RE_POSIX;
  return 0;
}

void av_pattern_free(av_pattern *p) {
  if (p->kind == AV_RE_POSIX) regfree(&p->re);
  if (p->kind == AV_RE_SEQUENCES) free(p->seq);
}

int av_pattern_match(const av_pattern *p, const uint8_t *v, size_t n) {
  if (p->kind == AV_RE_CLASS_ANY) {
    for (size_t i = 0; i < n; i++)
      if (has_bit(p->class_bits, v[i])) return 1;
    return 0;
  }
  if (p->kind == AV_RE_SEQUENCES) { /* a search, as ECMAScript's test() */
    for (size_t i = 0; i <= n; i++) {
      const uint8_t(*q)[32] = p->seq;
      for (unsigned a = 0; a < p->nalt; q += p->alt_len[a++]) {
        size_t len = p->alt_len[a], k = 0;
        if (len > n - i) continue;
        while (k < len && has_bit(q[k], v[i + k])) k++;
        if (k == len) return 1;
      }
    }
    return 0;
  }
  return marc__regex_bytes(&p->re, v, n);
}
