/* Avram schemas compiled into flat tables: shared by the loader
 * (avram_load.c, avram_compile.c), the pattern translator (avram_regex.c),
 * the validator (avram_validate.c) and the MARC adapter (avram_marc.c).
 * Every cross reference is an index into one of the schema's arrays, so
 * the arrays can grow while loading. Not installed. */
#ifndef MARC_AVRAM_INTERNAL_H
#define MARC_AVRAM_INTERNAL_H

#include "marcato.h"

#include <regex.h>
#include <stdint.h>

#define AV_NONE UINT32_MAX

/* A compiled pattern. `kind` picks a fast path: most patterns of the
 * MARC 21 schemas test one character class ("[0-9]"), which needs no
 * regexec (glibc's regexec takes a lock per call, which threads would
 * contend for). */
enum { AV_RE_POSIX, AV_RE_CLASS_ANY, AV_RE_SEQUENCES };
#define AV_SEQ_ALTS 8
typedef struct av_pattern {
  const char *source; /* as written in the schema */
  int kind;
  uint8_t class_bits[32]; /* AV_RE_CLASS_ANY: bytes of the class */
  regex_t re;             /* AV_RE_POSIX */
  /* AV_RE_SEQUENCES: alternatives, each a fixed sequence of one-byte
   * classes (the 008 positions' " {4}|[0-9]{4}|u   |\\|{4}"): the
   * classes of every alternative back to back, and each one's length. */
  uint8_t (*seq)[32];
  uint8_t nalt;
  uint8_t alt_len[AV_SEQ_ALTS];
} av_pattern;

/* A code of an explicit codelist. */
typedef struct av_code {
  const char *code;
  uint32_t len;
  uint8_t deprecated;
} av_code;

/* An explicit codelist (sorted by code, for binary search), or an
 * unresolved reference (`ref` set, no codes). Single-byte codes are also
 * a bitmap: indicators and one-character positions, the common case. */
typedef struct av_codelist {
  uint32_t first, count; /* into schema->codes */
  uint8_t one_byte[32];  /* codes of one byte */
  uint8_t one_deprecated[32];
  uint8_t plain[32];       /* one-byte codes not deprecated */
  uint32_t flag_len;       /* length of its first code, for flags */
  uint8_t has_one;         /* some code is one byte long */
  uint8_t long_deprecated; /* some longer code is deprecated */
  const char *ref;         /* unresolved reference name, else NULL */
} av_codelist;

/* What a value must satisfy: a definition of a flat field, subfield,
 * indicator, position or typed field. */
typedef struct av_value {
  uint32_t pattern;   /* index into patterns, or AV_NONE */
  uint32_t codes;     /* index into codelists, or AV_NONE */
  uint32_t flags;     /* positions only: codelist of flags, or AV_NONE */
  uint32_t pos_first; /* positions: into schema->positions */
  uint32_t pos_count;
  /* Set by av_fixed_compile (avram_fixed.c): the per-character pass, for
   * values of at least fixed_width characters (0: no pass), over
   * schema->fixed_chars[fixed_first...] (fixed_count of them), and the
   * positions it leaves to check one by one, schema->fixed_slow[...]. */
  uint32_t fixed_width, fixed_first, fixed_count;
  uint32_t slow_first, slow_count;
} av_value;

/* What a position's value can be accepted by without the general
 * checks (set by av_finish once the schema's arrays stop moving): the
 * leader's and 008's positions are nearly all one of these. */
enum {
  AV_FAST_NONE,    /* the general checks */
  AV_FAST_SKIP,    /* nothing to check (documentation) */
  AV_FAST_ONE,     /* one character, a code of `bits` */
  AV_FAST_EACH,    /* each character a one-byte code of `bits` */
  AV_FAST_PATTERN, /* a match of `pattern` */
};

/* A data element of positions. */
typedef struct av_position {
  const char *key; /* "07-10" as written */
  const char *label;
  uint32_t start, end; /* character positions, inclusive */
  av_value v;
  int fast;
  const uint8_t *bits;       /* AV_FAST_ONE, AV_FAST_EACH */
  const av_pattern *pattern; /* AV_FAST_PATTERN */
} av_position;

/* A typed field definition ("BK" of 008). */
typedef struct av_typed {
  const char *type;
  av_value v;
} av_typed;

typedef struct av_indicator {
  uint8_t defined; /* the definition has indicatorN (null counts) */
  const char *label;
  av_value v;
  /* Set by av_finish when codes alone define it: its codes that are
   * not deprecated, for the common case. */
  const uint8_t *plain;
} av_indicator;

typedef struct av_subfield {
  const char *code; /* one character, UTF-8 */
  const char *label;
  uint8_t repeatable, required, deprecated;
  uint8_t quiet; /* not deprecated, and nothing to check in its value */
  av_value v;
  int64_t total, records; /* counting: -1 when not given */
} av_subfield;

/* A field identifier's occurrence or counter range. */
typedef struct av_range {
  uint32_t from, to;
  uint32_t digits; /* 0: no range */
} av_range;

typedef struct av_field {
  const char *id; /* the identifier in the field schedule */
  const char *tag;
  const char *label;
  uint32_t tag_len;
  av_range occurrence, counter;
  uint8_t repeatable, required, deprecated;
  uint8_t has_subfields; /* a subfield schedule is given */
  uint8_t has_required;  /* some subfield is required (missingSubfield
                            looks at these fields only) */
  av_indicator ind[2];
  av_value v;
  uint32_t typed_first, typed_count; /* into schema->typed */
  uint32_t sub_first, sub_count;     /* into schema->subfields */
  int64_t total, records;            /* counting: -1 when not given */
  /* Set by av_finish: the ASCII codes whose subfield is quiet (see
   * av_subfield), and of those the repeatable ones, a bit per code, so
   * the subfield scan settles most subfields without reading their
   * definitions. */
  uint64_t quiet_codes[2], quiet_repeatable[2];
  /* Set by av_finish: per indicator, the bytes accepted without a word
   * (a defined indicator's plain codes; every byte when the definition
   * leaves it out), or NULL when only check_indicators can tell. */
  const uint8_t *ind_ok[2];
  /* ASCII subfield code -> index + 1 into the field's subfields. */
  uint8_t sub_index[128];
} av_field;

/* Grows by doubling while loading; fixed afterwards. */
#define AV_ARRAY(T)                                                            \
  struct {                                                                     \
    T *v;                                                                      \
    uint32_t n, cap;                                                           \
  }

typedef struct av_chunk av_chunk;

struct marc_schema {
  av_chunk *strings; /* every string, in chunks that never move */
  const char *title;
  int partial;
  int64_t records; /* counting: -1 when not given */
  AV_ARRAY(av_field) fields;
  AV_ARRAY(av_subfield) subfields;
  AV_ARRAY(av_position) positions;
  AV_ARRAY(av_typed) typed;
  AV_ARRAY(av_codelist) codelists;
  AV_ARRAY(av_code) codes;
  AV_ARRAY(av_pattern) patterns;
  /* Numeric tags "000".."999" -> first field definition index + 1 with
   * that tag (definitions with one tag are adjacent); LDR likewise. */
  uint32_t by_number[1000];
  uint32_t ldr;
  uint32_t *by_tag; /* definitions sorted by tag, for other tags */
  /* Required field definitions (missingField looks at these only) and
   * whether any definition has an occurrence or counter (MARC schemas
   * have none, so a tag match is the match). */
  uint32_t *required, nrequired;
  int has_ranges;
  /* avram_fixed.c: the characters of fixed-length values a per-character
   * pass checks, and their positions left to check one by one (indexes of
   * positions). */
  struct av_fixed_char *fixed_chars;
  uint32_t *fixed_slow;
};

/* Load-time: a JSON value, as cJSON gives it (kept opaque here so only
 * the loader includes cJSON). */
typedef struct cJSON cJSON;

typedef struct av_loader {
  marc_schema *s;
  marc_error *err;
  char path[256]; /* JSON Pointer of the value being compiled */
  size_t path_len;
  const cJSON *codelist_dir; /* "codelists", or NULL */
} av_loader;

/* avram_load.c: errors and strings while loading. */
/* Fill the error (with the current JSON Pointer) and return -1. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int av_fail(av_loader *L, const char *fmt, ...);
int av_nomem(av_loader *L);
/* A copy of `p` (n bytes) owned by the schema, NUL-terminated. */
const char *av_strdup(av_loader *L, const char *p, size_t n);
/* Push / pop a JSON Pointer segment ('/' and '~' escaped). */
size_t av_path_push(av_loader *L, const char *seg);
void av_path_pop(av_loader *L, size_t mark);
/* Append an item to one of the schema's arrays; index or AV_NONE. */
uint32_t av_grow(av_loader *L, void **v, uint32_t *n, uint32_t *cap,
                 size_t size);
/* Stable merge sort with a context; -1 when out of memory. */
int av_msort(void *base, size_t n, size_t size,
             int (*cmp)(const void *, const void *, const void *),
             const void *ctx);
#define AV_PUSH(L, arr)                                                        \
  av_grow((L), (void **)&(arr).v, &(arr).n, &(arr).cap, sizeof *(arr).v)

/* avram_compile.c: the parts of a schema. */
/* A counting key ("records", "total"): -1 when absent; -1 returned with
 * an error when it is not a non-negative integer. */
int av_get_count(av_loader *L, const cJSON *obj, const char *key, int64_t *out);
int av_compile_fields(av_loader *L, const cJSON *fields);
/* Once loaded: the fast paths of positions (AV_FAST_...) and
 * indicators. */
void av_finish(marc_schema *s);

/* avram_fixed.c: one character of a per-character pass: its position in
 * the value and the ASCII bytes it accepts, a bit each. */
typedef struct av_fixed_char {
  uint64_t ok[2];
  uint32_t at;
} av_fixed_char;
/* After av_finish, the per-character passes of values with positions; -1
 * when out of memory. */
int av_fixed_compile(marc_schema *s);
/* Does the ASCII value `text` (at least v->fixed_width bytes) pass the
 * value's per-character pass? */
int av_fixed_pass(const marc_schema *s, const av_value *v, const uint8_t *text);
/* A range "3", "01-09": 0, or -1 when not a range. */
int av_parse_range(const char *s, av_range *r);

/* avram_regex.c: translate and compile an ECMAScript pattern; 0 or -1
 * (error filled). */
int av_pattern_compile(av_loader *L, const char *source, av_pattern *p);
void av_pattern_free(av_pattern *p);
/* Does `v` (n bytes) match? 1 yes, 0 no, -1 out of memory. */
int av_pattern_match(const av_pattern *p, const uint8_t *v, size_t n);

/* avram_validate.c: the generic validator, over any record model (MARC
 * records, the test suite's JSON records). */
typedef struct av_rec_field {
  const char *tag;
  size_t tag_len;
  /* A three-digit tag's number + 1, when the caller has it (0: read the
   * tag). */
  uint32_t number1;
  const char *occurrence; /* NULL when none */
  int variable;           /* has subfields (maybe none) */
  int has_ind[2];
  uint8_t ind[2];
  const uint8_t *data; /* flat: the value; variable: subfield data in wire
                          form ("\x1F" code value ...) */
  size_t len;
  /* Bytes from here up to data + len may be read (the record's bytes):
   * the delimiter scan reads whole blocks. NULL: from data on. */
  const uint8_t *readable;
  uint64_t offset;          /* absolute offset of data[0] */
  uint64_t ind_offset;      /* of the first indicator */
  const char *const *types; /* Avram record types for this field */
  size_t ntypes;
} av_rec_field;

/* Per-record state: fields seen, problems found. Lives on the caller's
 * stack; `seen` is sized by the schema (heap only for huge schemas). */
typedef struct av_state {
  const marc_schema *s;
  uint32_t rules; /* enabled rule bits */
  marc_schema_callback cb;
  void *ctx;
  uint64_t record, record_offset;
  int64_t problems;
  int stop; /* the callback asked to stop, or out of memory */
  int nomem;
  uint8_t *seen; /* per field definition: times matched (saturating) */
  uint8_t seen_small[512];
  /* marc_record_validate_schema: the record whose structure checks ride
   * on the subfield scan (else NULL), the field being checked, how many
   * subfields the scan saw and where it ended (NULL: no scan), and the
   * structure problems it added. */
  marc_record *structure;
  const marc_field *mfield;
  size_t subfields;
  const uint8_t *scan_end;
  int64_t structure_found;
} av_state;

/* The first definition of the numeric tag `number` (0-999), or AV_NONE;
 * in a schema without occurrences or counters (has_ranges 0), the tag's
 * definition. */
static inline uint32_t av_first_of_number(const marc_schema *s,
                                          uint32_t number) {
  uint32_t k = s->by_number[number];
  return k ? s->by_tag[k - 1] : AV_NONE;
}

static inline int av_on(const av_state *st, marc_schema_rule r) {
  return st->rules >> r & 1;
}

static inline int av_has_bit(const uint8_t *bits, uint8_t c) {
  return bits[c >> 3] >> (c & 7) & 1;
}

/* Does a value definition check anything? */
static inline int av_has_checks(const av_value *def) {
  return def->pattern != AV_NONE || def->pos_count || def->codes != AV_NONE;
}

/* Where a problem is: the parts every report of one field shares. */
typedef struct av_where {
  const av_rec_field *f;
  const av_field *def; /* NULL for undefined fields */
  char code;
  uint8_t indicator;
  const char *position;
  const char *label;
  const char *type; /* the typed definition's record type, or NULL */
  uint64_t offset;
} av_where;

/* avram_value.c: a problem to the callback (value, len: the value shown;
 * pattern: the one it fails), and the value checks. */
void av_report(av_state *st, marc_schema_rule rule, const av_where *w,
               const uint8_t *value, size_t len, const char *pattern);
/* Pattern, positions, codes of `def` on v[0..n). */
void av_check_value(av_state *st, const av_value *def, const uint8_t *v,
                    size_t n, const av_where *w);
/* v[0..n) against codelist `ci` (an indicator's when w->indicator). */
void av_check_codes(av_state *st, uint32_t ci, const uint8_t *v, size_t n,
                    const av_where *w);
void av_check_pattern(av_state *st, uint32_t pi, const uint8_t *v, size_t n,
                      const av_where *w);

/* avram_count.c: counting, fed by the same generic fields. */
typedef struct marc_schema_counter av_counter;
void av_count_field(av_counter *c, const av_rec_field *f);
void av_count_end_record(av_counter *c);

/* Rules on by default for a schema. */
uint32_t av_default_rules(const marc_schema *s);
uint32_t av_rules(const marc_schema *s, const marc_schema_options *opt);
int av_begin(av_state *st, const marc_schema *s, uint32_t rules,
             marc_schema_callback cb, void *ctx);
/* avram_marc.c: set only by the equivalence test
 * (tests/validation/avram_settle.c), so every field goes through the
 * generic path and the fast one can be compared with it. */
extern int av_generic_only;

/* One field; `marc`: its tag is a MARC 21 tag (a four-byte tag array),
 * so 9XX and X9X are local fields. */
void av_check_field(av_state *st, const av_rec_field *f, int marc);
/* Missing fields; frees what av_begin took. Returns problems or -1. */
int64_t av_end(av_state *st);
/* The subfield definition of `code` (clen bytes) in a field definition,
 * as an index into schema->subfields, or AV_NONE. */
uint32_t av_find_subfield(const marc_schema *s, const av_field *def,
                          const uint8_t *code, size_t clen);
/* The field definition matching a field, or AV_NONE. */
uint32_t av_lookup(const marc_schema *s, const av_rec_field *f);

#endif
