/* MARCXML writer (MARC 21 slim schema), laid out as YAZ writes it so that
 * output can be compared with yaz-marcdump's byte for byte:
 *   <record xmlns="http://www.loc.gov/MARC21/slim">
 *     <leader>...</leader>
 *     <controlfield tag="001">...</controlfield>
 *     <datafield tag="245" ind1="1" ind2="0">
 *       <subfield code="a">...</subfield>
 *     </datafield>
 *   </record>
 * Output is always well-formed XML 1.0 in UTF-8 and valid against
 * MARC21slim.xsd, whatever the record holds: fmt_xmlrules.h says how
 * values the schema does not allow are mapped, and marc_write_changes
 * reports each change. */
#include "fmt_utf8.h"
#include "fmt_write.h"
#include "fmt_xmlrules.h"
#include "internal.h"

#define NS "http://www.loc.gov/MARC21/slim"

/* 1 for bytes that are not copied as they are: markup characters, every
 * C0 control (forbidden ones are replaced, tab/LF/CR are written as
 * character references so that parsers neither normalise nor drop them)
 * and non-ASCII (checked as UTF-8). DEL is allowed by XML 1.0. */
/* clang-format off */
static const uint8_t special[256] = {
    MARC__ROW(1), /* 0x00 */
    MARC__ROW(1), /* 0x10 */
    0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 " & ' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, /* 0x30 < > */
    MARC__ROW(0), /* 0x40 */
    MARC__ROW(0), /* 0x50 */
    MARC__ROW(0), /* 0x60 */
    MARC__ROW(0), /* 0x70 */
    MARC__ROWS_HIGH /* 0x80-0xFF */
};
/* clang-format on */

/* Append `n` bytes as XML character data (also valid inside an attribute
 * value in double quotes). */
static marc_status text(marc_buf *out, const uint8_t *p, size_t n) {
  uint8_t *o = out->data + out->len;
  size_t i = 0;
  while (i < n) {
    size_t run = i;
    while (run < n && !special[p[run]]) run++;
    memcpy(o, p + i, run - i);
    o += run - i;
    i = run;
    if (i == n) break;
    const char *e = NULL;
    size_t k = 1; /* input bytes consumed */
    switch (p[i]) {
    case '&': e = "&amp;"; break;
    case '<': e = "&lt;"; break;
    case '>': e = "&gt;"; break;
    case '"': e = "&quot;"; break;
    case '\'': e = "&apos;"; break;
    case '\t': e = "&#9;"; break;
    case '\n': e = "&#10;"; break;
    case '\r': e = "&#13;"; break;
    default:
      if (p[i] >= 0x80) k = marc__utf8_seq(p + i, n - i);
      if (p[i] < 0x20 || k == 0) {
        e = MARC_FMT_FFFD;
        k = 1;
      }
      /* U+FFFE and U+FFFF are valid UTF-8 but not XML characters. */
      if (k == 3 && p[i] == 0xEF && p[i + 1] == 0xBF && p[i + 2] >= 0xBE)
        e = MARC_FMT_FFFD;
      break;
    }
    if (e) {
      size_t el = strlen(e);
      memcpy(o, e, el);
      o += el;
    } else {
      memcpy(o, p + i, k);
      o += k;
    }
    i += k;
  }
  out->len = (size_t)(o - out->data);
  return MARC_OK;
}

static marc_status attr(marc_buf *out, const char *name, const void *v,
                        size_t n) {
  marc_status s = marc__fmt_put(out, name, strlen(name));
  if (s == MARC_OK) s = text(out, v, n);
  if (s == MARC_OK) s = PUT("\"");
  return s;
}

static marc_status datafield(const marc_record *rec, const marc_field *f,
                             marc_buf *out) {
  char tag[4], ind1 = marc__xr_ind(f->ind1), ind2 = marc__xr_ind(f->ind2);
  marc__xr_tag(f->tag, 0, tag);
  marc_status s = attr(out, "  <datafield tag=\"", tag, 3);
  if (s == MARC_OK) s = attr(out, " ind1=\"", &ind1, 1);
  if (s == MARC_OK) s = attr(out, " ind2=\"", &ind2, 1);
  if (s == MARC_OK) s = PUT(">\n");
  marc_subfield_iter it = marc_subfields(rec, f);
  marc_subfield sf;
  size_t written = 0;
  while (s == MARC_OK && marc_subfield_next(&it, &sf)) {
    /* Text before the first delimiter: a subfield coded '?', or nothing
     * when there is none. */
    int lead = sf.code == 0 && sf.value == rec->bytes + f->off;
    if (lead && !sf.len) continue;
    char code = lead ? '?' : marc__xr_code(sf.code);
    s = attr(out, "    <subfield code=\"", &code, 1);
    if (s == MARC_OK) s = PUT(">");
    if (s == MARC_OK) s = text(out, sf.value, sf.len);
    if (s == MARC_OK) s = PUT("</subfield>\n");
    written++;
  }
  /* The schema wants at least one subfield. */
  if (s == MARC_OK && !written)
    s = PUT("    <subfield code=\"?\"></subfield>\n");
  if (s == MARC_OK) s = PUT("  </datafield>\n");
  return s;
}

static marc_status controlfield(const marc_record *rec, const marc_field *f,
                                marc_buf *out) {
  char tag[4];
  marc__xr_tag(f->tag, 1, tag);
  marc_status s = attr(out, "  <controlfield tag=\"", tag, 3);
  if (s == MARC_OK) s = PUT(">");
  if (s == MARC_OK) s = text(out, rec->bytes + f->off, f->len);
  if (s == MARC_OK) s = PUT("</controlfield>\n");
  return s;
}

marc_status marc_write_marcxml(const marc_record *rec, marc_buf *out,
                               uint32_t flags) {
  if (!rec || !out) return MARC_E_ARG;
  if (marc__fmt_bound(rec, out) != MARC_OK) return MARC_E_NOMEM;
  size_t mark = out->len; /* nothing is appended on failure */
  marc_status s = (flags & MARC_XML_IN_COLLECTION)
                      ? PUT("<record>\n  <leader>")
                      : PUT("<record xmlns=\"" NS "\">\n  <leader>");
  char leader[24];
  marc__xr_leader(rec->leader, leader);
  if (s == MARC_OK) s = text(out, (const uint8_t *)leader, 24);
  if (s == MARC_OK) s = PUT("</leader>\n");
  /* The schema puts every control field before the data fields. */
  for (size_t i = 0; s == MARC_OK && i < rec->nfields; i++)
    if (marc_tag_is_control(rec->fields[i].tag))
      s = controlfield(rec, &rec->fields[i], out);
  for (size_t i = 0; s == MARC_OK && i < rec->nfields; i++)
    if (!marc_tag_is_control(rec->fields[i].tag))
      s = datafield(rec, &rec->fields[i], out);
  if (s == MARC_OK) s = PUT("</record>\n");
  if (s != MARC_OK) out->len = mark;
  return s;
}

marc_status marc_write_marcxml_begin(marc_buf *out, uint32_t flags) {
  if (!out) return MARC_E_ARG;
  marc_status s = MARC_OK;
  if (flags & MARC_XML_DECLARATION)
    s = APPEND("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  if (s == MARC_OK) s = APPEND("<collection xmlns=\"" NS "\">\n");
  return s;
}

marc_status marc_write_marcxml_end(marc_buf *out) {
  if (!out) return MARC_E_ARG;
  return APPEND("</collection>\n");
}
