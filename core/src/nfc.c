/* Unicode NFC: canonical decomposition, canonical ordering, canonical
 * composition (UAX #15), with tables generated from Python's unicodedata
 * (core/tools/gen_nfc.py) and Hangul done arithmetically. A quick check
 * leaves text with no combining mark and nothing NFC changes untouched,
 * which is most MARC text. */
#include "marc8.h"
#include "nfc_tables.h"

#include <stddef.h>
#include <stdlib.h>

#define SBASE 0xAC00
#define LBASE 0x1100
#define VBASE 0x1161
#define TBASE 0x11A7
#define LCOUNT 19
#define VCOUNT 21
#define TCOUNT 28
#define NCOUNT (VCOUNT * TCOUNT)
#define SCOUNT (LCOUNT * NCOUNT)

static const nfc_range *find_range(const nfc_range *r, size_t n, uint32_t cp) {
  size_t lo = 0, hi = n;
  MARC__LOWER_BOUND(lo, hi, r[mid].hi < cp);
  return lo < n && r[lo].lo <= cp ? &r[lo] : NULL;
}

unsigned marc__nfc_ccc(uint32_t cp) {
  if (cp < marc__nfc_ccc_ranges[0].lo) return 0;
  const nfc_range *r = find_range(marc__nfc_ccc_ranges, NFC_CCC_COUNT, cp);
  return r ? r->val : 0;
}

static int needs_work(uint32_t cp) {
  if (cp < marc__nfc_quick[0].lo) return 0;
  return find_range(marc__nfc_quick, NFC_QUICK_COUNT, cp) != NULL;
}

size_t marc__nfc_decompose(uint32_t cp, uint32_t d[4]) {
  if (cp >= SBASE && cp < SBASE + SCOUNT) {
    uint32_t s = cp - SBASE;
    d[0] = LBASE + s / NCOUNT;
    d[1] = VBASE + (s % NCOUNT) / TCOUNT;
    if (s % TCOUNT == 0) return 2;
    d[2] = TBASE + s % TCOUNT;
    return 3;
  }
  if (cp < marc__nfc_decomp[0].cp) return 0;
  size_t lo = 0, hi = NFC_DECOMP_COUNT;
  MARC__LOWER_BOUND(lo, hi, marc__nfc_decomp[mid].cp < cp);
  if (lo == NFC_DECOMP_COUNT || marc__nfc_decomp[lo].cp != cp) return 0;
  const nfc_decomp *e = &marc__nfc_decomp[lo];
  for (size_t k = 0; k < e->len && k < 4; k++)
    d[k] = marc__nfc_pool[e->off + k];
  return e->len < 4 ? e->len : 4;
}

/* The primary composite of a + b, or 0. */
static uint32_t compose(uint32_t a, uint32_t b) {
  if (a >= LBASE && a < LBASE + LCOUNT && b >= VBASE && b < VBASE + VCOUNT)
    return SBASE + ((a - LBASE) * VCOUNT + (b - VBASE)) * TCOUNT;
  if (a >= SBASE && a < SBASE + SCOUNT && (a - SBASE) % TCOUNT == 0 &&
      b > TBASE && b < TBASE + TCOUNT)
    return a + (b - TBASE);
  size_t lo = 0, hi = NFC_PAIR_COUNT;
  MARC__LOWER_BOUND(
      lo, hi,
      marc__nfc_pairs[mid].first < a ||
          (marc__nfc_pairs[mid].first == a && marc__nfc_pairs[mid].second < b));
  if (lo < NFC_PAIR_COUNT && marc__nfc_pairs[lo].first == a &&
      marc__nfc_pairs[lo].second == b)
    return marc__nfc_pairs[lo].composite;
  return 0;
}

/* Normalise valid UTF-8 `in` fully: decompose, order, compose, append. */
static marc_status normalise(const uint8_t *in, size_t n, marc_buf *out) {
  uint32_t stack[256];
  uint32_t *v = stack;
  /* A UTF-8 byte gives at most one code point, which decomposes to at
   * most four. */
  if (n > SIZE_MAX / 16) return MARC_E_NOMEM;
  size_t cap = 4 * n;
  if (cap > sizeof stack / sizeof stack[0]) {
    v = malloc(cap * sizeof *v);
    if (!v) return MARC_E_NOMEM;
  }
  size_t m = 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp, d[4];
    i += marc__utf8_next(in + i, n - i, &cp);
    size_t k = marc__nfc_decompose(cp, d);
    if (!k) v[m++] = cp;
    for (size_t j = 0; j < k; j++) v[m++] = d[j];
  }
  /* Canonical ordering: stable sort of each run of non-starters. */
  for (size_t i = 1; i < m; i++) {
    unsigned c = marc__nfc_ccc(v[i]);
    if (!c) continue;
    size_t j = i;
    uint32_t x = v[i];
    while (j > 0) {
      unsigned p = marc__nfc_ccc(v[j - 1]);
      if (p <= c) break;
      v[j] = v[j - 1];
      j--;
    }
    v[j] = x;
  }
  /* Canonical composition. */
  size_t len = 0;
  ptrdiff_t starter = -1;
  unsigned last = 0;
  for (size_t i = 0; i < m; i++) {
    uint32_t cp = v[i];
    unsigned c = marc__nfc_ccc(cp);
    /* cp is blocked from the starter by a character between them of
     * the same or a higher class (or a starter). */
    if (starter >= 0 &&
        ((size_t)starter == len - 1 || (last != 0 && last < c))) {
      uint32_t comp = compose(v[starter], cp);
      if (comp) {
        v[starter] = comp;
        continue;
      }
    }
    if (c == 0) starter = (ptrdiff_t)len;
    last = c;
    v[len++] = cp;
  }
  marc_status s = marc_buf_reserve(out, 4 * len);
  if (s == MARC_OK) {
    uint8_t *o = out->data + out->len;
    for (size_t i = 0; i < len; i++) o += marc__utf8_put(o, v[i]);
    out->len = (size_t)(o - out->data);
  }
  if (v != stack) free(v);
  return s;
}

marc_status marc__nfc_valid(const uint8_t *in, size_t n, marc_buf *out) {
  /* Copy stretches that need nothing; normalise only the segments around
   * characters that may change, each from the starter before it to the
   * next character that is stable (a starter NFC keeps and nothing
   * composes with). */
  size_t done = 0, i = 0, prev = 0;
  if (!n) return MARC_OK;
  while (i < n) {
    if (in[i] < 0x80) {
      prev = i++;
      continue;
    }
    uint32_t cp;
    size_t len = marc__utf8_next(in + i, n - i, &cp);
    if (!len) return MARC_E_ARG; /* callers pass valid UTF-8 only */
    if (!needs_work(cp)) {
      prev = i;
      i += len;
      continue;
    }
    /* The character before may compose with this one. */
    size_t from = i > done ? prev : i;
    size_t j = i + len;
    while (j < n) {
      if (in[j] < 0x80) break;
      size_t l2 = marc__utf8_next(in + j, n - j, &cp);
      if (!l2) return MARC_E_ARG;
      if (!needs_work(cp)) break;
      j += l2;
    }
    marc_status s = marc_buf_append(out, in + done, from - done);
    if (s == MARC_OK) s = normalise(in + from, j - from, out);
    if (s != MARC_OK) return s;
    done = i = j;
  }
  return marc_buf_append(out, in + done, n - done);
}

marc_status marc__nfc_tail(marc_buf *out, size_t start) {
  /* Composed text is never longer, but it is built beside the source. */
  marc_buf composed = {0};
  marc_status s =
      marc__nfc_valid(out->data + start, out->len - start, &composed);
  if (s == MARC_OK) {
    out->len = start;
    s = marc_buf_append(out, composed.data, composed.len);
  }
  marc_buf_free(&composed);
  return s;
}

marc_status marc__utf8_nfc(const uint8_t *in, size_t n, marc_buf *out,
                           const marc8_ctx *cx) {
  if (marc_utf8_check(in, n, NULL) != MARC_UTF8_INVALID)
    return marc__nfc_valid(in, n, out);
  /* Replace what is not UTF-8 first, then normalise. */
  marc_buf clean = {0};
  marc_status s = marc_buf_reserve(&clean, 3 * n);
  for (size_t i = 0; s == MARC_OK && i < n;) {
    uint32_t cp;
    size_t len = marc__utf8_next(in + i, n - i, &cp);
    if (!len) {
      s = marc__cs_report(cx, MARC_CS_UTF8_INVALID, in[i], i);
      cp = 0xFFFD;
      len = 1;
    }
    clean.len += marc__utf8_put(clean.data + clean.len, cp);
    i += len;
  }
  if (s == MARC_OK) s = marc__nfc_valid(clean.data, clean.len, out);
  marc_buf_free(&clean);
  return s;
}

marc_status marc_utf8_nfc(const uint8_t *in, size_t n, marc_buf *out,
                          const marc_charset_options *opt,
                          marc_charset_log *log) {
  return marc__cs_convert(marc__utf8_nfc, in, n, out, opt, log);
}
