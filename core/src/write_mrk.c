/* MARCMaker (.mrk) writer, in the text form MarcEdit writes. */
#include "fmt_utf8.h"
#include "internal.h"

/* Escape one value. In the leader and control fields blanks become '\'
 * (so a literal backslash must become {bsol}); everywhere '$' is the
 * subfield mark, so a literal one becomes {dollar}, and braces, which open
 * mnemonics, become {lcub} and {rcub}. A line feed (or a carriage return
 * ending the value) becomes '?': the line must go on. */
static marc_status put_text(marc_buf *out, const uint8_t *p, size_t n,
                            int fixed) {
  size_t run = 0; /* bytes copied verbatim in one go */
  for (size_t i = 0; i < n; i++) {
    const char *esc = NULL;
    char one = 0;
    /* A subfield code is one byte, or a character split by the delimiter
     * copied whole (marc__line_code_len); else see marc__line_byte. */
    if (!fixed && i && p[i - 1] == MARC_SD &&
        marc__line_byte((char)p[i]) != (char)p[i]) {
      size_t k = marc__line_code_len(p + i, n - i);
      if (k > 1) {
        i += k - 1;
        continue;
      }
      one = '?';
    } else switch (p[i]) {
      case '$': esc = "{dollar}"; break;
      case '{': esc = "{lcub}"; break;
      case '}': esc = "{rcub}"; break;
      case '\\': esc = fixed ? "{bsol}" : NULL; break;
      case ' ': one = fixed ? '\\' : 0; break;
      case MARC_SD: one = fixed ? 0 : '$'; break;
      /* A line break would end the line (a CR only at its end, where
       * CR LF is read as LF): '?', reported by marc_write_changes. */
      case '\n': one = '?'; break;
      case '\r': one = i + 1 == n ? '?' : 0; break;
      default: break;
      }
    if (!esc && !one) continue;
    if (marc_buf_append(out, p + run, i - run) != MARC_OK) return MARC_E_NOMEM;
    if (esc ? marc_buf_append(out, esc, strlen(esc))
            : marc_buf_append(out, &one, 1))
      return MARC_E_NOMEM;
    run = i + 1;
  }
  return marc_buf_append(out, p + run, n - run);
}

marc_status marc_write_mrk(const marc_record *rec, marc_buf *out) {
  if (!rec || !out) return MARC_E_ARG;
  marc_status s = marc_buf_append(out, "=LDR  ", 6);
  char leader[24];
  for (size_t i = 0; i < 24; i++) leader[i] = marc__line_byte(rec->leader[i]);
  if (s == MARC_OK) s = put_text(out, (const uint8_t *)leader, 24, 1);
  if (s == MARC_OK) s = marc_buf_append(out, "\n", 1);
  for (size_t i = 0; s == MARC_OK && i < rec->nfields; i++) {
    const marc_field *f = &rec->fields[i];
    char head[6] = {'=',
                    marc__line_byte(f->tag[0]),
                    marc__line_byte(f->tag[1]),
                    marc__line_byte(f->tag[2]),
                    ' ',
                    ' '};
    s = marc_buf_append(out, head, 6);
    int fixed = marc_tag_is_control(f->tag);
    if (!fixed && s == MARC_OK) {
      char ind[2] = {f->ind1 == ' ' ? '\\' : marc__line_byte(f->ind1),
                     f->ind2 == ' ' ? '\\' : marc__line_byte(f->ind2)};
      s = marc_buf_append(out, ind, 2);
    }
    if (s == MARC_OK) s = put_text(out, rec->bytes + f->off, f->len, fixed);
    if (s == MARC_OK) s = marc_buf_append(out, "\n", 1);
  }
  if (s == MARC_OK) s = marc_buf_append(out, "\n", 1);
  return s;
}
