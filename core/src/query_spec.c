/* Query operands written as MARCspecs: SPEC, or SPEC OP VALUE with OP one
 * of = != ~ !~. VALUE is a MARCspec comparison string (\Jazz: = is equal,
 * ~ includes), or, as in the older query syntax, a quoted or bare value
 * (= is equal, ~ a POSIX extended regular expression, ~* ignoring case).
 * query.c combines operands with and, or, not and parentheses. */
#include "query_spec.h"
#include "regex_bytes.h"
#include "spec_internal.h"

#include <stdio.h>
#include <stdlib.h>

static int blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

/* The spec part of an operand: up to the first operator outside subspecs
 * (a subfield code like "$=" and escapes in comparison strings are not
 * operators), a blank, or a ')' that closes a parenthesis opened before
 * the operand. */
static size_t spec_extent(const char *s) {
  int depth = 0, parens = 0;
  size_t i = 0;
  for (; s[i]; i++) {
    char c = s[i];
    if (c == '$' && s[i + 1]) {
      i++;
    } else if (depth && c == '\\' && s[i + 1]) {
      i++;
    } else if (c == '{') {
      depth++;
    } else if (c == '}' && depth) {
      depth--;
    } else if (!depth && (blank(c) || strchr("=!~", c))) {
      break;
    } else if (!depth && c == '(') {
      parens++;
    } else if (!depth && c == ')' && !parens--) {
      break;
    }
  }
  return i;
}

/* In queries 'X' in a tag is a wildcard, as it always was ("6XX"): the
 * tag is rewritten to MARCspec's '.'. */
static void old_wildcards(char *spec) {
  if (strlen(spec) < 3) return;
  int x = 0;
  for (int k = 0; k < 3; k++) {
    char c = spec[k];
    if (c == 'X' || c == 'x') x = 1;
    else if (!(c >= '0' && c <= '9') && c != '.') return;
  }
  for (int k = 0; x && k < 3; k++)
    if (spec[k] == 'X' || spec[k] == 'x') spec[k] = '.';
}

static int set_error(marc_error *err, int code, size_t at, const char *msg) {
  if (err) {
    memset(err, 0, sizeof *err);
    err->code = code;
    err->position = at;
    snprintf(err->message, sizeof err->message, "%s", msg);
  }
  return 0;
}

/* The value after the operator, into op->value (NUL-terminated). */
static int parse_value(const char *s, size_t *len, query_operand *op,
                       marc_error *err, size_t at) {
  size_t i = 0, start, end;
  char *v;
  if (s[0] == '\\') {
    /* A comparison string: \s is a space, \X is X. Ends at a blank or a
     * ')' (write \) for one in the value). */
    op->literal = 1;
    v = malloc(strlen(s) + 1);
    if (!v) return set_error(err, MARC_E_NOMEM, at, "out of memory");
    size_t n = 0;
    for (i = 1; s[i] && !blank(s[i]) && s[i] != ')'; i++) {
      if (s[i] == '\\' && s[i + 1] && !blank(s[i + 1])) {
        i++;
        v[n++] = s[i] == 's' ? ' ' : s[i];
      } else {
        v[n++] = s[i];
      }
    }
    v[n] = 0;
    op->value = v;
    op->value_len = n;
    *len = i;
    return 1;
  }
  if (op->op == OP_HAS || op->op == OP_HAS_NOT) {
    op->regex = 1;
    if (s[0] == '*') op->icase = 1, i++;
  }
  if (s[i] == '"' || s[i] == '\'') {
    char q = s[i++];
    start = i;
    while (s[i] && s[i] != q) i++;
    if (!s[i])
      return set_error(err, MARC_E_INVALID, at + i,
                       "unterminated quoted value");
    end = i++;
  } else {
    start = i;
    while (s[i] && !blank(s[i]) && s[i] != ')') i++;
    end = i;
  }
  v = malloc(end - start + 1);
  if (!v) return set_error(err, MARC_E_NOMEM, at, "out of memory");
  memcpy(v, s + start, end - start);
  v[end - start] = 0;
  op->value = v;
  op->value_len = end - start;
  *len = i;
  if (op->regex) {
    int flags = REG_EXTENDED | REG_NOSUB | (op->icase ? REG_ICASE : 0);
    if (regcomp(&op->re, v, flags) != 0)
      return set_error(err, MARC_E_INVALID, at + start,
                       "invalid regular expression");
    op->has_re = 1;
  }
  return 1;
}

int marc__query_operand(const char *s, size_t at, size_t *len,
                        query_operand *op, marc_error *err) {
  memset(op, 0, sizeof *op);
  size_t n = spec_extent(s);
  char *text = malloc(n + 1);
  if (!text) return set_error(err, MARC_E_NOMEM, at, "out of memory");
  memcpy(text, s, n);
  text[n] = 0;
  old_wildcards(text);
  marc_error e;
  op->spec = marc_spec_compile(text, &e);
  free(text);
  if (!op->spec) {
    /* Positions from the start of the query, as its other errors. */
    set_error(err, e.code, at + e.position, e.message);
    return 0;
  }
  op->op = OP_EXISTS;
  size_t i = n;
  if (s[i] == '=' || s[i] == '~' || s[i] == '!') {
    if (s[i] == '!' && s[i + 1] != '=' && s[i + 1] != '~') {
      marc__query_operand_free(op);
      return set_error(err, MARC_E_INVALID, at + i + 1,
                       "expected '=' or '~' after '!'");
    }
    op->op = s[i] == '='       ? OP_EQ
             : s[i] == '~'     ? OP_HAS
             : s[i + 1] == '=' ? OP_NE
                               : OP_HAS_NOT;
    i += s[i] == '!' ? 2 : 1;
    size_t vlen;
    if (!parse_value(s + i, &vlen, op, err, at + i)) {
      marc__query_operand_free(op);
      return 0;
    }
    i += vlen;
  }
  *len = i;
  return 1;
}

void marc__query_operand_free(query_operand *op) {
  marc_spec_free(op->spec);
  if (op->has_re) regfree(&op->re);
  free(op->value);
  memset(op, 0, sizeof *op);
}

typedef struct probe {
  const query_operand *op;
  size_t values;
  int hit;
} probe;

static int contains(const uint8_t *h, size_t hn, const char *n, size_t nn) {
  for (size_t i = 0; i + nn <= hn; i++)
    if (!memcmp(h + i, n, nn)) return 1;
  return 0;
}

static int value_hits(const query_operand *op, const uint8_t *p, size_t n) {
  if (op->op == OP_EQ || op->op == OP_NE)
    return n == op->value_len && (!n || !memcmp(p, op->value, n));
  if (!op->regex) return contains(p, n, op->value, op->value_len);
  return marc__regex_bytes(&op->re, p, n) == 1;
}

/* Stops the walk at the first value that matches. */
static int probe_cb(void *user, const marc_spec_value *v) {
  probe *pr = user;
  pr->values++;
  pr->hit = value_hits(pr->op, v->data, v->len);
  return pr->hit;
}

/* As a subspec decides: no value is false; = and ~ need one value to
 * match, != and !~ none. Data fields' text is rendered into a buffer of
 * the call's own only for specs that give whole data fields. */
int marc__query_operand_match(const query_operand *op, const marc_record *rec) {
  if (op->op == OP_EXISTS) return marc_spec_match(op->spec, rec, NULL) > 0;
  probe pr = {op, 0, 0};
  if (marc_spec_eval(op->spec, rec, NULL, probe_cb, &pr) != MARC_OK) return 0;
  if (!pr.values) return 0;
  return op->op == OP_EQ || op->op == OP_HAS ? pr.hit : !pr.hit;
}
