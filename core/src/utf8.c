/* UTF-8: validity check, decoding one sequence, problem reporting and the
 * names of the charset problem codes. */
#include "fmt_write.h"
#include "marc8.h"

size_t marc__utf8_next(const uint8_t *p, size_t n, uint32_t *cp) {
  uint32_t c = p[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t len;
  uint32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2, min = 0x80, c &= 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3, min = 0x800, c &= 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4, min = 0x10000, c &= 0x07;
  } else {
    return 0; /* continuation byte, C0/C1 overlong lead, or past F4 */
  }
  if (n < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    c = (c << 6) | (p[i] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  *cp = c;
  return len;
}

int marc_charset_plain(const uint8_t *p, size_t n) {
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  size_t i = 0;
  if (!p) return n == 0;
#if MARC__V16
  /* 16 bytes at a time: from 0x7F (DEL, or negative as signed), ESC, '&'. */
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
    __m128i m =
        MARC__VOR(_mm_cmplt_epi8(v, _mm_setzero_si128()), MARC__VEQ(v, 0x7F));
    m = MARC__VOR(m, MARC__VOR(MARC__VEQ(v, 0x1B), MARC__VEQ(v, '&')));
    if (MARC__VMASK(m)) return 0;
  }
#endif
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    /* A byte >= 0x80, or one equal to ESC, '&' or 0x7F (each "has a zero
     * byte" test after an XOR): flags may spill upward past a true hit,
     * never appear without one. */
    uint64_t esc = w ^ (ones * 0x1B), amp = w ^ (ones * '&'),
             del = w ^ (ones * 0x7F);
    if ((w | ((esc - ones) & ~esc) | ((amp - ones) & ~amp) |
         ((del - ones) & ~del)) &
        highs)
      return 0;
  }
  for (; i < n; i++)
    if (p[i] >= 0x7F || p[i] == 0x1B || p[i] == '&') return 0;
  return 1;
}

int marc__utf8_walk(const uint8_t *p, size_t n, size_t *bad, int *doubled) {
  int multi = 0;
  size_t i = 0;
  uint8_t seq[4];
  if (!p && n) return MARC_UTF8_INVALID;
  while (i < n) {
    /* ASCII runs are the common case: skip them 16 (then eight) bytes at
     * a time, straight to the first byte from 0x80 (a byte-wise step near
     * one cost a failed word test per byte). */
#if MARC__V16
    for (; i + 16 <= n; i += 16) {
      unsigned m =
          MARC__VMASK(_mm_loadu_si128((const __m128i *)(const void *)(p + i)));
      if (m) {
        i += (size_t)__builtin_ctz(m);
        goto multibyte;
      }
    }
#endif
    for (; i + 8 <= n; i += 8) {
      uint64_t high = marc__load8(p + i) & MARC__HIGHS;
      if (high) {
        i += marc__w_first(high);
        goto multibyte;
      }
    }
    while (i < n && p[i] < 0x80) i++;
    if (i >= n) break;
  multibyte:;
    /* Two-byte sequences (Latin letters with diacritics, most of what
     * catalogues hold beyond ASCII) are checked inline. */
    size_t len;
    if (p[i] >= 0xC2 && p[i] <= 0xDF && i + 1 < n &&
        (p[i + 1] & 0xC0) == 0x80) {
      len = 2;
    } else {
      uint32_t cp;
      len = marc__utf8_next(p + i, n - i, &cp);
    }
    if (!len) {
      if (bad) *bad = i;
      return MARC_UTF8_INVALID;
    }
    /* A double-encoded sequence starts C3 xx C2: test only there. */
    if (doubled && !*doubled && p[i] == 0xC3 && i + 3 < n && p[i + 2] == 0xC2)
      *doubled = marc__utf8_doubled_at(p + i, n - i, seq) != 0;
    multi = 1;
    i += len;
  }
  return multi ? MARC_UTF8_MULTIBYTE : MARC_UTF8_ASCII;
}

int marc_utf8_check(const uint8_t *p, size_t n, size_t *bad) {
  return marc__utf8_walk(p, n, bad, NULL);
}

marc_status marc__cs_convert(marc__cs_body body, const uint8_t *in, size_t n,
                             marc_buf *out, const marc_charset_options *opt,
                             marc_charset_log *log) {
  static const marc_charset_options defaults = {0};
  if (!out || (!in && n)) return MARC_E_ARG;
  marc8_ctx cx = {opt ? opt : &defaults, log, 0, ""};
  size_t start = out->len;
  marc_status s = body(in, n, out, &cx);
  if (s != MARC_OK) out->len = start;
  return s;
}

marc_status marc__cs_report(const marc8_ctx *cx, marc_charset_code code,
                            uint32_t value, size_t offset) {
  marc_charset_log *log = cx->log;
  if (log) {
    if (log->count < log->cap && log->items) {
      marc_charset_issue *it = &log->items[log->count];
      it->code = code;
      it->value = value;
      it->offset = cx->base + offset;
      memset(it->tag, 0, sizeof it->tag);
      for (size_t i = 0; i < 3 && cx->tag[i]; i++) it->tag[i] = cx->tag[i];
    }
    log->count++;
  }
  return cx->opt->strict ? MARC_E_INVALID : MARC_OK;
}

const char *marc_charset_code_name(marc_charset_code code) {
  static const char *const names[MARC_CS_COUNT_] = {"NONE",
                                                    "MARC8_UNMAPPED",
                                                    "MARC8_BAD_ESCAPE",
                                                    "MARC8_TRUNCATED",
                                                    "UTF8_INVALID",
                                                    "MARC8_UNREPRESENTABLE",
                                                    "ENCODING_MISLABELED",
                                                    "ENCODING_REPAIRED"};
  if ((unsigned)code >= MARC_CS_COUNT_) return "UNKNOWN";
  return names[code];
}

int marc_record_utf8_invalid(const marc_record *rec) {
  size_t n = marc_record_field_count(rec);
  for (size_t i = 0; i < n; i++) {
    const marc_field *f = marc_record_field(rec, i);
    const uint8_t *d = marc_field_data(rec, f);
    if (marc_utf8_check(d, f->len, NULL) == MARC_UTF8_INVALID) return 1;
  }
  return 0;
}
