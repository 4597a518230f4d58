/* query.c: the core's record queries and validation for JS. A query is
 * compiled once (its syntax error, with the byte position, for JS to
 * show), then used as a reader's filter (reader.c: records that do not
 * match are dropped before any block exists) or to match one record JS
 * holds; validation checks one record JS holds against MARC 21 rules. */
#include "glue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for `n` bytes JS writes into (a query's text); release with
 * marc__wasm_free. NULL when out of memory. */
WASM_EXPORT uint8_t *marc__wasm_alloc(uint32_t n) { return malloc(n ? n : 1); }

WASM_EXPORT void marc__wasm_free(void *p) { free(p); }

/* Compile the query text[0..len) (UTF-8; need not be NUL-terminated).
 * Returns a wasm_query whose status says whether it compiled (then it can
 * filter readers and match records) or why not (position, message); free
 * it with marc__wasm_query_free in either case, after every reader using
 * it. NULL only when out of memory. */
WASM_EXPORT wasm_query *marc__wasm_query_compile(const char *text,
                                                 uint32_t len) {
  wasm_query *q = calloc(1, sizeof *q);
  char *z = malloc((size_t)len + 1);
  if (!q || !z) {
    free(q);
    free(z);
    return NULL;
  }
  if (len) memcpy(z, text, len);
  z[len] = 0;
  marc_error err;
  q->q = marc_query_compile(z, &err);
  free(z);
  q->status = q->q ? MARC_OK : err.code ? err.code : MARC_E_NOMEM;
  if (!q->q) {
    q->position = (uint32_t)err.position;
    memcpy(q->message, err.message, sizeof q->message);
    q->message[sizeof q->message - 1] = 0;
  }
  glue_live_objects++;
  return q;
}

/* Accepts NULL. */
WASM_EXPORT void marc__wasm_query_free(wasm_query *q) {
  if (!q) return;
  marc_query_free(q->q);
  free(q);
  glue_live_objects--;
}

/* Does the record in the writer's input area (a record block, `table` 0,
 * or a field table, `table` 1: see writer.c) match `q`? 1 or 0, or a
 * negative status (MARC_E_ARG for a query that did not compile). */
WASM_EXPORT int32_t marc__wasm_query_match(const wasm_query *q, wasm_writer *w,
                                           int32_t table) {
  if (!q || !q->q) return MARC_E_ARG;
  marc_record *rec = NULL;
  marc_status s = glue_writer_record(w, table != 0, &rec);
  if (s != MARC_OK) return s;
  return marc_query_match(q->q, rec);
}

/* Check the record in the writer's input area (as for
 * marc__wasm_query_match) against MARC 21 rules (marc_record_validate).
 * Returns a batch of that one record (status MARC_END) whose
 * diagnostics are the record's own and the problems found, read as any
 * batch; a batch with no record and the failing status when the record
 * cannot be built; NULL when out of memory. Valid until the next call on
 * the writer. */
WASM_EXPORT const uint8_t *marc__wasm_validate(wasm_writer *w, int32_t table) {
  if (!w) return NULL;
  marc_record *rec = NULL;
  marc_status s = glue_writer_record(w, table != 0, &rec);
  if (s == MARC_OK && marc_record_validate(rec) < 0) s = MARC_E_NOMEM;
  return glue_writer_batch(w, table != 0, s);
}
