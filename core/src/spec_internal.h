/* MARCspec: the compiled form shared by the compiler (spec_parse.c), the
 * traject aliases (spec_alias.c) and the evaluator (spec_eval.c). Not
 * installed.
 *
 * A compiled spec is a few flat arrays sized from the text's length at
 * compile time (every element consumes at least one character of the
 * text), so compiling allocates a handful of blocks and evaluating none. */
#ifndef MARC_SPEC_INTERNAL_H
#define MARC_SPEC_INTERNAL_H

#include "internal.h"

/* One position: a number, or counted back from the last ('#'). */
typedef struct spec_pos {
  int32_t v;
  uint8_t last; /* 1: '#' (then v is 0) */
} spec_pos;

/* An index or a character range; a single position has a == b. */
typedef struct spec_range {
  spec_pos a, b;
  uint8_t set; /* 0: no range given, which means everything */
} spec_range;

/* What a spec or a subterm points at. */
enum { SPEC_FIELD, SPEC_SUBFIELD, SPEC_INDICATOR, SPEC_STRING };

/* Where a subterm is evaluated. */
enum {
  SCOPE_RECORD, /* an explicit tag, or an abbreviated field index: the
                   record's fields */
  SCOPE_FIELD,  /* abbreviated subfield or indicator: the field whose
                   value is being decided */
  SCOPE_VALUE   /* abbreviated character spec: that value itself */
};

/* Operators of a subspec. */
enum {
  OP_EXISTS,     /* ? (also an omitted operator) */
  OP_NOT_EXISTS, /* ! */
  OP_EQ,         /* = */
  OP_NE,         /* != */
  OP_HAS,        /* ~ */
  OP_HAS_NOT     /* !~ */
};

/* A subterm of a subspec (no subspecs of its own: the grammar has none). */
typedef struct spec_term {
  uint8_t kind, scope;
  uint8_t ind;               /* SPEC_INDICATOR: 1 or 2 */
  uint8_t code_lo, code_hi;  /* SPEC_SUBFIELD: codes lo..hi */
  char tag[4];               /* SCOPE_RECORD */
  spec_range findex;         /* field index */
  spec_range sindex;         /* subfield index */
  spec_range chars;          /* character positions */
  uint32_t str_off, str_len; /* SPEC_STRING: unescaped, in the pool */
} spec_term;

/* One "left operator right" of a subspec; left -1 is the value being
 * decided (an omitted left-hand side). */
typedef struct spec_check {
  uint8_t op;
  int32_t left, right;
} spec_check;

/* A subspec {...}: true when one of its checks is (OR). */
typedef struct spec_sub {
  uint32_t first, count; /* into checks */
} spec_sub;

/* A subfield spec of a top-level spec ($a-c[0]/1-2{...}), or, for field
 * and indicator specs, the one part that holds the spec's subspecs. All
 * subspecs of a part must hold (AND). */
typedef struct spec_part {
  uint8_t code_lo, code_hi;
  spec_range sindex;
  spec_range chars;
  uint32_t sub_first, sub_count; /* into subs */
} spec_part;

/* One MARCspec: field, subfield or indicator spec. */
typedef struct spec_one {
  uint8_t kind; /* SPEC_FIELD, SPEC_SUBFIELD or SPEC_INDICATOR */
  uint8_t ind;
  char tag[4];
  spec_range findex;
  spec_range chars; /* field specs */
  uint32_t part_first, part_count;
} spec_one;

struct marc_spec {
  spec_one *ones; /* several when traject's ':' joined specs */
  uint32_t nones;
  spec_part *parts;
  uint32_t nparts;
  spec_sub *subs;
  uint32_t nsubs;
  spec_check *checks;
  uint32_t nchecks;
  spec_term *terms;
  uint32_t nterms;
  char *pool; /* comparison strings */
  uint32_t npool;
  size_t cap; /* every array above holds cap elements */
};

/* Allocate a spec whose arrays hold `cap` elements each; NULL when out of
 * memory. */
marc_spec *marc__spec_alloc(size_t cap);

/* Compile one MARCspec (no ':' joins) from text[0..n) and append it to
 * `spec`'s arrays. On a syntax error returns MARC_E_INVALID with the
 * 0-based byte offset in *where and the reason in msg. */
marc_status marc__spec_parse(marc_spec *spec, const char *text, size_t n,
                             size_t *where, char *msg, size_t msglen);

/* Rewrite a traject spec ("245abc", "245|1*|a", "008[35-37]") as MARCspec
 * text in out (NUL-terminated); 0 when text[0..n) is not one. */
int marc__spec_traject(const char *text, size_t n, char *out, size_t cap);

#endif
