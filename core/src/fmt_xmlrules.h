/* What MARC21slim.xsd allows, and the rule that maps every value it does
 * not allow to one it does. The MARCXML writer applies the rule;
 * marc_write_changes reports each change it makes, so the two must share
 * it. The rule, position by position:
 *   leader 00-04, 12-16  digit or blank, else '0'
 *   leader 05, 07-09, 17-19  letter, digit or blank, else blank
 *   leader 06  letter or digit, else 'a' (language material)
 *   leader 10, 11  '2' (two indicators, two-byte codes: how every
 *     record is written), blank allowed
 *   leader 20-23  "4500" (or four blanks, allowed)
 *   tag  a byte that is not an ASCII letter or digit becomes 'X', a
 *     control tag's third byte '0' too ("000" -> "00X"); letters of
 *     mixed case become capitals
 *   indicator  digit, lowercase letter or blank, else blank
 *   subfield code  ASCII graphic but '@' and '|', else '?'
 *   text before a data field's first delimiter, or a data field with no
 *     subfield  a subfield coded '?' (the ISO 2709 writer writes such text,
 *     and a NUL code, the same way: internal.h)
 *   control fields  written before the data fields, in their order
 *   characters  C0 controls but tab, LF, CR, bytes that are not UTF-8,
 *     U+FFFE and U+FFFF  U+FFFD */
#ifndef MARC_FMT_XMLRULES_H
#define MARC_FMT_XMLRULES_H

#include "fmt_utf8.h"
#include "fmt_write.h"
#include "internal.h"

static inline int marc__xr_digit(char c) { return c >= '0' && c <= '9'; }
static inline int marc__xr_alnum(char c) {
  return marc__xr_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* The leader as the schema allows it; returns the first position changed
 * + 1, or 0 when none. */
static inline size_t marc__xr_leader(const char in[24], char out[24]) {
  size_t first = 0;
  for (size_t i = 0; i < 24; i++) {
    char c = in[i], w = c;
    if (i <= 4 || (i >= 12 && i <= 16)) {
      if (!marc__xr_digit(c) && c != ' ') w = '0';
    } else if (i == 6) {
      if (!marc__xr_alnum(c)) w = 'a';
    } else if (i == 10 || i == 11) {
      if (c != '2' && c != ' ') w = '2';
    } else if (i >= 20) {
      if (memcmp(in + 20, "4500", 4) && memcmp(in + 20, "    ", 4))
        w = "4500"[i - 20];
    } else if (!marc__xr_alnum(c) && c != ' ') {
      w = ' ';
    }
    out[i] = w;
    if (w != c && !first) first = i + 1;
  }
  return first;
}

static inline int marc__xr_tag_ok(const char *t, int control) {
  if (control)
    return t[0] == '0' && t[1] == '0' && marc__xr_alnum(t[2]) && t[2] != '0';
  int up = 1, low = 1;
  for (size_t i = 0; i < 3; i++) {
    if (!marc__xr_alnum(t[i])) return 0;
    if (t[i] >= 'a' && t[i] <= 'z') up = 0;
    if (t[i] >= 'A' && t[i] <= 'Z') low = 0;
  }
  if (!up && !low) return 0;
  if (t[0] == '0') return t[1] != '0';
  return 1;
}

/* The tag as the schema allows it (out: 4 bytes); 1 when it changed. */
static inline int marc__xr_tag(const char *tag, int control, char *out) {
  memcpy(out, tag, 3);
  out[3] = 0;
  /* Three digits, as nearly every tag is: allowed unless a control tag
   * ends in '0' or a data tag starts "00". */
  if (marc__xr_digit(tag[0]) && marc__xr_digit(tag[1]) &&
      marc__xr_digit(tag[2]) &&
      (control ? tag[2] != '0' : tag[0] != '0' || tag[1] != '0'))
    return 0;
  for (size_t i = 0; i < 3; i++)
    if (!out[i] || !marc__xr_alnum(out[i])) out[i] = 'X';
  if (control && out[2] == '0') out[2] = 'X';
  if (!marc__xr_tag_ok(out, control))
    for (size_t i = 0; i < 3; i++)
      if (out[i] >= 'a' && out[i] <= 'z') out[i] = (char)(out[i] - 32);
  if (!marc__xr_tag_ok(out, control)) memcpy(out, control ? "00X" : "XXX", 3);
  return memcmp(out, tag, 3) != 0;
}

static inline char marc__xr_ind(char c) {
  return marc__xr_digit(c) || (c >= 'a' && c <= 'z') || c == ' ' ? c : ' ';
}

static inline char marc__xr_code(char c) {
  return c > 0x20 && c < 0x7F && c != '@' && c != '|' ? c : '?';
}

/* Bytes of p[0..n) the writer replaces by U+FFFD. */
static inline size_t marc__xr_bad_chars(const uint8_t *p, size_t n) {
  size_t bad = 0;
  for (size_t i = 0; i < n;) {
    /* Skip printable ASCII a word at a time. */
#if MARC__V16
    while (n - i >= 16 && !MARC__VMASK(MARC__VCTL_HIGH(_mm_loadu_si128(
                              (const __m128i *)(const void *)(p + i)))))
      i += 16;
#endif
    while (n - i >= 8 && !marc__w_ctl_high(marc__load8(p + i))) i += 8;
    if (i == n) break;
    uint8_t c = p[i];
    if (c < 0x80) {
      bad += c < 0x20 && c != '\t' && c != '\n' && c != '\r';
      i++;
      continue;
    }
    size_t k = marc__utf8_seq(p + i, n - i);
    if (k == 0 || (k == 3 && c == 0xEF && p[i + 1] == 0xBF && p[i + 2] >= 0xBE))
      bad++, k = 1;
    i += k;
  }
  return bad;
}

#endif
