/* Compiling an Avram field schedule into the schema's flat tables: field
 * and subfield definitions, indicators, positions, typed definitions and
 * codelists. Keys the validator does not use (url, description, created,
 * pica3...) are skipped; a key it uses with the wrong JSON type is an
 * error naming its JSON Pointer. */
#include "avram_internal.h"

#include <cJSON.h>
#include <string.h>

static const cJSON *get(const cJSON *obj, const char *key) {
  return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* A boolean key: 0/1 into *out, -1 with an error when not a boolean. */
static int get_bool(av_loader *L, const cJSON *obj, const char *key,
                    uint8_t *out) {
  const cJSON *v = get(obj, key);
  if (!v) return 0;
  size_t m = av_path_push(L, key);
  if (!cJSON_IsBool(v)) return av_fail(L, "expected true or false");
  av_path_pop(L, m);
  *out = cJSON_IsTrue(v) ? 1 : 0;
  return 0;
}

int av_get_count(av_loader *L, const cJSON *obj, const char *key,
                 int64_t *out) {
  const cJSON *v = get(obj, key);
  *out = -1;
  if (!v) return 0;
  size_t m = av_path_push(L, key);
  double d = cJSON_IsNumber(v) ? v->valuedouble : -1;
  if (d < 0 || d > 9e15 || d != (double)(int64_t)d)
    return av_fail(L, "expected a non-negative integer");
  av_path_pop(L, m);
  *out = (int64_t)d;
  return 0;
}

/* A string key copied into the schema (NULL when absent); -1 when it is
 * not a string. */
static int get_label(av_loader *L, const cJSON *obj, const char **out) {
  const cJSON *v = get(obj, "label");
  *out = NULL;
  if (!v) return 0;
  size_t m = av_path_push(L, "label");
  if (!cJSON_IsString(v)) return av_fail(L, "expected a string");
  av_path_pop(L, m);
  *out = av_strdup(L, v->valuestring, strlen(v->valuestring));
  return *out ? 0 : -1;
}

int av_parse_range(const char *s, av_range *r) {
  uint32_t a = 0, b = 0, da = 0, db = 0;
  const char *p = s;
  for (; *p >= '0' && *p <= '9' && da < 9; p++, da++)
    a = a * 10 + (uint32_t)(*p - '0');
  if (!da) return -1;
  if (*p == '-') {
    for (p++; *p >= '0' && *p <= '9' && db < 9; p++, db++)
      b = b * 10 + (uint32_t)(*p - '0');
    /* The specification wants the end larger than the start; real
     * schemas (avram-js's MARC 21 bibliographic one) write "6-6". */
    if (!db || b < a) return -1;
  } else {
    b = a;
  }
  if (*p) return -1;
  r->from = a;
  r->to = b;
  r->digits = da > db ? da : db;
  return 0;
}

static int code_cmp(const void *a, const void *b, const void *ctx) {
  (void)ctx;
  return strcmp(((const av_code *)a)->code, ((const av_code *)b)->code);
}

/* An explicit codelist (a JSON object of codes) into a new codelist. */
static uint32_t compile_explicit(av_loader *L, const cJSON *codes) {
  uint32_t ci = AV_PUSH(L, L->s->codelists);
  if (ci == AV_NONE) return AV_NONE;
  uint32_t first = L->s->codes.n, count = 0;
  for (const cJSON *c = codes->child; c; c = c->next) {
    size_t m = av_path_push(L, c->string);
    uint8_t dep = 0;
    if (cJSON_IsObject(c)) {
      if (get_bool(L, c, "deprecated", &dep) < 0) return AV_NONE;
    } else if (!cJSON_IsString(c)) {
      av_fail(L, "a code definition is a string or an object");
      return AV_NONE;
    }
    uint32_t k = AV_PUSH(L, L->s->codes);
    if (k == AV_NONE) return AV_NONE;
    size_t len = strlen(c->string);
    av_code *code = &L->s->codes.v[k];
    if (!(code->code = av_strdup(L, c->string, len))) return AV_NONE;
    code->len = (uint32_t)len;
    code->deprecated = dep;
    av_codelist *cl = &L->s->codelists.v[ci];
    if (len == 1) {
      uint8_t b = (uint8_t)c->string[0];
      cl->one_byte[b >> 3] |= (uint8_t)(1u << (b & 7));
      if (dep) cl->one_deprecated[b >> 3] |= (uint8_t)(1u << (b & 7));
    } else if (dep) {
      cl->long_deprecated = 1;
    }
    if (!count) cl->flag_len = (uint32_t)len;
    if (len == 1) cl->has_one = 1;
    count++;
    av_path_pop(L, m);
  }
  /* An empty codelist in a schema with no codes yet has no array to sort. */
  if (count && av_msort(L->s->codes.v + first, count, sizeof(av_code), code_cmp,
                        NULL) < 0) {
    av_nomem(L);
    return AV_NONE;
  }
  av_codelist *cl = &L->s->codelists.v[ci];
  cl->first = first;
  cl->count = count;
  for (int i = 0; i < 32; i++)
    cl->plain[i] = (uint8_t)(cl->one_byte[i] & ~cl->one_deprecated[i]);
  return ci;
}

/* `codes` or `flags`: an explicit codelist, or a reference resolved in the
 * schema's codelist directory (unresolved ones are kept, for the rule
 * undefinedCodelist). */
static int compile_codes(av_loader *L, const cJSON *v, uint32_t *out) {
  *out = AV_NONE;
  if (cJSON_IsObject(v)) {
    *out = compile_explicit(L, v);
    return *out == AV_NONE ? -1 : 0;
  }
  if (!cJSON_IsString(v) || !v->valuestring[0])
    return av_fail(L, "a codelist is an object of codes or a reference");
  const cJSON *entry =
      L->codelist_dir ? get(L->codelist_dir, v->valuestring) : NULL;
  if (entry) {
    /* Errors inside the directory entry name its own path. */
    char saved[sizeof L->path];
    size_t saved_len = L->path_len;
    memcpy(saved, L->path, sizeof saved);
    av_path_pop(L, 0);
    av_path_push(L, "codelists");
    av_path_push(L, v->valuestring);
    const cJSON *codes = cJSON_IsObject(entry) ? get(entry, "codes") : NULL;
    if (!cJSON_IsObject(codes))
      return av_fail(L, "a codelist directory entry needs \"codes\", an "
                        "object");
    av_path_push(L, "codes");
    *out = compile_explicit(L, codes);
    if (*out == AV_NONE) return -1;
    memcpy(L->path, saved, sizeof saved);
    L->path_len = saved_len;
    return 0;
  }
  uint32_t ci = AV_PUSH(L, L->s->codelists);
  if (ci == AV_NONE) return -1;
  L->s->codelists.v[ci].ref =
      av_strdup(L, v->valuestring, strlen(v->valuestring));
  if (!L->s->codelists.v[ci].ref) return -1;
  *out = ci;
  return 0;
}

static int compile_pattern(av_loader *L, const cJSON *v, uint32_t *out) {
  if (!cJSON_IsString(v) || !v->valuestring[0])
    return av_fail(L, "a pattern is a non-empty string");
  uint32_t pi = AV_PUSH(L, L->s->patterns);
  if (pi == AV_NONE) return -1;
  const char *src = av_strdup(L, v->valuestring, strlen(v->valuestring));
  if (!src) return -1;
  av_pattern p;
  if (av_pattern_compile(L, src, &p) < 0) {
    L->s->patterns.n--; /* nothing to free in it */
    return -1;
  }
  L->s->patterns.v[pi] = p;
  *out = pi;
  return 0;
}

static int compile_value(av_loader *L, const cJSON *def, av_value *v,
                         int positions_allowed);

/* A positions object: data element definitions by character range. */
static int compile_positions(av_loader *L, const cJSON *pos, av_value *v) {
  if (!cJSON_IsObject(pos))
    return av_fail(L, "positions are an object of character ranges");
  uint32_t first = L->s->positions.n, count = 0;
  for (const cJSON *e = pos->child; e; e = e->next) {
    size_t m = av_path_push(L, e->string);
    av_range r;
    if (av_parse_range(e->string, &r) < 0)
      return av_fail(L, "a character position is a range (\"07\", "
                        "\"07-10\")");
    if (!cJSON_IsObject(e))
      return av_fail(L, "a data element definition is an object");
    uint32_t k = AV_PUSH(L, L->s->positions);
    if (k == AV_NONE) return -1;
    av_position p = {.start = r.from, .end = r.to};
    if (!(p.key = av_strdup(L, e->string, strlen(e->string)))) return -1;
    if (get_label(L, e, &p.label) < 0) return -1;
    if (compile_value(L, e, &p.v, 0) < 0) return -1;
    const cJSON *flags = get(e, "flags");
    if (flags) {
      size_t fm = av_path_push(L, "flags");
      if (compile_codes(L, flags, &p.v.flags) < 0) return -1;
      av_path_pop(L, fm);
    }
    L->s->positions.v[k] = p;
    count++;
    av_path_pop(L, m);
  }
  v->pos_first = first;
  v->pos_count = count;
  return 0;
}

/* pattern, codes and (where allowed) positions of any definition. */
static int compile_value(av_loader *L, const cJSON *def, av_value *v,
                         int positions_allowed) {
  v->pattern = v->codes = v->flags = AV_NONE;
  v->pos_first = v->pos_count = 0;
  v->fixed_width = v->fixed_first = v->fixed_count = 0;
  v->slow_first = v->slow_count = 0;
  const cJSON *x;
  size_t m;
  if ((x = get(def, "pattern"))) {
    m = av_path_push(L, "pattern");
    if (compile_pattern(L, x, &v->pattern) < 0) return -1;
    av_path_pop(L, m);
  }
  if ((x = get(def, "codes"))) {
    m = av_path_push(L, "codes");
    if (compile_codes(L, x, &v->codes) < 0) return -1;
    av_path_pop(L, m);
  }
  if (positions_allowed && (x = get(def, "positions"))) {
    m = av_path_push(L, "positions");
    if (compile_positions(L, x, v) < 0) return -1;
    av_path_pop(L, m);
  }
  return 0;
}

static int compile_indicator(av_loader *L, const cJSON *def, int which,
                             av_indicator *ind) {
  const char *key = which ? "indicator2" : "indicator1";
  const cJSON *x = get(def, key);
  ind->v.pattern = ind->v.codes = ind->v.flags = AV_NONE;
  if (!x) return 0;
  size_t m = av_path_push(L, key);
  ind->defined = 1;
  if (cJSON_IsNull(x)) {
    /* null stands for {"codes": {" ": {}}}: a blank indicator. */
    cJSON *codes = cJSON_CreateObject();
    if (!codes || !cJSON_AddObjectToObject(codes, " ")) {
      cJSON_Delete(codes);
      return av_nomem(L);
    }
    ind->v.codes = compile_explicit(L, codes);
    cJSON_Delete(codes);
    if (ind->v.codes == AV_NONE) return -1;
  } else if (cJSON_IsString(x)) {
    /* A bare string is read as a codelist reference, as avram-js and the
     * test suite do. */
    if (compile_codes(L, x, &ind->v.codes) < 0) return -1;
  } else if (cJSON_IsObject(x)) {
    if (get_label(L, x, &ind->label) < 0) return -1;
    if (compile_value(L, x, &ind->v, 0) < 0) return -1;
  } else {
    return av_fail(L, "an indicator definition is an object or null");
  }
  av_path_pop(L, m);
  return 0;
}

/* One UTF-8 character? */
static int one_char(const char *s) {
  size_t n = strlen(s);
  if (!n) return 0;
  uint8_t b = (uint8_t)s[0];
  size_t want = b < 0x80    ? 1
                : b >= 0xF0 ? 4
                : b >= 0xE0 ? 3
                : b >= 0xC0 ? 2
                            : 0;
  return want == n;
}

/* A subfield key "a-z" or "0-5": a range of codes, which avram-js's own
 * MARC 21 schema writes for 880 and 886 (whose subfields are those of the
 * linked field). Not in the specification; read as one definition per
 * code. Returns the number of codes, or 0 when the key is not a range. */
static int code_range(const char *k, char *from, char *to) {
  if (strlen(k) != 3 || k[1] != '-' || (uint8_t)k[0] >= 128 ||
      (uint8_t)k[2] >= 128 || k[0] > k[2])
    return 0;
  *from = k[0];
  *to = k[2];
  return k[2] - k[0] + 1;
}

static int compile_subfields(av_loader *L, const cJSON *sch, uint32_t fi) {
  if (!cJSON_IsObject(sch))
    return av_fail(L, "a subfield schedule is an object");
  uint32_t first = L->s->subfields.n, count = 0;
  for (const cJSON *e = sch->child; e; e = e->next) {
    size_t m = av_path_push(L, e->string);
    char from = 0, to = 0;
    int range = code_range(e->string, &from, &to);
    if (!range && !one_char(e->string))
      return av_fail(L, "a subfield code is one character");
    if (!cJSON_IsObject(e))
      return av_fail(L, "a subfield definition is an object");
    av_subfield sf = {0};
    if (av_get_count(L, e, "total", &sf.total) < 0 ||
        av_get_count(L, e, "records", &sf.records) < 0 ||
        get_label(L, e, &sf.label) < 0 ||
        get_bool(L, e, "repeatable", &sf.repeatable) < 0 ||
        get_bool(L, e, "required", &sf.required) < 0 ||
        get_bool(L, e, "deprecated", &sf.deprecated) < 0 ||
        compile_value(L, e, &sf.v, 1) < 0)
      return -1;
    sf.quiet = !sf.deprecated && sf.v.pattern == AV_NONE &&
               sf.v.codes == AV_NONE && !sf.v.pos_count;
    if (!range) from = to = e->string[0];
    for (int c = (uint8_t)from; c <= (uint8_t)to; c++) {
      /* An explicit code before a range keeps its own definition. */
      if (c < 128 && L->s->fields.v[fi].sub_index[c]) continue;
      if (count == 254) return av_fail(L, "too many subfields");
      uint32_t k = AV_PUSH(L, L->s->subfields);
      if (k == AV_NONE) return -1;
      char one[2] = {(char)c, 0};
      sf.code = range ? av_strdup(L, one, 1)
                      : av_strdup(L, e->string, strlen(e->string));
      if (!sf.code) return -1;
      L->s->subfields.v[k] = sf;
      if (c < 128) L->s->fields.v[fi].sub_index[c] = (uint8_t)(count + 1);
      count++;
      if (!range) break; /* a multi-byte code: one definition */
    }
    av_path_pop(L, m);
  }
  L->s->fields.v[fi].sub_first = first;
  L->s->fields.v[fi].sub_count = count;
  L->s->fields.v[fi].has_subfields = 1;
  return 0;
}

static int compile_types(av_loader *L, const cJSON *types, uint32_t fi) {
  if (!cJSON_IsObject(types))
    return av_fail(L, "types are an object of typed field definitions");
  uint32_t first = L->s->typed.n, count = 0;
  for (const cJSON *e = types->child; e; e = e->next) {
    size_t m = av_path_push(L, e->string);
    if (!cJSON_IsObject(e))
      return av_fail(L, "a typed field definition is an object");
    uint32_t k = AV_PUSH(L, L->s->typed);
    if (k == AV_NONE) return -1;
    av_typed t = {0};
    if (!(t.type = av_strdup(L, e->string, strlen(e->string)))) return -1;
    if (compile_value(L, e, &t.v, 1) < 0) return -1;
    L->s->typed.v[k] = t;
    count++;
    av_path_pop(L, m);
  }
  L->s->fields.v[fi].typed_first = first;
  L->s->fields.v[fi].typed_count = count;
  return 0;
}

/* "245", "045Q/01", "028B/01-02", "209A/$x00-09": tag and range. */
static int parse_identifier(av_loader *L, const char *id, av_field *f) {
  const char *slash = strchr(id, '/');
  size_t tag_len = slash ? (size_t)(slash - id) : strlen(id);
  if (!tag_len) return av_fail(L, "a field identifier starts with a tag");
  if (!(f->tag = av_strdup(L, id, tag_len))) return -1;
  f->tag_len = (uint32_t)tag_len;
  if (!slash) return 0;
  if (slash[1] == '$' && slash[2] == 'x') {
    if (av_parse_range(slash + 3, &f->counter) < 0 || f->counter.digits > 2)
      return av_fail(L, "a field counter is a range of one or two digits");
  } else if (av_parse_range(slash + 1, &f->occurrence) < 0 ||
             f->occurrence.digits != 2) {
    return av_fail(L, "a field occurrence is a range of two digits");
  } else if (f->occurrence.to == 0) {
    f->occurrence.digits = 0; /* "/00" is the bare tag */
  }
  return 0;
}

static int compile_field(av_loader *L, const cJSON *e) {
  if (!cJSON_IsObject(e)) return av_fail(L, "a field definition is an object");
  uint32_t fi = AV_PUSH(L, L->s->fields);
  if (fi == AV_NONE) return -1;
  av_field f = {0};
  if (!(f.id = av_strdup(L, e->string, strlen(e->string)))) return -1;
  if (parse_identifier(L, e->string, &f) < 0 ||
      av_get_count(L, e, "total", &f.total) < 0 ||
      av_get_count(L, e, "records", &f.records) < 0 ||
      get_label(L, e, &f.label) < 0 ||
      get_bool(L, e, "repeatable", &f.repeatable) < 0 ||
      get_bool(L, e, "required", &f.required) < 0 ||
      get_bool(L, e, "deprecated", &f.deprecated) < 0 ||
      compile_indicator(L, e, 0, &f.ind[0]) < 0 ||
      compile_indicator(L, e, 1, &f.ind[1]) < 0 ||
      compile_value(L, e, &f.v, 1) < 0)
    return -1;
  L->s->fields.v[fi] = f;
  const cJSON *x;
  size_t m;
  if ((x = get(e, "subfields"))) {
    m = av_path_push(L, "subfields");
    if (compile_subfields(L, x, fi) < 0) return -1;
    av_path_pop(L, m);
  }
  if ((x = get(e, "types"))) {
    m = av_path_push(L, "types");
    if (compile_types(L, x, fi) < 0) return -1;
    av_path_pop(L, m);
  }
  return 0;
}

int av_compile_fields(av_loader *L, const cJSON *fields) {
  for (const cJSON *e = fields->child; e; e = e->next) {
    size_t m = av_path_push(L, e->string);
    /* cJSON keeps duplicate keys; Avram forbids them. */
    for (const cJSON *p = fields->child; p != e; p = p->next)
      if (!strcmp(p->string, e->string))
        return av_fail(L, "field identifier given twice");
    if (compile_field(L, e) < 0) return -1;
    av_path_pop(L, m);
  }
  return 0;
}

/* Every byte: an indicator a definition leaves out accepts any. */
static const uint8_t av_every_byte[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

void av_finish(marc_schema *s) {
  for (uint32_t i = 0; i < s->fields.n; i++) {
    av_field *d = &s->fields.v[i];
    memset(d->quiet_codes, 0, sizeof d->quiet_codes);
    memset(d->quiet_repeatable, 0, sizeof d->quiet_repeatable);
    for (unsigned c = 0; c < 128; c++) {
      if (!d->sub_index[c]) continue;
      const av_subfield *sf =
          &s->subfields.v[d->sub_first + d->sub_index[c] - 1];
      if (!sf->quiet) continue;
      d->quiet_codes[c >> 6] |= (uint64_t)1 << (c & 63);
      if (sf->repeatable)
        d->quiet_repeatable[c >> 6] |= (uint64_t)1 << (c & 63);
    }
  }
  for (uint32_t i = 0; i < s->fields.n; i++)
    for (int k = 0; k < 2; k++) {
      av_indicator *ind = &s->fields.v[i].ind[k];
      ind->plain = NULL;
      if (ind->defined && ind->v.pattern == AV_NONE &&
          ind->v.codes != AV_NONE && !s->codelists.v[ind->v.codes].ref)
        ind->plain = s->codelists.v[ind->v.codes].plain;
      s->fields.v[i].ind_ok[k] = !ind->defined ? av_every_byte : ind->plain;
    }
  for (uint32_t i = 0; i < s->positions.n; i++) {
    av_position *p = &s->positions.v[i];
    const av_value *v = &p->v;
    p->fast = AV_FAST_NONE;
    if (v->pattern == AV_NONE && v->codes == AV_NONE && v->flags == AV_NONE) {
      p->fast = AV_FAST_SKIP;
    } else if (v->flags != AV_NONE || v->pos_count) {
      continue;
    } else if (v->pattern == AV_NONE) {
      const av_codelist *cl = &s->codelists.v[v->codes];
      if (cl->ref) continue;
      /* A longer slice is accepted when each of its characters is a code
       * (check_positions' multi-code positions), unless the slice as a
       * whole could be a deprecated code. */
      if (p->start == p->end) {
        p->fast = AV_FAST_ONE;
        p->bits = cl->plain;
      } else if (cl->has_one && !cl->long_deprecated) {
        p->fast = AV_FAST_EACH;
        p->bits = cl->one_byte;
      }
    } else if (v->codes == AV_NONE) {
      p->fast = AV_FAST_PATTERN;
      p->pattern = &s->patterns.v[v->pattern];
    }
  }
}
