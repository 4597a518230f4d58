/* MARCXML reader on expat. Input is handed to expat in slices; the
 * handler that sees </record> suspends the parser (XML_StopParser,
 * resumable), so one record is built at a time however large the
 * collection, and next resumes where expat stopped. Elements are matched
 * by local name, so "marc:record" and "record" are the same.
 *
 * A byte that is not well-formed XML (a stray '&', a NUL, invalid UTF-8)
 * stops expat for good. The record it cut is returned with what it holds;
 * then the bytes are scanned for the next "<record" start tag (any prefix)
 * and a new parser starts there, as yaz and MARC4J try to do, so one bad
 * byte costs one record, not the rest of the file. The record read next
 * says which bytes were skipped. */
#include <expat.h>

#include "fmt_reader.h"

#include <stdlib.h>

#define SLICE 65536  /* bytes handed to expat per call */
#define NAME_MAX_ 64 /* longest element name kept for resynchronising */

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
  /* Recovery after a syntax error (see the top of the file). */
  char encoding[48];        /* the XML declaration's, for the new parser */
  char root[NAME_MAX_];     /* the <collection> element's name as written */
  uint64_t base;            /* input offset of the current parser's byte 0 */
  int resync;               /* scanning for the next <record> */
  int cut_record;           /* the error cut a record (it carries the report) */
  uint64_t error_at;        /* where the error was: skipping starts here */
  uint64_t error_record;    /* offset of the record it cut */
  char error_what[96];      /* expat's message */
  uint8_t skipped_head[12]; /* the first skipped bytes */
  size_t skipped_head_len;
  int no_preview;   /* expat kept no context: the scan started late */
  int skip_pending; /* the next record reports the skip */
  uint64_t skip_len;
  marc_buf carry; /* bytes expat held unparsed at the error */
  size_t carry_pos;
  int in_name; /* the scan is inside "<name" */
  size_t name_len;
  char name[NAME_MAX_];
  uint64_t lt_at;      /* offset of that '<' */
  uint64_t resumed_at; /* the '<' the current parser started at, + 1 */
};

static uint64_t here(const marc_xml_reader *r) {
  /* Expat has no position (-1) when it has not parsed a byte, as for
   * empty input: the end of what was fed is where it stopped. A parser
   * started after an error counts from where it started (base: unsigned
   * arithmetic, exact modulo 2^64 also when the synthetic prefix it was
   * given is longer than the offset). */
  XML_Index at = XML_GetCurrentByteIndex(r->xp);
  return at < 0 ? r->c.ext_off + r->c.n : r->base + (uint64_t)at;
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

/* The record just opened is the first after a syntax error: it says
 * which bytes were skipped to reach it. */
static void report_skip(marc_xml_reader *r) {
  r->skip_pending = 0;
  char after[64];
  if (r->cut_record)
    snprintf(after, sizeof after, "in the record at byte %llu",
             (unsigned long long)r->error_record);
  else snprintf(after, sizeof after, "between records");
  char head[4 * sizeof r->skipped_head + 1];
  size_t n = 0, shown = r->skipped_head_len < r->skip_len ? r->skipped_head_len
                                                          : (size_t)r->skip_len;
  if (r->no_preview) shown = 0;
  for (size_t i = 0; i < shown; i++) {
    uint8_t b = r->skipped_head[i];
    if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') head[n++] = (char)b;
    else n += (size_t)snprintf(head + n, sizeof head - n, "\\x%02X", b);
  }
  head[n] = 0;
  check(r, marc__diag_add(r->c.rec, MARC_D_JUNK, r->error_at, NULL,
                          "XML not well-formed at byte %llu (%s): %llu "
                          "byte(s) skipped to this record: \"%s\"...",
                          (unsigned long long)r->error_at, after,
                          (unsigned long long)r->skip_len, head));
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
      if (r->skip_pending) report_skip(r);
    } else if (strcmp(n, "collection") == 0) {
      if (!r->root[0] && strlen(name) < sizeof r->root)
        memcpy(r->root, name, strlen(name) + 1);
    } else {
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

/* The declaration's encoding, so a parser started after an error reads
 * the rest of the input as the first one did. */
static void XMLCALL on_decl(void *ud, const XML_Char *version,
                            const XML_Char *encoding, int standalone) {
  marc_xml_reader *r = ud;
  (void)version, (void)standalone;
  if (encoding && strlen(encoding) < sizeof r->encoding)
    memcpy(r->encoding, encoding, strlen(encoding) + 1);
}

static XML_Parser new_parser(marc_xml_reader *r) {
  XML_Parser xp = XML_ParserCreate(r->encoding[0] ? r->encoding : NULL);
  if (!xp) return NULL;
  XML_SetUserData(xp, r);
  XML_SetXmlDeclHandler(xp, on_decl);
  XML_SetElementHandler(xp, on_start, on_end);
  XML_SetCharacterDataHandler(xp, on_text);
  /* External entities are never fetched; each reference is said. */
  XML_SetExternalEntityRefHandler(xp, on_external);
  XML_SetExternalEntityRefHandlerArg(xp, r);
  return xp;
}

marc_xml_reader *marc_xml_reader_new(const marc_reader_options *opt) {
  marc_xml_reader *r = marc__fmt_new(sizeof *r, opt);
  if (!r) return NULL;
  if (!(r->xp = new_parser(r))) {
    marc_xml_reader_free(r);
    return NULL;
  }
  return r;
}

void marc_xml_reader_free(marc_xml_reader *r) {
  if (!r) return;
  if (r->xp) XML_ParserFree(r->xp);
  marc_buf_free(&r->carry);
  marc__fmt_free(r, &r->c, &r->text, &r->field);
}

MARC__FMT_READER_CALLS(marc_xml_reader)

/* Keep the bytes expat holds from the error on (they may have come in
 * earlier chunks the caller has since reused): the scan for the next
 * <record> starts at the error, whatever the chunking. Without expat's
 * context buffer the scan starts at the first byte not yet fed. */
static void keep_unparsed(marc_xml_reader *r, uint64_t at) {
  r->carry.len = r->carry_pos = 0;
  r->in_name = 0;
  r->skipped_head_len = 0;
  uint64_t fed = r->c.ext_off + r->c.pos;
  int off = 0, size = 0;
  const char *ctx = XML_GetInputContext(r->xp, &off, &size);
  size_t held = ctx && off >= 0 && size >= off ? (size_t)(size - off) : 0;
  if (held && at + held == fed)
    check(r, marc_buf_append(&r->carry, ctx + off, held));
  r->no_preview = !(held && at + held == fed) && at != fed;
}

/* Expat stopped on a syntax error: keep what the record it cut holds, and
 * start looking for the next record. */
static marc_status syntax_error(marc_xml_reader *r, marc_record **out) {
  uint64_t at = here(r);
  /* No line/column: expat counts a CR LF cut by a chunk boundary as two
   * line ends, and results must not depend on the chunking. The byte
   * offset says where. */
  snprintf(r->error_what, sizeof r->error_what, "%s",
           XML_ErrorString(XML_GetErrorCode(r->xp)));
  keep_unparsed(r, at);
  /* An error in the very start tag reading resumed at: scan from past its
   * '<', or the same tag would be found again and again. */
  if (r->resumed_at && at < r->resumed_at && r->carry.len) {
    size_t past = (size_t)(r->resumed_at - at);
    r->carry_pos = past < r->carry.len ? past : r->carry.len;
  }
  r->resync = 1;
  r->error_at = at;
  r->error_record = r->c.rec->offset;
  r->cut_record = r->c.open;
  if (!r->c.open) return MARC_NEED_MORE; /* said with the next record */
  if (r->text_for == SUBFIELD) end_subfield(r);
  if (r->text_for == CONTROL) add_field(r, r->text.data, r->text.len);
  if (r->in_data) add_field(r, r->field.data, r->field.len);
  if (marc__diag_add(r->c.rec, MARC__D_SYNTAX, at, NULL,
                     "XML not well-formed: %s; the rest of the record is "
                     "lost, reading resumes at the next <record>",
                     r->error_what) ||
      r->nomem)
    return MARC_E_NOMEM;
  return marc__fmt_close(&r->c, at, out);
}

static int name_byte(uint8_t b) {
  return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
         (b >= '0' && b <= '9') || b == '_' || b == '-' || b == '.' ||
         b == ':' || b >= 0x80;
}

/* Scan p[0, n) (input offset `at`) for a "<record" start tag, any prefix,
 * across calls. Returns 1 with *used at the byte after the name. */
static int scan_for_record(marc_xml_reader *r, const uint8_t *p, size_t n,
                           uint64_t at, size_t *used) {
  for (size_t i = 0; i < n; i++) {
    uint8_t b = p[i];
    if (r->in_name) {
      if (name_byte(b)) {
        if (r->name_len + 1 < sizeof r->name) r->name[r->name_len++] = (char)b;
        else r->in_name = 0; /* too long to be one we want */
        continue;
      }
      r->in_name = 0;
      r->name[r->name_len] = 0;
      if ((b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '>' ||
           b == '/') &&
          strcmp(local(r->name), "record") == 0) {
        *used = i;
        return 1;
      }
    }
    if (b == '<') {
      r->in_name = 1;
      r->name_len = 0;
      r->lt_at = at + i;
    }
  }
  *used = n;
  return 0;
}

/* A "<record" was found: a new parser reads on from it, inside the
 * collection element it was in (so the records after it and the
 * collection's end tag read as they would have). */
static enum XML_Status restart(marc_xml_reader *r, const uint8_t *rest,
                               size_t nrest) {
  XML_ParserFree(r->xp);
  if (!(r->xp = new_parser(r))) {
    r->nomem = 1;
    return XML_STATUS_ERROR;
  }
  r->resync = r->final_done = 0;
  r->depth = r->skip = r->junk = r->in_data = 0;
  r->text_for = NONE;
  r->skip_pending = 1;
  r->skip_len = r->lt_at - r->error_at;
  char head[2 * NAME_MAX_ + 8];
  int root =
      snprintf(head, sizeof head, "<%s>", r->root[0] ? r->root : "collection");
  int len =
      root + snprintf(head + root, sizeof head - (size_t)root, "<%s", r->name);
  r->base = r->lt_at - (uint64_t)root;
  r->resumed_at = r->lt_at + 1;
  enum XML_Status st = XML_Parse(r->xp, head, len, 0);
  if (st == XML_STATUS_OK && nrest)
    st = XML_Parse(r->xp, (const char *)rest, (int)nrest, 0);
  return st;
}

/* Input ended with no record after an error. A record the error cut has
 * said so; an error between records is said now. */
static marc_status resync_end(marc_xml_reader *r) {
  r->resync = 0;
  r->ended = r->stopped = 1;
  if (r->cut_record) return marc__fmt_end(&r->c);
  uint64_t end = r->c.ext_off + r->c.n;
  if (end == r->error_at)
    return marc__fmt_fail(&r->c, MARC__D_SYNTAX, r->error_at,
                          "XML not well-formed: %s", r->error_what);
  return marc__fmt_fail(&r->c, MARC__D_SYNTAX, r->error_at,
                        "XML not well-formed: %s; %llu byte(s) skipped, no "
                        "<record> after them",
                        r->error_what, (unsigned long long)(end - r->error_at));
}

/* The first bytes skipped, for the report (the same at any chunking). */
static void note_skipped(marc_xml_reader *r, const uint8_t *p, size_t n) {
  size_t room = sizeof r->skipped_head - r->skipped_head_len;
  if (n > room) n = room;
  memcpy(r->skipped_head + r->skipped_head_len, p, n);
  r->skipped_head_len += n;
}

/* Scan what is held, then the caller's bytes, for the next record. */
static int resync_scan(marc_xml_reader *r, enum XML_Status *st) {
  size_t used;
  if (r->carry_pos < r->carry.len) {
    const uint8_t *p = r->carry.data + r->carry_pos;
    size_t n = r->carry.len - r->carry_pos;
    int hit = scan_for_record(r, p, n, r->error_at + r->carry_pos, &used);
    note_skipped(r, p, used);
    r->carry_pos += used;
    if (hit) {
      *st = restart(r, p + used, n - used);
      return 1;
    }
  }
  if (r->c.pos < r->c.n) {
    const uint8_t *p = r->c.ext + r->c.pos;
    int hit = scan_for_record(r, p, r->c.n - r->c.pos, r->c.ext_off + r->c.pos,
                              &used);
    note_skipped(r, p, used);
    r->c.pos += used;
    if (hit) {
      *st = restart(r, NULL, 0);
      return 1;
    }
  }
  return 0;
}

marc_status marc_xml_reader_next(marc_xml_reader *r, marc_record **out) {
  if (!r || !out) return MARC_E_ARG;
  for (;;) {
    if (r->nomem) return MARC_E_NOMEM;
    enum XML_Status st;
    if (r->stopped) {
      return MARC_END;
    } else if (r->resync) {
      if (!resync_scan(r, &st))
        return r->c.finished ? resync_end(r) : MARC_NEED_MORE;
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
    if (st == XML_STATUS_ERROR) {
      marc_status s = syntax_error(r, out);
      if (s != MARC_NEED_MORE) return s;
      continue;
    }
    if (st == XML_STATUS_SUSPENDED) { /* a record is complete */
      r->suspended = 1;
      if (r->ready == MARC_OK) *out = r->c.rec;
      return r->ready;
    }
  }
}
