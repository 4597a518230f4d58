/* UTF-8 -> MARC-8, for systems that only read MARC-8.
 *
 * Text is cut into clusters: a base character and the combining marks
 * after it. A cluster is written marks first, then the base (MARC-8's
 * order). G1 always holds ANSEL; G0 is switched by escape sequences as
 * characters need and is back to ASCII at the end of the text and before
 * each subfield delimiter. A character no set holds is decomposed when its
 * parts can be written (U+00E9 -> 'e' + U+0301), else written as the
 * numeric character reference "&#xHHHH;" (MARC 21's lossless convention),
 * which the decoder reads back. */
#include "marc8.h"
#include "marc8_tables.h"

#define ESC 0x1B
#define MAX_UNITS 32 /* characters in one cluster; longer ones are split */

/* How one character is written. */
typedef enum unit_kind { U_RAW, U_SB, U_EACC, U_NCR } unit_kind;

typedef struct unit {
  unit_kind kind;
  uint8_t set;   /* U_SB */
  uint8_t byte;  /* U_RAW: the byte; U_SB: low seven bits */
  uint8_t mark;  /* a combining mark (written before its base) */
  uint32_t code; /* U_EACC: the three bytes; U_NCR: the code point */
  uint32_t cp;   /* the character */
} unit;

static int sb_combining(int set, unsigned pos) {
  return (marc__m8_comb[set][pos >> 5] >> (pos & 31)) & 1;
}

/* Find cp in the single-byte sets: prefer a set that needs no escape. */
static int lookup_sb(uint32_t cp, int g0, unit *u) {
  if (cp > 0xFFFF) return 0;
  size_t lo = 0, hi = MARC8_REV_COUNT;
  MARC__LOWER_BOUND(lo, hi, marc__m8_rev[mid].cp < cp);
  if (lo == MARC8_REV_COUNT || marc__m8_rev[lo].cp != cp) return 0;
  const marc8_rev *best = &marc__m8_rev[lo];
  for (size_t k = lo; k < MARC8_REV_COUNT && marc__m8_rev[k].cp == cp; k++) {
    int s = marc__m8_rev[k].set;
    if (s == g0 || s == MARC8_ANSEL) {
      best = &marc__m8_rev[k];
      break;
    }
  }
  u->kind = U_SB;
  u->set = best->set;
  u->byte = best->byte;
  u->mark = (uint8_t)sb_combining(best->set, best->byte);
  return 1;
}

static int lookup_eacc(uint32_t cp, unit *u) {
  size_t lo = 0, hi = MARC8_EACC_REV_COUNT;
  MARC__LOWER_BOUND(lo, hi, marc__m8_eacc_rev_cp[mid] < cp);
  if (lo == MARC8_EACC_REV_COUNT || marc__m8_eacc_rev_cp[lo] != cp) return 0;
  u->kind = U_EACC;
  u->code = marc__m8_eacc_rev_code[lo];
  u->mark = 0;
  return 1;
}

/* One character as written directly, or 0 when no set holds it. */
static int lookup(uint32_t cp, int g0, unit *u) {
  if (cp < 0x20 && cp != ESC) { /* controls are the same in every set */
    u->kind = U_RAW, u->byte = (uint8_t)cp, u->mark = 0;
    return 1;
  }
  if (cp == 0x20) {
    u->kind = U_RAW, u->byte = 0x20, u->mark = 0;
    return 1;
  }
  return lookup_sb(cp, g0, u) || lookup_eacc(cp, u);
}

/* The units for one character: itself, its decomposition, or an NCR.
 * Returns how many were written to u (room for 4). */
static size_t units_of(uint32_t cp, int g0, unit *u) {
  u->cp = cp;
  if (lookup(cp, g0, u)) return 1;
  uint32_t d[4];
  size_t k = marc__nfc_decompose(cp, d);
  size_t ok = k > 0;
  for (size_t j = 0; j < k && ok; j++) {
    u[j].cp = d[j];
    ok = lookup(d[j], g0, &u[j]);
  }
  if (ok) return k;
  u->kind = U_NCR;
  u->code = cp;
  u->mark = marc__nfc_ccc(cp) != 0;
  return 1;
}

typedef struct estate {
  int g0;       /* set in G0 */
  int g0_tech1; /* G0 was set by ESC g / b / p, left with ESC s */
  uint8_t half; /* ANSEL second half (EC, FB) owed to the next character */
} estate;

/* The second half a double-width mark (U+0361, U+0360) calls for, or 0. */
static uint8_t second_half(uint32_t cp) {
  for (size_t k = 0; k < MARC8_HALF_COUNT; k++)
    if (marc__m8_half_cp[k] == cp)
      return (uint8_t)(0x80 | marc__m8_half_byte[k]);
  return 0;
}

/* Room for an escape (4) and a unit (10: "&#x10FFFF;"). */
#define UNIT_MAX 14

static uint8_t *designate(uint8_t *o, estate *st, int set) {
  if (st->g0 == set) return o;
  *o++ = ESC;
  if (set == MARC8_GREEK_SYMBOLS || set == MARC8_SUBSCRIPTS ||
      set == MARC8_SUPERSCRIPTS) {
    *o++ = marc__m8_final[set]; /* ESC g, ESC b, ESC p */
  } else if (set == MARC8_ASCII && st->g0_tech1) {
    *o++ = 's';
  } else if (set == MARC8_EACC) {
    *o++ = '$';
    *o++ = marc__m8_final[set];
  } else {
    *o++ = '(';
    if (set == MARC8_ANSEL) *o++ = '!';
    *o++ = marc__m8_final[set];
  }
  st->g0_tech1 = set == MARC8_GREEK_SYMBOLS || set == MARC8_SUBSCRIPTS ||
                 set == MARC8_SUPERSCRIPTS;
  st->g0 = set;
  return o;
}

static uint8_t *put_ncr(uint8_t *o, uint32_t cp) {
  static const char hex[] = "0123456789ABCDEF";
  int digits = cp > 0xFFFFF ? 6 : cp > 0xFFFF ? 5 : 4;
  *o++ = '&', *o++ = '#', *o++ = 'x';
  for (int k = digits - 1; k >= 0; k--)
    *o++ = (uint8_t)hex[(cp >> (4 * k)) & 15];
  *o++ = ';';
  return o;
}

static uint8_t *put_unit(uint8_t *o, estate *st, const unit *u) {
  switch (u->kind) {
  case U_RAW: *o++ = u->byte; break;
  case U_SB:
    if (u->set == MARC8_ANSEL) {
      *o++ = (uint8_t)(0x80 | u->byte); /* ANSEL stays in G1 */
    } else {
      o = designate(o, st, u->set);
      *o++ = u->byte;
    }
    break;
  case U_EACC:
    o = designate(o, st, MARC8_EACC);
    *o++ = (uint8_t)(u->code >> 16);
    *o++ = (uint8_t)(u->code >> 8);
    *o++ = (uint8_t)u->code;
    break;
  case U_NCR:
    o = designate(o, st, MARC8_ASCII);
    o = put_ncr(o, u->code);
    break;
  }
  return o;
}

/* Decode the character at in[i]; what is not UTF-8 is reported and
 * becomes U+FFFD (then written as a reference, not reported again). */
#define NEXT_CP(cp, len, bad)                                                  \
  do {                                                                         \
    len = marc__utf8_next(in + i, n - i, &cp);                                 \
    bad = !len;                                                                \
    if (bad) {                                                                 \
      MARC__CS_REPORT(MARC_CS_UTF8_INVALID, in[i], i);                         \
      cp = 0xFFFD;                                                             \
      len = 1;                                                                 \
    }                                                                          \
  } while (0)

marc_status marc__marc8_encode(const uint8_t *in, size_t n, marc_buf *out,
                               const marc8_ctx *cx) {
  estate st = {MARC8_ASCII, 0, 0};
  /* Room for the final escape; also makes out->data non-NULL. */
  if (marc_buf_reserve(out, 16) != MARC_OK) return MARC_E_NOMEM;
  uint8_t *o = out->data + out->len;
  size_t i = 0;
  while (i < n) {
    /* Fast path: ASCII with G0 ASCII, up to the last character before
     * anything else (which may be a mark that goes before it). */
    if (st.g0 == MARC8_ASCII && !st.half) {
      size_t j = i;
      while (j < n && in[j] >= 0x20 && in[j] < 0x7F && in[j] != '&') j++;
      if (j < n && in[j] >= 0x80 && j > i) j--;
      if (j > i) {
        size_t used = (size_t)(o - out->data);
        out->len = used;
        if (marc_buf_reserve(out, j - i) != MARC_OK) return MARC_E_NOMEM;
        o = out->data + used;
        memcpy(o, in + i, j - i);
        o += j - i;
        i = j;
        continue;
      }
    }
    /* Room for one cluster. */
    size_t used = (size_t)(o - out->data);
    out->len = used;
    if (marc_buf_reserve(out, (MAX_UNITS + 4) * UNIT_MAX + 8) != MARC_OK)
      return MARC_E_NOMEM;
    o = out->data + used;

    if (in[i] == MARC_SD) {
      o = designate(o, &st, MARC8_ASCII);
      st.half = 0; /* nothing follows in this subfield */
      *o++ = in[i++];
      /* An ASCII code is copied; anything else is text, as the decoder
       * reads it. */
      if (i < n && in[i] > 0x20 && in[i] < 0x7F && in[i] != '&') *o++ = in[i++];
      continue;
    }
    if (in[i] == '&' && n - i >= 3 && in[i + 1] == '#' &&
        (in[i + 2] == 'x' || in[i + 2] == 'X')) {
      /* A literal "&#x" would be read back as a reference: escape it. */
      o = designate(o, &st, MARC8_ASCII);
      o = put_ncr(o, '&');
      i++;
      continue;
    }

    unit u[MAX_UNITS + 4];
    uint32_t cp;
    size_t len;
    int bad;
    NEXT_CP(cp, len, bad);
    size_t nu = units_of(cp, st.g0, u);
    if (u[0].mark && u[0].kind != U_NCR) {
      /* A mark with no base (first in a subfield, or after another
       * mark's cluster was cut): MARC-8 would attach it to the next
       * character, so it goes out as a reference, read back in place. */
      u[0].kind = U_NCR;
      u[0].code = cp;
    }
    if (u[0].kind == U_NCR && !bad)
      MARC__CS_REPORT(MARC_CS_MARC8_UNREPRESENTABLE, cp, i);
    i += len;
    /* The marks that follow the base (a mark with no base before it is a
     * cluster of its own). */
    while (!u[0].mark && i < n && nu < MAX_UNITS && in[i] >= 0x80) {
      size_t l2 = marc__utf8_next(in + i, n - i, &cp);
      if (!l2) break; /* reported as the next cluster's base */
      unit m[4];
      size_t k = units_of(cp, st.g0, m);
      if (k != 1 || !m[0].mark) break;
      if (m[0].kind == U_NCR)
        MARC__CS_REPORT(MARC_CS_MARC8_UNREPRESENTABLE, cp, i);
      u[nu++] = m[0];
      i += l2;
    }
    /* Marks that have a MARC-8 code go first, then the base and whatever
     * else it decomposed to, then marks written as references (those are
     * text, read back where they stand). */
    if (st.half) { /* MARC-8 puts the second half before this base too */
      *o++ = st.half;
      st.half = 0;
    }
    for (size_t k = 1; k < nu; k++)
      if (u[k].mark && u[k].kind != U_NCR) o = put_unit(o, &st, &u[k]);
    o = put_unit(o, &st, &u[0]);
    for (size_t k = 1; k < nu; k++)
      if (!u[k].mark) o = put_unit(o, &st, &u[k]);
    for (size_t k = 1; k < nu; k++)
      if (u[k].mark && u[k].kind == U_NCR) o = put_unit(o, &st, &u[k]);
    for (size_t k = 1; k < nu; k++)
      if (u[k].mark && second_half(u[k].cp)) st.half = second_half(u[k].cp);
  }
  size_t used = (size_t)(o - out->data);
  out->len = used;
  if (marc_buf_reserve(out, 4) != MARC_OK) return MARC_E_NOMEM;
  o = out->data + used;
  o = designate(o, &st, MARC8_ASCII);
  out->len = (size_t)(o - out->data);
  return MARC_OK;
}

marc_status marc_utf8_to_marc8(const uint8_t *in, size_t n, marc_buf *out,
                               const marc_charset_options *opt,
                               marc_charset_log *log) {
  return marc__cs_convert(marc__marc8_encode, in, n, out, opt, log);
}
