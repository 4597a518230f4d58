/* Internal definitions shared by the core's source files. Not installed. */
#ifndef MARC_INTERNAL_H
#define MARC_INTERNAL_H

#include "marcato.h"

#include <stdint.h>
#include <string.h>

#define MARC_FT 0x1E /* field terminator */
#define MARC_RT 0x1D /* record terminator */
#define MARC_SD 0x1F /* subfield delimiter */

#define MARC_MSG_MAX 128 /* bytes kept per diagnostic message */
#define MARC_DEFAULT_MAX_DIAGS 64
#define MARC_DEFAULT_MAX_RECORD ((size_t)16 << 20)

struct marc_record {
  const uint8_t *bytes; /* what marc_field.off indexes */
  size_t raw_len;       /* length of the framed raw record (0 if built) */
  uint8_t *own;         /* owned storage (builder, clone, copy parse) */
  size_t own_len, own_cap;
  size_t garbage; /* bytes of `own` no field refers to any more */
  int is_view;    /* bytes borrowed from a reader or caller */
  /* Set by parsing, cleared by edits: the writer keeps the data area in
   * the order it was read (some records store fields out of directory
   * order), so reading and writing reproduces a record byte for byte. */
  int keep_layout;
  char leader[24];
  marc_field *fields;
  size_t nfields, fields_cap;
  marc_diag *diags;
  size_t ndiags, diags_cap, max_diags;
  char *msgs; /* diags_cap * MARC_MSG_MAX bytes; diag i's text at i */
  uint64_t index, offset;
};

/* Add a diagnostic (printf-style message) to `rec`. Past max_diags one
 * MARC_D_TOO_MANY_DIAGNOSTICS is kept and the rest dropped. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
marc_status
marc__diag_add(marc_record *rec, marc_code code, uint64_t offset,
               const char *tag, const char *fmt, ...);

/* marc_sniff's rule; `*sure` (may be NULL) is 0 when more bytes could
 * change the answer (format.c). */
marc_format marc__sniff(const uint8_t *p, size_t n, int *sure);

/* Grow the allocation *data of *cap bytes, `used` of them in use, to room
 * for `need` more: doubling from 256 bytes. The caller checks overflow.
 * MARC_E_NOMEM leaves it unchanged. */
marc_status marc__grow(uint8_t **data, size_t *cap, size_t used, size_t need);

/* Reset a record for reuse, keeping its memory. */
void marc__record_clear(marc_record *rec);

/* Ensure room for `extra` more fields. */
marc_status marc__fields_reserve(marc_record *rec, size_t extra);

/* Replace field `at`'s data, keeping its tag and indicators as they are
 * (marc_record_replace_field refuses a tag holding a NUL, which a reader
 * can return): for the charset conversions. */
marc_status marc__record_set_data(marc_record *rec, size_t at, const void *data,
                                  size_t len);

/* When the record keeps a layout whose data area is not in directory
 * order, returns a malloc'd array whose low 32 bits are field indexes in
 * data-area order (ascending offset); else NULL with *status MARC_OK
 * (directory order) or MARC_E_NOMEM. */
uint64_t *marc__data_order(const marc_record *rec, marc_status *status);

/* Binary search in a sorted table: narrows [lo, hi) to the first index
 * at which `less` (an expression of `mid`, the index being tried) is
 * false. For the generated MARC-8 and Unicode tables. */
#define MARC__LOWER_BOUND(lo, hi, less)                                        \
  while ((lo) < (hi)) {                                                        \
    size_t mid = (lo) + ((hi) - (lo)) / 2;                                     \
    if (less) (lo) = mid + 1;                                                  \
    else (hi) = mid;                                                           \
  }

/* The .mrk and text writers write UTF-8 lines: a one-byte position
 * (leader byte, tag byte, indicator, subfield code) holding a byte that
 * is no UTF-8 character or that would end the line is written as '?'
 * (marc_write_changes reports it). */
static inline char marc__line_byte(char c) {
  uint8_t u = (uint8_t)c;
  return u >= 0x80 || u == '\n' || u == '\r' || u == 0 ? '?' : c;
}

/* A field tag .mrk cannot write as it is: "=LDR" starts a record. */
static inline int marc__mrk_leader_tag(const char *tag) {
  return tag[0] == 'L' && tag[1] == 'D' && tag[2] == 'R';
}

/* Control fields are tags "00X"; inline for the hot paths. */
static inline int marc__is_control(const char *tag) {
  return tag[0] == '0' && tag[1] == '0';
}

/* A subfield code MARC 21 allows: a lowercase letter or a digit. */
static inline int marc__subfield_code_ok(uint8_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

/* An indicator MARC 21 allows: blank, a digit or a lowercase letter. */
static inline int marc__indicator_ok(uint8_t c) {
  return c == ' ' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

/* A field whose tag is numeric, whose value is not empty if it is a
 * control field and whose indicators are allowed otherwise: what
 * marc__check_field_head passes without a word, tested inline. */
static inline int marc__field_head_clean(const marc_field *f) {
  const char *t = f->tag;
  if ((unsigned)(t[0] - '0') > 9 || (unsigned)(t[1] - '0') > 9 ||
      (unsigned)(t[2] - '0') > 9)
    return 0;
  if (t[0] == '0' && t[1] == '0') return f->len != 0;
  return marc__indicator_ok(f->ind1) && marc__indicator_ok(f->ind2);
}

/* marc_record_validate in pieces (validate.c), so the pass that also
 * checks a record against a schema (avram_marc.c) scans each field's
 * subfields once. Each returns the problems added, or -1 when out of
 * memory. */
int64_t marc__check_leader(marc_record *rec);
/* A field's tag, an empty control field, the indicators. */
int64_t marc__check_field_head(marc_record *rec, const marc_field *f);
/* The subfield code at `code` (in the field's data) is not allowed. */
int marc__check_subfield_code(marc_record *rec, const marc_field *f,
                              const uint8_t *code);
/* The subfield codes of a data field from `p` (in its data, at a
 * delimiter or before one) on; adds the subfields seen to *count. */
int64_t marc__check_subfields(marc_record *rec, const marc_field *f,
                              const uint8_t *p, size_t *count);
/* A data field with `count` subfields in all: one with none. */
int64_t marc__check_field_end(marc_record *rec, const marc_field *f,
                              size_t count);

/* Indicator bytes the ISO 2709 writer puts before a field's data: none for
 * control fields, else two, or as many as the record had when it is
 * written unedited (keep_layout). */
static inline size_t marc__wire_indicators(const marc_record *rec,
                                           const marc_field *f) {
  if (marc__is_control(f->tag)) return 0;
  return rec->keep_layout && f->ind_missing <= 2 ? 2u - f->ind_missing : 2u;
}

/* Two things read back from ISO 2709 with a diagnostic (SUBFIELD_DELIMITER,
 * SUBFIELD_CODE), and yaz reads the first as a subfield of its own: text
 * before a data field's first subfield delimiter, and a NUL subfield code.
 * An unedited record read from ISO 2709 is written as it was read (it
 * reads back with the diagnostics it was read with). Any other record, from
 * the text readers, a conversion or an edit, gets the MARCXML writer's
 * rule (fmt_xmlrules.h): the text becomes a subfield coded '?', a NUL code
 * '?'. marc_write_changes reports each. */
#define MARC__REPAIRED_CODE '?'

/* Does the ISO 2709 writer put a delimiter and MARC__REPAIRED_CODE before
 * the field's data? */
static inline int marc__iso_code_before(const marc_record *rec,
                                        const marc_field *f) {
  return !rec->keep_layout && f->len && !marc__is_control(f->tag) &&
         rec->bytes[f->off] != MARC_SD;
}

/* The first subfield delimiter in [d, d + n) followed by a NUL code, or
 * NULL. Looks for the NUL first: most fields have none. */
static inline const uint8_t *marc__nul_code(const uint8_t *d, size_t n) {
  const uint8_t *z = n ? memchr(d, 0, n) : NULL;
  for (; z; z = memchr(z + 1, 0, (size_t)(d + n - z - 1)))
    if (z > d && z[-1] == MARC_SD) return z - 1;
  return NULL;
}

/* Parse `n` ASCII digits; returns 1 and sets *out, or 0 if any is not a
 * digit. */
static inline int marc__digits(const uint8_t *p, size_t n, uint32_t *out) {
  uint32_t v = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t d = (uint32_t)p[i] - '0';
    if (d > 9) return 0;
    v = v * 10 + d;
  }
  *out = v;
  return 1;
}

/* Four and five ASCII digits, the directory's and the leader's number
 * widths, checked and converted a word at a time: the directory loop is
 * the reader's hot path. Same results as marc__digits. */
static inline int marc__digits4(const uint8_t *p, uint32_t *out) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint32_t v;
  memcpy(&v, p, 4);
  uint32_t d = v - 0x30303030u;
  /* A byte outside '0'..'9' sets its high bit in d or in d + 0x76. */
  if ((d | (d + 0x76767676u)) & 0x80808080u) return 0;
  uint32_t t = d * 10 + (d >> 8); /* bytes 0 and 2: 2-digit values */
  *out = (t & 0xFF) * 100 + ((t >> 16) & 0xFF);
  return 1;
#else
  return marc__digits(p, 4, out);
#endif
}

static inline int marc__digits5(const uint8_t *p, uint32_t *out) {
  uint32_t d0 = (uint32_t)p[0] - '0', rest;
  if (d0 > 9 || !marc__digits4(p + 1, &rest)) return 0;
  *out = d0 * 10000 + rest;
  return 1;
}

/* A directory entry's field length (4 digits at p) and start (5 digits at
 * p + 4): 1 when all nine are digits. The first eight are checked and
 * paired up in one 64-bit word (the parser's hottest loop). */
static inline int marc__entry_numbers(const uint8_t *p, uint32_t *len,
                                      uint32_t *start) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint64_t v;
  memcpy(&v, p, 8);
  uint64_t d = v - 0x3030303030303030u;
  uint32_t last = (uint32_t)p[8] - '0';
  if (((d | (d + 0x7676767676767676u)) & 0x8080808080808080u) || last > 9)
    return 0;
  /* Bytes 0, 2, 4, 6: two-digit values; then 16-bit lanes 0 and 2:
   * four-digit values (no lane overflows: 99 and 9999 at most). */
  uint64_t t = (d * 10 + (d >> 8)) & 0x00FF00FF00FF00FFu;
  uint64_t u = t * 100 + (t >> 16);
  *len = (uint32_t)(u & 0xFFFF);
  *start = (uint32_t)((u >> 32) & 0xFFFF) * 10 + last;
  return 1;
#else
  return marc__digits(p, 4, len) & marc__digits(p + 4, 5, start);
#endif
}

#endif
