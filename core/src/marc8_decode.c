/* MARC-8 -> UTF-8.
 *
 * MARC-8 is ISO 2022-like: G0 (bytes 0x21-0x7E) and G1 (0xA1-0xFE) each
 * hold one set, chosen by escape sequences; the text starts with ASCII in
 * G0 and ANSEL in G1. EACC (CJK) is a three-byte set. Combining marks come
 * before the character they modify: they are held back and written after
 * their base, as Unicode wants. */
#include "marc8.h"
#include "marc8_tables.h"

#include <stdlib.h>

#define ESC 0x1B
#define MAX_PENDING 32 /* combining marks held before one base character */

typedef struct dstate {
  int g0, g1; /* enum marc8_set */
  uint32_t pend[MAX_PENDING];
  size_t npend;
} dstate;

static int is_combining(int set, unsigned pos) {
  return (marc__m8_comb[set][pos >> 5] >> (pos & 31)) & 1;
}

/* Write a base character followed by the marks held for it. */
static uint8_t *put_base(uint8_t *o, uint32_t cp, dstate *st) {
  o += marc__utf8_put(o, cp);
  for (size_t k = 0; k < st->npend; k++) o += marc__utf8_put(o, st->pend[k]);
  st->npend = 0;
  return o;
}

/* Marks with no base (before a delimiter, a control or the end) are kept,
 * in their order: dropping them would lose data. */
static uint8_t *flush_marks(uint8_t *o, dstate *st) {
  for (size_t k = 0; k < st->npend; k++) o += marc__utf8_put(o, st->pend[k]);
  st->npend = 0;
  return o;
}

static uint8_t *put_mark(uint8_t *o, uint32_t cp, dstate *st) {
  if (st->npend == MAX_PENDING) o = flush_marks(o, st);
  st->pend[st->npend++] = cp;
  return o;
}

/* The single-byte set whose final byte is `f`, or -1. ESC ( E (without
 * the '!') is accepted for ANSEL: writers that drop the '!' exist. */
static int single_set(uint8_t f) {
  for (int s = 0; s < MARC8_SINGLE_SETS; s++)
    if (marc__m8_final[s] == f) return s;
  return -1;
}

/* Parse the escape sequence at in[i] (== ESC). Returns its length and
 * updates the state, or returns 0 when it is not a known sequence, with
 * *skip set to the bytes to drop. */
static size_t parse_escape(const uint8_t *in, size_t n, size_t i, dstate *st,
                           size_t *skip) {
  size_t left = n - i;
  *skip = 1;
  if (left < 2) return 0;
  uint8_t c1 = in[i + 1];
  switch (c1) {
  case 'g': st->g0 = MARC8_GREEK_SYMBOLS; return 2;
  case 'b': st->g0 = MARC8_SUBSCRIPTS; return 2;
  case 'p': st->g0 = MARC8_SUPERSCRIPTS; return 2;
  case 's': st->g0 = MARC8_ASCII; return 2;
  case '(':
  case ',':
  case ')':
  case '-': {
    int *g = (c1 == '(' || c1 == ',') ? &st->g0 : &st->g1;
    if (left < 3) {
      *skip = left;
      return 0;
    }
    if (in[i + 2] == '!') { /* ANSEL: ESC ) ! E */
      if (left >= 4 && in[i + 3] == 'E') {
        *g = MARC8_ANSEL;
        return 4;
      }
      *skip = left < 4 ? left : 4;
      return 0;
    }
    int s = single_set(in[i + 2]);
    if (s < 0) {
      *skip = 3;
      return 0;
    }
    *g = s;
    return 3;
  }
  case '$': {
    if (left < 3) {
      *skip = left;
      return 0;
    }
    uint8_t c2 = in[i + 2];
    int *g = &st->g0;
    size_t len = 3;
    if (c2 == '(' || c2 == ',' || c2 == ')' || c2 == '-') {
      if (left < 4) {
        *skip = left;
        return 0;
      }
      if (c2 == ')' || c2 == '-') g = &st->g1;
      c2 = in[i + 3];
      len = 4;
    }
    if (c2 != marc__m8_final[MARC8_EACC]) {
      *skip = len;
      return 0;
    }
    *g = MARC8_EACC;
    return len;
  }
  default: return 0;
  }
}

/* EACC lookup by three bytes with the high bits cleared; 0 when absent. */
static uint32_t eacc_lookup(unsigned b1, unsigned b2, unsigned b3) {
  size_t lo = marc__m8_eacc_first[b1 - 0x21];
  size_t hi = marc__m8_eacc_first[b1 - 0x20];
  uint16_t key = (uint16_t)(b2 << 8 | b3);
  MARC__LOWER_BOUND(lo, hi, marc__m8_eacc_key[mid] < key);
  if (lo < marc__m8_eacc_first[b1 - 0x20] && marc__m8_eacc_key[lo] == key)
    return marc__m8_eacc_ucs[lo];
  return 0;
}

/* The III codes outside the LC tables (a space or DEL inside the code),
 * or 0. */
static uint32_t eacc_extra(const uint8_t *p) {
  uint32_t code = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
  for (size_t k = 0; k < MARC8_EACC_EXTRA_COUNT; k++)
    if (marc__m8_eacc_extra_code[k] == code) return marc__m8_eacc_extra_ucs[k];
  return 0;
}

/* "&#xHHHH;" at in[i]: returns its length and the code point, or 0. */
static size_t parse_ncr(const uint8_t *in, size_t n, size_t i, uint32_t *cp) {
  if (n - i < 5 || in[i + 1] != '#' || (in[i + 2] != 'x' && in[i + 2] != 'X'))
    return 0;
  uint32_t v = 0;
  size_t j = i + 3, digits = 0;
  for (; j < n && digits < 7; j++, digits++) {
    unsigned c = in[j], d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = (c | 0x20) - 'a' + 10;
    else break;
    v = v * 16 + d;
  }
  if (!digits || digits > 6 || j >= n || in[j] != ';') return 0;
  if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return j + 1 - i;
}

/* Where the run of bytes that decode as themselves (0x20-0x7E but '&',
 * which may start a character reference) ends, from in[i]. Eight bytes at a
 * time, as in json_write.c: a word is plain unless a byte is below 0x20, at
 * or above 0x7F, or '&'; the lowest flagged byte of these "has a zero byte"
 * tests is always a true one. */
static size_t plain_ascii_run(const uint8_t *in, size_t i, size_t n) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, in + i, 8);
    uint64_t del = w ^ (ones * 0x7F), amp = w ^ (ones * '&');
    uint64_t hit = ((w - ones * 0x20) | w | ((del - ones) & ~del) |
                    ((amp - ones) & ~amp)) &
                   highs;
    if (hit) return i + ((size_t)__builtin_ctzll(hit) >> 3);
  }
#endif
  while (i < n && in[i] >= 0x20 && in[i] < 0x7F && in[i] != '&') i++;
  return i;
}

marc_status marc__marc8_decode(const uint8_t *in, size_t n, marc_buf *out,
                               const marc8_ctx *cx) {
  /* Every input byte gives at most three output bytes (U+FFFD, or an
   * ANSEL character up to U+FFFF); an EACC triple gives at most four. */
  if (n > (SIZE_MAX - 16) / 3) return MARC_E_NOMEM;
  marc_status s = marc_buf_reserve(out, 3 * n + 16);
  if (s != MARC_OK) return s;
  uint8_t *o = out->data + out->len;
  dstate st = {MARC8_ASCII, MARC8_ANSEL, {0}, 0};
  const int ncr = !cx->opt->keep_ncr;
  size_t i = 0;

  while (i < n) {
    /* Fast path: plain ASCII with nothing held back. */
    if (st.g0 == MARC8_ASCII && st.npend == 0) {
      size_t j = plain_ascii_run(in, i, n);
      memcpy(o, in + i, j - i);
      o += j - i;
      i = j;
      if (i >= n) break;
    }
    uint8_t b = in[i];
    if (b == ESC) {
      size_t skip, len = parse_escape(in, n, i, &st, &skip);
      if (!len) {
        uint32_t v = 0;
        for (size_t k = 0; k < skip && k < 4; k++) v = v << 8 | in[i + k];
        MARC__CS_REPORT(MARC_CS_MARC8_BAD_ESCAPE, v, i);
        len = skip;
      }
      i += len;
      continue;
    }
    if (b == MARC_SD) {
      /* Each subfield starts in the default state, as YAZ and pymarc
       * convert subfield by subfield. The code after the delimiter is
       * copied; a byte >= 0x80 there cannot be a code and is read as text
       * (YAZ does the same: 0x1F 0xE2 'b' gives 0x1F 'b' U+0301). */
      o = flush_marks(o, &st);
      st.g0 = MARC8_ASCII;
      st.g1 = MARC8_ANSEL;
      *o++ = b;
      i++;
      uint32_t ref;
      if (i < n && in[i] > 0x20 && in[i] < 0x7F &&
          !(in[i] == '&' && ncr && parse_ncr(in, n, i, &ref)))
        *o++ = in[i++];
      continue;
    }
    if (b <= 0x20) {
      /* Space and controls are the same in every set. Both are bases for
       * marks before them (a spacing accent is a mark on a space), which
       * keeps the encoder's reverse mapping exact. */
      o = put_base(o, b, &st);
      i++;
      continue;
    }
    int set = b < 0x80 ? st.g0 : st.g1;
    uint32_t cp = 0;
    if (set == MARC8_EACC && b < 0x80 && n - i >= 3 &&
        (b == 0x7F || in[i + 1] == 0x20) && (cp = eacc_extra(in + i)) != 0) {
      o = put_base(o, cp, &st);
      i += 3;
      continue;
    }
    if (b >= 0x80 && b < 0xA0) {
      cp = marc__m8_c1[b - 0x80];
    } else if (b == 0x7F || b == 0xA0 || b == 0xFF) {
      cp = 0;
    } else if (set == MARC8_EACC) {
      /* Three bytes from the same half; the third may be a space
       * (0x212320 is the ideographic space). */
      unsigned hi = b & 0x80, k = 1;
      while (k < 3 && i + k < n) {
        unsigned c = in[i + k];
        unsigned lo = k == 2 ? 0x20 : 0x21;
        if ((c & 0x80) != hi || (c & 0x7F) < lo || (c & 0x7F) > 0x7E) break;
        k++;
      }
      if (k < 3) {
        MARC__CS_REPORT(MARC_CS_MARC8_TRUNCATED, b, i);
        o = put_base(o, 0xFFFD, &st);
        i += k;
        continue;
      }
      unsigned b1 = b & 0x7F, b2 = in[i + 1] & 0x7F, b3 = in[i + 2] & 0x7F;
      cp = eacc_lookup(b1, b2, b3);
      if (!cp) {
        MARC__CS_REPORT(MARC_CS_MARC8_UNMAPPED, b1 << 16 | b2 << 8 | b3, i);
        cp = 0xFFFD;
      }
      o = put_base(o, cp, &st);
      i += 3;
      continue;
    } else {
      unsigned pos = b & 0x7F;
      cp = marc__m8_sb[set][pos];
      if (cp == MARC8_NOTHING) { /* second half of a double-width mark */
        i++;
        continue;
      }
      if (cp && is_combining(set, pos)) {
        o = put_mark(o, cp, &st);
        i++;
        continue;
      }
      if (b == '&' && set == MARC8_ASCII && ncr) {
        size_t len = parse_ncr(in, n, i, &cp);
        if (len) {
          o = put_base(o, cp, &st);
          i += len;
          continue;
        }
      }
    }
    if (!cp) {
      MARC__CS_REPORT(MARC_CS_MARC8_UNMAPPED, b, i);
      cp = 0xFFFD;
    }
    o = put_base(o, cp, &st);
    i++;
  }
  o = flush_marks(o, &st);
  out->len = (size_t)(o - out->data);
  return MARC_OK;
}

/* marc__marc8_decode, then NFC when the options ask for it. */
static marc_status decode_nfc(const uint8_t *in, size_t n, marc_buf *out,
                              const marc8_ctx *cx) {
  size_t start = out->len;
  marc_status s = marc__marc8_decode(in, n, out, cx);
  return s == MARC_OK && cx->opt->nfc ? marc__nfc_tail(out, start) : s;
}

marc_status marc_marc8_to_utf8(const uint8_t *in, size_t n, marc_buf *out,
                               const marc_charset_options *opt,
                               marc_charset_log *log) {
  return marc__cs_convert(decode_nfc, in, n, out, opt, log);
}
