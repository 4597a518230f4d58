/* Double-encoded UTF-8 ("mojibake"): UTF-8 text read as Latin-1 and
 * encoded as UTF-8 again, once or more. Each byte of a multibyte sequence
 * became a character U+0080-U+00FF: the lead byte a letter U+00C2-U+00F4
 * (bytes C3 82-C3 B4), each continuation byte a C1 control or Latin-1
 * sign U+0080-U+00BF (bytes C2 80-C2 BF). "é" (C3 A9) reads "Ã©" (C3 83
 * C2 A9); a combining acute (CC 81) encoded twice more is C3 83 C2 8C C3
 * 82 C2 81 ("PeÃÂtain" in real records). Such a run is repaired when
 * the bytes it names are one valid multibyte UTF-8 sequence; repairs
 * repeat until none is left. Correct text almost never holds such a
 * pair: a capital A with circumflex or tilde followed by a C1 control or
 * a sign like "©" or "¿". */
#include "marc8.h"
#include "internal.h"

size_t marc__utf8_doubled_at(const uint8_t *p, size_t n, uint8_t out[4]) {
  if (n < 4 || p[0] != 0xC3 || p[1] < 0x82 || p[1] > 0xB4 || p[2] != 0xC2)
    return 0;
  uint8_t lead = (uint8_t)(p[1] + 0x40); /* U+00C2-U+00F4 as a byte */
  size_t len = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  if (n < 2 * len) return 0;
  out[0] = lead;
  for (size_t k = 1; k < len; k++) {
    if (p[2 * k] != 0xC2 || p[2 * k + 1] < 0x80 || p[2 * k + 1] > 0xBF)
      return 0;
    out[k] = p[2 * k + 1];
  }
  uint32_t cp;
  return marc__utf8_next(out, len, &cp) == len ? 2 * len : 0;
}

size_t marc__utf8_doubled(const uint8_t *p, size_t n) {
  /* The run always holds C3 xx C2: find each C3 with memchr. */
  uint8_t seq[4];
  for (const uint8_t *q = p, *end = p + n;
       (q = memchr(q, 0xC3, (size_t)(end - q))) != NULL; q++)
    if (marc__utf8_doubled_at(q, (size_t)(end - q), seq))
      return (size_t)(q - p) + 1;
  return 0;
}

/* One pass: every double-encoded sequence of in[0, n) replaced. */
static marc_status undouble_once(const uint8_t *in, size_t n, marc_buf *out,
                                 size_t *fixed) {
  size_t from = 0;
  uint8_t seq[4];
  for (size_t i = 0; i + 4 <= n;) {
    size_t len = in[i] == 0xC3 ? marc__utf8_doubled_at(in + i, n - i, seq) : 0;
    if (!len) {
      i++;
      continue;
    }
    marc_status s = marc_buf_append(out, in + from, i - from);
    if (s == MARC_OK) s = marc_buf_append(out, seq, len / 2);
    if (s != MARC_OK) return s;
    (*fixed)++;
    i += len;
    from = i;
  }
  return marc_buf_append(out, in + from, n - from);
}

marc_status marc__utf8_undouble(const uint8_t *in, size_t n, marc_buf *out,
                                marc_buf *scratch, size_t *fixed) {
  /* Each pass removes one layer; one more finds nothing. A pass never
   * grows the text, so the loop ends. */
  *fixed = 0;
  out->len = 0;
  marc_status s = undouble_once(in, n, out, fixed);
  for (size_t before = 0; s == MARC_OK && *fixed != before;) {
    before = *fixed;
    if (!marc__utf8_doubled(out->data, out->len)) break;
    scratch->len = 0;
    s = marc_buf_append(scratch, out->data, out->len);
    out->len = 0;
    if (s == MARC_OK)
      s = undouble_once(scratch->data, scratch->len, out, fixed);
  }
  return s;
}

/* The bytes from the record's first field to its last when the fields lie
 * in order, at most three ASCII bytes apart (a field terminator, and a
 * data field's indicators), as in a record read from ISO 2709. A walk over
 * them finds every problem a walk per field would (a sequence cannot run
 * over ASCII), without a call per field; what it finds is checked field by
 * field, since the bytes between may hold one. */
static int fields_span(const marc_record *rec, size_t n, const uint8_t **from,
                       size_t *len) {
  const marc_field *fs = marc_record_fields(rec);
  if (!n) return 0;
  const uint8_t *base = marc_field_data(rec, &fs[0]) - fs[0].off;
  for (size_t i = 1; i < n; i++) {
    uint64_t end = (uint64_t)fs[i - 1].off + fs[i - 1].len;
    if (fs[i].off < end || fs[i].off - end > 3) return 0;
    for (uint64_t k = end; k < fs[i].off; k++)
      if (base[k] >= 0x80) return 0;
  }
  *from = base + fs[0].off;
  *len = (size_t)(fs[n - 1].off - fs[0].off) + fs[n - 1].len;
  return 1;
}

int marc_record_utf8_needs_repair(const marc_record *rec,
                                  marc_encoding encoding) {
  size_t n = marc_record_field_count(rec);
  int found = 0;
  const uint8_t *span;
  size_t span_len;
  if (fields_span(rec, n, &span, &span_len)) {
    int doubled = 0;
    if (marc__utf8_walk(span, span_len, NULL,
                        encoding == MARC_ENC_AUTO ? &doubled : NULL) !=
            MARC_UTF8_INVALID &&
        !doubled)
      return 0;
  }
  for (size_t i = 0; i < n; i++) {
    const marc_field *f = marc_record_field(rec, i);
    const uint8_t *d = marc_field_data(rec, f);
    /* No plain-text pretest: the walk skips ASCII runs as fast, and a
     * field it finds plain costs one pass instead of two. */
    if (encoding != MARC_ENC_AUTO) {
      if (marc_utf8_check(d, f->len, NULL) == MARC_UTF8_INVALID) return 1;
      continue;
    }
    /* One walk for validity and double encoding: a clean record costs
     * what the validity check alone does. */
    int doubled = 0;
    if (marc__utf8_walk(d, f->len, NULL, &doubled) == MARC_UTF8_INVALID)
      return 1;
    found |= doubled;
  }
  return found;
}
