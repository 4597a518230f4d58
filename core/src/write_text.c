/* A plain text form for reading at a terminal, in the style of
 * yaz-marcdump's line format:
 *   00366nam  22001698a 4500
 *   001 ocm123
 *   245 10 $a How to program a computer $c Jack Collins
 * Values are written as they are (no escaping): this is for people, the
 * MARCMaker form is the one to read back. */
#include "fmt_utf8.h"
#include "fmt_write.h"
#include "internal.h"
#include "write_care.h"

/* Most bytes a data field can take per byte of its data: 1 for a value
 * byte, 2 for a delimiter and code (" $a "); plus the tag, indicators,
 * text before the first delimiter (" $? ") and the word slack. */
#define FIELD_PER_BYTE 2
#define FIELD_EXTRA 32

static uint8_t *datafield(uint8_t *o, const uint8_t *p, const uint8_t *end,
                          int *changed) {
  /* Text before the first delimiter is a subfield coded '?'. */
  if (p < end && *p != MARC_SD) {
    EMIT(" $? ");
    MARC__COPY_PLAIN(o, p, end, marc__w_eq(w, MARC_SD),
                     MARC__VMASK(MARC__VEQ(v, MARC_SD)));
  }
  /* Here p is at a delimiter; one with no code after it writes nothing. */
  while (p < end && ++p < end) {
    EMIT(" $");
    /* A delimiter right after a delimiter starts the next subfield (as
     * in .mrk, and as marc_write_changes reads it): this one is empty. */
    if (*p == MARC_SD) continue;
    /* A character split by the delimiter is written whole as the code
     * (marc__line_code_len), so the line stays UTF-8. */
    size_t k = marc__line_code_len(p, (size_t)(end - p));
    if (k > 1) {
      memcpy(o, p, k);
      o += k;
    } else {
      *o = (uint8_t)marc__line_byte((char)*p);
      *changed |= *o++ != *p;
    }
    p += k;
    *o++ = ' ';
    MARC__COPY_PLAIN(o, p, end, marc__w_eq(w, MARC_SD),
                     MARC__VMASK(MARC__VEQ(v, MARC_SD)));
  }
  return o;
}

marc_status marc__write_text(const marc_record *rec, marc_buf *out,
                             marc__care *care) {
  if (!rec || !out) return MARC_E_ARG;
  size_t mark = out->len; /* nothing is appended on failure */
  if (marc__fmt_room(out, 1, 0, 32) != MARC_OK) return MARC_E_NOMEM;
  uint8_t *o = out->data + out->len;
  for (size_t i = 0; i < 24; i++) {
    o[i] = (uint8_t)marc__line_byte(rec->leader[i]);
    care->leader |= o[i] != (uint8_t)rec->leader[i];
  }
  o[24] = '\n';
  out->len += 25;
  for (size_t i = 0; i < rec->nfields; i++) {
    const marc_field *f = &rec->fields[i];
    if (marc__fmt_room(out, FIELD_PER_BYTE, f->len, FIELD_EXTRA) != MARC_OK) {
      out->len = mark;
      return MARC_E_NOMEM;
    }
    o = out->data + out->len;
    o[0] = (uint8_t)marc__line_byte(f->tag[0]);
    o[1] = (uint8_t)marc__line_byte(f->tag[1]);
    o[2] = (uint8_t)marc__line_byte(f->tag[2]);
    int changed = o[0] != (uint8_t)f->tag[0] || o[1] != (uint8_t)f->tag[1] ||
                  o[2] != (uint8_t)f->tag[2];
    o += 3;
    const uint8_t *p = rec->bytes + f->off, *end = p + f->len;
    if (marc__is_control(f->tag)) {
      *o++ = ' ';
      memcpy(o, p, f->len);
      o += f->len;
    } else {
      o[0] = ' ';
      o[1] = (uint8_t)marc__line_byte((char)f->ind1);
      o[2] = (uint8_t)marc__line_byte((char)f->ind2);
      changed |= o[1] != f->ind1 || o[2] != f->ind2;
      o = datafield(o + 3, p, end, &changed);
    }
    if (changed) marc__care_field(care, i);
    *o++ = '\n';
    out->len = (size_t)(o - out->data);
  }
  if (marc__fmt_room(out, 1, 0, 1) != MARC_OK) {
    out->len = mark;
    return MARC_E_NOMEM;
  }
  return PUT("\n");
}

marc_status marc_write_text(const marc_record *rec, marc_buf *out) {
  marc__care care = {{0}, 0, 0};
  return marc__write_text(rec, out, &care);
}
