/* schema.c: Avram schemas for JS and the validation of a record. A schema
 * is a built-in one (MARC 21 bibliographic, authority, holdings: the data
 * the core embeds, loaded once and kept for the module's life) or one
 * loaded from JSON text JS passes. Validating a record runs what
 * `marcato validate` runs (native/cli/validate.c): the structure checks,
 * then, unless the reader left too little of the record, its schema; the
 * problems become the record's diagnostics, with the rule's name as code
 * (WASM_AV_BASE + rule), the subfield code, the indicator and the
 * definition's label. Builds without Avram (no cJSON) have the structure
 * checks only: the layout says "avram": false and the schema exports
 * answer MARC_E_ARG. */
#include "glue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if MARCATO_WASM_HAVE_AVRAM
static wasm_schema builtins[MARC_SCHEMA_BUILTIN_COUNT_];
static int builtins_loaded;

/* Load the built-in schemas once (not thread-safe: the first call is on
 * JS's thread, before any run starts its workers). */
static void load_builtins(void) {
  if (builtins_loaded) return;
  for (int i = 0; i < MARC_SCHEMA_BUILTIN_COUNT_; i++) {
    marc_error err;
    memset(&err, 0, sizeof err);
    wasm_schema *b = &builtins[i];
    b->builtin = 1;
    b->s = marc_schema_load_builtin((marc_schema_builtin)i, &err);
    b->status = b->s ? MARC_OK : err.code ? err.code : MARC_E_NOMEM;
    if (!b->s) snprintf(b->message, sizeof b->message, "%s", err.message);
  }
  builtins_loaded = 1;
}
#endif

/* Load an Avram schema from JSON text[0..len). Returns a wasm_schema whose
 * status says whether it loaded or why not (the message names the JSON
 * Pointer); free it with marc__wasm_schema_free in either case. NULL only
 * when out of memory. */
WASM_EXPORT wasm_schema *marc__wasm_schema_load(const char *json,
                                                uint32_t len) {
  wasm_schema *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  glue_live_objects++;
#if MARCATO_WASM_HAVE_AVRAM
  marc_error err;
  memset(&err, 0, sizeof err);
  w->s = marc_schema_load(json, len, &err);
  w->status = w->s ? MARC_OK : err.code ? err.code : MARC_E_NOMEM;
  if (!w->s) snprintf(w->message, sizeof w->message, "%s", err.message);
#else
  (void)json;
  (void)len;
  w->status = MARC_E_ARG;
  snprintf(w->message, sizeof w->message,
           "this build has no Avram validation (it needs cJSON)");
#endif
  return w;
}

/* A built-in schema (a marc_schema_builtin), loaded on first use; NULL
 * for a bad `which` or a build without Avram. Never freed. */
WASM_EXPORT const wasm_schema *marc__wasm_schema_builtin(int32_t which) {
#if MARCATO_WASM_HAVE_AVRAM
  if (which < 0 || which >= MARC_SCHEMA_BUILTIN_COUNT_) return NULL;
  load_builtins();
  return &builtins[which];
#else
  (void)which;
  return NULL;
#endif
}

/* Accepts NULL and built-in schemas (which stay). */
WASM_EXPORT void marc__wasm_schema_free(wasm_schema *w) {
  if (!w || w->builtin) return;
#if MARCATO_WASM_HAVE_AVRAM
  marc_schema_free(w->s);
#endif
  free(w);
  glue_live_objects--;
}

/* The schema's title ("" for none or a schema that did not load). */
WASM_EXPORT const char *marc__wasm_schema_title(const wasm_schema *w) {
#if MARCATO_WASM_HAVE_AVRAM
  if (w && w->s) return marc_schema_title(w->s);
#else
  (void)w;
#endif
  return "";
}

/* 1 for a partial schema (undefinedField is off by default for it). */
WASM_EXPORT int32_t marc__wasm_schema_partial(const wasm_schema *w) {
#if MARCATO_WASM_HAVE_AVRAM
  if (w && w->s) return marc_schema_partial(w->s);
#else
  (void)w;
#endif
  return 0;
}

/* The JSON text of a built-in schema (as the core embeds it), for JS to
 * show the definitions: field, indicator and subfield labels, code
 * meanings. NULL (length 0) for a bad `which` or without Avram. */
WASM_EXPORT const char *marc__wasm_schema_builtin_json(int32_t which) {
#if MARCATO_WASM_HAVE_AVRAM
  size_t len = 0;
  return marc_schema_builtin_json((marc_schema_builtin)which, &len);
#else
  (void)which;
  return NULL;
#endif
}

WASM_EXPORT uint32_t marc__wasm_schema_builtin_json_len(int32_t which) {
#if MARCATO_WASM_HAVE_AVRAM
  size_t len = 0;
  return marc_schema_builtin_json((marc_schema_builtin)which, &len)
             ? (uint32_t)len
             : 0;
#else
  (void)which;
  return 0;
#endif
}

marc_status glue_validation_set(glue_validation *v, int32_t mode,
                                const wasm_schema *s, uint32_t enable,
                                uint32_t disable) {
  if (mode != GLUE_SCHEMA_NONE && mode != GLUE_SCHEMA_BY_TYPE &&
      mode != GLUE_SCHEMA_ONE)
    return MARC_E_ARG;
#if MARCATO_WASM_HAVE_AVRAM
  if (mode == GLUE_SCHEMA_ONE && (!s || !s->s)) return MARC_E_ARG;
  if (mode == GLUE_SCHEMA_BY_TYPE) {
    load_builtins();
    for (int i = 0; i < MARC_SCHEMA_BUILTIN_COUNT_; i++)
      if (!builtins[i].s) return builtins[i].status;
  }
#else
  if (mode != GLUE_SCHEMA_NONE) return MARC_E_ARG;
#endif
  v->on = 1;
  v->schema = mode;
  v->one = mode == GLUE_SCHEMA_ONE ? s->s : NULL;
  v->enable = enable;
  v->disable = disable;
  return MARC_OK;
}

#if MARCATO_WASM_HAVE_AVRAM
static uint32_t find_text(encoder *e, const char *p, size_t n) {
  uint32_t at = (uint32_t)e->find_text.len;
  if (n && marc_buf_append(&e->find_text, p, n) != MARC_OK) e->find_failed = 1;
  return at;
}

/* One problem: kept with its message (as `marcato validate` words it) and
 * label. */
static int on_problem(void *ctx, const marc_schema_problem *p) {
  encoder *e = ctx;
  if (e->nfinds == e->finds_cap) {
    size_t cap = e->finds_cap ? 2 * e->finds_cap : 16;
    glue_find *v = realloc(e->finds, cap * sizeof *v);
    if (!v) {
      e->find_failed = 1;
      return 1;
    }
    e->finds = v;
    e->finds_cap = cap;
  }
  glue_find *f = &e->finds[e->nfinds++];
  memset(f, 0, sizeof *f);
  f->code = WASM_AV_BASE + (uint32_t)p->rule;
  memcpy(f->tag, p->tag, 3);
  f->sub = (uint8_t)p->code;
  f->ind = p->indicator;
  f->offset = p->offset;
  f->record = p->record;
  char msg[200];
  marc_schema_problem_message(p, msg, sizeof msg);
  f->msg_len = (uint32_t)strlen(msg);
  f->msg = find_text(e, msg, f->msg_len);
  if (p->label) {
    f->label_len = (uint32_t)strlen(p->label);
    f->label = find_text(e, p->label, f->label_len);
  }
  if (p->position) {
    f->pos_len = (uint32_t)strlen(p->position);
    f->pos = find_text(e, p->position, f->pos_len);
  }
  if (p->type) {
    f->type_len = (uint32_t)strlen(p->type);
    f->type = find_text(e, p->type, f->type_len);
  }
  return e->find_failed;
}

static const marc_schema *schema_of(const glue_validation *v,
                                    const marc_record *rec) {
  if (v->schema == GLUE_SCHEMA_ONE) return v->one;
  if (v->schema != GLUE_SCHEMA_BY_TYPE) return NULL;
  int k = marc_schema_builtin_for(marc_record_leader(rec)[6]);
  return k < 0 ? NULL : builtins[k].s;
}
#endif

int64_t glue_validate(encoder *e, const glue_validation *v, marc_record *rec) {
  e->nfinds = 0;
  e->find_text.len = 0;
  e->find_failed = 0;
  if (!v->on) return 0;
#if MARCATO_WASM_HAVE_AVRAM
  /* Structure and schema in one pass; the problems are kept apart from
   * the record's diagnostics, so their order is the two calls' order. */
  const marc_schema *s = marc_record_damaged(rec) ? NULL : schema_of(v, rec);
  marc_schema_options opt = {v->enable, v->disable};
  int64_t k = marc_record_validate_schema(rec, s, &opt, on_problem, e, NULL);
  if (k < 0 || e->find_failed) return -1;
  return (int64_t)marc_record_diag_count(rec) + (int64_t)e->nfinds;
#else
  if (marc_record_validate(rec) < 0) return -1;
  return (int64_t)marc_record_diag_count(rec);
#endif
}

void glue_first_problem(const encoder *e, const marc_record *rec,
                        uint32_t *code, char tag[4], uint64_t *offset,
                        uint64_t *record, char *msg, size_t msg_size) {
  if (marc_record_diag_count(rec)) {
    const marc_diag *d = marc_record_diag(rec, 0);
    *code = (uint32_t)d->code;
    memcpy(tag, d->tag, 4);
    *offset = d->offset;
    *record = d->record;
    snprintf(msg, msg_size, "%s", d->msg);
    return;
  }
  const glue_find *f = &e->finds[0];
  *code = f->code;
  memcpy(tag, f->tag, 4);
  *offset = f->offset;
  *record = f->record;
  size_t n = f->msg_len < msg_size ? f->msg_len : msg_size - 1;
  memcpy(msg, e->find_text.data + f->msg, n);
  msg[n] = 0;
}

/* Validate the record in the writer's input area (a record block, `table`
 * 0, or a field table, `table` 1: see writer.c) as a reader with
 * marc__wasm_reader_set_schema(mode, s, enable, disable) would. Returns a
 * batch of that one record (status MARC_END) whose diagnostics are the
 * record's own and the problems found, read as any batch; a batch with no
 * record and the failing status when the record cannot be built or the
 * arguments are bad; NULL when out of memory. Valid until the next call on
 * the writer. */
WASM_EXPORT const uint8_t *
marc__wasm_validate_schema(wasm_writer *w, int32_t table, int32_t mode,
                           const wasm_schema *s, uint32_t enable,
                           uint32_t disable) {
  if (!w) return NULL;
  marc_record *rec = NULL;
  glue_validation v;
  memset(&v, 0, sizeof v);
  marc_status st = glue_validation_set(&v, mode, s, enable, disable);
  if (st == MARC_OK) st = glue_writer_record(w, table != 0, &rec);
  encoder *e = glue_writer_encoder(w);
  if (st == MARC_OK && glue_validate(e, &v, rec) < 0) st = MARC_E_NOMEM;
  return glue_writer_batch(w, table != 0, st);
}
