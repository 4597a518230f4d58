/* ISO 2709 writer: leader, directory and data area computed from the
 * record model. */
#include "internal.h"

#include <stdlib.h>

/* Decimal digits are most of the writer's work: two at a time from a
 * table instead of a division per digit. `n` is 4 or 5. */
static const char two_digits[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

static void put_digits(uint8_t *p, size_t n, uint32_t v) {
  if (n == 5) {
    *p++ = (uint8_t)('0' + v / 10000);
    v %= 10000;
  }
  memcpy(p, two_digits + 2 * (v / 100), 2);
  memcpy(p + 2, two_digits + 2 * (v % 100), 2);
}

static size_t field_wire_len(const marc_record *rec, const marc_field *f) {
  return f->len + 1 + marc__wire_indicators(rec, f) +
         (marc__iso_code_before(rec, f) ? 2 : 0);
}

/* The record cannot be written: say why in `err` (may be NULL). */
static marc_status too_long(marc_diag *err, const marc_record *rec,
                            const char *tag, marc_code code, const char *msg) {
  if (err) {
    memset(err, 0, sizeof *err);
    err->code = code;
    err->msg = msg;
    err->record = rec->index;
    memcpy(err->tag, tag, strlen(tag) + 1);
  }
  return MARC_E_TOO_LONG;
}

/* Would the record, built or read from another format, come back
 * framed differently? A tag with a control byte, a terminator inside a
 * field, or a structural byte as an indicator. (The text readers repair and
 * report these; records built by callers can still hold them.) Records read
 * from ISO 2709 and unedited are written as they were read, so damaged input
 * stays what it was. */
static marc_status unwritable(const marc_record *rec, marc_diag *err) {
  for (size_t i = 0; i < rec->nfields; i++) {
    const marc_field *f = &rec->fields[i];
    const char *why = NULL;
    /* A tag of printable ASCII that is not letters or digits ("0 2"
     * in real records) is written: it reads back as it was, reported as
     * TAG_INVALID as when it was first read (so is "00\t"). A structural
     * byte would derail the directory, a NUL end the tag early. */
    for (size_t k = 0; k < 3 && !why; k++) {
      uint8_t c = (uint8_t)f->tag[k];
      if (c == 0 || c == MARC_RT || c == MARC_FT || c == MARC_SD)
        why = "tag holds a NUL or structural byte: not written in ISO 2709";
    }
    const uint8_t *d = rec->bytes + f->off;
    if (!why && f->len &&
        (memchr(d, MARC_RT, f->len) || memchr(d, MARC_FT, f->len)))
      why = "field holds a record or field terminator: not written in "
            "ISO 2709";
    if (!why && !marc__is_control(f->tag) &&
        (f->ind1 == MARC_SD || f->ind2 == MARC_SD || f->ind1 == MARC_FT ||
         f->ind2 == MARC_FT || f->ind1 == MARC_RT || f->ind2 == MARC_RT))
      why = "indicator is a structural byte: not written in ISO 2709";
    if (why) {
      if (err) {
        memset(err, 0, sizeof *err);
        err->code = MARC_D_BAD_VALUE;
        err->msg = why;
        err->record = rec->index;
        err->offset = rec->offset;
        memcpy(err->tag, f->tag, 4);
      }
      return MARC_E_INVALID;
    }
  }
  return MARC_OK;
}

marc_status marc_write_iso2709(const marc_record *rec, marc_buf *out,
                               marc_diag *err) {
  if (!rec || !out) return MARC_E_ARG;
  if (!rec->keep_layout) {
    marc_status u = unwritable(rec, err);
    if (u != MARC_OK) return u;
  }
  size_t n = rec->nfields;
  size_t base = 24 + 12 * n + 1;
  size_t total = base + 1;
  for (size_t i = 0; i < n; i++) {
    const marc_field *f = &rec->fields[i];
    size_t flen = field_wire_len(rec, f);
    if (flen > 9999)
      return too_long(err, rec, f->tag, MARC_D_FIELD_TOO_LONG,
                      "field longer than 9,999 bytes cannot be written in "
                      "ISO 2709");
    total += flen;
  }
  if (total > 99999)
    return too_long(err, rec, "", MARC_D_RECORD_TOO_LONG_TO_WRITE,
                    "record longer than 99,999 bytes cannot be written in "
                    "ISO 2709");
  marc_status st;
  uint64_t *order = marc__data_order(rec, &st);
  if (st != MARC_OK) return st;
  if (marc_buf_reserve(out, total) != MARC_OK) {
    free(order);
    return MARC_E_NOMEM;
  }
  uint8_t *p = out->data + out->len;
  memcpy(p, rec->leader, 24);
  /* Records built or read from another format have two indicators and
   * two-byte subfield codes whatever their leader says: leader/10-11 say
   * so (marc_write_changes reports a change), or the record reads back
   * with a diagnostic. */
  if (!rec->keep_layout) p[10] = p[11] = '2';
  put_digits(p, 5, (uint32_t)total);
  put_digits(p + 12, 5, (uint32_t)base);
  uint8_t *data = p + base;
  size_t pos = 0;
  /* Data in data-area order; each directory entry written with its
   * field's position. */
  for (size_t k = 0; k < n; k++) {
    size_t i = order ? (uint32_t)order[k] : k;
    const marc_field *f = &rec->fields[i];
    size_t flen = field_wire_len(rec, f);
    uint8_t *dir = p + 24 + 12 * i;
    memcpy(dir, f->tag, 3);
    put_digits(dir + 3, 4, (uint32_t)flen);
    put_digits(dir + 7, 5, (uint32_t)pos);
    uint8_t *d = data + pos;
    size_t ni = marc__wire_indicators(rec, f);
    if (ni > 0) *d++ = f->ind1;
    if (ni > 1) *d++ = f->ind2;
    /* Text before the first delimiter, a NUL code: see internal.h. */
    if (marc__iso_code_before(rec, f)) {
      *d++ = MARC_SD;
      *d++ = MARC__REPAIRED_CODE;
    }
    if (f->len) memcpy(d, rec->bytes + f->off, f->len);
    if (!rec->keep_layout && !marc__is_control(f->tag))
      for (uint8_t *q = d; (q = (uint8_t *)marc__nul_code(
                                q, f->len - (size_t)(q - d))) != NULL;)
        q[1] = MARC__REPAIRED_CODE;
    d[f->len] = MARC_FT;
    pos += flen;
  }
  free(order);
  p[base - 1] = MARC_FT;
  p[total - 1] = MARC_RT;
  out->len += total;
  return MARC_OK;
}
