/* MARCspec compiler: the ABNF of the MARCspec specification, one function
 * per rule, recursive descent with one character of look-ahead. Every
 * error names the byte it was found at and what was expected there. */
#include "spec_internal.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct parser {
  marc_spec *spec;
  const char *s;
  size_t n, i;
  size_t err_at;
  char *msg;
  size_t msglen;
  int failed;
} parser;

static int peek(const parser *p) {
  return p->i < p->n ? (unsigned char)p->s[p->i] : -1;
}

/* Record the first error only: callers unwind by returning 0. */
static int fail_at(parser *p, size_t at, const char *what) {
  if (!p->failed) {
    p->failed = 1;
    p->err_at = at;
    snprintf(p->msg, p->msglen, "%s", what);
  }
  return 0;
}

static int fail(parser *p, const char *what) { return fail_at(p, p->i, what); }

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_lower(int c) { return c >= 'a' && c <= 'z'; }
static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }

/* fieldTag = 3(alphalower / DIGIT / ".") / 3(alphaupper / DIGIT / ".") */
static int tag_char(int c) {
  return is_digit(c) || is_lower(c) || is_upper(c) || c == '.';
}

/* Is there a well-formed tag at text[i]? (Used to tell a tag from the
 * start of a comparison string written without its '\'.) */
static int tag_at(const parser *p, size_t i) {
  if (i + 3 > p->n) return 0;
  int lower = 0, upper = 0;
  for (size_t k = i; k < i + 3; k++) {
    int c = (unsigned char)p->s[k];
    if (!tag_char(c)) return 0;
    lower |= is_lower(c);
    upper |= is_upper(c);
  }
  return !(lower && upper);
}

static int parse_tag(parser *p, char tag[4]) {
  int lower = 0, upper = 0;
  for (int k = 0; k < 3; k++) {
    int c = peek(p);
    if (!tag_char(c))
      return fail(p, k ? "expected a field tag of three characters (digits, "
                         "letters or '.')"
                       : "expected a field tag (three digits, letters or "
                         "'.', or LDR)");
    lower |= is_lower(c);
    upper |= is_upper(c);
    if (lower && upper)
      return fail(p, "a field tag has upper- or lowercase letters, not both");
    tag[k] = (char)c;
    p->i++;
  }
  tag[3] = 0;
  return 1;
}

/* position = positiveInteger / "#". Leading zeros are accepted (LDR/06 is
 * how most people write leader positions). */
static int parse_pos(parser *p, spec_pos *pos) {
  int c = peek(p);
  pos->v = 0;
  pos->last = 0;
  if (c == '#') {
    pos->last = 1;
    p->i++;
    return 1;
  }
  if (!is_digit(c)) return fail(p, "expected a position (digits or '#')");
  int64_t v = 0;
  while (is_digit(peek(p))) {
    v = v * 10 + (peek(p) - '0');
    if (v > INT32_MAX) return fail(p, "position too large");
    p->i++;
  }
  pos->v = (int32_t)v;
  return 1;
}

/* positionOrRange = range / position; range = position "-" position. A
 * range that starts after it ends can reference nothing: an error. */
static int parse_range(parser *p, spec_range *r) {
  size_t start = p->i;
  if (!parse_pos(p, &r->a)) return 0;
  r->b = r->a;
  r->set = 1;
  if (peek(p) == '-') {
    p->i++;
    if (!parse_pos(p, &r->b)) return 0;
    if (!r->a.last && !r->b.last && r->a.v > r->b.v)
      return fail_at(p, start, "range starts after its end");
  }
  return 1;
}

/* index = "[" positionOrRange "]" */
static int parse_index(parser *p, spec_range *r) {
  p->i++; /* '[' */
  if (!parse_range(p, r)) return 0;
  if (peek(p) != ']') return fail(p, "expected ']' to close the index");
  p->i++;
  return 1;
}

/* characterSpec = "/" positionOrRange */
static int parse_chars(parser *p, spec_range *r) {
  p->i++; /* '/' */
  return parse_range(p, r);
}

/* subfieldChar = %x21-3F / %x5B-7B / %x7D-7E */
static int subfield_char(int c) {
  return (c >= 0x21 && c <= 0x3F) || (c >= 0x5B && c <= 0x7B) ||
         (c >= 0x7D && c <= 0x7E);
}

/* subfieldCode / subfieldCodeRange, after the '$'. */
static int parse_codes(parser *p, uint8_t *lo, uint8_t *hi) {
  p->i++; /* '$' */
  int c = peek(p);
  if (!subfield_char(c))
    return fail(p, "expected a subfield code (a-z, 0-9 or a symbol; not an "
                   "uppercase letter, '|' or a space)");
  p->i++;
  *lo = *hi = (uint8_t)c;
  if ((is_lower(c) || is_digit(c)) && peek(p) == '-') {
    p->i++;
    int d = peek(p);
    if (!(is_lower(c) ? is_lower(d) : is_digit(d)))
      return fail(p, is_lower(c) ? "a subfield range needs a lowercase letter "
                                   "after '-'"
                                 : "a subfield range needs a digit after '-'");
    if (d < c) return fail(p, "subfield range runs backwards");
    p->i++;
    *hi = (uint8_t)d;
  }
  return 1;
}

/* '^' then "1" / "2". */
static int parse_indicator(parser *p, uint8_t *ind) {
  p->i++; /* '^' */
  int c = peek(p);
  if (c != '1' && c != '2') return fail(p, "expected indicator 1 or 2");
  p->i++;
  *ind = (uint8_t)(c - '0');
  return 1;
}

/* comparisonString = "\" *VCHAR (and UTF-8), with $ { } ! = ~ ? | escaped by
 * '\' and a space written "\s". The text is stored unescaped. The grammar's own
 * test suite reads a first character that is an operator literally
 * ("\=test" is "=test"): an empty string directly followed by an
 * operator would be meaningless anyway. */
static int parse_string(parser *p, spec_term *t) {
  marc_spec *sp = p->spec;
  p->i++; /* '\' */
  t->kind = SPEC_STRING;
  t->str_off = sp->npool;
  size_t first = p->i;
  for (;;) {
    int c = peek(p);
    if (c < 0) break;
    if (c == '\\') {
      p->i++;
      int e = peek(p);
      if (e < 0x21 || e > 0x7E)
        return fail(p, "expected a character after '\\' in a comparison "
                       "string");
      sp->pool[sp->npool++] = e == 's' ? ' ' : (char)e;
      p->i++;
      continue;
    }
    if (c == ' ')
      return fail(p, "a space in a comparison string must be written \\s");
    /* The grammar says VCHAR; bytes of UTF-8 characters are let through
     * too, since the data compared is Unicode. */
    if (c < 0x21 || c == 0x7F)
      return fail(p, "a comparison string holds visible characters only");
    int special = strchr("${}!=~?|", c) != NULL;
    if (special && !(p->i == first && strchr("!=~?", c))) break;
    sp->pool[sp->npool++] = (char)c;
    p->i++;
  }
  t->str_len = sp->npool - t->str_off;
  return 1;
}

/* What a subterm is abbreviated against: the spec outside the subspec. */
typedef struct outer {
  const spec_one *one;
  const spec_part *part; /* the subfield spec, for subfield specs */
} outer;

/* After a subterm's tag: [index] then one of characterSpec,
 * abrSubfieldSpec (one code or range, [index], [characterSpec]) or
 * "^" indicator. */
static int parse_after_tag(parser *p, spec_term *t) {
  if (peek(p) == '[' && !parse_index(p, &t->findex)) return 0;
  int c = peek(p);
  if (c == '/') {
    t->kind = SPEC_FIELD;
    return parse_chars(p, &t->chars);
  }
  if (c == '$') {
    t->kind = SPEC_SUBFIELD;
    if (!parse_codes(p, &t->code_lo, &t->code_hi)) return 0;
    if (peek(p) == '[' && !parse_index(p, &t->sindex)) return 0;
    if (peek(p) == '/' && !parse_chars(p, &t->chars)) return 0;
    return 1;
  }
  if (c == '^') {
    t->kind = SPEC_INDICATOR;
    return parse_indicator(p, &t->ind);
  }
  t->kind = SPEC_FIELD;
  return 1;
}

/* subTerm = fieldSpec / subfieldSpec / indicatorSpec / comparisonString /
 * abbreviation. `rhs`: after an operator, where anything else is taken
 * for a comparison string that lacks its '\'. */
static int parse_term(parser *p, const outer *o, int rhs, int32_t *out) {
  marc_spec *sp = p->spec;
  spec_term *t = &sp->terms[sp->nterms];
  memset(t, 0, sizeof *t);
  size_t start = p->i;
  int c = peek(p);
  int ok;
  if (c == '\\') {
    ok = parse_string(p, t);
  } else if (c == '$') {
    t->kind = SPEC_SUBFIELD;
    t->scope = SCOPE_FIELD;
    ok = parse_codes(p, &t->code_lo, &t->code_hi) &&
         (peek(p) != '[' || parse_index(p, &t->sindex)) &&
         (peek(p) != '/' || parse_chars(p, &t->chars));
  } else if (c == '^') {
    if (o->one->kind == SPEC_FIELD && o->one->chars.set)
      return fail(p, "an indicator cannot follow a character position: "
                     "the spec points at a fixed field");
    t->kind = SPEC_INDICATOR;
    t->scope = SCOPE_FIELD;
    ok = parse_indicator(p, &t->ind);
  } else if (c == '/') {
    if (o->one->kind == SPEC_INDICATOR)
      return fail(p, "character positions do not apply to an indicator");
    t->kind = o->one->kind == SPEC_SUBFIELD ? SPEC_SUBFIELD : SPEC_FIELD;
    t->scope = SCOPE_VALUE;
    ok = parse_chars(p, &t->chars);
  } else if (c == '[' && o->one->kind == SPEC_SUBFIELD) {
    /* "$a[0]{[1]}" is "$a[0]{$a[1]}": the subfield's index. */
    t->kind = SPEC_SUBFIELD;
    t->scope = SCOPE_FIELD;
    t->code_lo = o->part->code_lo;
    t->code_hi = o->part->code_hi;
    ok = parse_index(p, &t->sindex) &&
         (peek(p) != '/' || parse_chars(p, &t->chars));
  } else if (c == '[') {
    /* "...[2]{[1]...}": the field of the outer tag at that index. */
    t->scope = SCOPE_RECORD;
    memcpy(t->tag, o->one->tag, 4);
    ok = parse_after_tag(p, t);
  } else if (tag_at(p, p->i)) {
    t->scope = SCOPE_RECORD;
    ok = parse_tag(p, t->tag) && parse_after_tag(p, t);
    int next = peek(p);
    if (ok && rhs && next >= 0 && !strchr("|}=!~?", next))
      return fail_at(p, start, "comparison string must start with '\\'");
  } else if (rhs && c >= 0 && !strchr("|}", c)) {
    return fail(p, "comparison string must start with '\\'");
  } else {
    return fail(p, "expected a subterm: a field tag, $code, ^1, ^2, [index], "
                   "/position or a \\comparison string");
  }
  if (!ok) return 0;
  *out = (int32_t)sp->nterms++;
  return 1;
}

static int operator_at(const parser *p) {
  int c = peek(p);
  return c == '=' || c == '!' || c == '~' || c == '?';
}

/* operator = "=" / "!=" / "~" / "!~" / "!" / "?" */
static uint8_t parse_op(parser *p) {
  int c = peek(p);
  p->i++;
  if (c == '!' && peek(p) == '=') return p->i++, OP_NE;
  if (c == '!' && peek(p) == '~') return p->i++, OP_HAS_NOT;
  switch (c) {
  case '!': return OP_NOT_EXISTS;
  case '=': return OP_EQ;
  case '~': return OP_HAS;
  default: return OP_EXISTS;
  }
}

/* subTermSet = [ [subTerm] operator ] subTerm */
static int parse_check(parser *p, const outer *o) {
  marc_spec *sp = p->spec;
  spec_check ch = {OP_EXISTS, -1, -1};
  if (operator_at(p)) {
    ch.op = parse_op(p);
    if (!parse_term(p, o, 1, &ch.right)) return 0;
  } else {
    int32_t first;
    if (!parse_term(p, o, 0, &first)) return 0;
    if (operator_at(p)) {
      ch.left = first;
      ch.op = parse_op(p);
      if (!parse_term(p, o, 1, &ch.right)) return 0;
    } else {
      ch.right = first; /* "{$a}" is "{?$a}" */
    }
  }
  sp->checks[sp->nchecks++] = ch;
  return 1;
}

/* *subSpec, each "{" subTermSet *( "|" subTermSet ) "}" */
static int parse_subspecs(parser *p, const outer *o, spec_part *part) {
  marc_spec *sp = p->spec;
  part->sub_first = sp->nsubs;
  part->sub_count = 0;
  while (peek(p) == '{') {
    p->i++;
    spec_sub *sub = &sp->subs[sp->nsubs++];
    sub->first = sp->nchecks;
    sub->count = 0;
    do {
      if (sub->count) p->i++; /* '|' */
      if (!parse_check(p, o)) return 0;
      sub->count++;
    } while (peek(p) == '|');
    if (peek(p) != '}')
      return fail(p, "expected '|' or '}' after a subspec's subterm");
    p->i++;
    part->sub_count++;
  }
  return 1;
}

static spec_part *new_part(marc_spec *sp) {
  spec_part *part = &sp->parts[sp->nparts++];
  memset(part, 0, sizeof *part);
  return part;
}

/* MARCspec = fieldSpec *subSpec
 *          / (subfieldSpec *subSpec *(abrSubfieldSpec *subSpec))
 *          / indicatorSpec *subSpec */
static int parse_one(parser *p) {
  marc_spec *sp = p->spec;
  spec_one *one = &sp->ones[sp->nones];
  memset(one, 0, sizeof *one);
  if (!parse_tag(p, one->tag)) return 0;
  if (peek(p) == '[' && !parse_index(p, &one->findex)) return 0;
  one->part_first = sp->nparts;
  int c = peek(p);
  if (c == '$') {
    one->kind = SPEC_SUBFIELD;
    while (peek(p) == '$') {
      spec_part *part = new_part(sp);
      if (!parse_codes(p, &part->code_lo, &part->code_hi)) return 0;
      if (peek(p) == '[' && !parse_index(p, &part->sindex)) return 0;
      if (peek(p) == '/' && !parse_chars(p, &part->chars)) return 0;
      outer o = {one, part};
      if (!parse_subspecs(p, &o, part)) return 0;
    }
  } else {
    if (c == '^') {
      one->kind = SPEC_INDICATOR;
      if (!parse_indicator(p, &one->ind)) return 0;
    } else {
      one->kind = SPEC_FIELD;
      if (c == '/' && !parse_chars(p, &one->chars)) return 0;
    }
    spec_part *part = new_part(sp);
    outer o = {one, part};
    if (!parse_subspecs(p, &o, part)) return 0;
  }
  one->part_count = sp->nparts - one->part_first;
  if (p->i < p->n) {
    c = peek(p);
    if (one->kind == SPEC_FIELD && one->chars.set && (c == '$' || c == '^'))
      return fail(p, "a character position ends a field spec: no subfield "
                     "or indicator can follow it");
    if (one->kind == SPEC_INDICATOR && c == '/')
      return fail(p, "character positions do not apply to an indicator");
    if (one->kind == SPEC_SUBFIELD)
      return fail(p, "unexpected character: expected '[', '/', '$', '{' or "
                     "the end of the spec after a subfield spec");
    return fail(p, "unexpected character: expected '{' or the end of the "
                   "spec");
  }
  sp->nones++;
  return 1;
}

marc_status marc__spec_parse(marc_spec *spec, const char *text, size_t n,
                             size_t *where, char *msg, size_t msglen) {
  parser p = {spec, text, n, 0, 0, msg, msglen, 0};
  if (parse_one(&p)) return MARC_OK;
  *where = p.err_at;
  return MARC_E_INVALID;
}

marc_spec *marc__spec_alloc(size_t cap) {
  marc_spec *sp = calloc(1, sizeof *sp);
  if (!sp) return NULL;
  cap = cap ? cap : 1;
  sp->cap = cap;
  sp->ones = calloc(cap, sizeof *sp->ones);
  sp->parts = calloc(cap, sizeof *sp->parts);
  sp->subs = calloc(cap, sizeof *sp->subs);
  sp->checks = calloc(cap, sizeof *sp->checks);
  sp->terms = calloc(cap, sizeof *sp->terms);
  sp->pool = calloc(cap, 1);
  if (!sp->ones || !sp->parts || !sp->subs || !sp->checks || !sp->terms ||
      !sp->pool) {
    marc_spec_free(sp);
    return NULL;
  }
  return sp;
}

void marc_spec_free(marc_spec *spec) {
  if (!spec) return;
  free(spec->ones);
  free(spec->parts);
  free(spec->subs);
  free(spec->checks);
  free(spec->terms);
  free(spec->pool);
  free(spec);
}
