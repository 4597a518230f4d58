/* MARC-in-JSON writer (the code4lib format, as YAZ and pymarc write it):
 *   {"leader":"...","fields":[{"001":"..."},
 *    {"245":{"subfields":[{"a":"..."}],"ind1":"1","ind2":"0"}}]}
 * Compact, one record per object, no newline inside, so the same bytes
 * serve a JSON array stream and JSON Lines. */
#include "fmt_utf8.h"
#include "fmt_write.h"
#include "internal.h"
#include "write_care.h"

/* Flags the bytes JSON does not take as they are: '"', '\\', C0 controls
 * (escaped) and non-ASCII (checked as UTF-8). */
static inline uint64_t json_hit(uint64_t w) {
  return marc__w_ctl_high(w) | marc__w_eq(w, '"') | marc__w_eq(w, '\\');
}

#if MARC__V16
static inline unsigned json_vhit(__m128i v) {
  __m128i m = MARC__VOR(MARC__VCTL_HIGH(v), MARC__VEQ(v, '"'));
  return MARC__VMASK(MARC__VOR(m, MARC__VEQ(v, '\\')));
}
#endif

/* Writes p[..end) at *op as the inside of a JSON string, stopping at a
 * subfield delimiter when `stop_at_delimiter`; returns where it stopped.
 * Sets *care at a byte marc_write_changes may report: one written
 * U+FFFD, a control escaped as \u00XX (a NUL, a structural byte).
 * Room: 6 bytes per input byte (\u00XX) plus MARC__WORD_SLACK. */
static inline const uint8_t *json_chars(uint8_t **op, const uint8_t *p,
                                        const uint8_t *end,
                                        int stop_at_delimiter, int *care) {
  static const char hex[] = "0123456789abcdef";
  uint8_t *o = *op;
  for (;;) {
    MARC__COPY_PLAIN(o, p, end, json_hit(w), json_vhit(v));
    if (p == end) break;
    uint8_t c = *p;
    if (c >= 0x80) {
      size_t k = marc__utf8_seq(p, (size_t)(end - p));
      if (k) {
        memcpy(o, p, k);
        o += k;
        p += k;
      } else {
        EMIT(MARC_FMT_FFFD);
        *care = 1;
        p++;
      }
      continue;
    }
    if (c == MARC_SD && stop_at_delimiter) break;
    *o++ = '\\';
    switch (c) {
    case '"': *o++ = '"'; break;
    case '\\': *o++ = '\\'; break;
    case '\n': *o++ = 'n'; break;
    case '\r': *o++ = 'r'; break;
    case '\t': *o++ = 't'; break;
    default: /* other controls, among them MARC's delimiters */
      *care = 1;
      EMIT("u00");
      o[0] = (uint8_t)hex[c >> 4];
      o[1] = (uint8_t)hex[c & 15];
      o += 2;
      break;
    }
    p++;
  }
  *op = o;
  return p;
}

/* A quoted JSON string of n bytes. One-byte strings (subfield codes,
 * indicators) are the most frequent. */
static inline uint8_t *json_str(uint8_t *o, const uint8_t *p, size_t n,
                                int *care) {
  *o++ = '"';
  if (n == 1 && p[0] >= 0x20 && p[0] < 0x80 && p[0] != '"' && p[0] != '\\')
    *o++ = p[0];
  else json_chars(&o, p, p + n, 0, care);
  *o++ = '"';
  return o;
}

/* Most bytes a data field can take per byte of its data: 6 for a
 * character (\u00XX), 7 for a delimiter and code (the 14 bytes of
 * ,{"c":""}); plus the field's own markup and the word slack. */
#define DATAFIELD_PER_BYTE 7
#define DATAFIELD_EXTRA 128

/* `care` as json_chars's, when `noting` (a constant of each caller: the
 * plain writer, marc_write_json, compiles without the notes). */
MARC__HOT_INLINE uint8_t *datafield(uint8_t *o, const marc_record *rec,
                                    const marc_field *f, int *care,
                                    const int noting) {
  EMIT(":{\"subfields\":[");
  const uint8_t *p = rec->bytes + f->off, *end = p + f->len;
  /* A delimiter with no code at the end is dropped. */
  if (noting) *care |= f->len && end[-1] == MARC_SD;
  /* Bytes before the first delimiter have no place in MARC-in-JSON. */
  if (p < end && *p != MARC_SD) {
    *care = 1;
    p = memchr(p, MARC_SD, (size_t)(end - p));
    if (!p) p = end;
  }
  int first = 1;
  /* Here p is at a delimiter; one with no code after it writes nothing. */
  while (p < end && ++p < end) {
    if (!first) *o++ = ',';
    first = 0;
    *o++ = '{';
    o = json_str(o, p++, 1, care);
    EMIT(":\"");
    p = json_chars(&o, p, end, 1, care);
    EMIT("\"}");
  }
  EMIT("],\"ind1\":");
  o = json_str(o, (const uint8_t *)&f->ind1, 1, care);
  EMIT(",\"ind2\":");
  o = json_str(o, (const uint8_t *)&f->ind2, 1, care);
  *o++ = '}';
  return o;
}

MARC__HOT_INLINE marc_status write_record(const marc_record *rec, marc_buf *out,
                                          marc__care *care, const int noting) {
  if (!rec || !out) return MARC_E_ARG;
  size_t mark = out->len; /* nothing is appended on failure */
  /* The leader: 24 bytes of 6 at most, and the markup. */
  if (marc__fmt_room(out, 6, 24, 64) != MARC_OK) return MARC_E_NOMEM;
  uint8_t *o = out->data + out->len;
  EMIT("{\"leader\":");
  /* The leader is 24 one-byte positions: a byte that is no ASCII
   * character (or a NUL, which ends a JSON string for most readers) is
   * written '?', so it reads back as 24 bytes (marc_write_changes reports
   * it). */
  uint8_t leader[24];
  int odd = 0; /* a control (NUL, structural) or a byte from 0x80 */
  for (size_t i = 0; i < 24; i++) {
    uint8_t c = (uint8_t)rec->leader[i];
    odd |= c < 0x20 || c >= 0x80;
    leader[i] = c == 0 || c >= 0x80 ? '?' : c;
  }
  if (noting) care->leader = odd;
  o = json_str(o, leader, 24, &odd);
  EMIT(",\"fields\":[");
  out->len = (size_t)(o - out->data);
  for (size_t i = 0; i < rec->nfields; i++) {
    const marc_field *f = &rec->fields[i];
    int control = marc__is_control(f->tag);
    marc_status s = control ? marc__fmt_room(out, 6, f->len, 64)
                            : marc__fmt_room(out, DATAFIELD_PER_BYTE, f->len,
                                             DATAFIELD_EXTRA);
    if (s != MARC_OK) {
      out->len = mark;
      return s;
    }
    o = out->data + out->len;
    if (i) *o++ = ',';
    *o++ = '{';
    int changed = 0;
    o = json_str(o, (const uint8_t *)f->tag, 3, &changed);
    if (control) {
      *o++ = ':';
      o = json_str(o, rec->bytes + f->off, f->len, &changed);
    } else {
      o = datafield(o, rec, f, &changed, noting);
    }
    if (noting && changed) marc__care_field(care, i);
    *o++ = '}';
    out->len = (size_t)(o - out->data);
  }
  if (marc__fmt_room(out, 1, 0, 8) != MARC_OK) {
    out->len = mark;
    return MARC_E_NOMEM;
  }
  return PUT("]}");
}

marc_status marc__write_json(const marc_record *rec, marc_buf *out,
                             marc__care *care) {
  return write_record(rec, out, care, 1);
}

marc_status marc_write_json(const marc_record *rec, marc_buf *out) {
  return write_record(rec, out, NULL, 0);
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
