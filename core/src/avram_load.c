/* Loading an Avram schema: JSON text to a marc_schema. This file holds the
 * entry points, the schema's memory (strings in chunks, arrays that grow)
 * and error reporting by JSON Pointer; avram_compile.c compiles the field
 * schedule and codelists. */
#include "avram_internal.h"

#include <cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Strings live in chunks that never move, so definitions can point at
 * them while the arrays around them still grow. */
struct av_chunk {
  av_chunk *next;
  size_t used, cap;
  char data[];
};

int av_fail(av_loader *L, const char *fmt, ...) {
  if (L->err && !L->err->code) {
    char what[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    L->err->code = MARC_E_INVALID;
    /* The path first: it is what a schema's author looks for. Cut to the
     * message's size (precision keeps the compiler's truncation check
     * quiet; the result is cut either way). */
    snprintf(L->err->message, sizeof L->err->message, "%.100s: %.56s",
             L->path_len ? L->path : "/", what);
  }
  return -1;
}

int av_nomem(av_loader *L) {
  if (L->err && !L->err->code) {
    L->err->code = MARC_E_NOMEM;
    snprintf(L->err->message, sizeof L->err->message, "out of memory");
  }
  return -1;
}

const char *av_strdup(av_loader *L, const char *p, size_t n) {
  av_chunk *c = L->s->strings;
  if (!c || c->cap - c->used < n + 1) {
    size_t cap = n + 1 > 16384 ? n + 1 : 16384;
    av_chunk *nc = malloc(sizeof *nc + cap);
    if (!nc) {
      av_nomem(L);
      return NULL;
    }
    nc->next = c;
    nc->used = 0;
    nc->cap = cap;
    L->s->strings = c = nc;
  }
  char *out = c->data + c->used;
  if (n) memcpy(out, p, n);
  out[n] = 0;
  c->used += n + 1;
  return out;
}

size_t av_path_push(av_loader *L, const char *seg) {
  size_t mark = L->path_len;
  size_t room = sizeof L->path - 1;
  if (L->path_len < room) L->path[L->path_len++] = '/';
  for (const char *p = seg; *p && L->path_len + 2 < room; p++) {
    /* JSON Pointer (RFC 6901) escapes '~' and '/'. */
    if (*p == '~' || *p == '/') {
      L->path[L->path_len++] = '~';
      L->path[L->path_len++] = *p == '~' ? '0' : '1';
    } else {
      L->path[L->path_len++] = *p;
    }
  }
  L->path[L->path_len] = 0;
  return mark;
}

void av_path_pop(av_loader *L, size_t mark) {
  L->path_len = mark;
  L->path[mark] = 0;
}

uint32_t av_grow(av_loader *L, void **v, uint32_t *n, uint32_t *cap,
                 size_t size) {
  if (*n == *cap) {
    uint32_t nc = *cap ? *cap * 2 : 16;
    void *p = realloc(*v, (size_t)nc * size);
    if (!p) {
      av_nomem(L);
      return AV_NONE;
    }
    *v = p;
    *cap = nc;
  }
  memset((char *)*v + (size_t)*n * size, 0, size);
  return (*n)++;
}

void marc_schema_free(marc_schema *s) {
  if (!s) return;
  for (uint32_t i = 0; i < s->patterns.n; i++)
    av_pattern_free(&s->patterns.v[i]);
  free(s->fields.v);
  free(s->subfields.v);
  free(s->positions.v);
  free(s->typed.v);
  free(s->codelists.v);
  free(s->codes.v);
  free(s->patterns.v);
  free(s->by_tag);
  free(s->required);
  free(s->fixed_chars);
  free(s->fixed_slow);
  for (av_chunk *c = s->strings, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  free(s);
}

/* The position of a JSON syntax error, from cJSON's pointer into the text;
 * cJSON does not say what was expected, only where it gave up. */
static void syntax_error(marc_error *err, const char *json, size_t len) {
  if (!err) return;
  const char *at = cJSON_GetErrorPtr();
  size_t pos = at && at >= json && at <= json + len ? (size_t)(at - json) : 0;
  err->code = MARC_E_INVALID;
  err->position = pos;
  snprintf(err->message, sizeof err->message,
           "not valid JSON: syntax error at byte %zu", pos);
}

/* A stable merge sort with a context argument (qsort has none in C11, and
 * a static would make loading unsafe on two threads). */
int av_msort(void *base, size_t n, size_t size,
             int (*cmp)(const void *, const void *, const void *),
             const void *ctx) {
  if (n < 2) return 0;
  char *a = base, *tmp = malloc(n * size);
  if (!tmp) return -1;
  for (size_t w = 1; w < n; w *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * w) {
      size_t mid = lo + w < n ? lo + w : n,
             hi = lo + 2 * w < n ? lo + 2 * w : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi)
        if (cmp(a + j * size, a + i * size, ctx) < 0)
          memcpy(tmp + k++ * size, a + j++ * size, size);
        else memcpy(tmp + k++ * size, a + i++ * size, size);
      memcpy(tmp + k * size, a + i * size, (mid - i) * size);
      k += mid - i;
      memcpy(tmp + k * size, a + j * size, (hi - j) * size);
    }
    memcpy(a, tmp, n * size);
  }
  free(tmp);
  return 0;
}

/* Definitions sorted by tag, so other tags than numeric ones are found by
 * binary search; numeric tags and LDR get a direct table. */
static int by_tag_cmp(const void *a, const void *b, const void *ctx) {
  const marc_schema *s = ctx;
  return strcmp(s->fields.v[*(const uint32_t *)a].tag,
                s->fields.v[*(const uint32_t *)b].tag);
}

static int index_tags(av_loader *L) {
  marc_schema *s = L->s;
  uint32_t n = s->fields.n;
  s->by_tag = malloc(((size_t)n + 1) * sizeof *s->by_tag);
  if (!s->by_tag) return av_nomem(L);
  for (uint32_t i = 0; i < n; i++) s->by_tag[i] = i;
  if (av_msort(s->by_tag, n, sizeof *s->by_tag, by_tag_cmp, s) < 0)
    return av_nomem(L);
  s->required = malloc(((size_t)n + 1) * sizeof *s->required);
  if (!s->required) return av_nomem(L);
  for (uint32_t i = 0; i < n; i++) {
    av_field *f = &s->fields.v[i];
    if (f->required) s->required[s->nrequired++] = i;
    if (f->occurrence.digits || f->counter.digits) s->has_ranges = 1;
    for (uint32_t k = 0; k < f->sub_count; k++)
      if (s->subfields.v[f->sub_first + k].required) f->has_required = 1;
  }
  for (uint32_t k = n; k-- > 0;) {
    const av_field *f = &s->fields.v[s->by_tag[k]];
    const char *t = f->tag;
    if (f->tag_len == 3 && t[0] >= '0' && t[0] <= '9' && t[1] >= '0' &&
        t[1] <= '9' && t[2] >= '0' && t[2] <= '9')
      s->by_number[(t[0] - '0') * 100 + (t[1] - '0') * 10 + (t[2] - '0')] =
          k + 1;
    else if (!strcmp(t, "LDR")) s->ldr = k + 1;
  }
  return 0;
}

static int compile_root(av_loader *L, const cJSON *root) {
  if (!cJSON_IsObject(root)) return av_fail(L, "a schema is a JSON object");
  const cJSON *title = cJSON_GetObjectItemCaseSensitive(root, "title");
  L->s->title =
      av_strdup(L, cJSON_IsString(title) ? title->valuestring : "",
                cJSON_IsString(title) ? strlen(title->valuestring) : 0);
  if (!L->s->title) return -1;
  if (av_get_count(L, root, "records", &L->s->records) < 0) return -1;
  const cJSON *dir = cJSON_GetObjectItemCaseSensitive(root, "codelists");
  if (dir) {
    size_t m = av_path_push(L, "codelists");
    if (!cJSON_IsObject(dir))
      return av_fail(L, "expected an object (a codelist directory)");
    av_path_pop(L, m);
    L->codelist_dir = dir;
  }
  const cJSON *fields = cJSON_GetObjectItemCaseSensitive(root, "fields");
  if (!fields) return av_fail(L, "a schema needs \"fields\"");
  size_t m = av_path_push(L, "fields");
  if (!cJSON_IsObject(fields))
    return av_fail(L, "expected an object (a field schedule)");
  if (av_compile_fields(L, fields) < 0) return -1;
  av_path_pop(L, m);
  if (index_tags(L) < 0) return -1;
  av_finish(L->s);
  if (av_fixed_compile(L->s) < 0) return av_nomem(L);
  return 0;
}

marc_schema *marc_schema_load(const char *json, size_t len, marc_error *err) {
  if (err) memset(err, 0, sizeof *err);
  if (!json) {
    if (err) {
      err->code = MARC_E_ARG;
      snprintf(err->message, sizeof err->message, "no schema text");
    }
    return NULL;
  }
  cJSON *root = cJSON_ParseWithLength(json, len);
  if (!root) {
    syntax_error(err, json, len);
    return NULL;
  }
  marc_schema *s = calloc(1, sizeof *s);
  av_loader L = {.s = s, .err = err};
  if (!s) {
    av_nomem(&L);
    cJSON_Delete(root);
    return NULL;
  }
  int rc = compile_root(&L, root);
  cJSON_Delete(root);
  if (rc < 0) {
    marc_schema_free(s);
    return NULL;
  }
  return s;
}

const char *marc_schema_title(const marc_schema *s) {
  return s && s->title ? s->title : "";
}

int marc_schema_partial(const marc_schema *s) { return s ? s->partial : 0; }

/* The schemas built into the library (avram_schemas.c, generated from
 * core/data/schemas at build time). */
extern const char *const marc__avram_builtin_json[MARC_SCHEMA_BUILTIN_COUNT_];
extern const size_t marc__avram_builtin_len[MARC_SCHEMA_BUILTIN_COUNT_];

marc_schema *marc_schema_load_builtin(marc_schema_builtin which,
                                      marc_error *err) {
  if ((int)which < 0 || which >= MARC_SCHEMA_BUILTIN_COUNT_) {
    if (err) {
      memset(err, 0, sizeof *err);
      err->code = MARC_E_ARG;
      snprintf(err->message, sizeof err->message, "no such built-in schema");
    }
    return NULL;
  }
  marc_schema *s = marc_schema_load(marc__avram_builtin_json[which],
                                    marc__avram_builtin_len[which], err);
  /* The authority and holdings rule packs cover a part of their formats:
   * a field they leave out is not known to be undefined. */
  if (s) s->partial = which != MARC_SCHEMA_BIBLIOGRAPHIC;
  return s;
}

const char *marc_schema_builtin_json(marc_schema_builtin which, size_t *len) {
  if ((int)which < 0 || which >= MARC_SCHEMA_BUILTIN_COUNT_) {
    if (len) *len = 0;
    return NULL;
  }
  if (len) *len = marc__avram_builtin_len[which];
  return marc__avram_builtin_json[which];
}

int marc_schema_builtin_for(char leader06) {
  if (leader06 && strchr("acdefgijkmoprt", leader06))
    return MARC_SCHEMA_BIBLIOGRAPHIC;
  if (leader06 == 'z') return MARC_SCHEMA_AUTHORITY;
  if (leader06 && strchr("uvxy", leader06)) return MARC_SCHEMA_HOLDINGS;
  return -1;
}

static const char *const rule_names[MARC_AV_RULE_COUNT_] = {
    "invalidRecord",
    "undefinedField",
    "deprecatedField",
    "nonrepeatableField",
    "missingField",
    "invalidFieldValue",
    "invalidIndicator",
    "invalidSubfield",
    "undefinedSubfield",
    "deprecatedSubfield",
    "nonrepeatableSubfield",
    "missingSubfield",
    "invalidSubfieldValue",
    "patternMismatch",
    "invalidPosition",
    "recordTypes",
    "invalidFlag",
    "undefinedCode",
    "deprecatedCode",
    "undefinedCodelist",
    "localField",
    "countRecord",
    "countField",
    "countSubfield"};

const char *marc_schema_rule_name(marc_schema_rule rule) {
  return (int)rule >= 0 && rule < MARC_AV_RULE_COUNT_ ? rule_names[rule]
                                                      : "unknown";
}

int marc_schema_rule_from_name(const char *name) {
  for (int i = 0; name && i < MARC_AV_RULE_COUNT_; i++)
    if (!strcmp(name, rule_names[i])) return i;
  return -1;
}
