/* layout.c: what JS needs to read the glue's buffers, as data: every
 * struct offset and size, flag, status, format, encoding, frame part and
 * diagnostic code name, published once by marc__wasm_layout() so the
 * package hand-copies no number. Also the accounting the tests read. */
#include "glue.h"

#include <malloc.h>
#include <stdio.h>

int32_t glue_live_objects;

/* Objects made by this glue and not freed yet. */
WASM_EXPORT int32_t marc__wasm_live_allocations(void) {
  return glue_live_objects;
}

/* Bytes of the C heap in use (dlmalloc's count of allocated bytes): what
 * the tests check returns to its baseline once a reader is freed. */
WASM_EXPORT uint32_t marc__wasm_heap_used(void) {
  /* mallinfo() is what Emscripten's dlmalloc has; glibc (the native test
   * build) deprecates it for mallinfo2, which Emscripten lacks. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
  struct mallinfo mi = mallinfo();
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
  return (uint32_t)mi.uordblks;
}

#define F(T, m) "\"" #m "\":%u,"
#define O(T, m) (unsigned)offsetof(T, m)

/* A JSON description of the layout, the status and diagnostic codes and
 * the optional parts of this build. Built once; the pointer stays valid. */
WASM_EXPORT const char *marc__wasm_layout(void) {
  static char json[16384];
  if (json[0]) return json;
  size_t n = 0;
#define PUT(...) n += (size_t)snprintf(json + n, sizeof json - n, __VA_ARGS__)
  PUT("{\"version\":\"%s\",\"threads\":%s,", marc_version(),
      MARCATO_WASM_THREADS ? "true" : "false");
  PUT("\"batch\":{" F(b, status) F(b, count) F(b, size) F(b, first) F(b, err)
          F(b, text) F(b, text_len) "\"sizeof\":%u},",
      O(wasm_batch, status), O(wasm_batch, count), O(wasm_batch, size),
      O(wasm_batch, first), O(wasm_batch, err), O(wasm_batch, text),
      O(wasm_batch, text_len), (unsigned)sizeof(wasm_batch));
  PUT("\"rec\":{" F(r, size) F(r, nfields) F(r, ndiags) F(r, fields) F(r, diags)
          F(r, bytes) F(r, nbytes) F(r, flags) F(r, raw_flags) F(r, claimed)
              F(r, index_lo) F(r, index_hi) F(r, offset_lo) F(r, offset_hi)
                  F(r, junk_lo) F(r, junk_hi) F(r, subs) F(r, nsubs)
                      F(r, text_off) F(r, text_len) F(r, raw_length)
                          F(r, leader) "\"sizeof\":%u},",
      O(wasm_rec, size), O(wasm_rec, nfields), O(wasm_rec, ndiags),
      O(wasm_rec, fields), O(wasm_rec, diags), O(wasm_rec, bytes),
      O(wasm_rec, nbytes), O(wasm_rec, flags), O(wasm_rec, raw_flags),
      O(wasm_rec, claimed), O(wasm_rec, index_lo), O(wasm_rec, index_hi),
      O(wasm_rec, offset_lo), O(wasm_rec, offset_hi), O(wasm_rec, junk_lo),
      O(wasm_rec, junk_hi), O(wasm_rec, subs), O(wasm_rec, nsubs),
      O(wasm_rec, text_off), O(wasm_rec, text_len), O(wasm_rec, raw_length),
      O(wasm_rec, leader), (unsigned)sizeof(wasm_rec));
  PUT("\"field\":{" F(f, tag) F(f, ind1) F(f, ind2) F(f, control) F(f, ascii)
          F(f, off) F(f, len) F(f, soff) F(f, slen) F(f, sub)
              F(f, nsub) "\"sizeof\":%u},",
      O(wasm_field, tag), O(wasm_field, ind1), O(wasm_field, ind2),
      O(wasm_field, control), O(wasm_field, ascii), O(wasm_field, off),
      O(wasm_field, len), O(wasm_field, soff), O(wasm_field, slen),
      O(wasm_field, sub), O(wasm_field, nsub), (unsigned)sizeof(wasm_field));
  PUT("\"sub\":{" F(s, code) F(s, at) F(s, len) "\"sizeof\":%u},",
      O(wasm_sub, code), O(wasm_sub, at), O(wasm_sub, len),
      (unsigned)sizeof(wasm_sub));
  PUT("\"diag\":{" F(d, code) F(d, tag) F(d, offset_lo) F(d, offset_hi)
          F(d, record_lo) F(d, record_hi) F(d, msg) F(d, msg_len) F(d, sub)
              F(d, ind) F(d, label) F(d, label_len) F(d, pos) F(d, pos_len)
                  F(d, type) F(d, type_len) "\"sizeof\":%u},",
      O(wasm_diag, code), O(wasm_diag, tag), O(wasm_diag, offset_lo),
      O(wasm_diag, offset_hi), O(wasm_diag, record_lo), O(wasm_diag, record_hi),
      O(wasm_diag, msg), O(wasm_diag, msg_len), O(wasm_diag, sub),
      O(wasm_diag, ind), O(wasm_diag, label), O(wasm_diag, label_len),
      O(wasm_diag, pos), O(wasm_diag, pos_len), O(wasm_diag, type),
      O(wasm_diag, type_len), (unsigned)sizeof(wasm_diag));
  PUT("\"schema\":{" F(s, status) F(s, message) "\"sizeof\":%u},",
      O(wasm_schema, status), O(wasm_schema, message),
      (unsigned)sizeof(wasm_schema));
  PUT("\"result\":{" F(x, status) F(x, data) F(x, len) F(x, err_code)
          F(x, err_tag) F(x, changes) F(x, changes_len) "\"sizeof\":%u},",
      O(wasm_result, status), O(wasm_result, data), O(wasm_result, len),
      O(wasm_result, err_code), O(wasm_result, err_tag),
      O(wasm_result, changes), O(wasm_result, changes_len),
      (unsigned)sizeof(wasm_result));
  PUT("\"query\":{" F(q, status) F(q, position) F(q, message) "\"sizeof\":%u},",
      O(wasm_query, status), O(wasm_query, position), O(wasm_query, message),
      (unsigned)sizeof(wasm_query));
  PUT("\"spec\":{" F(s, status) F(s, position) F(s, message) F(s, count)
          F(s, values) F(s, data) "\"traject\":%u,\"sizeof\":%u},",
      O(wasm_spec, status), O(wasm_spec, position), O(wasm_spec, message),
      O(wasm_spec, count), O(wasm_spec, values), O(wasm_spec, data),
      (unsigned)MARC_SPEC_TRAJECT, (unsigned)sizeof(wasm_spec));
  PUT("\"table\":{" F(t, leader) F(t, nfields) F(t, fields) F(t, nsubs)
          F(t, subs) F(t, data) F(t, ndata) "\"sizeof\":%u},",
      O(wasm_table, leader), O(wasm_table, nfields), O(wasm_table, fields),
      O(wasm_table, nsubs), O(wasm_table, subs), O(wasm_table, data),
      O(wasm_table, ndata), (unsigned)sizeof(wasm_table));
  PUT("\"tfield\":{" F(t, tag) F(t, ind1) F(t, ind2) F(t, sub) F(t, nsub)
          F(t, off) F(t, len) "\"sizeof\":%u},",
      O(wasm_tfield, tag), O(wasm_tfield, ind1), O(wasm_tfield, ind2),
      O(wasm_tfield, sub), O(wasm_tfield, nsub), O(wasm_tfield, off),
      O(wasm_tfield, len), (unsigned)sizeof(wasm_tfield));
  PUT("\"tsub\":{" F(t, code) F(t, off) F(t, len) "\"sizeof\":%u},",
      O(wasm_tsub, code), O(wasm_tsub, off), O(wasm_tsub, len),
      (unsigned)sizeof(wasm_tsub));
  PUT("\"xmlFlags\":{\"inCollection\":%u,\"declaration\":%u},",
      (unsigned)MARC_XML_IN_COLLECTION, (unsigned)MARC_XML_DECLARATION);
  PUT("\"frame\":{\"begin\":%d,\"separator\":%d,\"end\":%d},", WASM_FRAME_BEGIN,
      WASM_FRAME_SEPARATOR, WASM_FRAME_END);
  PUT("\"encodings\":{\"asRead\":%d,\"auto\":%d,\"marc8\":%d,"
      "\"utf8\":%d},",
      WASM_ENC_AS_READ, MARC_ENC_AUTO, MARC_ENC_MARC8, MARC_ENC_UTF8);
  PUT("\"mtStat\":{\"records\":%d,\"seconds\":%d,\"firstRecord\":%d,"
      "\"threads\":%d},\"mtDone\":{\"running\":%d,\"done\":%d,"
      "\"failed\":%d},",
      WASM_MT_RECORDS, WASM_MT_SECONDS, WASM_MT_FIRST_RECORD, WASM_MT_THREADS,
      WASM_MT_RUNNING, WASM_MT_DONE, WASM_MT_FAILED);
  PUT("\"recFlags\":{\"ascii\":%u,\"built\":%u,\"error\":%u,"
      "\"textInBytes\":%u},",
      WASM_REC_ASCII, WASM_REC_BUILT, WASM_REC_ERROR, WASM_REC_TEXT_IN_BYTES);
  PUT("\"status\":{\"OK\":%d,\"NEED_MORE\":%d,\"END\":%d,\"E_NOMEM\":%d,"
      "\"E_ARG\":%d,\"E_INVALID\":%d,\"E_TOO_LONG\":%d,\"E_READONLY\":%d,"
      "\"E_STATE\":%d},",
      MARC_OK, MARC_NEED_MORE, MARC_END, MARC_E_NOMEM, MARC_E_ARG,
      MARC_E_INVALID, MARC_E_TOO_LONG, MARC_E_READONLY, MARC_E_STATE);
  /* The formats this build writes and reads, by the core's names. */
  PUT("\"formats\":{");
  const char *sep = "";
  for (int f = MARC_FORMAT_ISO2709; f <= MARC_FORMAT_TEXT; f++) {
    if ((f == MARC_FORMAT_MARCXML && !MARCATO_WASM_HAVE_MARCXML) ||
        ((f == MARC_FORMAT_JSON || f == MARC_FORMAT_JSONL) &&
         !MARCATO_WASM_HAVE_JSON))
      continue;
    PUT("%s\"%s\":%d", sep, marc_format_name((marc_format)f), f);
    sep = ",";
  }
  PUT("},\"inputs\":{");
  sep = "";
  for (int f = MARC_FORMAT_ISO2709; f <= MARC_FORMAT_TEXT; f++) {
    if (!marc_format_readable((marc_format)f)) continue;
    PUT("%s\"%s\":%d", sep, marc_format_name((marc_format)f), f);
    sep = ",";
  }
  PUT("},\"formatAuto\":%d,", MARC_FORMAT_AUTO);
  PUT("\"writeFlags\":{\"inCollection\":%u,\"xmlDeclaration\":%u,"
      "\"notFirst\":%u,\"marc8\":%u},",
      (unsigned)MARC_WRITE_IN_COLLECTION, (unsigned)MARC_WRITE_XML_DECLARATION,
      (unsigned)MARC_WRITE_NOT_FIRST, (unsigned)WASM_WRITE_MARC8);
  PUT("\"marc8\":%s,\"csBase\":%u,\"codes\":[",
      MARCATO_WASM_HAVE_MARC8 ? "true" : "false", WASM_CS_BASE);
  for (int c = 0; c < MARC_D_COUNT_; c++)
    PUT("%s\"%s\"", c ? "," : "", marc_code_name((marc_code)c));
  PUT("],\"csCodes\":[");
#if MARCATO_WASM_HAVE_MARC8
  for (int c = 0; c < MARC_CS_COUNT_; c++)
    PUT("%s\"%s\"", c ? "," : "", marc_charset_code_name((marc_charset_code)c));
#endif
  /* Avram validation (schema.c): the rules' names by number (diagnostic
   * codes avBase + rule), the built-in schemas by marc_schema_builtin,
   * the modes of the *_set_schema exports. */
  PUT("],\"avram\":%s,\"avBase\":%u,\"rules\":[",
      MARCATO_WASM_HAVE_AVRAM ? "true" : "false", WASM_AV_BASE);
#if MARCATO_WASM_HAVE_AVRAM
  for (int r = 0; r < MARC_AV_RULE_COUNT_; r++)
    PUT("%s\"%s\"", r ? "," : "", marc_schema_rule_name((marc_schema_rule)r));
#endif
  PUT("],\"builtinSchemas\":{\"bibliographic\":%d,\"authority\":%d,"
      "\"holdings\":%d},\"schemaModes\":{\"none\":%d,\"byType\":%d,"
      "\"one\":%d}}",
      MARC_SCHEMA_BIBLIOGRAPHIC, MARC_SCHEMA_AUTHORITY, MARC_SCHEMA_HOLDINGS,
      GLUE_SCHEMA_NONE, GLUE_SCHEMA_BY_TYPE, GLUE_SCHEMA_ONE);
#undef PUT
  if (n >= sizeof json) json[0] = 0; /* cannot happen: the test sees it */
  return json;
}
#undef F
#undef O

/* Short English text of a status. */
WASM_EXPORT const char *marc__wasm_status_str(int32_t s) {
  return marc_status_str((marc_status)s);
}
