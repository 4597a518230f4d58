/* Record queries: a small language over tags, indicators, subfields,
 * control-field positions and the leader, with and/or/not and POSIX
 * regular expressions. Compiled once into a tree, matched per record. */
#include "internal.h"
#include "query_spec.h"
#include "regex_bytes.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>

typedef enum node_kind { N_AND, N_OR, N_NOT, N_TERM } node_kind;
typedef enum term_op { OP_EXISTS, OP_EQ, OP_REGEX } term_op;
typedef enum term_target {
  T_FIELD,    /* the field exists / its whole value */
  T_SUBFIELD, /* one of `codes` */
  T_IND1,
  T_IND2,
  T_POS /* positions [from, to] of a control field or the leader */
} term_target;

typedef struct node {
  node_kind kind;
  struct node *a, *b;
  /* N_TERM */
  char tag[4]; /* "LDR" for the leader */
  term_target target;
  char codes[16];
  size_t from, to;
  term_op op;
  char *value;
  size_t value_len;
  regex_t re;
  int has_re;
  /* An operand written as a MARCspec (query_spec.c); the fields above
   * serve the older syntax that MARCspec does not cover. */
  query_operand operand;
  int has_operand;
} node;

struct marc_query {
  node *root;
};

typedef struct parser {
  const char *s;
  size_t pos;
  marc_error *err;
  int failed;
} parser;

/* Keep the first problem: its position is where parsing stopped. */
static void fail(parser *p, const char *what) {
  if (p->failed) return;
  p->failed = 1;
  if (!p->err) return;
  p->err->code = strcmp(what, "out of memory") ? MARC_E_INVALID : MARC_E_NOMEM;
  p->err->position = p->pos;
  snprintf(p->err->message, sizeof p->err->message, "%s", what);
}

static void skip_space(parser *p) {
  while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n')
    p->pos++;
}

static int word_is(parser *p, const char *w) {
  skip_space(p);
  size_t n = strlen(w);
  if (strncmp(p->s + p->pos, w, n) != 0) return 0;
  char c = p->s[p->pos + n];
  if (c && c != ' ' && c != '\t' && c != '\n' && c != '(' && c != ')') return 0;
  p->pos += n;
  return 1;
}

static void node_free(node *n) {
  if (!n) return;
  node_free(n->a);
  node_free(n->b);
  if (n->has_re) regfree(&n->re);
  if (n->has_operand) marc__query_operand_free(&n->operand);
  free(n->value);
  free(n);
}

static node *new_node(parser *p, node_kind kind) {
  node *n = calloc(1, sizeof *n);
  if (!n) fail(p, "out of memory");
  else n->kind = kind;
  return n;
}

static size_t parse_number(parser *p) {
  size_t v = 0;
  if (p->s[p->pos] < '0' || p->s[p->pos] > '9') fail(p, "expected a number");
  while (p->s[p->pos] >= '0' && p->s[p->pos] <= '9' && v < 100000)
    v = v * 10 + (size_t)(p->s[p->pos++] - '0');
  return v;
}

/* A value: quoted with " or ', or a bare word up to blank or ')'. */
static void parse_value(parser *p, node *n) {
  const char *s = p->s;
  size_t start, end;
  if (s[p->pos] == '"' || s[p->pos] == '\'') {
    char q = s[p->pos++];
    start = p->pos;
    while (s[p->pos] && s[p->pos] != q) p->pos++;
    if (!s[p->pos]) {
      fail(p, "unterminated quoted value");
      return;
    }
    end = p->pos++;
  } else {
    start = p->pos;
    while (s[p->pos] && s[p->pos] != ' ' && s[p->pos] != '\t' &&
           s[p->pos] != ')')
      p->pos++;
    end = p->pos;
  }
  n->value_len = end - start;
  n->value = malloc(n->value_len + 1);
  if (!n->value) {
    fail(p, "out of memory");
    return;
  }
  memcpy(n->value, s + start, n->value_len);
  n->value[n->value_len] = 0;
}

static node *parse_old_term(parser *p, node *n);

/* Is the operand at s one of the older forms: TAG, TAG$codes (letters and
 * digits), TAG.ind1, TAG.ind2, TAG/N or TAG/N-M, before any = or ~? Only
 * those fall back to the older parser, so that a broken MARCspec
 * ("245$a{$2=lcsh}") is reported as one, not read some other way. */
static int old_form(const char *s) {
  size_t i = 0;
  for (; i < 3; i++)
    if (!s[i] || strchr(" \t\n$=~/()", s[i])) return 0;
  if (s[i] == '$') {
    size_t k = ++i;
    while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')) i++;
    if (i == k) return 0;
  } else if (!strncmp(s + i, ".ind1", 5) || !strncmp(s + i, ".ind2", 5)) {
    i += 5;
  } else if (s[i] == '/') {
    size_t k = ++i;
    while ((s[i] >= '0' && s[i] <= '9') || (s[i] == '-' && i > k)) i++;
    if (i == k) return 0;
  }
  return !s[i] || strchr(" \t\n=~)", s[i]);
}

/* An operand: a MARCspec (with = != ~ !~ and a value), else the older
 * forms MARCspec has no words for (245$ab, 245.ind1=1); when neither
 * reads it, the MARCspec error is the one reported. */
static node *parse_term(parser *p) {
  skip_space(p);
  node *n = new_node(p, N_TERM);
  if (!n) return NULL;
  marc_error spec_err;
  size_t len;
  if (marc__query_operand(p->s + p->pos, p->pos, &len, &n->operand,
                          &spec_err)) {
    n->has_operand = 1;
    p->pos += len;
    return n;
  }
  if (spec_err.code == MARC_E_NOMEM) {
    fail(p, "out of memory");
    node_free(n);
    return NULL;
  }
  size_t start = p->pos;
  parser old = *p;
  old.err = NULL;
  node *o = NULL;
  if (old_form(p->s + p->pos)) o = parse_old_term(&old, n);
  else node_free(n);
  if (o) {
    p->pos = old.pos;
    return o;
  }
  p->pos = start;
  if (!p->failed && p->err) {
    p->failed = 1;
    *p->err = spec_err;
  }
  p->failed = 1;
  return NULL;
}

static node *parse_old_term(parser *p, node *n) {
  const char *s = p->s;
  for (int i = 0; i < 3; i++) {
    char c = s[p->pos];
    if (!c || c == ' ' || c == '$' || c == '=' || c == '~' || c == '/' ||
        c == '(' || c == ')') {
      fail(p, "expected a three-character tag (245, 6XX, LDR)");
      node_free(n);
      return NULL;
    }
    n->tag[i] = c;
    p->pos++;
  }
  n->target = T_FIELD;
  if (s[p->pos] == '$') {
    p->pos++;
    size_t k = 0;
    while (s[p->pos] && s[p->pos] != ' ' && s[p->pos] != '=' &&
           s[p->pos] != '~' && s[p->pos] != ')' && k < sizeof n->codes - 1)
      n->codes[k++] = s[p->pos++];
    if (!k) fail(p, "expected subfield codes after '$'");
    n->target = T_SUBFIELD;
  } else if (!strncmp(s + p->pos, ".ind1", 5) ||
             !strncmp(s + p->pos, ".ind2", 5)) {
    n->target = s[p->pos + 4] == '1' ? T_IND1 : T_IND2;
    p->pos += 5;
  } else if (s[p->pos] == '/') {
    p->pos++;
    n->target = T_POS;
    n->from = n->to = parse_number(p);
    if (s[p->pos] == '-') {
      p->pos++;
      n->to = parse_number(p);
    }
    if (n->to < n->from) fail(p, "position range ends before it starts");
  }
  n->op = OP_EXISTS;
  if (s[p->pos] == '=') {
    p->pos++;
    n->op = OP_EQ;
    parse_value(p, n);
  } else if (s[p->pos] == '~') {
    p->pos++;
    int flags = REG_EXTENDED | REG_NOSUB;
    if (s[p->pos] == '*') {
      p->pos++;
      flags |= REG_ICASE;
    }
    n->op = OP_REGEX;
    parse_value(p, n);
    if (!p->failed) {
      if (regcomp(&n->re, n->value, flags) != 0)
        fail(p, "invalid regular expression");
      else n->has_re = 1;
    }
  }
  if ((n->target == T_IND1 || n->target == T_IND2 || n->target == T_POS) &&
      n->op == OP_EXISTS)
    fail(p, "indicators and positions need '=' or '~'");
  if (p->failed) {
    node_free(n);
    return NULL;
  }
  return n;
}

static node *parse_or(parser *p);

static node *parse_not(parser *p) {
  if (word_is(p, "not")) {
    node *n = new_node(p, N_NOT);
    if (!n) return NULL;
    n->a = parse_not(p);
    if (!n->a) {
      node_free(n);
      return NULL;
    }
    return n;
  }
  skip_space(p);
  if (p->s[p->pos] == '(') {
    p->pos++;
    node *n = parse_or(p);
    if (!n) return NULL; /* failed inside: pos may be at the end */
    skip_space(p);
    if (p->s[p->pos] != ')') {
      fail(p, "expected ')'");
      node_free(n);
      return NULL;
    }
    p->pos++;
    return n;
  }
  return parse_term(p);
}

static node *parse_binary(parser *p, const char *word, node_kind kind,
                          node *(*next)(parser *)) {
  node *left = next(p);
  while (left && word_is(p, word)) {
    node *n = new_node(p, kind);
    node *right = n ? next(p) : NULL;
    if (!right) {
      node_free(n);
      node_free(left);
      return NULL;
    }
    n->a = left;
    n->b = right;
    left = n;
  }
  return left;
}

static node *parse_and(parser *p) {
  return parse_binary(p, "and", N_AND, parse_not);
}

static node *parse_or(parser *p) {
  return parse_binary(p, "or", N_OR, parse_and);
}

marc_query *marc_query_compile(const char *text, marc_error *err) {
  if (err) memset(err, 0, sizeof *err);
  parser p = {.s = text ? text : "", .err = err};
  node *root = parse_or(&p);
  skip_space(&p);
  if (root && p.s[p.pos]) {
    fail(&p, "unexpected text");
    node_free(root);
    root = NULL;
  }
  if (!root) {
    if (!p.failed) fail(&p, "empty query");
    return NULL;
  }
  marc_query *q = malloc(sizeof *q);
  if (!q) {
    fail(&p, "out of memory");
    node_free(root);
    return NULL;
  }
  q->root = root;
  return q;
}

void marc_query_free(marc_query *q) {
  if (!q) return;
  node_free(q->root);
  free(q);
}

static int value_matches(const node *n, const uint8_t *v, size_t len) {
  if (n->op == OP_EXISTS) return 1;
  if (n->op == OP_EQ)
    return len == n->value_len && (len == 0 || !memcmp(v, n->value, len));
  return marc__regex_bytes(&n->re, v, len) == 1;
}

static int match_term(const node *n, const marc_record *rec) {
  if (n->has_operand) return marc__query_operand_match(&n->operand, rec);
  if (!strcmp(n->tag, "LDR")) {
    if (n->target != T_POS)
      return n->op == OP_EXISTS ||
             value_matches(n, (const uint8_t *)rec->leader, 24);
    if (n->to >= 24) return 0;
    return value_matches(n, (const uint8_t *)rec->leader + n->from,
                         n->to - n->from + 1);
  }
  for (size_t i = 0; i < rec->nfields; i++) {
    const marc_field *f = &rec->fields[i];
    if (!marc_tag_match(n->tag, f->tag)) continue;
    const uint8_t *d = rec->bytes + f->off;
    switch (n->target) {
    case T_FIELD:
      if (value_matches(n, d, f->len)) return 1;
      break;
    case T_IND1:
    case T_IND2: {
      uint8_t c = n->target == T_IND1 ? f->ind1 : f->ind2;
      if (value_matches(n, &c, 1)) return 1;
      break;
    }
    case T_POS:
      if (n->to < f->len && value_matches(n, d + n->from, n->to - n->from + 1))
        return 1;
      break;
    case T_SUBFIELD: {
      marc_subfield_iter it = marc_subfields(rec, f);
      marc_subfield sf;
      while (marc_subfield_next(&it, &sf))
        if (sf.code && strchr(n->codes, sf.code) &&
            value_matches(n, sf.value, sf.len))
          return 1;
      break;
    }
    }
  }
  return 0;
}

static int eval(const node *n, const marc_record *rec) {
  switch (n->kind) {
  case N_AND: return eval(n->a, rec) && eval(n->b, rec);
  case N_OR: return eval(n->a, rec) || eval(n->b, rec);
  case N_NOT: return !eval(n->a, rec);
  case N_TERM: return match_term(n, rec);
  }
  return 0;
}

int marc_query_match(const marc_query *q, const marc_record *rec) {
  return q && rec && eval(q->root, rec);
}
