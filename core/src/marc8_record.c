/* Whole records between MARC-8 and UTF-8. Built on the public record API
 * only (clone, then replace the fields that change), so the copy keeps the
 * source's index, offset and diagnostics. */
#include "marc8.h"
#include "internal.h"

/* Is every field valid UTF-8, with at least one multibyte sequence? That
 * is the mark of a record labelled MARC-8 that is really UTF-8: ANSEL
 * diacritics (0xE0-0xFE) followed by ASCII letters are never valid
 * UTF-8. */
static int looks_utf8(const marc_record *rec) {
  int multi = 0;
  size_t nf = marc_record_field_count(rec);
  for (size_t i = 0; i < nf; i++) {
    const marc_field *f = marc_record_field(rec, i);
    int r = marc_utf8_check(marc_field_data(rec, f), f->len, NULL);
    if (r == MARC_UTF8_INVALID) return 0;
    if (r == MARC_UTF8_MULTIBYTE) multi = 1;
  }
  return multi;
}

/* Is the record's data UTF-8? Reports a mislabelled record. */
static marc_status source_is_utf8(const marc_record *rec, const marc8_ctx *cx,
                                  int *utf8) {
  switch (cx->opt->encoding) {
  case MARC_ENC_MARC8: *utf8 = 0; return MARC_OK;
  case MARC_ENC_UTF8: *utf8 = 1; return MARC_OK;
  case MARC_ENC_AUTO: break;
  default: return MARC_E_ARG;
  }
  char l09 = marc_record_leader(rec)[9];
  *utf8 = l09 == 'a';
  if (!*utf8 && looks_utf8(rec)) {
    *utf8 = 1;
    return marc__cs_report(cx, MARC_CS_ENCODING_MISLABELED, (uint8_t)l09, 9);
  }
  return MARC_OK;
}

typedef enum direction { TO_UTF8, TO_MARC8 } direction;

/* Buffers a record's conversion reuses from field to field. */
typedef struct field_bufs {
  marc_buf out, scratch; /* the field converted; NFC's input */
  marc_buf fixed, tmp;   /* double-encoded UTF-8 repaired; a repair pass */
  size_t repairs;        /* double-encoded sequences repaired so far */
} field_bufs;

/* Repair double-encoded UTF-8 in p[0, *n) (auto encoding only: with
 * MARC_ENC_UTF8 the bytes are kept); *p and *n then name the repaired
 * text. The record's first repair is reported (ENCODING_REPAIRED, with
 * the first character repaired), once per record. */
static marc_status undouble(const uint8_t **p, size_t *n, field_bufs *b,
                            const marc8_ctx *cx) {
  if (cx->opt->encoding != MARC_ENC_AUTO) return MARC_OK;
  size_t at = marc__utf8_doubled(*p, *n);
  if (!at) return MARC_OK;
  size_t fixed = 0;
  marc_status s = marc__utf8_undouble(*p, *n, &b->fixed, &b->tmp, &fixed);
  if (s != MARC_OK || !fixed) return s;
  if (!b->repairs) {
    /* The character the first repaired run stands for, fully undone. */
    marc_buf one = {0}, tmp = {0};
    size_t k = 0, len = *n - (at - 1) < 32 ? *n - (at - 1) : 32;
    uint32_t cp = 0;
    s = marc__utf8_undouble(*p + at - 1, len, &one, &tmp, &k);
    if (s == MARC_OK && one.len) marc__utf8_next(one.data, one.len, &cp);
    marc_buf_free(&one);
    marc_buf_free(&tmp);
    if (s == MARC_OK)
      s = marc__cs_report(cx, MARC_CS_ENCODING_REPAIRED, cp, at - 1);
    if (s != MARC_OK) return s;
  }
  b->repairs += fixed;
  *p = b->fixed.data;
  *n = b->fixed.len;
  return MARC_OK;
}

/* Convert one field's data into b->out (cleared first). */
static marc_status convert_field(const uint8_t *p, size_t n, int src_utf8,
                                 direction dir, field_bufs *b,
                                 const marc8_ctx *cx) {
  marc_buf *out = &b->out, *scratch = &b->scratch;
  out->len = 0;
  if (src_utf8) {
    marc_status s = undouble(&p, &n, b, cx);
    if (s != MARC_OK) return s;
  }
  if (dir == TO_MARC8) return marc__marc8_encode(p, n, out, cx);
  if (src_utf8) {
    if (cx->opt->nfc) return marc__utf8_nfc(p, n, out, cx);
    if (marc_utf8_check(p, n, NULL) != MARC_UTF8_INVALID)
      return marc_buf_append(out, p, n);
    /* Replacing the bad bytes is NFC's first step without the rest. */
    marc8_ctx plain = *cx;
    marc_charset_options o = *cx->opt;
    o.nfc = 0;
    plain.opt = &o;
    scratch->len = 0;
    marc_status s = marc__utf8_nfc(p, n, scratch, &plain);
    if (s == MARC_OK) s = marc_buf_append(out, scratch->data, scratch->len);
    return s;
  }
  if (!cx->opt->nfc) return marc__marc8_decode(p, n, out, cx);
  scratch->len = 0;
  marc_status s = marc__marc8_decode(p, n, scratch, cx);
  if (s == MARC_OK) s = marc__nfc_valid(scratch->data, scratch->len, out);
  return s;
}

/* The record's diagnostics get one entry per problem of this call, with
 * the byte offset in the input stream where the record came from one. */
static marc_status add_diags(marc_record *copy, const marc_record *rec,
                             const marc_charset_log *log, size_t first) {
  static const marc_code codes[MARC_CS_COUNT_] = {
      [MARC_CS_MARC8_UNMAPPED] = MARC_D_MARC8_UNMAPPED,
      [MARC_CS_MARC8_BAD_ESCAPE] = MARC_D_MARC8_BAD_ESCAPE,
      [MARC_CS_MARC8_TRUNCATED] = MARC_D_MARC8_TRUNCATED,
      [MARC_CS_UTF8_INVALID] = MARC_D_UTF8_INVALID,
      [MARC_CS_MARC8_UNREPRESENTABLE] = MARC_D_MARC8_UNREPRESENTABLE,
      [MARC_CS_ENCODING_MISLABELED] = MARC_D_ENCODING_MISLABELED,
      [MARC_CS_ENCODING_REPAIRED] = MARC_D_ENCODING_REPAIRED,
  };
  static const char *const what[MARC_CS_COUNT_] = {
      [MARC_CS_MARC8_UNMAPPED] = "MARC-8 byte 0x%02X has no character in "
                                 "the set in use; U+FFFD written",
      [MARC_CS_MARC8_BAD_ESCAPE] = "unknown MARC-8 escape sequence (0x%02X) "
                                   "skipped",
      [MARC_CS_MARC8_TRUNCATED] = "MARC-8 multibyte character cut short "
                                  "(0x%02X); U+FFFD written",
      [MARC_CS_UTF8_INVALID] = "byte 0x%02X is not valid UTF-8; U+FFFD "
                               "written",
      [MARC_CS_MARC8_UNREPRESENTABLE] = "U+%04X has no MARC-8 form; written "
                                        "as a numeric character reference",
      [MARC_CS_ENCODING_MISLABELED] = "leader/09 is '%c' (MARC-8) but the "
                                      "data is UTF-8; read as UTF-8",
      [MARC_CS_ENCODING_REPAIRED] = "double-encoded UTF-8 (UTF-8 read as "
                                    "Latin-1 and encoded again) repaired; "
                                    "the first character repaired is U+%04X",
  };
  size_t n = log->count < log->cap ? log->count : log->cap;
  /* Only records read from a stream have stream offsets. */
  uint64_t base = marc_record_raw_length(rec) ? marc_record_offset(rec) : 0;
  for (size_t i = first; i < n; i++) {
    const marc_charset_issue *it = &log->items[i];
    if ((unsigned)it->code >= MARC_CS_COUNT_ || !codes[it->code]) continue;
    if (marc__diag_add(copy, codes[it->code], base + it->offset,
                       it->tag[0] ? it->tag : NULL, what[it->code],
                       (unsigned)it->value) != MARC_OK)
      return MARC_E_NOMEM;
  }
  return MARC_OK;
}

static marc_status convert(const marc_record *rec,
                           const marc_charset_options *opt, marc_record **out,
                           marc_charset_log *log, direction dir) {
  static const marc_charset_options defaults = {0};
  if (out) *out = NULL;
  if (!rec || !out) return MARC_E_ARG;
  /* Without a caller's log, problems still reach the record's
   * diagnostics through this one (the first 64 of them). */
  marc_charset_issue local_items[64];
  marc_charset_log local = {local_items, 64, 0};
  if (!log) log = &local;
  size_t first = log->count;
  marc8_ctx cx = {opt ? opt : &defaults, log, 0, ""};
  int utf8;
  marc_status s = source_is_utf8(rec, &cx, &utf8);
  if (s != MARC_OK) return s;

  marc_record *copy = marc_record_clone(rec);
  if (!copy) return MARC_E_NOMEM;
  s = marc_record_set_leader_byte(copy, 9, dir == TO_UTF8 ? 'a' : ' ');
  /* Already in the wanted encoding: only UTF-8 may need repair or NFC. */
  int work = dir == TO_UTF8 || utf8;
  field_bufs b = {0};
  size_t nf = marc_record_field_count(rec);
  for (size_t i = 0; s == MARC_OK && work && i < nf; i++) {
    const marc_field *f = marc_record_field(rec, i);
    const uint8_t *p = marc_field_data(rec, f);
    /* Most fields, control fields nearly all: nothing to convert. */
    if (dir == TO_UTF8 && marc_charset_plain(p, f->len)) continue;
    cx.base = f->off;
    cx.tag = f->tag;
    s = convert_field(p, f->len, utf8, dir, &b, &cx);
    if (s != MARC_OK) break;
    if (b.out.len == f->len &&
        (!b.out.len || memcmp(b.out.data, p, b.out.len) == 0))
      continue; /* unchanged: most control fields, ASCII-only fields */
    /* The data only: a tag the reader returned stays as it was, even one
     * the public setters refuse (a NUL in it). */
    s = marc__record_set_data(copy, i, b.out.data, b.out.len);
  }
  marc_buf_free(&b.out);
  marc_buf_free(&b.scratch);
  marc_buf_free(&b.fixed);
  marc_buf_free(&b.tmp);
  if (s == MARC_OK) s = add_diags(copy, rec, log, first);
  if (s != MARC_OK) {
    marc_record_free(copy);
    return s;
  }
  *out = copy;
  return MARC_OK;
}

marc_status marc_record_to_utf8(const marc_record *rec,
                                const marc_charset_options *opt,
                                marc_record **out, marc_charset_log *log) {
  return convert(rec, opt, out, log, TO_UTF8);
}

marc_status marc_record_to_marc8(const marc_record *rec,
                                 const marc_charset_options *opt,
                                 marc_record **out, marc_charset_log *log) {
  return convert(rec, opt, out, log, TO_MARC8);
}
