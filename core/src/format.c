/* The format enum, its names, the one sniffing rule and the one write
 * dispatch: what the CLI, the tests and the wasm glue used to decide each
 * in its own way. */
#include "internal.h"
#include "write_care.h"

static const struct {
  const char *name;
  marc_format fmt;
} names[] = {
    /* Canonical names first: marc_format_name answers with these. */
    {"auto", MARC_FORMAT_AUTO},
    {"iso2709", MARC_FORMAT_ISO2709},
    {"marcxml", MARC_FORMAT_MARCXML},
    {"json", MARC_FORMAT_JSON},
    {"jsonl", MARC_FORMAT_JSONL},
    {"mrk", MARC_FORMAT_MRK},
    {"text", MARC_FORMAT_TEXT},
    /* Aliases the CLI has always accepted. */
    {"marc", MARC_FORMAT_ISO2709},
    {"mrc", MARC_FORMAT_ISO2709},
    {"xml", MARC_FORMAT_MARCXML},
    {"marcmaker", MARC_FORMAT_MRK},
};

const char *marc_format_name(marc_format fmt) {
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (names[i].fmt == fmt) return names[i].name;
  return "?";
}

marc_format marc_format_from_name(const char *name) {
  for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
    if (!strcmp(names[i].name, name)) return names[i].fmt;
  return MARC_FORMAT_NONE;
}

int marc_format_readable(marc_format fmt) {
  switch (fmt) {
  case MARC_FORMAT_ISO2709:
  case MARC_FORMAT_MRK: return 1;
#ifdef MARCATO_HAVE_MARCXML_READER
  case MARC_FORMAT_MARCXML: return 1;
#endif
#ifdef MARCATO_HAVE_JSON_READER
  case MARC_FORMAT_JSON:
  case MARC_FORMAT_JSONL: return 1;
#endif
  default: return 0;
  }
}

static int is_blank(uint8_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Past the object that starts at p[i] == '{': the index after its closing
 * '}' when it closes before the end of its line, else 0 (it spans lines,
 * or the bytes end first). Strings are skipped so that braces in values do
 * not count; JSON strings hold no raw line break. */
static size_t object_on_line(const uint8_t *p, size_t i, size_t n) {
  size_t depth = 0;
  int in_str = 0, esc = 0;
  for (; i < n; i++) {
    uint8_t c = p[i];
    if (c == '\n') return 0;
    if (in_str) {
      if (esc) esc = 0;
      else if (c == '\\') esc = 1;
      else if (c == '"') in_str = 0;
    } else if (c == '"') {
      in_str = 1;
    } else if (c == '{' || c == '[') {
      depth++;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return 0;
}

/* The rule documented at marc_sniff. `*sure` (may be NULL) is set to 0
 * when more bytes could change the answer: marc_input buffers until then. */
marc_format marc__sniff(const uint8_t *p, size_t n, int *sure) {
  int dummy;
  if (!sure) sure = &dummy;
  *sure = 1;
  size_t i = 0;
  if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) i = 3;
  else if (n < 3 && n && p[0] == 0xEF) *sure = 0; /* maybe a cut BOM */
  while (i < n && is_blank(p[i])) i++;
  if (i == n) {
    *sure = 0;
    return MARC_FORMAT_ISO2709;
  }
  if (p[i] == '<') return MARC_FORMAT_MARCXML;
  if (p[i] == '[') return MARC_FORMAT_JSON;
  if (p[i] == '=') {
    /* "=LDR", or a field line "=245  ": MARCMaker files without leader
     * lines are MARCMaker too, not ISO 2709 garbage. */
    if (n - i >= 4 && !memcmp(p + i, "=LDR", 4)) return MARC_FORMAT_MRK;
    if (n - i >= 6)
      return memcmp(p + i + 4, "  ", 2) ? MARC_FORMAT_ISO2709 : MARC_FORMAT_MRK;
    *sure = 0;
    return MARC_FORMAT_ISO2709;
  }
  if (p[i] != '{') return MARC_FORMAT_ISO2709;
  size_t end = object_on_line(p, i, n);
  if (!end) {
    /* Cut by the end of the bytes, or spanning lines: JSON either way,
     * but only the second is sure. */
    *sure = memchr(p + i, '\n', n - i) != NULL;
    return MARC_FORMAT_JSON;
  }
  while (end < n && (p[end] == ' ' || p[end] == '\t' || p[end] == '\r')) end++;
  if (end == n) {
    *sure = 0;
    return MARC_FORMAT_JSON;
  }
  if (p[end] != '\n') return MARC_FORMAT_JSON; /* "}{" or "},": not lines */
  while (end < n && is_blank(p[end])) end++;
  if (end == n) {
    *sure = 0;
    return MARC_FORMAT_JSON;
  }
  return p[end] == '{' ? MARC_FORMAT_JSONL : MARC_FORMAT_JSON;
}

marc_format marc_sniff(const uint8_t *p, size_t n) {
  return p ? marc__sniff(p, n, NULL) : MARC_FORMAT_ISO2709;
}

/* marc_write; with `care`, each text writer notes in it what it changed
 * (MARCXML and JSON have a plain build without the notes; .mrk and text
 * note into a scratch copy). */
static marc_status write_noting(const marc_record *rec, marc_format fmt,
                                uint32_t flags, marc_buf *out,
                                marc__care *care) {
  if (!rec || !out) return MARC_E_ARG;
  size_t len = out->len;
  marc__care scratch = {{0}, 0, 0};
  marc_status s;
  switch (fmt) {
  case MARC_FORMAT_ISO2709: return marc_write_iso2709(rec, out, NULL);
  case MARC_FORMAT_MARCXML:
    return care
               ? marc__write_marcxml(rec, out, flags & MARC_WRITE_IN_COLLECTION,
                                     care)
               : marc_write_marcxml(rec, out, flags & MARC_WRITE_IN_COLLECTION);
  case MARC_FORMAT_JSON:
    /* The separator goes before the record, so a writer that does not
     * know whether more records follow can still write each at once. */
    s = (flags & MARC_WRITE_IN_COLLECTION) && (flags & MARC_WRITE_NOT_FIRST)
            ? marc_write_json_sep(out)
            : MARC_OK;
    if (s == MARC_OK)
      s = care ? marc__write_json(rec, out, care) : marc_write_json(rec, out);
    break;
  case MARC_FORMAT_JSONL:
    s = care ? marc__write_json(rec, out, care) : marc_write_json(rec, out);
    if (s == MARC_OK) s = marc_buf_append(out, "\n", 1);
    break;
  case MARC_FORMAT_MRK:
    return marc__write_mrk(rec, out, care ? care : &scratch);
  case MARC_FORMAT_TEXT:
    return marc__write_text(rec, out, care ? care : &scratch);
  default: return MARC_E_ARG;
  }
  if (s != MARC_OK) out->len = len; /* nothing appended on failure */
  return s;
}

marc_status marc_write(const marc_record *rec, marc_format fmt, uint32_t flags,
                       marc_buf *out) {
  return write_noting(rec, fmt, flags, out, NULL);
}

marc_status marc_write_reporting(const marc_record *rec, marc_format fmt,
                                 uint32_t flags, marc_buf *out,
                                 marc_change_fn fn, void *user) {
  marc__care care = {{0}, 0, 0};
  marc_status s = write_noting(rec, fmt, flags, out, &care);
  if (s == MARC_E_ARG) return s;
  /* A failed write flags nothing reliably: check the whole record. */
  marc__write_changes_some(rec, fmt, s == MARC_OK ? &care : NULL, fn, user);
  return s;
}

marc_status marc_write_begin(marc_format fmt, uint32_t flags, marc_buf *out) {
  if (!out) return MARC_E_ARG;
  switch (fmt) {
  case MARC_FORMAT_MARCXML:
    return marc_write_marcxml_begin(out, flags & MARC_WRITE_XML_DECLARATION);
  case MARC_FORMAT_JSON: return marc_write_json_begin(out);
  case MARC_FORMAT_AUTO:
  case MARC_FORMAT_NONE: return MARC_E_ARG;
  default: return MARC_OK;
  }
}

marc_status marc_write_end(marc_format fmt, uint32_t flags, marc_buf *out) {
  (void)flags; /* no end has options yet; the argument keeps the calls
                  symmetric */
  if (!out) return MARC_E_ARG;
  switch (fmt) {
  case MARC_FORMAT_MARCXML: return marc_write_marcxml_end(out);
  case MARC_FORMAT_JSON: return marc_write_json_end(out);
  case MARC_FORMAT_AUTO:
  case MARC_FORMAT_NONE: return MARC_E_ARG;
  default: return MARC_OK;
  }
}
