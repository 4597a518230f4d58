/* One interface over the core's readers. The text-format readers exist
 * only where their parser library was found; the build says which. */
#include "source.h"

#include <stdlib.h>
#include <string.h>

struct cli_source {
  cli_in_format format;
  void *reader;
};

cli_source *cli_source_new(cli_in_format f, const marc_reader_options *opt,
                           int *missing) {
  *missing = 0;
  cli_source *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->format = f;
  switch (f) {
  case IN_AUTO:
  case IN_ISO2709: s->reader = marc_reader_new(opt); break;
  case IN_MRK: s->reader = marc_mrk_reader_new(opt); break;
  case IN_MARCXML:
#ifdef MARCATO_HAVE_MARCXML_READER
    s->reader = marc_xml_reader_new(opt);
#else
    *missing = 1;
#endif
    break;
  case IN_JSON:
#ifdef MARCATO_HAVE_JSON_READER
    s->reader = marc_json_reader_new(opt);
#else
    *missing = 1;
#endif
    break;
  }
  if (!s->reader) {
    free(s);
    return NULL;
  }
  return s;
}

/* Dispatch one call to the reader of the source's format. */
#ifdef MARCATO_HAVE_MARCXML_READER
#define CASE_XML(call)                                                         \
  case IN_MARCXML:                                                             \
    return marc_xml_reader_##call;
#else
#define CASE_XML(call)
#endif
#ifdef MARCATO_HAVE_JSON_READER
#define CASE_JSON(call)                                                        \
  case IN_JSON:                                                                \
    return marc_json_reader_##call;
#else
#define CASE_JSON(call)
#endif
#define DISPATCH(fallback, call)                                               \
  switch (s->format) {                                                         \
  case IN_AUTO:                                                                \
  case IN_ISO2709: return marc_reader_##call;                                  \
  case IN_MRK:                                                                 \
    return marc_mrk_reader_##call;                                             \
    CASE_XML(call)                                                             \
    CASE_JSON(call)                                                            \
  default: break;                                                              \
  }                                                                            \
  return fallback

void cli_source_free(cli_source *s) {
  if (!s) return;
  switch (s->format) {
  case IN_AUTO:
  case IN_ISO2709: marc_reader_free(s->reader); break;
  case IN_MRK: marc_mrk_reader_free(s->reader); break;
#ifdef MARCATO_HAVE_MARCXML_READER
  case IN_MARCXML: marc_xml_reader_free(s->reader); break;
#endif
#ifdef MARCATO_HAVE_JSON_READER
  case IN_JSON: marc_json_reader_free(s->reader); break;
#endif
  default: break;
  }
  free(s);
}

marc_status cli_source_feed(cli_source *s, const void *p, size_t n) {
  DISPATCH(MARC_E_STATE, feed(s->reader, p, n));
}

marc_status cli_source_finish(cli_source *s) {
  DISPATCH(MARC_E_STATE, finish(s->reader));
}

marc_status cli_source_next(cli_source *s, marc_record **rec) {
  DISPATCH(MARC_E_STATE, next(s->reader, rec));
}

const marc_diag *cli_source_error(const cli_source *s) {
  DISPATCH(NULL, error(s->reader));
}

cli_in_format cli_sniff(const uint8_t *p, size_t n) {
  size_t i = 0;
  if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) i = 3; /* BOM */
  while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
    i++;
  if (i == n) return IN_ISO2709;
  if (p[i] == '<') return IN_MARCXML;
  if (p[i] == '{' || p[i] == '[') return IN_JSON;
  if (p[i] == '=' && n - i >= 4 && !memcmp(p + i, "=LDR", 4)) return IN_MRK;
  return IN_ISO2709;
}

const char *cli_in_format_name(cli_in_format f) {
  switch (f) {
  case IN_AUTO: return "auto";
  case IN_ISO2709: return "iso2709";
  case IN_MARCXML: return "marcxml";
  case IN_JSON: return "json";
  case IN_MRK: return "mrk";
  }
  return "?";
}
