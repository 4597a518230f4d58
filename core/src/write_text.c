/* A plain text form for reading at a terminal, in the style of
 * yaz-marcdump's line format:
 *   00366nam  22001698a 4500
 *   001 ocm123
 *   245 10 $a How to program a computer $c Jack Collins
 * Values are written as they are (no escaping): this is for people, the
 * MARCMaker form is the one to read back. */
#include "fmt_utf8.h"
#include "internal.h"

marc_status marc_write_text(const marc_record *rec, marc_buf *out) {
  if (!rec || !out) return MARC_E_ARG;
  char leader[24];
  for (size_t i = 0; i < 24; i++) leader[i] = marc__line_byte(rec->leader[i]);
  marc_status s = marc_buf_append(out, leader, 24);
  if (s == MARC_OK) s = marc_buf_append(out, "\n", 1);
  for (size_t i = 0; s == MARC_OK && i < rec->nfields; i++) {
    const marc_field *f = &rec->fields[i];
    char tag[3] = {marc__line_byte(f->tag[0]), marc__line_byte(f->tag[1]),
                   marc__line_byte(f->tag[2])};
    s = marc_buf_append(out, tag, 3);
    if (s != MARC_OK) break;
    if (marc__is_control(f->tag)) {
      s = marc_buf_append(out, " ", 1);
      if (s == MARC_OK) s = marc_buf_append(out, rec->bytes + f->off, f->len);
    } else {
      char ind[4] = {' ', marc__line_byte(f->ind1), marc__line_byte(f->ind2),
                     0};
      s = marc_buf_append(out, ind, 3);
      marc_subfield_iter it = marc_subfields(rec, f);
      marc_subfield sf;
      while (s == MARC_OK && marc_subfield_next(&it, &sf)) {
        /* A character split by the delimiter is written whole as the
         * code (marc__line_code_len), so the line stays UTF-8. */
        size_t k = sf.code ? marc__line_code_len(sf.value - 1, sf.len + 1) : 1;
        s = marc_buf_append(out, " $", 2);
        if (s == MARC_OK)
          s = k > 1
                  ? marc_buf_append(out, sf.value - 1, k)
                  : marc_buf_append(out, (char[]){marc__line_byte(sf.code)}, 1);
        if (s == MARC_OK) s = marc_buf_append(out, " ", 1);
        if (s == MARC_OK)
          s = marc_buf_append(out, sf.value + (k - 1), sf.len - (k - 1));
      }
    }
    if (s == MARC_OK) s = marc_buf_append(out, "\n", 1);
  }
  if (s == MARC_OK) s = marc_buf_append(out, "\n", 1);
  return s;
}
