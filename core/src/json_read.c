/* MARC-in-JSON reader: a byte scanner frames one top-level object at a
 * time (in JSON Lines, objects one after another, or arrays of objects),
 * cJSON parses just that object, and the record is built from it. An
 * object wholly inside the caller's chunk is parsed in place; one cut by a
 * chunk boundary is gathered in the reader's buffer first. */
#include <cJSON.h>

#include "fmt_json.h"
#include "fmt_reader.h"

#include <stdlib.h>

struct marc_json_reader {
  marc__fmt c;
  int in_array;  /* between the elements of a top-level array */
  int lines;     /* JSON Lines: the first record object was one line */
  int in_value;  /* framing a value */
  int is_object; /* ... that is an object (a record) */
  marc__jscan scan;
  uint64_t value_off; /* where the value starts */
  marc_buf part;      /* the value's bytes when cut by a chunk boundary */
  size_t value_bytes; /* bytes of the value seen so far */
  int ended;
  marc_buf val; /* a data field being assembled */
};

/* Its marc__fmt comes first: see marc__fmt_new. */
marc_json_reader *marc_json_reader_new(const marc_reader_options *opt) {
  return marc__fmt_new(sizeof(marc_json_reader), opt);
}

void marc_json_reader_free(marc_json_reader *r) {
  if (r) marc__fmt_free(r, &r->c, &r->part, &r->val);
}

MARC__FMT_READER_CALLS(marc_json_reader)

/* --- Building a record from a parsed object --------------------------- */

static const char *str_of(const cJSON *v) {
  return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

/* A member that is not part of MARC-in-JSON: reported, then skipped. */
static marc_status ignored(marc_record *rec, uint64_t at, const char *tag,
                           const char *member, const char *of) {
  return marc__diag_add(rec, MARC__D_NOT_MARC, at, tag,
                        "member \"%.40s\" of %s ignored", member, of);
}

/* One byte from a one-character string ("1", " "), else `dflt` and a
 * diagnostic. */
static marc_status one_byte(marc_record *rec, const cJSON *v, char *out,
                            const char *what, const char *tag, uint64_t at,
                            marc_code code) {
  const char *s = str_of(v);
  if (s && s[0] && !s[1]) {
    *out = s[0];
    return MARC_OK;
  }
  if (s && s[0]) *out = s[0];
  return marc__diag_add(rec, code, at, tag, "%s is not one character%s", what,
                        s && s[0] ? "; first byte kept" : "");
}

static marc_status data_field(marc_json_reader *r, const char *tag,
                              const cJSON *obj, uint64_t at) {
  marc_record *rec = r->c.rec;
  char ind1 = ' ', ind2 = ' ';
  const cJSON *subs = NULL;
  marc_status s = MARC_OK;
  r->val.len = 0;
  for (const cJSON *m = obj->child; m && s == MARC_OK; m = m->next) {
    if (strcmp(m->string, "ind1") == 0) {
      s = one_byte(rec, m, &ind1, "ind1", tag, at, MARC__D_INDICATOR);
    } else if (strcmp(m->string, "ind2") == 0) {
      s = one_byte(rec, m, &ind2, "ind2", tag, at, MARC__D_INDICATOR);
    } else if (strcmp(m->string, "subfields") == 0 && cJSON_IsArray(m)) {
      subs = m;
    } else {
      s = ignored(rec, at, tag, m->string, "a data field");
    }
  }
  if (!subs && s == MARC_OK)
    s = marc__diag_add(rec, MARC__D_NOT_MARC, at, tag,
                       "data field has no \"subfields\" array");
  for (const cJSON *e = subs ? subs->child : NULL; e && s == MARC_OK;
       e = e->next) {
    const cJSON *m = cJSON_IsObject(e) ? e->child : NULL;
    const char *v = m ? str_of(m) : NULL;
    if (!v || m->next || !m->string[0]) {
      s = marc__diag_add(rec, MARC__D_NOT_MARC, at, tag,
                         "subfield is not {\"code\": \"value\"}; skipped");
      continue;
    }
    if (m->string[1])
      s = marc__diag_add(rec, MARC__D_CODE, at, tag,
                         "subfield code \"%.8s\" is not one byte; first "
                         "byte kept",
                         m->string);
    uint8_t head[2] = {MARC_SD, (uint8_t)m->string[0]};
    if (s == MARC_OK) s = marc_buf_append(&r->val, head, 2);
    if (s == MARC_OK) s = marc__fmt_value(rec, &r->val, v, strlen(v), tag, at);
  }
  if (s != MARC_OK) return s;
  return marc_record_append_field(rec, tag, ind1, ind2, r->val.data,
                                  r->val.len);
}

static marc_status field(marc_json_reader *r, const cJSON *e, uint64_t at) {
  marc_record *rec = r->c.rec;
  const cJSON *m = cJSON_IsObject(e) ? e->child : NULL;
  if (!m || m->next)
    return marc__diag_add(rec, MARC__D_NOT_MARC, at, NULL,
                          "field is not an object with one member; "
                          "skipped");
  const char *tag = m->string;
  if (strlen(tag) != 3)
    return marc__diag_add(rec, MARC_D_TAG_INVALID, at, NULL,
                          "tag \"%.8s\" is not three bytes; field skipped",
                          tag);
  if (marc__fmt_size(&r->c) > r->c.opt.max_record)
    return marc__diag_add(rec, MARC_D_RECORD_OVERSIZE, at, tag,
                          "record longer than the %zu-byte limit; field "
                          "dropped",
                          r->c.opt.max_record);
  const char *v = str_of(m);
  if (v) /* a control field (the model decides by the tag) */
    return marc_record_append_field(rec, tag, ' ', ' ', v, strlen(v));
  if (cJSON_IsObject(m)) return data_field(r, tag, m, at);
  return marc__diag_add(rec, MARC__D_NOT_MARC, at, tag,
                        "field value is neither a string nor an object; "
                        "skipped");
}

static marc_status build(marc_json_reader *r, const cJSON *root, uint64_t at) {
  marc_record *rec = r->c.rec;
  if (!cJSON_IsObject(root))
    return marc__diag_add(rec, MARC__D_NOT_MARC, at, NULL,
                          "record is not a JSON object");
  marc_status s = MARC_OK;
  int have_leader = 0;
  for (const cJSON *m = root->child; m && s == MARC_OK; m = m->next) {
    if (strcmp(m->string, "leader") == 0 && str_of(m)) {
      size_t len = strlen(m->valuestring);
      memset(rec->leader, ' ', 24);
      memcpy(rec->leader, m->valuestring, len < 24 ? len : 24);
      have_leader = 1;
      if (len != 24)
        s = marc__diag_add(rec, MARC_D_LEADER_SHORT, at, NULL,
                           "leader has %zu bytes, not 24", len);
    } else if (strcmp(m->string, "fields") == 0 && cJSON_IsArray(m)) {
      for (const cJSON *e = m->child; e && s == MARC_OK; e = e->next)
        s = field(r, e, at);
    } else {
      s = ignored(rec, at, NULL, m->string, "the record");
    }
  }
  if (!have_leader && s == MARC_OK)
    s = marc__diag_add(rec, MARC_D_LEADER_SHORT, at, NULL,
                       "record has no \"leader\" string; default used");
  return s;
}

/* Does the parsed value look like a MARC-in-JSON record at all? */
static int is_record(const cJSON *root) {
  if (!cJSON_IsObject(root)) return 0;
  return cJSON_GetObjectItemCaseSensitive(root, "leader") ||
         cJSON_GetObjectItemCaseSensitive(root, "fields");
}

/* The record framed in p[0..n) (n == value_bytes unless cut at the
 * max_record limit); `complete` is 0 when input or its line ended inside
 * it. A value that is not a record (broken, too long, or an object with
 * neither "leader" nor "fields") is not made one with a default leader:
 * it is one problem no record carries, and reading goes on after it. */
static marc_status record(marc_json_reader *r, const uint8_t *p, size_t n,
                          int complete, marc_record **out) {
  marc__fmt *c = &r->c;
  uint64_t at = r->value_off;
  if (!complete)
    return marc__fmt_fail(c, MARC__D_SYNTAX, at + r->value_bytes,
                          "%s inside a record's JSON object; record skipped",
                          r->c.finished && r->c.pos == r->c.n ? "input ended"
                                                              : "line ended");
  if (n < r->value_bytes)
    return marc__fmt_fail(c, MARC_D_RECORD_OVERSIZE, at,
                          "record object longer than the %zu-byte limit; "
                          "skipped",
                          c->opt.max_record);
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts((const char *)p, n, &end, 0);
  if (!root) {
    size_t where = end ? (size_t)(end - (const char *)p) : 0;
    return marc__fmt_fail(c, MARC__D_SYNTAX, at + where,
                          "JSON syntax error in a record object; record "
                          "skipped");
  }
  if (!is_record(root)) {
    cJSON_Delete(root);
    return marc__fmt_fail(c, MARC__D_NOT_MARC, at,
                          "not MARC: a JSON object with neither \"leader\" "
                          "nor \"fields\"; skipped");
  }
  marc_status s = marc__fmt_open(c, at);
  if (s == MARC_OK) s = build(r, root, at);
  cJSON_Delete(root);
  if (s != MARC_OK && s != MARC_E_TOO_LONG && s != MARC_E_ARG) return s;
  if (s != MARC_OK) /* a value the builder refused: keep what was read */
    marc__diag_add(c->rec, MARC_D_RECORD_OVERSIZE, at, NULL,
                   "field rejected by the record builder");
  return marc__fmt_close(c, at + r->value_bytes, out);
}

/* --- Framing ------------------------------------------------------------ */

/* Bytes skipped between values. A UTF-8 byte-order mark is only
 * whitespace at the very start. */
static int skippable(const marc_json_reader *r, uint8_t ch) {
  uint64_t at = r->c.ext_off + r->c.pos;
  if (at < 3 && ch == (uint8_t) "\xEF\xBB\xBF"[at]) return 1;
  return ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t' || ch == ',';
}

/* Between values: find the start of the next one. Returns 1 when a value
 * starts (its first byte consumed), 0 at the end of the bytes. */
static int find_value(marc_json_reader *r) {
  while (r->c.pos < r->c.n) {
    uint8_t ch = r->c.ext[r->c.pos];
    uint64_t at = r->c.ext_off + r->c.pos;
    if (skippable(r, ch)) {
      r->c.pos++;
    } else if (ch == '[' && !r->in_array) {
      r->in_array = 1;
      r->c.pos++;
    } else if (ch == ']' && r->in_array) {
      r->in_array = 0;
      r->c.pos++;
    } else if (ch == '{' || ch == '"' || ch == '[') {
      r->in_value = 1;
      r->is_object = ch == '{';
      r->value_off = at;
      r->value_bytes = 1;
      r->part.len = 0;
      marc__jscan_start(&r->scan, ch, r->lines && !r->in_array);
      r->c.pos++;
      return 1;
    } else { /* a stray byte: not a record */
      marc__fmt_junk(&r->c, at, 1);
      r->c.pos++;
    }
  }
  return 0;
}

marc_status marc_json_reader_next(marc_json_reader *r, marc_record **out) {
  if (!r || !out) return MARC_E_ARG;
  for (;;) {
    if (!r->in_value && !find_value(r)) {
      if (!r->c.finished) return MARC_NEED_MORE;
      if (r->ended) return MARC_END;
      r->ended = 1;
      return marc__fmt_end(&r->c);
    }
    if (r->in_value) {
      size_t from = r->c.pos;
      int done;
      size_t k =
          marc__jscan_run(&r->scan, r->c.ext + from, r->c.n - from, &done);
      r->c.pos += k;
      /* In place when the whole value lies in this chunk. */
      int in_place = done && r->part.len == 0 && r->value_bytes == 1 &&
                     r->value_off >= r->c.ext_off;
      r->value_bytes += k;
      const uint8_t *p = NULL;
      size_t n = 0;
      if (in_place) {
        p = r->c.ext + (r->value_off - r->c.ext_off);
        n = r->value_bytes;
      } else if (r->is_object) {
        if (r->part.len == 0 && r->value_off >= r->c.ext_off) { /* 1st byte */
          if (marc_buf_append(&r->part, "{", 1) != MARC_OK) return MARC_E_NOMEM;
        }
        size_t room = r->c.opt.max_record > r->part.len
                          ? r->c.opt.max_record - r->part.len
                          : 0;
        if (marc_buf_append(&r->part, r->c.ext + from, k < room ? k : room))
          return MARC_E_NOMEM;
        p = r->part.data;
        n = r->part.len;
      }
      if (!done && !r->c.finished) return MARC_NEED_MORE;
      r->in_value = 0;
      /* A top-level object on one line: the input is JSON Lines, framed
       * by line from here on. */
      if (done == 1 && r->is_object && !r->in_array && !r->scan.saw_nl)
        r->lines = 1;
      if (r->is_object) return record(r, p, n, done == 1, out);
      marc__fmt_junk(&r->c, r->value_off, r->value_bytes);
    }
  }
}
