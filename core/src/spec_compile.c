/* marc_spec_compile: MARCspec text to a compiled spec, with traject's
 * shorthand as an alias when asked for (MARC_SPEC_TRAJECT). */
#include "spec_internal.h"

#include <stdio.h>
#include <stdlib.h>

static void set_error(marc_error *err, int code, const char *text,
                      size_t byte_at, const char *msg) {
  if (!err) return;
  memset(err, 0, sizeof *err);
  err->code = code;
  /* People count characters, not bytes ("...$ß" fails at 4). */
  size_t pos = 0;
  for (size_t i = 0; text && i < byte_at && text[i]; i++)
    pos += ((unsigned char)text[i] & 0xC0) != 0x80;
  err->position = pos;
  snprintf(err->message, sizeof err->message, "%s", msg);
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* traject: TAG[|i1i2|][codes] or TAG[p] / TAG[p-q] (character positions).
 * Indicators are a character or '*' for any; codes lowercase letters or
 * digits. The MARCspec written is TAG$c{^1=\i1}{^2=\i2} per code. */
int marc__spec_traject(const char *s, size_t n, char *out, size_t cap) {
  size_t i = 0, o = 0;
#define PUT(c)                                                                 \
  do {                                                                         \
    if (o + 1 >= cap) return 0;                                                \
    out[o++] = (char)(c);                                                      \
  } while (0)
  if (n < 3) return 0;
  for (; i < 3; i++) {
    int c = (unsigned char)s[i];
    if (!is_digit(c) && !(c >= 'A' && c <= 'Z')) return 0;
    PUT(c);
  }
  if (i < n && s[i] == '[') {
    /* 008[35-37]: positions, digits only. */
    PUT('/');
    for (i++; i < n && s[i] != ']'; i++) {
      if (!is_digit((unsigned char)s[i]) && s[i] != '-') return 0;
      PUT(s[i]);
    }
    if (i + 1 != n || out[o - 1] == '/') return 0;
    out[o] = 0;
    return 1;
  }
  char ind[2] = {'*', '*'};
  if (i < n && s[i] == '|') {
    if (i + 4 > n || s[i + 3] != '|') return 0;
    ind[0] = s[i + 1];
    ind[1] = s[i + 2];
    i += 4;
  }
  char cond[32];
  size_t nc = 0;
  for (int k = 0; k < 2; k++) {
    if (ind[k] == '*') continue;
    int c = (unsigned char)ind[k];
    if (c != ' ' && (c < 0x21 || c > 0x7E)) return 0;
    const char head[] = {'{', '^', (char)('1' + k), '=', '\\'};
    memcpy(cond + nc, head, sizeof head);
    nc += sizeof head;
    if (c == ' ' || strchr("${}!=~?|\\", c)) cond[nc++] = '\\';
    cond[nc++] = c == ' ' ? 's' : (char)c;
    cond[nc++] = '}';
  }
  cond[nc] = 0;
  if (i == n) {
    for (size_t k = 0; k < nc; k++) PUT(cond[k]);
  }
  for (; i < n; i++) {
    int c = (unsigned char)s[i];
    if (!is_digit(c) && !(c >= 'a' && c <= 'z')) return 0;
    PUT('$');
    PUT(c);
    for (size_t k = 0; k < nc; k++) PUT(cond[k]);
  }
#undef PUT
  out[o] = 0;
  return 1;
}

/* Where traject's ':' joins specs: outside subspecs, not a subfield code
 * ("$:") and not escaped in a comparison string. */
static size_t next_join(const char *s, size_t from, size_t n) {
  int depth = 0;
  for (size_t i = from; i < n; i++) {
    char c = s[i];
    if (depth && c == '\\') {
      i++;
    } else if (c == '{') {
      depth++;
    } else if (c == '}' && depth) {
      depth--;
    } else if (c == ':' && !depth && !(i > from && s[i - 1] == '$')) {
      return i;
    }
  }
  return n;
}

/* 008 is not repeatable, so a MARCspec field index on it selects nothing
 * useful: with aliases on, "008[35-37]" is traject's positions. */
static int traject_positions(const char *s, size_t n) {
  return n > 4 && !memcmp(s, "008[", 4) && s[n - 1] == ']';
}

marc_spec *marc_spec_compile_flags(const char *text, unsigned flags,
                                   marc_error *err) {
  if (!text) {
    set_error(err, MARC_E_ARG, NULL, 0, "no spec text");
    return NULL;
  }
  size_t n = strlen(text);
  int traject = (flags & MARC_SPEC_TRAJECT) != 0;
  /* A traject alias is rewritten longer than it was: at most 2 + 16 bytes
   * per character ("a" -> "$a{^1=\\x}{^2=\\y}"). */
  size_t alias_cap = traject ? n * 20 + 64 : 0;
  char *alias = traject ? malloc(alias_cap) : NULL;
  /* Every element of the compiled arrays consumes a character of the text
   * parsed; a part may be parsed twice (as MARCspec, then as its alias). */
  size_t cap = n + 1;
  for (size_t start = 0; traject && alias && start <= n;) {
    size_t end = next_join(text, start, n);
    if (marc__spec_traject(text + start, end - start, alias, alias_cap))
      cap += strlen(alias) + 1;
    start = end + 1;
  }
  marc_spec *sp = marc__spec_alloc(cap);
  if (!sp || (traject && !alias)) {
    free(alias);
    marc_spec_free(sp);
    set_error(err, MARC_E_NOMEM, text, 0, "out of memory");
    return NULL;
  }
  size_t start = 0;
  do {
    size_t end = traject ? next_join(text, start, n) : n;
    const char *part = text + start;
    size_t len = end - start, where = 0;
    char msg[160];
    marc_status s = MARC_E_INVALID;
    /* A failed attempt leaves elements behind: take them back. */
    marc_spec saved = *sp;
    if (!(traject && traject_positions(part, len)))
      s = marc__spec_parse(sp, part, len, &where, msg, sizeof msg);
    if (s != MARC_OK && traject &&
        marc__spec_traject(part, len, alias, alias_cap)) {
      size_t w2;
      char m2[160];
      *sp = saved;
      s = marc__spec_parse(sp, alias, strlen(alias), &w2, m2, sizeof m2);
    }
    if (s != MARC_OK) {
      if (traject && traject_positions(part, len)) {
        where = 0;
        snprintf(msg, sizeof msg, "expected 008[POSITION] or 008[FROM-TO]");
      }
      set_error(err, MARC_E_INVALID, text, start + where, msg);
      free(alias);
      marc_spec_free(sp);
      return NULL;
    }
    start = end + 1;
  } while (start <= n && traject);
  free(alias);
  if (err) memset(err, 0, sizeof *err);
  return sp;
}

marc_spec *marc_spec_compile(const char *text, marc_error *err) {
  return marc_spec_compile_flags(text, 0, err);
}
