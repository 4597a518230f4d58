/* Content validation against MARC 21 rules: leader values per record
 * type, indicator characters, subfield codes, empty fields. Structure is
 * the reader's business; this looks at what a well-formed record says. */
#include "byte_scan.h"
#include "internal.h"

/* Allowed values of the leader positions that differ by format. A NULL
 * entry means "not checked" for that format. */
typedef struct leader_rules {
  const char *types;     /* leader/06 values of the format */
  const char *status;    /* 05 */
  const char *bib_level; /* 07 */
  const char *control;   /* 08 */
  const char *enc_level; /* 17 */
  const char *cat_form;  /* 18 */
  const char *multipart; /* 19 */
} leader_rules;

static const leader_rules formats[] = {
    /* Bibliographic. Encoding level includes OCLC's I, J, K, L, M, which
     * fill real catalogs. */
    {"acdefgijkmoprt", "acdnp", "abcdims", " a", " 12345678uzIJKLM", " acinu",
     " abc"},
    /* Authority. */
    {"z", "acdnosx", NULL, NULL, "no", " cinu", NULL},
    /* Holdings. */
    {"uvxy", "cdn", NULL, NULL, "1234mnouz", "inu", NULL},
    /* Classification. */
    {"w", "acdn", NULL, NULL, "no", NULL, NULL},
    /* Community information. */
    {"q", "cdn", NULL, NULL, "no", NULL, NULL},
};

static int in_set(const char *set, char c) {
  if (!c) return 0;
  for (; *set; set++) /* short sets, checked for every record */
    if (*set == c) return 1;
  return 0;
}

static char printable(char c) { return c >= 0x20 && c < 0x7f ? c : '?'; }

/* Does `rec` already carry a diagnostic `code` for field `tag` (one the
 * reader made)? */
static int has_diag(const marc_record *rec, marc_code code, const char *tag) {
  for (size_t i = 0; i < marc_record_diag_count(rec); i++) {
    const marc_diag *d = marc_record_diag(rec, i);
    if (d->code == code && !strcmp(d->tag, tag)) return 1;
  }
  return 0;
}

static int check_pos(marc_record *rec, size_t pos, const char *set,
                     const char *what) {
  char c = rec->leader[pos];
  if (!set || in_set(set, c)) return 0;
  return marc__diag_add(rec, MARC_D_LEADER_VALUE, rec->offset + pos, NULL,
                        "leader/%02zu (%s) is '%c', expected one of \"%s\"",
                        pos, what, printable(c), set) == MARC_OK
             ? 1
             : -1;
}

/* The leader as the rules want it, tested without building a message: the
 * common case, so check_leader's reporting loop runs only for leaders
 * with something to report. */
static int allowed(const char *set, char c) { return !set || in_set(set, c); }

static int leader_clean(const char *l, const leader_rules *r) {
  return (l[9] == ' ' || l[9] == 'a') && l[10] == '2' && l[11] == '2' &&
         l[20] == '4' && l[21] == '5' && l[22] == '0' && l[23] == '0' &&
         allowed(r->status, l[5]) && allowed(r->bib_level, l[7]) &&
         allowed(r->control, l[8]) && allowed(r->enc_level, l[17]) &&
         allowed(r->cat_form, l[18]) && allowed(r->multipart, l[19]);
}

int64_t marc__check_leader(marc_record *rec) {
  int64_t n = 0;
  const char *l = rec->leader;
  const leader_rules *r = NULL;
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
    if (in_set(formats[i].types, l[6])) {
      r = &formats[i];
      break;
    }
  if (!r) {
    if (marc__diag_add(rec, MARC_D_LEADER_VALUE, rec->offset + 6, NULL,
                       "leader/06 (type of record) is '%c', not a MARC 21 "
                       "record type",
                       printable(l[6])) != MARC_OK)
      return -1;
    return 1;
  }
  if (leader_clean(l, r)) return 0;
  int k;
  const struct {
    size_t pos;
    const char *set, *what;
  } checks[] = {
      {5, r->status, "record status"},
      {7, r->bib_level, "bibliographic level"},
      {8, r->control, "type of control"},
      {9, " a", "character coding scheme"},
      {10, "2", "indicator count"},
      {11, "2", "subfield code count"},
      {17, r->enc_level, "encoding level"},
      {18, r->cat_form, "descriptive cataloging form"},
      {19, r->multipart, "multipart resource record level"},
      {20, "4", "length of the length-of-field portion"},
      {21, "5", "length of the starting-character-position portion"},
      {22, "0", "length of the implementation-defined portion"},
      {23, "0", "undefined entry map position"},
  };
  for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
    if ((k = check_pos(rec, checks[i].pos, checks[i].set, checks[i].what)) < 0)
      return -1;
    n += k;
  }
  return n;
}

static int tag_numeric(const char *t) {
  return t[0] >= '0' && t[0] <= '9' && t[1] >= '0' && t[1] <= '9' &&
         t[2] >= '0' && t[2] <= '9';
}

/* Absolute offset of a field's data when it came from a reader. */
static uint64_t field_at(const marc_record *rec, const marc_field *f) {
  return rec->raw_len ? rec->offset + f->off : rec->offset;
}

#define ADD(...)                                                               \
  do {                                                                         \
    if (marc__diag_add(rec, __VA_ARGS__) != MARC_OK) return -1;                \
    n++;                                                                       \
  } while (0)

int64_t marc__check_field_head(marc_record *rec, const marc_field *f) {
  if (marc__field_head_clean(f)) return 0;
  int64_t n = 0;
  uint64_t at = field_at(rec, f);
  if (!tag_numeric(f->tag))
    ADD(MARC_D_TAG_NOT_NUMERIC, at, f->tag,
        "tag \"%c%c%c\" is not numeric (local or invalid)",
        printable(f->tag[0]), printable(f->tag[1]), printable(f->tag[2]));
  if (marc__is_control(f->tag)) {
    if (!f->len) ADD(MARC_D_FIELD_EMPTY, at, f->tag, "control field is empty");
    return n;
  }
  for (int i = 0; i < 2; i++) {
    uint8_t c = i ? f->ind2 : f->ind1;
    if (!marc__indicator_ok(c))
      ADD(MARC_D_INDICATOR_VALUE, at >= 2 ? at - 2 + (uint64_t)i : at, f->tag,
          "indicator %d is '%c' (0x%02X); expected a digit, a lowercase "
          "letter or blank",
          i + 1, printable((char)c), c);
  }
  return n;
}

int marc__check_subfield_code(marc_record *rec, const marc_field *f,
                              const uint8_t *code) {
  char c = (char)*code;
  /* A NUL code: the ISO 2709 reader reports it (SUBFIELD_CODE). */
  if (c == 0 && has_diag(rec, MARC_D_SUBFIELD_CODE, f->tag)) return 0;
  uint64_t at = field_at(rec, f) + (uint64_t)(code - (rec->bytes + f->off));
  return marc__diag_add(rec, MARC_D_SUBFIELD_CODE, at, f->tag,
                        "subfield code '%c' (0x%02X) is not a lowercase "
                        "letter or digit",
                        printable(c), (unsigned)(uint8_t)c) == MARC_OK
             ? 1
             : -1;
}

/* The subfield codes from `p` on; the subfields seen go to *count. */
static inline int64_t scan_subfields(marc_record *rec, const marc_field *f,
                                     const uint8_t *p, size_t *count) {
  int64_t n = 0;
  size_t seen = 0; /* local: *count could alias the bytes read */
  const uint8_t *end = rec->bytes + f->off + f->len;
  /* The subfields as marc_subfield_next splits them: this loop runs over
   * every subfield of every record validated without a schema. */
  marc__delims d;
  marc__delims_start(&d, rec->bytes, p, end);
  while (p < end) {
    if (*p != MARC_SD) { /* bytes before the first delimiter: reported by
                            the reader */
      p = marc__delims_from(&d, p);
      continue;
    }
    if (++p == end) break; /* a lone trailing delimiter */
    seen++;
    if (!marc__subfield_code_ok(*p)) {
      int k = marc__check_subfield_code(rec, f, p);
      if (k < 0) return -1;
      n += k;
    }
    p++;
    p = marc__delims_from(&d, p);
  }
  *count += seen;
  return n;
}

int64_t marc__check_subfields(marc_record *rec, const marc_field *f,
                              const uint8_t *p, size_t *count) {
  return scan_subfields(rec, f, p, count);
}

int64_t marc__check_field_end(marc_record *rec, const marc_field *f,
                              size_t count) {
  if (count || marc__is_control(f->tag)) return 0;
  return marc__diag_add(rec, MARC_D_FIELD_EMPTY, field_at(rec, f), f->tag,
                        "data field has no subfields") == MARC_OK
             ? 1
             : -1;
}

int64_t marc_record_validate(marc_record *rec) {
  if (!rec) return -1;
  int64_t n = marc__check_leader(rec);
  if (n < 0) return -1;
  for (size_t i = 0; i < rec->nfields; i++) {
    const marc_field *f = &rec->fields[i];
    size_t count = 0;
    int64_t k = marc__field_head_clean(f) ? 0 : marc__check_field_head(rec, f);
    int64_t m = 0, e = 0;
    if (k >= 0 && !marc__is_control(f->tag)) {
      m = scan_subfields(rec, f, rec->bytes + f->off, &count);
      if (m >= 0 && !count) e = marc__check_field_end(rec, f, count);
    }
    if (k < 0 || m < 0 || e < 0) return -1;
    n += k + m + e;
  }
  return n;
}

int marc_record_damaged(const marc_record *rec) {
  if (!rec) return 1;
  for (size_t i = 0; i < rec->ndiags; i++) switch (rec->diags[i].code) {
    case MARC_D_LEADER_SHORT:
    case MARC_D_DIRECTORY_TERMINATOR:
    case MARC_D_DIRECTORY_LENGTH:
    case MARC_D_ENTRY_NOT_NUMERIC:
    case MARC_D_ENTRY_OUT_OF_RANGE:
    case MARC_D_FIELD_LOST:
    case MARC_D_TRUNCATED:
    case MARC_D_RECORD_OVERSIZE: return 1;
    default: break;
    }
  return 0;
}
