/* MARCXML reader on expat. Input is handed to expat in slices; the
 * handler that sees </record> suspends the parser (XML_StopParser,
 * resumable), so one record is built at a time however large the
 * collection, and next resumes where expat stopped. Elements are matched
 * by local name, so "marc:record" and "record" are the same. */
#include <expat.h>

#include "fmt_reader.h"

#include <stdlib.h>

#define SLICE 65536 /* bytes handed to expat per call */

enum { NONE, LEADER, CONTROL, SUBFIELD }; /* what text is gathered for */

struct marc_xml_reader {
  marc__fmt c;
  XML_Parser xp;
  int final_done, suspended, stopped, ended, nomem;
  marc_status ready; /* outcome of the record just completed */
  /* Where the parse is. */
  int depth;        /* element depth inside <record> (1 = record itself) */
  int skip;         /* depth inside an element that is ignored */
  int junk;         /* depth inside an element outside records */
  uint64_t junk_at; /* where that element starts */
  int text_for;     /* NONE, LEADER, CONTROL, SUBFIELD */
  int in_data;      /* inside <datafield> */
  int field_ok;     /* the field's tag is usable */
  int oversize;     /* the record outgrew max_record */
  char tag[4], ind1, ind2, code;
  marc_buf text;  /* character data of the element being read */
  marc_buf field; /* subfield data of the datafield being read */
};

static uint64_t here(const marc_xml_reader *r) {
  /* Expat has no position (-1) when it has not parsed a byte, as for
   * empty input: the end of what was fed is where it stopped. */
  XML_Index at = XML_GetCurrentByteIndex(r->xp);
  return at < 0 ? r->c.ext_off + r->c.n : (uint64_t)at;
}

static const char *local(const XML_Char *name) {
  const char *colon = strrchr(name, ':');
  return colon ? colon + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *want) {
  for (size_t i = 0; atts[i]; i += 2)
    if (strcmp(local(atts[i]), want) == 0) return atts[i + 1];
  return NULL;
}

/* Handlers cannot return an error: an allocation failure aborts the parse
 * and next reports MARC_E_NOMEM. */
static void check(marc_xml_reader *r, marc_status s) {
  if (s == MARC_E_NOMEM && !r->nomem) {
    r->nomem = 1;
    XML_StopParser(r->xp, XML_FALSE);
  }
}

static void diag(marc_xml_reader *r, marc_code code, const char *tag,
                 const char *msg, const char *arg) {
  check(r, marc__diag_add(r->c.rec, code, here(r), tag, "%s%.40s", msg,
                          arg ? arg : ""));
}

/* One byte from an attribute meant to hold one character. */
static char one_byte(marc_xml_reader *r, const char *v, const char *what) {
  if (v && v[0] && !v[1]) return v[0];
  diag(r, MARC__D_INDICATOR, r->tag, what,
       v && v[0] ? " is not one byte; first byte kept"
                 : " missing; blank used");
  return v && v[0] ? v[0] : ' ';
}

static void add_field(marc_xml_reader *r, const void *data, size_t len) {
  if (!r->field_ok) return;
  marc_record *rec = r->c.rec;
  if (marc__fmt_size(&r->c) + len > r->c.opt.max_record) {
    if (!r->oversize)
      diag(r, MARC_D_RECORD_OVERSIZE, r->tag,
           "record longer than the max_record limit; fields dropped", NULL);
    r->oversize = 1;
    return;
  }
  marc_status s =
      marc_record_append_field(rec, r->tag, r->ind1, r->ind2, data, len);
  if (s == MARC_E_TOO_LONG)
    diag(r, MARC_D_RECORD_OVERSIZE, r->tag, "field dropped", NULL);
  else check(r, s);
}

static void read_tag(marc_xml_reader *r, const char **atts, int control) {
  const char *t = attr(atts, "tag");
  r->field_ok = t && strlen(t) == 3;
  memset(r->tag, 0, sizeof r->tag);
  if (!r->field_ok) {
    diag(r, MARC_D_TAG_INVALID, NULL,
         "tag attribute is not three bytes: ", t ? t : "(missing)");
    return;
  }
  memcpy(r->tag, t, 3);
  if (control != marc_tag_is_control(r->tag))
    diag(r, MARC__D_NOT_MARC, r->tag,
         control ? "controlfield tag is not 00X: stored as a data field"
                 : "datafield tag is 00X: stored as a control field",
         NULL);
}

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **atts) {
  marc_xml_reader *r = ud;
  const char *n = local(name);
  if (r->depth == 0) { /* outside records */
    if (r->junk) {
      r->junk++;
    } else if (strcmp(n, "record") == 0) {
      check(r, marc__fmt_open(&r->c, here(r)));
      r->depth = 1;
      r->skip = r->text_for = r->in_data = r->oversize = 0;
    } else if (strcmp(n, "collection") != 0) {
      /* Not a record: its bytes, tags to end tag, become junk. */
      r->junk = 1;
      r->junk_at = here(r);
    }
    return;
  }
  r->depth++;
  if (r->skip) {
    r->skip++;
    return;
  }
  r->text.len = 0;
  if (r->depth == 2 && strcmp(n, "leader") == 0) {
    r->text_for = LEADER;
  } else if (r->depth == 2 && strcmp(n, "controlfield") == 0) {
    read_tag(r, atts, 1);
    r->ind1 = r->ind2 = ' ';
    r->text_for = CONTROL;
  } else if (r->depth == 2 && strcmp(n, "datafield") == 0) {
    read_tag(r, atts, 0);
    r->ind1 = one_byte(r, attr(atts, "ind1"), "ind1");
    r->ind2 = one_byte(r, attr(atts, "ind2"), "ind2");
    r->in_data = 1;
    r->field.len = 0;
  } else if (r->depth == 3 && r->in_data && strcmp(n, "subfield") == 0) {
    const char *v = attr(atts, "code");
    r->text_for = SUBFIELD;
    r->code = v && v[0] ? v[0] : 0;
    if (!v || !v[0] || v[1])
      diag(r, MARC__D_CODE, r->tag,
           v && v[0] ? "subfield code is not one byte; first byte kept: "
                     : "subfield code missing; subfield dropped",
           v);
  } else {
    diag(r, MARC__D_NOT_MARC, NULL, "element ignored: ", n);
    r->skip = 1;
  }
}

static void set_leader(marc_xml_reader *r) {
  marc_record *rec = r->c.rec;
  size_t len = r->text.len;
  memset(rec->leader, ' ', 24);
  if (len) /* an empty <leader/> has no text buffer yet */
    memcpy(rec->leader, r->text.data, len < 24 ? len : 24);
  if (len != 24)
    check(r, marc__diag_add(rec, MARC_D_LEADER_SHORT, here(r), NULL,
                            "leader has %zu bytes, not 24", len));
}

/* The subfield being read, appended to its datafield. */
static void end_subfield(marc_xml_reader *r) {
  if (!r->code) return;
  uint8_t head[2] = {MARC_SD, (uint8_t)r->code};
  marc_status s = marc_buf_append(&r->field, head, 2);
  if (s == MARC_OK)
    s = marc__fmt_value(r->c.rec, &r->field, r->text.data, r->text.len, r->tag,
                        here(r));
  check(r, s);
}

static void XMLCALL on_end(void *ud, const XML_Char *name) {
  marc_xml_reader *r = ud;
  (void)name; /* expat has checked that it matches the start tag */
  if (r->junk && --r->junk == 0) {
    uint64_t end = here(r) + (uint64_t)XML_GetCurrentByteCount(r->xp);
    marc__fmt_junk(&r->c, r->junk_at, end - r->junk_at);
  }
  if (r->depth == 0) return;
  int depth = r->depth--;
  if (r->skip) {
    r->skip--;
    return;
  }
  int text_for = r->text_for;
  r->text_for = NONE;
  if (depth == 1) { /* </record> */
    uint64_t end = here(r) + (uint64_t)XML_GetCurrentByteCount(r->xp);
    marc_record *unused;
    r->ready = marc__fmt_close(&r->c, end, &unused);
    XML_StopParser(r->xp, XML_TRUE); /* resumed by the next call */
  } else if (text_for == LEADER) {
    set_leader(r);
  } else if (text_for == CONTROL) {
    add_field(r, r->text.data, r->text.len);
  } else if (text_for == SUBFIELD) {
    end_subfield(r);
  } else if (r->in_data && depth == 2) {
    r->in_data = 0;
    add_field(r, r->field.data, r->field.len);
  }
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len) {
  marc_xml_reader *r = ud;
  if (r->skip) return;
  /* Text outside the elements that hold values (between records, mixed
   * content) is ignored: expat may deliver it in any number of pieces. */
  if (r->text_for == NONE) return;
  if (r->text.len + (size_t)len > r->c.opt.max_record) {
    if (!r->oversize)
      diag(r, MARC_D_RECORD_OVERSIZE, r->tag,
           "element text longer than the max_record limit was cut", NULL);
    r->oversize = 1;
    return;
  }
  check(r, marc_buf_append(&r->text, s, (size_t)len));
}

/* An external entity reference (&xxe; declared SYSTEM "..."): not read,
 * so its text is missing from the value; a diagnostic says so. */
static int XMLCALL on_external(XML_Parser p, const XML_Char *context,
                               const XML_Char *base, const XML_Char *system,
                               const XML_Char *pub) {
  marc_xml_reader *r = (marc_xml_reader *)p;
  (void)base, (void)pub;
  if (r->c.open)
    check(r, marc__diag_add(r->c.rec, MARC_D_NOT_MARC, here(r), r->tag,
                            "external entity &%.40s; (\"%.40s\") not read; "
                            "its text is missing",
                            context ? context : "", system ? system : ""));
  return XML_STATUS_OK;
}

marc_xml_reader *marc_xml_reader_new(const marc_reader_options *opt) {
  marc_xml_reader *r = marc__fmt_new(sizeof *r, opt);
  if (!r) return NULL;
  if (!(r->xp = XML_ParserCreate(NULL))) {
    marc_xml_reader_free(r);
    return NULL;
  }
  XML_SetUserData(r->xp, r);
  XML_SetElementHandler(r->xp, on_start, on_end);
  XML_SetCharacterDataHandler(r->xp, on_text);
  /* External entities are never fetched; each reference is said. */
  XML_SetExternalEntityRefHandler(r->xp, on_external);
  XML_SetExternalEntityRefHandlerArg(r->xp, r);
  return r;
}

void marc_xml_reader_free(marc_xml_reader *r) {
  if (!r) return;
  if (r->xp) XML_ParserFree(r->xp);
  marc__fmt_free(r, &r->c, &r->text, &r->field);
}

MARC__FMT_READER_CALLS(marc_xml_reader)

/* Expat stopped on a syntax error: keep what the record it cut holds. */
static marc_status syntax_error(marc_xml_reader *r, marc_record **out) {
  r->stopped = 1;
  uint64_t at = here(r);
  /* No line/column: expat counts a CR LF cut by a chunk boundary as two
   * line ends, and results must not depend on the chunking. The byte
   * offset says where. */
  char what[MARC_MSG_MAX];
  snprintf(what, sizeof what, "XML not well-formed: %s",
           XML_ErrorString(XML_GetErrorCode(r->xp)));
  if (!r->c.open) return marc__fmt_fail(&r->c, MARC__D_SYNTAX, at, "%s", what);
  if (r->text_for == SUBFIELD) end_subfield(r);
  if (r->text_for == CONTROL) add_field(r, r->text.data, r->text.len);
  if (r->in_data) add_field(r, r->field.data, r->field.len);
  if (marc__diag_add(r->c.rec, MARC__D_SYNTAX, at, NULL, "%s", what) ||
      r->nomem)
    return MARC_E_NOMEM;
  return marc__fmt_close(&r->c, at, out);
}

marc_status marc_xml_reader_next(marc_xml_reader *r, marc_record **out) {
  if (!r || !out) return MARC_E_ARG;
  for (;;) {
    if (r->nomem) return MARC_E_NOMEM;
    enum XML_Status st;
    if (r->stopped) {
      return MARC_END;
    } else if (r->suspended) {
      r->suspended = 0;
      st = XML_ResumeParser(r->xp);
    } else if (r->c.pos < r->c.n) {
      size_t k = r->c.n - r->c.pos < SLICE ? r->c.n - r->c.pos : SLICE;
      st = XML_Parse(r->xp, (const char *)r->c.ext + r->c.pos, (int)k, 0);
      r->c.pos += k;
    } else if (r->c.finished && !r->final_done) {
      r->final_done = 1;
      st = XML_Parse(r->xp, "", 0, 1);
    } else if (r->c.finished) {
      if (r->ended) return MARC_END;
      r->ended = 1;
      return marc__fmt_end(&r->c);
    } else {
      return MARC_NEED_MORE;
    }
    if (r->nomem) return MARC_E_NOMEM;
    if (st == XML_STATUS_ERROR) return syntax_error(r, out);
    if (st == XML_STATUS_SUSPENDED) { /* a record is complete */
      r->suspended = 1;
      if (r->ready == MARC_OK) *out = r->c.rec;
      return r->ready;
    }
  }
}
