/* marc_write_changes: what a writer changes in a record to keep its
 * output valid, one diagnostic per change, so nothing is changed
 * silently. It follows the writers' own rules (fmt_xmlrules.h for
 * MARCXML), field by field. marc__write_changes_some runs the same checks
 * on the leader and fields a text writer flagged (write_care.h). */
#include "fmt_xmlrules.h"
#include "write_care.h"

#include <stdarg.h>
#include <stdio.h>

typedef struct changes {
  const marc_record *rec;
  marc_change_fn fn;
  void *user;
  size_t n;
  const marc__care *care; /* NULL: check everything */
} changes;

static int leader_wanted(const changes *c) {
  return !c->care || c->care->leader;
}

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

/* A NUL in a field is written "\u0000", which MARC-in-JSON readers that
 * keep strings in C (marcato's own, cJSON) take as the end of the value:
 * the rest of the tag, indicator or value does not come back. */
static void nul_bytes(changes *c, const marc_field *f) {
  int tag = !f->tag[0] || !f->tag[1] || !f->tag[2];
  int ind = !marc_tag_is_control(f->tag) && (!f->ind1 || !f->ind2);
  const uint8_t *d = c->rec->bytes + f->off;
  size_t nul = 0;
  int control = marc_tag_is_control(f->tag);
  for (size_t k = 0; k < f->len; k++) {
    /* A delimiter's code, NUL or not, is checked apart (json below),
     * and is one byte even when it is itself a delimiter: the byte after
     * it is value, as the writer writes it. */
    if (!control && d[k] == MARC_SD) {
      k++;
      continue;
    }
    nul += d[k] == 0;
  }
  if (tag || ind || nul)
    report(c, MARC_D_BAD_VALUE, f->tag,
           "NUL byte(s) in the %s written as \"\\u0000\", where readers "
           "of MARC-in-JSON end the value",
           tag   ? "tag"
           : ind ? "indicators"
                 : "field data");
}

/* MARC-in-JSON: text outside subfields and bare delimiters are dropped
 * (controls are escaped and kept; bytes that are not UTF-8 are the
 * charset conversion's to report). */
static void json(changes *c) {
  const marc_record *rec = c->rec;
  for (size_t i = 0; i < 24 && leader_wanted(c); i++) {
    uint8_t b = (uint8_t)rec->leader[i];
    if (b == 0 || b >= 0x80) {
      report(c, MARC_D_LEADER_VALUE, NULL,
             "leader/%02zu byte 0x%02X written as '?'", i, (unsigned)b);
      break;
    }
  }
  for (size_t i = 0; i < rec->nfields; i++) {
    if (!marc__care_has(c->care, i)) continue;
    const marc_field *f = &rec->fields[i];
    nul_bytes(c, f);
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
  size_t at = leader_wanted(c) ? marc__xr_leader(rec->leader, leader) : 0;
  if (at)
    report(c, MARC_D_LEADER_VALUE, NULL,
           "leader \"%.24s\" written as \"%.24s\" (MARCXML schema)",
           rec->leader, leader);
  int seen_data = 0;
  for (size_t i = 0; i < rec->nfields; i++) {
    const marc_field *f = &rec->fields[i];
    int control = marc_tag_is_control(f->tag);
    if (!marc__care_has(c->care, i)) {
      seen_data |= !control;
      continue;
    }
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

/* .mrk is one line per field: a line feed (or a carriage return ending
 * the field) in a field would end the line: written '?' (write_mrk.c). */
static void mrk_breaks(changes *c, const marc_field *f) {
  const uint8_t *d = c->rec->bytes + f->off;
  size_t bad = 0;
  for (size_t k = 0; k < f->len; k++)
    bad += d[k] == '\n' || (d[k] == '\r' && k + 1 == f->len);
  if (bad)
    report(c, MARC_D_BAD_VALUE, f->tag,
           "%zu line break byte(s) in the field written as '?' (.mrk is "
           "one line per field)",
           bad);
}

static int is_structural(uint8_t b) {
  return b == MARC_RT || b == MARC_FT || b == MARC_SD;
}

/* The text formats (MARC-in-JSON, .mrk) write ISO 2709's structural bytes
 * as they are (escaped in JSON), and their readers repair them as blanks
 * (fmt_reader.h: marc__fmt_repair, marc__fmt_value), so the record does
 * not read back the same: in the leader, as an indicator, and a record or
 * field terminator in a field's data. */
static void text_repairs(changes *c) {
  const marc_record *rec = c->rec;
  for (size_t i = 0; i < 24 && leader_wanted(c); i++)
    if (is_structural((uint8_t)rec->leader[i])) {
      report(c, MARC_D_LEADER_VALUE, NULL,
             "leader/%02zu byte 0x%02X written as it is: read back as a "
             "blank",
             i, (unsigned)(uint8_t)rec->leader[i]);
      break;
    }
  for (size_t i = 0; i < rec->nfields; i++) {
    if (!marc__care_has(c->care, i)) continue;
    const marc_field *f = &rec->fields[i];
    if (!marc_tag_is_control(f->tag) &&
        (is_structural((uint8_t)f->ind1) || is_structural((uint8_t)f->ind2)))
      report(c, MARC_D_INDICATOR_VALUE, f->tag,
             "structural byte as an indicator written as it is: read back "
             "as a blank");
    const uint8_t *d = rec->bytes + f->off;
    size_t bad = 0;
    for (size_t k = 0; k < f->len; k++)
      bad += d[k] == MARC_RT || d[k] == MARC_FT;
    if (bad)
      report(c, MARC_D_BAD_VALUE, f->tag,
             "%zu record or field terminator byte(s) in the field written "
             "as they are: read back as blanks",
             bad);
  }
}

/* .mrk and text: one-byte positions that cannot be written in a UTF-8
 * line become '?' (marc__line_byte). In .mrk, '\\' is the blank of an
 * indicator: an indicator that is a backslash reads back as a blank. */
static void lines(changes *c, int mrk) {
  const marc_record *rec = c->rec;
  for (size_t i = 0; i < 24 && leader_wanted(c); i++)
    if (marc__line_byte(rec->leader[i]) != rec->leader[i]) {
      report(c, MARC_D_LEADER_VALUE, NULL,
             "leader/%02zu byte 0x%02X written as '?'", i,
             (unsigned)(uint8_t)rec->leader[i]);
      break;
    }
  for (size_t i = 0; i < rec->nfields; i++) {
    if (!marc__care_has(c->care, i)) continue;
    const marc_field *f = &rec->fields[i];
    int bad = 0;
    for (size_t k = 0; k < 3; k++)
      bad |= marc__line_byte(f->tag[k]) != f->tag[k];
    if (bad) report(c, MARC_D_TAG_INVALID, f->tag, "tag byte written as '?'");
    if (mrk) mrk_breaks(c, f);
    if (mrk && !bad && marc__mrk_leader_tag(f->tag))
      report(c, MARC_D_TAG_INVALID, f->tag,
             "tag written as \"LD?\": .mrk reads \"=LDR\" as a leader");
    if (marc_tag_is_control(f->tag)) continue;
    if (marc__line_byte(f->ind1) != f->ind1 ||
        marc__line_byte(f->ind2) != f->ind2)
      report(c, MARC_D_INDICATOR_VALUE, f->tag,
             "indicator byte written as '?'");
    else if (mrk && (f->ind1 == '\\' || f->ind2 == '\\'))
      report(c, MARC_D_INDICATOR_VALUE, f->tag,
             "indicator '\\' written as it is: .mrk reads it back as a "
             "blank");
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

/* ISO 2709: leader/10-11 of a record built or read from another format
 * are written "22" (write_iso2709.c); text before a data field's first
 * delimiter and a NUL subfield code are repaired (internal.h). */
static void iso2709(changes *c) {
  const marc_record *rec = c->rec;
  const char *l = rec->leader;
  if (rec->keep_layout) return; /* written as it was read */
  if (l[10] != '2' || l[11] != '2')
    report(c, MARC_D_LEADER_VALUE, NULL,
           "leader/10-11 bytes 0x%02X 0x%02X written as \"22\" (two "
           "indicators, two-byte subfield codes)",
           (unsigned)(uint8_t)l[10], (unsigned)(uint8_t)l[11]);
  for (size_t i = 0; i < rec->nfields; i++) {
    const marc_field *f = &rec->fields[i];
    if (marc__is_control(f->tag)) continue;
    if (marc__iso_code_before(rec, f))
      report(c, MARC_D_SUBFIELD_DELIMITER, f->tag,
             "text before the first subfield delimiter written as a "
             "subfield coded '%c'",
             MARC__REPAIRED_CODE);
    if (marc__nul_code(rec->bytes + f->off, f->len))
      report(c, MARC_D_SUBFIELD_CODE, f->tag,
             "subfield code NUL written as '%c'", MARC__REPAIRED_CODE);
  }
}

/* Nothing flagged: the writer changed nothing. */
static int care_none(const marc__care *care) {
  if (care->leader || care->all) return 0;
  for (size_t k = 0; k < MARC__CARE_FIELDS / 64; k++)
    if (care->field[k]) return 0;
  return 1;
}

size_t marc__write_changes_some(const marc_record *rec, marc_format fmt,
                                const marc__care *care, marc_change_fn fn,
                                void *user) {
  if (!rec) return 0;
  /* ISO 2709's writer flags nothing: its checks are cheap (above). */
  if (fmt == MARC_FORMAT_ISO2709) care = NULL;
  if (care && care_none(care)) return 0;
  changes c = {rec, fn, user, 0, care};
  if (fmt == MARC_FORMAT_ISO2709) iso2709(&c);
  if (fmt == MARC_FORMAT_MARCXML) marcxml(&c);
  if (fmt == MARC_FORMAT_JSON || fmt == MARC_FORMAT_JSONL) json(&c);
  if (fmt == MARC_FORMAT_JSON || fmt == MARC_FORMAT_JSONL ||
      fmt == MARC_FORMAT_MRK)
    text_repairs(&c);
  if (fmt == MARC_FORMAT_MRK || fmt == MARC_FORMAT_TEXT)
    lines(&c, fmt == MARC_FORMAT_MRK);
  return c.n;
}

size_t marc_write_changes(const marc_record *rec, marc_format fmt,
                          marc_change_fn fn, void *user) {
  return marc__write_changes_some(rec, fmt, NULL, fn, user);
}
