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
#include "write_care.h"

#define NS "http://www.loc.gov/MARC21/slim"

/* Flags the bytes that are not copied as they are: markup characters
 * ('"', '&', '\'', '<', '>'), every C0 control (forbidden ones are
 * replaced, tab/LF/CR are written as character references so that parsers
 * neither normalise nor drop them) and non-ASCII (checked as UTF-8). DEL
 * is allowed by XML 1.0. '&' and '\'' differ only in their low bit, '<'
 * and '>' in bit 1, so one test covers each pair. */
static inline uint64_t xml_hit(uint64_t w) {
  return marc__w_ctl_high(w) | marc__w_eq(w, '"') |
         marc__w_eq(w | MARC__ONES, '\'') |
         marc__w_eq(w | (MARC__ONES * 2), '>');
}

#if MARC__V16
static inline unsigned xml_vhit(__m128i v) {
  __m128i m = MARC__VOR(MARC__VCTL_HIGH(v), MARC__VEQ(v, '"'));
  m = MARC__VOR(m, MARC__VEQ(MARC__VOR(v, MARC__VSET(1)), '\''));
  return MARC__VMASK(MARC__VOR(m, MARC__VEQ(MARC__VOR(v, MARC__VSET(2)), '>')));
}
#endif

/* Writes p[..end) at *op as XML character data (also valid inside an
 * attribute value in double quotes), stopping at a subfield delimiter when
 * `stop_at_delimiter`; returns where it stopped; sets *changed when it
 * wrote a U+FFFD. Room: 6 bytes per input byte (an entity) plus
 * MARC__WORD_SLACK. */
MARC__HOT_INLINE const uint8_t *xml_chars(uint8_t **op, const uint8_t *p,
                                          const uint8_t *end,
                                          int stop_at_delimiter, int *changed) {
  uint8_t *o = *op;
  for (;;) {
    MARC__COPY_PLAIN(o, p, end, xml_hit(w), xml_vhit(v));
    if (p == end) break;
    uint8_t c = *p;
    if (c < 0x80) {
      switch (c) {
      case '&': EMIT("&amp;"); break;
      case '<': EMIT("&lt;"); break;
      case '>': EMIT("&gt;"); break;
      case '"': EMIT("&quot;"); break;
      case '\'': EMIT("&apos;"); break;
      case '\t': EMIT("&#9;"); break;
      case '\n': EMIT("&#10;"); break;
      case '\r': EMIT("&#13;"); break;
      default:
        if (c == MARC_SD && stop_at_delimiter) goto done;
        EMIT(MARC_FMT_FFFD); /* other C0 controls */
        *changed = 1;
        break;
      }
      p++;
      continue;
    }
    size_t k = marc__utf8_seq(p, (size_t)(end - p));
    if (k == 0) {
      EMIT(MARC_FMT_FFFD);
      *changed = 1;
      p++;
    } else if (k == 3 && c == 0xEF && p[1] == 0xBF && p[2] >= 0xBE) {
      /* U+FFFE and U+FFFF are valid UTF-8 but not XML characters. */
      EMIT(MARC_FMT_FFFD);
      *changed = 1;
      p += 3;
    } else {
      memcpy(o, p, k);
      o += k;
      p += k;
    }
  }
done:
  *op = o;
  return p;
}

/* The start tag of a subfield; the code (already mapped by marc__xr_code)
 * may be a markup character. */
static inline uint8_t *subfield_open(uint8_t *o, char code) {
  EMIT("    <subfield code=\"");
  switch (code) {
  case '&': EMIT("&amp;"); break;
  case '<': EMIT("&lt;"); break;
  case '>': EMIT("&gt;"); break;
  case '"': EMIT("&quot;"); break;
  case '\'': EMIT("&apos;"); break;
  default: *o++ = (uint8_t)code; break;
  }
  EMIT("\">");
  return o;
}

/* Most bytes a data field can take per byte of its data: 6 for a
 * character (an entity), and the markup of a subfield (40 bytes) is paid
 * for by its delimiter and code, 20 each; plus the field's own markup,
 * a subfield for text before the first delimiter or for a field with
 * none, and the word slack. */
#define DATAFIELD_PER_BYTE 20
#define DATAFIELD_EXTRA 160

/* The field at o; with `noting`, sets *changed when it changed anything
 * (the rule of fmt_xmlrules.h). `noting` is a constant of each caller:
 * the plain writer (marc_write_marcxml) compiles without the notes. */
MARC__HOT_INLINE uint8_t *datafield(uint8_t *o, const marc_record *rec,
                                    const marc_field *f, int *changed,
                                    const int noting) {
  char tag[4];
  int chg = marc__xr_tag(f->tag, 0, tag);
  /* Mapped tags and indicators are letters, digits or blanks: no entity. */
  EMIT("  <datafield tag=\"");
  memcpy(o, tag, 3);
  o += 3;
  EMIT("\" ind1=\"");
  char ind1 = marc__xr_ind((char)f->ind1), ind2 = marc__xr_ind((char)f->ind2);
  chg |= ((uint8_t)ind1 != f->ind1) | ((uint8_t)ind2 != f->ind2);
  *o++ = (uint8_t)ind1;
  EMIT("\" ind2=\"");
  *o++ = (uint8_t)ind2;
  EMIT("\">\n");
  const uint8_t *p = rec->bytes + f->off, *end = p + f->len;
  /* A delimiter with no code at the end is dropped. */
  chg |= f->len && end[-1] == MARC_SD;
  int written = 0;
  /* Text before the first delimiter: a subfield coded '?'. */
  if (p < end && *p != MARC_SD) {
    o = subfield_open(o, '?');
    p = xml_chars(&o, p, end, 1, &chg);
    EMIT("</subfield>\n");
    written = chg = 1;
  }
  /* Here p is at a delimiter; one with no code after it ends the field
   * and writes nothing. */
  while (p < end && ++p < end) {
    char code = marc__xr_code((char)*p);
    chg |= code != (char)*p++;
    o = subfield_open(o, code);
    p = xml_chars(&o, p, end, 1, &chg);
    EMIT("</subfield>\n");
    written = 1;
  }
  /* The schema wants at least one subfield. */
  if (!written) {
    EMIT("    <subfield code=\"?\"></subfield>\n");
    chg = 1;
  }
  EMIT("  </datafield>\n");
  if (noting) *changed = chg;
  return o;
}

MARC__HOT_INLINE uint8_t *controlfield(uint8_t *o, const marc_record *rec,
                                       const marc_field *f, int *changed,
                                       const int noting) {
  char tag[4];
  int chg = marc__xr_tag(f->tag, 1, tag);
  EMIT("  <controlfield tag=\"");
  memcpy(o, tag, 3);
  o += 3;
  EMIT("\">");
  const uint8_t *p = rec->bytes + f->off;
  xml_chars(&o, p, p + f->len, 0, &chg);
  EMIT("</controlfield>\n");
  if (noting) *changed = chg;
  return o;
}

MARC__HOT_INLINE marc_status write_record(const marc_record *rec, marc_buf *out,
                                          uint32_t flags, marc__care *care,
                                          const int noting) {
  if (!rec || !out) return MARC_E_ARG;
  size_t mark = out->len; /* nothing is appended on failure */
  if (marc__fmt_room(out, 1, 0, 128) != MARC_OK) return MARC_E_NOMEM;
  uint8_t *o = out->data + out->len;
  if (flags & MARC_XML_IN_COLLECTION) EMIT("<record>\n  <leader>");
  else EMIT("<record xmlns=\"" NS "\">\n  <leader>");
  /* The mapped leader is letters, digits and blanks: no entity. */
  size_t leader_changed = marc__xr_leader(rec->leader, (char *)o);
  if (noting) care->leader = leader_changed != 0;
  o += 24;
  EMIT("</leader>\n");
  out->len = (size_t)(o - out->data);
  /* The schema puts every control field before the data fields. */
  for (int pass = 0; pass < 2; pass++) {
    int seen_data = 0;
    for (size_t i = 0; i < rec->nfields; i++) {
      const marc_field *f = &rec->fields[i];
      int control = marc__is_control(f->tag);
      if (control != !pass) {
        seen_data |= !control;
        continue;
      }
      marc_status s = control ? marc__fmt_room(out, 6, f->len, 64)
                              : marc__fmt_room(out, DATAFIELD_PER_BYTE, f->len,
                                               DATAFIELD_EXTRA);
      if (s != MARC_OK) {
        out->len = mark;
        return s;
      }
      o = out->data + out->len;
      int changed = 0;
      o = control ? controlfield(o, rec, f, &changed, noting)
                  : datafield(o, rec, f, &changed, noting);
      /* A control field after a data field is moved before them. */
      if (noting && (changed || (control && seen_data)))
        marc__care_field(care, i);
      out->len = (size_t)(o - out->data);
    }
  }
  if (marc__fmt_room(out, 1, 0, 16) != MARC_OK) {
    out->len = mark;
    return MARC_E_NOMEM;
  }
  return PUT("</record>\n");
}

marc_status marc__write_marcxml(const marc_record *rec, marc_buf *out,
                                uint32_t flags, marc__care *care) {
  return write_record(rec, out, flags, care, 1);
}

marc_status marc_write_marcxml(const marc_record *rec, marc_buf *out,
                               uint32_t flags) {
  return write_record(rec, out, flags, NULL, 0);
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
