/* marc_write_changes: what a writer changes in a record to keep its
 * output valid, one diagnostic per change, so nothing is changed
 * silently. It follows the writers' own rules (fmt_xmlrules.h for
 * MARCXML), field by field. */
#include "fmt_xmlrules.h"

#include <stdarg.h>
#include <stdio.h>

typedef struct changes {
  const marc_record *rec;
  marc_change_fn fn;
  void *user;
  size_t n;
} changes;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void
report(changes *c, marc_code code, const char *tag, const char *fmt, ...) {
  char msg[MARC_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  marc_diag d;
  memset(&d, 0, sizeof d);
  d.code = code;
  d.msg = msg;
  d.offset = c->rec->offset;
  d.record = c->rec->index;
  if (tag) {
    memcpy(d.tag, tag, 3);
    d.tag[3] = 0;
  }
  c->n++;
  if (c->fn) c->fn(c->user, &d);
}

/* Characters a text writer replaces by U+FFFD. */
static void chars(changes *c, const char *tag, const uint8_t *p, size_t n,
                  const char *what) {
  size_t bad = marc__xr_bad_chars(p, n);
  if (bad)
    report(c, MARC_D_UTF8_INVALID, tag,
           "%zu byte(s) of %s not valid UTF-8 or a control: written as "
           "U+FFFD",
           bad, what);
}

/* A data field that ends in a delimiter with no code after it: no
 * subfield for the text formats to write. */
static void bare_delimiter(changes *c, const marc_field *f) {
  const uint8_t *d = c->rec->bytes + f->off;
  if (f->len && d[f->len - 1] == MARC_SD)
    report(c, MARC_D_SUBFIELD_CODE, f->tag,
           "subfield delimiter with no code at the end of the field "
           "dropped");
}

/* MARC-in-JSON: text outside subfields and bare delimiters are dropped
 * (controls are escaped and kept; bytes that are not UTF-8 are the
 * charset conversion's to report). */
static void json(changes *c) {
  const marc_record *rec = c->rec;
  for (size_t i = 0; i < rec->nfields; i++) {
    const marc_field *f = &rec->fields[i];
    /* A tag, indicator or code is a string of its own: a byte >= 0x80
     * in it is no UTF-8 character and is written as U+FFFD. */
    if (marc__xr_bad_chars((const uint8_t *)f->tag, 3))
      report(c, MARC_D_TAG_INVALID, f->tag,
             "tag byte that is not UTF-8 written as U+FFFD");
    if (marc_tag_is_control(f->tag)) continue;
    if ((uint8_t)f->ind1 >= 0x80 || (uint8_t)f->ind2 >= 0x80)
      report(c, MARC_D_INDICATOR_VALUE, f->tag,
             "indicator byte that is not UTF-8 written as U+FFFD");
    bare_delimiter(c, f);
    /* The subfields' codes, delimiter by delimiter (memchr: most of a
     * field is values). */
    const uint8_t *d = rec->bytes + f->off, *end = d + f->len;
    const uint8_t *q = f->len ? memchr(d, MARC_SD, f->len) : NULL;
    if (!q) q = end;
    if (q > d)
      report(c, MARC_D_SUBFIELD_DELIMITER, f->tag,
             "%u byte(s) before the first subfield delimiter dropped",
             (unsigned)(q - d));
    for (; q + 1 < end;
         q = memchr(q + 2, MARC_SD, (size_t)(end - q - 2)), q = q ? q : end) {
      uint8_t code = q[1];
      if (code == 0)
        report(c, MARC_D_SUBFIELD_CODE, f->tag,
               "subfield code NUL written as \"\\u0000\", which reads back "
               "as no subfield");
      else if (code >= 0x80)
        report(c, MARC_D_SUBFIELD_CODE, f->tag,
               "subfield code 0x%02X written as U+FFFD", (unsigned)code);
    }
  }
}

static void marcxml(changes *c) {
  const marc_record *rec = c->rec;
  char leader[24];
  size_t at = marc__xr_leader(rec->leader, leader);
  if (at)
    report(c, MARC_D_LEADER_VALUE, NULL,
           "leader \"%.24s\" written as \"%.24s\" (MARCXML schema)",
           rec->leader, leader);
  int seen_data = 0;
  for (size_t i = 0; i < rec->nfields; i++) {
    const marc_field *f = &rec->fields[i];
    int control = marc_tag_is_control(f->tag);
    char tag[4];
    if (marc__xr_tag(f->tag, control, tag))
      report(c, MARC_D_TAG_INVALID, f->tag,
             "tag written as \"%s\" (MARCXML schema)", tag);
    if (control) {
      if (seen_data)
        report(c, MARC_D_NOT_MARC, f->tag,
               "control field after data fields: written before them");
      chars(c, f->tag, rec->bytes + f->off, f->len, "the control field");
      continue;
    }
    seen_data = 1;
    bare_delimiter(c, f);
    if (marc__xr_ind(f->ind1) != f->ind1 || marc__xr_ind(f->ind2) != f->ind2)
      report(c, MARC_D_INDICATOR_VALUE, f->tag,
             "indicators 0x%02X 0x%02X written as '%c' '%c'",
             (unsigned)(uint8_t)f->ind1, (unsigned)(uint8_t)f->ind2,
             marc__xr_ind(f->ind1), marc__xr_ind(f->ind2));
    marc_subfield_iter it = marc_subfields(rec, f);
    marc_subfield sf;
    size_t written = 0;
    while (marc_subfield_next(&it, &sf)) {
      int lead = sf.code == 0 && sf.value == rec->bytes + f->off;
      if (lead && !sf.len) continue;
      written++;
      if (lead)
        report(c, MARC_D_SUBFIELD_DELIMITER, f->tag,
               "%u byte(s) before the first subfield delimiter written as "
               "a subfield coded '?'",
               (unsigned)sf.len);
      else if (marc__xr_code(sf.code) != sf.code)
        report(c, MARC_D_SUBFIELD_CODE, f->tag,
               "subfield code 0x%02X written as '?'",
               (unsigned)(uint8_t)sf.code);
      chars(c, f->tag, sf.value, sf.len, "a subfield");
    }
    if (!written)
      report(c, MARC_D_FIELD_EMPTY, f->tag,
             "data field without subfields written with one empty subfield "
             "coded '?'");
  }
}

/* .mrk and text: one-byte positions that cannot be written in a UTF-8
 * line become '?' (marc__line_byte). */
static void lines(changes *c) {
  const marc_record *rec = c->rec;
  for (size_t i = 0; i < 24; i++)
    if (marc__line_byte(rec->leader[i]) != rec->leader[i]) {
      report(c, MARC_D_LEADER_VALUE, NULL,
             "leader/%02zu byte 0x%02X written as '?'", i,
             (unsigned)(uint8_t)rec->leader[i]);
      break;
    }
  for (size_t i = 0; i < rec->nfields; i++) {
    const marc_field *f = &rec->fields[i];
    int bad = 0;
    for (size_t k = 0; k < 3; k++)
      bad |= marc__line_byte(f->tag[k]) != f->tag[k];
    if (bad) report(c, MARC_D_TAG_INVALID, f->tag, "tag byte written as '?'");
    if (marc_tag_is_control(f->tag)) continue;
    if (marc__line_byte(f->ind1) != f->ind1 ||
        marc__line_byte(f->ind2) != f->ind2)
      report(c, MARC_D_INDICATOR_VALUE, f->tag,
             "indicator byte written as '?'");
    const uint8_t *d = rec->bytes + f->off, *end = d + f->len;
    for (const uint8_t *q = d;
         (q = memchr(q, MARC_SD, (size_t)(end - q))) != NULL && q + 1 < end;
         q++)
      if (marc__line_byte((char)q[1]) != (char)q[1] &&
          marc__line_code_len(q + 1, (size_t)(end - q - 1)) == 1) {
        report(c, MARC_D_SUBFIELD_CODE, f->tag,
               "subfield code 0x%02X written as '?'", (unsigned)q[1]);
        break;
      }
  }
}

size_t marc_write_changes(const marc_record *rec, marc_format fmt,
                          marc_change_fn fn, void *user) {
  if (!rec) return 0;
  changes c = {rec, fn, user, 0};
  if (fmt == MARC_FORMAT_MARCXML) marcxml(&c);
  if (fmt == MARC_FORMAT_JSON || fmt == MARC_FORMAT_JSONL) json(&c);
  if (fmt == MARC_FORMAT_MRK || fmt == MARC_FORMAT_TEXT) lines(&c);
  return c.n;
}
