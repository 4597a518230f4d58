/* MARCMaker (.mrk) reader: the inverse of marc_write_mrk. Input is cut
 * into lines (a line cut by a chunk boundary is copied, others are read
 * in place), and each line becomes the leader or a field of the record
 * being built. */
#include "fmt_reader.h"

#include <stdlib.h>

struct marc_mrk_reader {
  marc__fmt c;
  marc_buf part;     /* a line cut by a chunk boundary */
  uint64_t part_off; /* where that line starts */
  int part_cut;      /* the line outgrew max_record: its tail was dropped */
  int ended;
  uint64_t end_off; /* offset just past the last line of the record */
  /* A "=LDR" line that ended the previous record without a blank line. */
  const uint8_t *held;
  size_t held_len;
  uint64_t held_off, held_next;
  marc_buf val;  /* decoded value */
  marc_buf cont; /* a field and its continuation line, joined */
  int in_field;  /* the last line was a field a continuation can extend */
};

/* Its marc__fmt comes first: see marc__fmt_new. */
marc_mrk_reader *marc_mrk_reader_new(const marc_reader_options *opt) {
  return marc__fmt_new(sizeof(marc_mrk_reader), opt);
}

void marc_mrk_reader_free(marc_mrk_reader *r) {
  if (!r) return;
  marc_buf_free(&r->cont);
  marc__fmt_free(r, &r->c, &r->part, &r->val);
}

MARC__FMT_READER_CALLS(marc_mrk_reader)

/* Next line without its LF: 1 when there is one, 0 when more input is
 * needed. `*next_off` is the offset after its line end. */
static int get_line(marc_mrk_reader *r, const uint8_t **line, size_t *len,
                    uint64_t *off, uint64_t *next_off, int *cut) {
  size_t avail = r->c.n - r->c.pos;
  /* r->c.ext is NULL before any input: no pointer arithmetic on it. */
  const uint8_t *p = avail ? r->c.ext + r->c.pos : NULL;
  const uint8_t *nl = avail ? memchr(p, '\n', avail) : NULL;
  size_t take = nl ? (size_t)(nl - p) : avail;
  *cut = 0;
  if (!r->part.len && !r->part_cut && nl) { /* whole line in place */
    *line = p;
    *len = take;
    *off = r->c.ext_off + r->c.pos;
    r->c.pos += take + 1;
    *next_off = r->c.ext_off + r->c.pos;
    return 1;
  }
  if (!r->part.len && !r->part_cut) r->part_off = r->c.ext_off + r->c.pos;
  size_t room = r->c.opt.max_record - r->part.len;
  if (r->part.len > r->c.opt.max_record) room = 0;
  if (take > room) r->part_cut = 1;
  if (marc_buf_append(&r->part, p, take < room ? take : room) != MARC_OK)
    return -1;
  r->c.pos += take + (nl ? 1 : 0);
  if (!nl && !(r->c.finished && (r->part.len || r->part_cut))) return 0;
  *line = r->part.data;
  *len = r->part.len;
  *off = r->part_off;
  *next_off = r->c.ext_off + r->c.pos;
  *cut = r->part_cut;
  r->part.len = 0; /* the bytes stay valid until the next get_line */
  r->part_cut = 0;
  return 1;
}

static int blank(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != ' ' && p[i] != '\t') return 0;
  return 1;
}

/* Decode a value: mnemonics, and '\\' as blank in fixed text or '$' as the
 * subfield delimiter in data fields. A raw structural byte in the text is
 * not one: it becomes a blank, counted in *raw (in fixed text 0x1F is
 * kept: control fields of real records hold it, and it frames nothing). */
static marc_status decode(marc_buf *out, const uint8_t *p, size_t n, int fixed,
                          size_t *raw) {
  static const struct {
    const char *name;
    uint8_t c;
  } mn[] = {
      {"{dollar}", '$'}, {"{lcub}", '{'}, {"{rcub}", '}'}, {"{bsol}", '\\'}};
  out->len = 0;
  if (marc_buf_reserve(out, n) != MARC_OK) return MARC_E_NOMEM;
  uint8_t *o = out->data;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (c == '{') {
      for (size_t k = 0; k < sizeof mn / sizeof mn[0]; k++) {
        size_t l = strlen(mn[k].name);
        if (n - i >= l && memcmp(p + i, mn[k].name, l) == 0) {
          c = mn[k].c;
          i += l - 1;
          break;
        }
      }
    } else if (c == '\\' && fixed) {
      c = ' ';
    } else if (c == '$' && !fixed) {
      c = MARC_SD;
    } else if (fixed ? marc__terminator(c) : marc__structural(c)) {
      c = ' ';
      ++*raw;
    }
    *o++ = c;
  }
  out->len = (size_t)(o - out->data);
  return MARC_OK;
}

static int tag_ok(const uint8_t *t) {
  for (int i = 0; i < 3; i++) {
    uint8_t c = t[i];
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
          (c >= 'a' && c <= 'z')))
      return 0;
  }
  return 1;
}

static marc_status leader_line(marc_mrk_reader *r, const uint8_t *p, size_t n,
                               uint64_t off) {
  size_t from = n > 6 ? 6 : n;
  size_t raw = 0;
  if (decode(&r->val, p + from, n - from, 1, &raw) != MARC_OK)
    return MARC_E_NOMEM;
  if (raw &&
      marc__diag_add(r->c.rec, MARC_D_BAD_VALUE, off, NULL,
                     "%zu raw structural byte(s) in the leader replaced by "
                     "blanks",
                     raw) != MARC_OK)
    return MARC_E_NOMEM;
  char leader[24];
  memset(leader, ' ', 24);
  if (r->val.len) /* "=LDR" alone: no value buffer yet */
    memcpy(leader, r->val.data, r->val.len < 24 ? r->val.len : 24);
  memcpy(r->c.rec->leader, leader, 24);
  if (r->val.len == 24) return MARC_OK;
  return marc__diag_add(r->c.rec, MARC_D_LEADER_SHORT, off, NULL,
                        "leader has %zu characters, not 24; %s", r->val.len,
                        r->val.len < 24 ? "padded with blanks" : "cut");
}

static marc_status field_line(marc_mrk_reader *r, const uint8_t *p, size_t n,
                              uint64_t off) {
  marc_record *rec = r->c.rec;
  if (n < 4)
    return marc__diag_add(rec, MARC_D_TAG_INVALID, off, NULL,
                          "line too short for a tag; skipped");
  char tag[4] = {(char)p[1], (char)p[2], (char)p[3], 0};
  if (!p[1] || !p[2] || !p[3])
    return marc__diag_add(rec, MARC_D_TAG_INVALID, off + 1, NULL,
                          "tag holds a NUL byte; field skipped");
  marc_status s = MARC_OK;
  if (!tag_ok(p + 1))
    s = marc__diag_add(rec, MARC_D_TAG_INVALID, off + 1, NULL,
                       "tag is not three ASCII letters or digits");
  size_t from = n > 6 ? 6 : n;
  char ind[2] = {' ', ' '};
  int control = marc_tag_is_control(tag);
  if (!control) {
    size_t k = 0;
    for (; k < 2 && from < n; k++, from++)
      ind[k] = p[from] == '\\' ? ' ' : (char)p[from];
    if (k < 2 && s == MARC_OK)
      s = marc__diag_add(rec, MARC__D_INDICATOR, off + n, tag,
                         "line ends before the two indicators");
  }
  if (s != MARC_OK) return s;
  if (marc__fmt_size(&r->c) + n > r->c.opt.max_record)
    return marc__diag_add(rec, MARC_D_RECORD_OVERSIZE, off, tag,
                          "record longer than the %zu-byte limit; field "
                          "dropped",
                          r->c.opt.max_record);
  size_t raw = 0;
  if (decode(&r->val, p + from, n - from, control, &raw) != MARC_OK)
    return MARC_E_NOMEM;
  if (raw)
    s = marc__diag_add(rec, MARC_D_BAD_VALUE, off + from, tag,
                       "%zu raw structural byte(s) replaced by blanks", raw);
  if (s != MARC_OK) return s;
  return marc_record_append_field(rec, tag, ind[0], ind[1], r->val.data,
                                  r->val.len);
}

/* A line that does not start with '=' right after a field: MARCMaker
 * files wrap long fields so (CPAN MARC's makrtest.src), and the line,
 * leading blank included, is the rest of the field before it. */
static marc_status continuation(marc_mrk_reader *r, const uint8_t *p, size_t n,
                                uint64_t off) {
  marc_record *rec = r->c.rec;
  size_t at = rec->nfields - 1;
  const marc_field *f = &rec->fields[at];
  int control = marc_tag_is_control(f->tag);
  size_t raw = 0;
  if (decode(&r->val, p, n, control, &raw) != MARC_OK) return MARC_E_NOMEM;
  r->cont.len = 0;
  if (marc_buf_append(&r->cont, rec->bytes + f->off, f->len) != MARC_OK ||
      marc_buf_append(&r->cont, r->val.data, r->val.len) != MARC_OK)
    return MARC_E_NOMEM;
  char tag[4];
  memcpy(tag, f->tag, 4);
  marc_status s = marc_record_replace_field(rec, at, tag, f->ind1, f->ind2,
                                            r->cont.data, r->cont.len);
  if (s == MARC_OK && raw)
    s = marc__diag_add(rec, MARC_D_BAD_VALUE, off, tag,
                       "%zu raw structural byte(s) replaced by blanks", raw);
  return s;
}

/* Handle one line. Returns 1 when it ended a record (which is then ready),
 * 0 when not, or a negative status. */
static int line(marc_mrk_reader *r, const uint8_t *p, size_t n, uint64_t off,
                uint64_t next_off, int cut) {
  marc__fmt *c = &r->c;
  if (off == 0 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
    p += 3; /* a UTF-8 byte-order mark */
    n -= 3;
    off += 3;
  }
  if (n && p[n - 1] == '\r') n--;
  int ldr = n >= 4 && memcmp(p, "=LDR", 4) == 0;
  if (blank(p, n) || (ldr && c->open)) {
    if (!c->open) return 0;
    if (ldr) { /* read again once the record before it is returned */
      r->held = p;
      r->held_len = n;
      r->held_off = off;
      r->held_next = next_off;
    }
    return 1;
  }
  if (p[0] != '=' && c->open && r->in_field) {
    r->end_off = next_off;
    marc_status s = continuation(r, p, n, off);
    return s == MARC_E_TOO_LONG || s == MARC_E_ARG
               ? marc__diag_add(c->rec, MARC_D_RECORD_OVERSIZE, off, NULL,
                                "continuation line makes the field too long; "
                                "dropped")
               : s;
  }
  r->in_field = 0;
  if (p[0] != '=') {
    if (!c->open) {
      marc__fmt_junk(c, off, next_off - off);
      return 0;
    }
    r->end_off = next_off;
    return marc__diag_add(c->rec, MARC_D_JUNK, off, NULL,
                          "line does not start with '='; skipped");
  }
  marc_status s = MARC_OK;
  if (!c->open) {
    if ((s = marc__fmt_open(c, off)) != MARC_OK) return s;
    if (!ldr)
      s = marc__diag_add(c->rec, MARC_D_LEADER_SHORT, off, NULL,
                         "record has no =LDR line; default leader used");
  }
  r->end_off = next_off;
  if (s == MARC_OK && cut)
    s = marc__diag_add(c->rec, MARC_D_RECORD_OVERSIZE, off, NULL,
                       "line longer than the %zu-byte limit was cut",
                       c->opt.max_record);
  if (s != MARC_OK) return s;
  if (ldr) return leader_line(r, p, n, off);
  size_t before = c->rec->nfields;
  s = field_line(r, p, n, off);
  r->in_field = s == MARC_OK && c->rec->nfields > before;
  return s;
}

marc_status marc_mrk_reader_next(marc_mrk_reader *r, marc_record **out) {
  if (!r || !out) return MARC_E_ARG;
  if (r->held) {
    const uint8_t *p = r->held;
    r->held = NULL;
    int k = line(r, p, r->held_len, r->held_off, r->held_next, 0);
    if (k < 0) return (marc_status)k;
  }
  for (;;) {
    const uint8_t *p;
    size_t n;
    uint64_t off, next_off;
    int cut;
    int got = get_line(r, &p, &n, &off, &next_off, &cut);
    if (got < 0) return MARC_E_NOMEM;
    if (!got) {
      if (!r->c.finished) return MARC_NEED_MORE;
      if (r->c.open) return marc__fmt_close(&r->c, r->end_off, out);
      if (r->ended) return MARC_END;
      r->ended = 1;
      return marc__fmt_end(&r->c);
    }
    int k = line(r, p, n, off, next_off, cut);
    if (k < 0) return (marc_status)k;
    if (k == 1) return marc__fmt_close(&r->c, r->end_off, out);
  }
}
