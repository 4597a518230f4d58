/* spec.c: MARCspecs for JS. A spec is compiled once (its syntax error,
 * with the byte position, for JS to show, as query.c does for queries)
 * and evaluated on records JS holds: the values come back in one buffer
 * that JS slices, so one call crosses the boundary per record however
 * many values there are. The buffers live in the compiled object and are
 * reused, so nothing is allocated per record once they have grown. */
#include "glue.h"

#include <stdlib.h>
#include <string.h>

/* Compile the spec text[0..len) (UTF-8; need not be NUL-terminated) with
 * `flags` (MARC_SPEC_TRAJECT for traject's shorthand). Returns a
 * wasm_spec whose status says whether it compiled or why not (position,
 * message); free it with marc__wasm_spec_free in either case. NULL only
 * when out of memory. */
WASM_EXPORT wasm_spec *marc__wasm_spec_compile(const char *text, uint32_t len,
                                               uint32_t flags) {
  wasm_spec *s = calloc(1, sizeof *s);
  char *z = malloc((size_t)len + 1);
  if (!s || !z) {
    free(s);
    free(z);
    return NULL;
  }
  if (len) memcpy(z, text, len);
  z[len] = 0;
  marc_error err;
  memset(&err, 0, sizeof err);
  s->s = marc_spec_compile_flags(z, flags, &err);
  free(z);
  s->status = s->s ? MARC_OK : err.code ? err.code : MARC_E_NOMEM;
  if (!s->s) {
    s->position = (uint32_t)err.position;
    memcpy(s->message, err.message, sizeof s->message);
    s->message[sizeof s->message - 1] = 0;
  }
  glue_live_objects++;
  return s;
}

/* Accepts NULL. */
WASM_EXPORT void marc__wasm_spec_free(wasm_spec *s) {
  if (!s) return;
  marc_spec_free(s->s);
  marc_buf_free(&s->scratch);
  marc_buf_free(&s->pairs);
  marc_buf_free(&s->bytes);
  free(s);
  glue_live_objects--;
}

/* Collects one value: its (offset, length) in `bytes`, then its bytes. */
static int spec_collect(void *user, const marc_spec_value *v) {
  wasm_spec *s = user;
  uint32_t pair[2] = {(uint32_t)s->bytes.len, (uint32_t)v->len};
  if (marc_buf_append(&s->pairs, pair, sizeof pair) != MARC_OK ||
      marc_buf_append(&s->bytes, v->data, v->len) != MARC_OK) {
    s->failed = 1;
    return 1;
  }
  return 0;
}

/* The values of `s` in the record in the writer's input area (a record
 * block, `table` 0, or a field table, `table` 1: see writer.c). Returns
 * their number, or a negative status (MARC_E_ARG for a spec that did not
 * compile). The values are then at s->values: `count` (offset, length)
 * pairs of uint32 into the bytes at s->data, both valid until the next
 * call on `s`. */
WASM_EXPORT int32_t marc__wasm_spec_eval(wasm_spec *s, wasm_writer *w,
                                         int32_t table) {
  if (!s || !s->s) return MARC_E_ARG;
  marc_record *rec = NULL;
  marc_status st = glue_writer_record(w, table != 0, &rec);
  if (st != MARC_OK) return st;
  s->pairs.len = 0;
  s->bytes.len = 0;
  s->failed = 0;
  st = marc_spec_eval(s->s, rec, &s->scratch, spec_collect, s);
  if (st == MARC_OK && s->failed) st = MARC_E_NOMEM;
  if (st != MARC_OK) return st;
  /* wasm32 pointers are 32 bits; a native build (the fuzz check) reads
   * the buffers through glue_spec_values instead. */
  s->count = (uint32_t)(s->pairs.len / (2 * sizeof(uint32_t)));
  s->values = (uint32_t)(uintptr_t)s->pairs.data;
  s->data = (uint32_t)(uintptr_t)s->bytes.data;
  return (int32_t)s->count;
}
