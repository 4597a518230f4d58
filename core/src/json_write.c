/* MARC-in-JSON writer (the code4lib format, as YAZ and pymarc write it):
 *   {"leader":"...","fields":[{"001":"..."},
 *    {"245":{"subfields":[{"a":"..."}],"ind1":"1","ind2":"0"}}]}
 * Compact, one record per object, no newline inside, so the same bytes
 * serve a JSON array stream and JSON Lines. */
#include "fmt_utf8.h"
#include "fmt_write.h"
#include "internal.h"

/* 1 for bytes that are not copied as they are: '"', '\\', C0 controls
 * (escaped) and non-ASCII (checked as UTF-8). */
/* clang-format off */
static const uint8_t special[256] = {
    MARC__ROW(1), /* 0x00 */
    MARC__ROW(1), /* 0x10 */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 " */
    MARC__ROW(0), /* 0x30 */
    MARC__ROW(0), /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50 \ */
    MARC__ROW(0), /* 0x60 */
    MARC__ROW(0), /* 0x70 */
    MARC__ROWS_HIGH /* 0x80-0xFF */
};
/* clang-format on */

/* Append `n` bytes as a quoted JSON string. */
/* Where the run of bytes that JSON takes as they are (printable ASCII but
 * '"' and '\\') ends, from p[i]. Eight bytes at a time: a word holds a
 * byte to escape if one is below 0x20, at or above 0x80, or equal to '"'
 * or '\\' (the classic "has a zero byte" tests, whose lowest flagged byte
 * is always a true one, so its position is exact). Most text is plain,
 * and values are short, so the last partial word is tested the same way
 * from a padded copy. */
static size_t plain_run(const uint8_t *p, size_t i, size_t n) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  while (i < n) {
    uint64_t w;
    if (n - i >= 8) {
      memcpy(&w, p + i, 8);
    } else {
      uint8_t t[8] = {'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'};
      memcpy(t, p + i, n - i);
      memcpy(&w, t, 8);
    }
    uint64_t quote = w ^ (ones * '"'), bslash = w ^ (ones * '\\');
    uint64_t hit = ((w - ones * 0x20) | w | ((quote - ones) & ~quote) |
                    ((bslash - ones) & ~bslash)) &
                   highs;
    if (hit) return i + ((size_t)__builtin_ctzll(hit) >> 3);
    i += 8;
  }
  return n;
#else
  while (i < n && !special[p[i]]) i++;
  return i;
#endif
}

static marc_status str_slow(marc_buf *out, const uint8_t *p, size_t n);

/* A JSON string; room was reserved by marc__fmt_bound(). One-character
 * strings (subfield codes, indicators) are the most frequent: inline. */
static inline marc_status str(marc_buf *out, const uint8_t *p, size_t n) {
  if (n == 1 && !special[p[0]]) {
    uint8_t *o = out->data + out->len;
    o[0] = '"';
    o[1] = p[0];
    o[2] = '"';
    out->len += 3;
    return MARC_OK;
  }
  return str_slow(out, p, n);
}

static marc_status str_slow(marc_buf *out, const uint8_t *p, size_t n) {
  static const char hex[] = "0123456789abcdef";
  uint8_t *o = out->data + out->len;
  *o++ = '"';
  size_t i = 0;
  while (i < n) {
    size_t run = plain_run(p, i, n);
    memcpy(o, p + i, run - i);
    o += run - i;
    i = run;
    if (i == n) break;
    uint8_t c = p[i];
    if (c >= 0x80) {
      size_t k = marc__utf8_seq(p + i, n - i);
      if (k) {
        memcpy(o, p + i, k);
        o += k;
        i += k;
      } else {
        memcpy(o, MARC_FMT_FFFD, 3);
        o += 3;
        i++;
      }
      continue;
    }
    *o++ = '\\';
    switch (c) {
    case '"': *o++ = '"'; break;
    case '\\': *o++ = '\\'; break;
    case '\n': *o++ = 'n'; break;
    case '\r': *o++ = 'r'; break;
    case '\t': *o++ = 't'; break;
    default: /* other controls, among them MARC's delimiters */
      memcpy(o, "u00", 3);
      o[3] = (uint8_t)hex[c >> 4];
      o[4] = (uint8_t)hex[c & 15];
      o += 5;
      break;
    }
    i++;
  }
  *o++ = '"';
  out->len = (size_t)(o - out->data);
  return MARC_OK;
}

static marc_status datafield(const marc_record *rec, const marc_field *f,
                             marc_buf *out) {
  marc_status s = PUT(":{\"subfields\":[");
  marc_subfield_iter it = marc_subfields(rec, f);
  marc_subfield sf;
  int first = 1;
  while (s == MARC_OK && marc_subfield_next(&it, &sf)) {
    /* Bytes before the first delimiter have no place in MARC-in-JSON. */
    if (sf.code == 0 && sf.value == rec->bytes + f->off) continue;
    s = first ? PUT("{") : PUT(",{");
    first = 0;
    if (s == MARC_OK) s = str(out, (const uint8_t *)&sf.code, 1);
    if (s == MARC_OK) s = PUT(":");
    if (s == MARC_OK) s = str(out, sf.value, sf.len);
    if (s == MARC_OK) s = PUT("}");
  }
  if (s == MARC_OK) s = PUT("],\"ind1\":");
  if (s == MARC_OK) s = str(out, &f->ind1, 1);
  if (s == MARC_OK) s = PUT(",\"ind2\":");
  if (s == MARC_OK) s = str(out, &f->ind2, 1);
  if (s == MARC_OK) s = PUT("}");
  return s;
}

marc_status marc_write_json(const marc_record *rec, marc_buf *out) {
  if (!rec || !out) return MARC_E_ARG;
  if (marc__fmt_bound(rec, out) != MARC_OK) return MARC_E_NOMEM;
  size_t mark = out->len; /* nothing is appended on failure */
  marc_status s = PUT("{\"leader\":");
  /* The leader is 24 one-byte positions: a byte that is no ASCII
   * character (or a NUL, which ends a JSON string for most readers) is
   * written '?', so it reads back as 24 bytes (marc_write_changes reports
   * it). */
  uint8_t leader[24];
  for (size_t i = 0; i < 24; i++) {
    uint8_t c = (uint8_t)rec->leader[i];
    leader[i] = c == 0 || c >= 0x80 ? '?' : c;
  }
  if (s == MARC_OK) s = str(out, leader, 24);
  if (s == MARC_OK) s = PUT(",\"fields\":[");
  for (size_t i = 0; s == MARC_OK && i < rec->nfields; i++) {
    const marc_field *f = &rec->fields[i];
    s = i ? PUT(",{") : PUT("{");
    if (s == MARC_OK) s = str(out, (const uint8_t *)f->tag, 3);
    if (s != MARC_OK) break;
    if (marc_tag_is_control(f->tag)) {
      s = PUT(":");
      if (s == MARC_OK) s = str(out, rec->bytes + f->off, f->len);
    } else {
      s = datafield(rec, f, out);
    }
    if (s == MARC_OK) s = PUT("}");
  }
  if (s == MARC_OK) s = PUT("]}");
  if (s != MARC_OK) out->len = mark;
  return s;
}

marc_status marc_write_jsonl(const marc_record *rec, marc_buf *out) {
  marc_status s = marc_write_json(rec, out);
  if (s == MARC_OK) s = APPEND("\n");
  return s;
}

marc_status marc_write_json_begin(marc_buf *out) {
  return out ? APPEND("[\n") : MARC_E_ARG;
}

marc_status marc_write_json_sep(marc_buf *out) {
  return out ? APPEND(",\n") : MARC_E_ARG;
}

marc_status marc_write_json_end(marc_buf *out) {
  return out ? APPEND("\n]\n") : MARC_E_ARG;
}
