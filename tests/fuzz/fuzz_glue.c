/* Fuzz check for the npm package's wasm glue (wasm/module), compiled
 * natively: the batch builder turns untrusted bytes into the flat
 * layout JS reads with offset arithmetic of its own, so every offset it
 * writes is checked here against the bounds JS relies on.
 *
 * Input: two header bytes, then the data. Header byte 0: format (bits
 * 0-1: sniffed from the data (marc__wasm_sniff), MARCXML, MARC-in-JSON, .mrk),
 * encoding (bits 2-3: as
 * read, auto, MARC-8, UTF-8), NFC (bit 4), strict (bit 5), a 2 KiB record
 * limit (bit 6), validation with the built-in Avram schemas (bit 7). Header
 * byte 1 seeds the chunk sizes and the batch limits. For each input, the data
 * is fed in chunks through reader_buffer/commit and drained with next_batch
 * after every chunk and after finish. Every batch must hold:
 *  - records laid out inside the batch, before its text, 8-byte sized;
 *  - each record's tables (fields, subfields, diagnostics, messages) and
 *    bytes inside its block, its text inside the bytes or the batch text;
 *  - field values and subfields inside the record's text, counted in
 *    UTF-16 units as TextDecoder decodes it (each maximal invalid UTF-8
 *    subpart one U+FFFD), subfield ranges inside the record's list;
 *  - the ASCII flags true: a flagged record's text and a flagged field's
 *    bytes are below 0x80, and such a field's text is its bytes;
 *  - record indexes rising from batch to batch;
 * and once the reader is freed, no glue object is left alive.
 * Any violation aborts, which libFuzzer reports as a crash. */
#include "fuzz_reader.h"

/* The glue's internal header: its layout structs and helpers (the build
 * compiles the glue's files into this test with the optional parts it
 * has: tests/fuzz.cmake). */
#include "fmt_utf8.h"
#include "glue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void glue_fail(const char *what, size_t at) {
  fprintf(stderr, "fuzz_glue: %s (at %zu)\n", what, at);
  abort();
}

#define REQUIRE(cond, what, at)                                                \
  do {                                                                         \
    if (!(cond)) glue_fail(what, (size_t)(at));                                \
  } while (0)

/* UTF-16 units of p[0..n) as TextDecoder decodes it. */
static size_t utf16_units(const uint8_t *p, size_t n) {
  size_t u = 0;
  for (size_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      u++;
      i++;
      continue;
    }
    size_t bad = 0, k = marc__utf8_check(p + i, n - i, &bad);
    if (k) {
      u += k == 4 ? 2 : 1;
      i += k;
    } else {
      u++;
      i += bad;
    }
  }
  return u;
}

/* The writers: a record block handed back (as JS hands back an unedited
 * record) and, for an ASCII record, the same record as a field table (as
 * JS gives an edited one, built from the block as JS sees it: values are
 * UTF-16 ranges of the text, which for ASCII are byte ranges) must write
 * the same MARCMaker text, and the table must match the same queries. */
static wasm_writer *writer;
static wasm_query *query_any, *query_245;
static wasm_spec *spec_any;
static marc_buf table;

static void check_writers(const uint8_t *block, const uint8_t *text) {
  const wasm_rec *h = (const wasm_rec *)block;
  uint8_t *in = marc__wasm_writer_input(writer, h->size);
  REQUIRE(in != NULL, "writer_input returned NULL", 0);
  memcpy(in, block, h->size);
  const wasm_result *r = marc__wasm_write(writer, MARC_FORMAT_MRK, 0);
  REQUIRE(r && r->status == MARC_OK, "writing a block failed", 0);
  marc_buf mrk = {0};
  REQUIRE(marc_buf_append(&mrk, glue_writer_output(writer), r->len) == MARC_OK,
          "out of memory", 0);
  int match_any = marc__wasm_query_match(query_any, writer, 0);
  int match_245 = marc__wasm_query_match(query_245, writer, 0);
  REQUIRE(match_any == (h->nfields > 0), "'...' matches a record with fields",
          0);
  REQUIRE(match_245 == 0 || match_245 == 1, "a match is 1 or 0", 0);
  /* "..." gives one value per field, each inside the value bytes. */
  int nvalues = marc__wasm_spec_eval(spec_any, writer, 0);
  REQUIRE(nvalues == (int)h->nfields, "'...' gives a value per field",
          (size_t)nvalues);
  const uint32_t *pairs = (const uint32_t *)spec_any->pairs.data;
  for (int i = 0; i < nvalues; i++)
    REQUIRE(pairs[2 * i] <= spec_any->bytes.len &&
                pairs[2 * i + 1] <= spec_any->bytes.len - pairs[2 * i],
            "a spec value outside its bytes", (size_t)i);
  const uint8_t *vb = marc__wasm_validate(writer, 0);
  REQUIRE(vb && ((const wasm_batch *)vb)->count == 1 &&
              ((const wasm_batch *)vb)->status == MARC_END,
          "validate gives a batch of one record", 0);
  vb = marc__wasm_validate_schema(writer, 0, GLUE_SCHEMA_BY_TYPE, NULL, 0, 0);
  REQUIRE(vb && ((const wasm_batch *)vb)->count == MARCATO_WASM_HAVE_AVRAM,
          "validating with the schemas gives a batch of one record", 0);

  if (h->flags & WASM_REC_ASCII) {
    const wasm_field *f = (const wasm_field *)(block + h->fields);
    const wasm_sub *sb = (const wasm_sub *)(block + h->subs);
    size_t at_fields = sizeof(wasm_table);
    size_t at_subs = at_fields + h->nfields * sizeof(wasm_tfield);
    size_t at_data = at_subs + h->nsubs * sizeof(wasm_tsub);
    table.len = 0;
    REQUIRE(marc_buf_reserve(&table, at_data + h->text_len) == MARC_OK,
            "out of memory", 0);
    memset(table.data, 0, at_data);
    wasm_table *t = (wasm_table *)table.data;
    memcpy(t->leader, h->leader, 24);
    t->nfields = h->nfields;
    t->fields = (uint32_t)at_fields;
    t->nsubs = h->nsubs;
    t->subs = (uint32_t)at_subs;
    t->data = (uint32_t)at_data;
    t->ndata = h->text_len;
    memcpy(table.data + at_data, text, h->text_len);
    wasm_tfield *tf = (wasm_tfield *)(table.data + at_fields);
    wasm_tsub *ts = (wasm_tsub *)(table.data + at_subs);
    for (uint32_t i = 0; i < h->nfields; i++) {
      memcpy(tf[i].tag, f[i].tag, 4);
      tf[i].ind1 = f[i].ind1;
      tf[i].ind2 = f[i].ind2;
      tf[i].sub = f[i].sub;
      tf[i].nsub = f[i].nsub;
      tf[i].off = f[i].soff;
      tf[i].len = f[i].slen;
    }
    for (uint32_t k = 0; k < h->nsubs; k++) {
      ts[k].code = sb[k].code;
      ts[k].off = sb[k].at + (sb[k].code ? 1 : 0);
      ts[k].len = sb[k].len;
    }
    size_t n = at_data + h->text_len;
    in = marc__wasm_writer_input(writer, (uint32_t)n);
    REQUIRE(in != NULL, "writer_input returned NULL", 0);
    memcpy(in, table.data, n);
    r = marc__wasm_write_table(writer, MARC_FORMAT_MRK, 0);
    REQUIRE(r && r->status == MARC_OK, "writing a table failed", 0);
    /* Equal unless the block's fields hold what a table cannot say: a
     * delimiter ending a field (no subfield: JS sees none), a NUL subfield
     * code (code 0 in a batch and a table is "no delimiter") or indicators
     * missing from the record as read (its diagnostics tell). */
    int same = !h->ndiags;
    const uint8_t *bytes = block + h->bytes;
    for (uint32_t i = 0; i < h->nfields; i++) {
      const uint8_t *d = bytes + f[i].off;
      if (f[i].control || !f[i].len) continue;
      if (d[f[i].len - 1] == 0x1F) same = 0;
      for (uint32_t j = 0; j + 1 < f[i].len; j++)
        if (d[j] == 0x1F && d[j + 1] == 0) same = 0;
    }
    if (same)
      REQUIRE(r->len == mrk.len &&
                  !memcmp(glue_writer_output(writer), mrk.data, mrk.len),
              "a table writes what its block writes", 0);
    REQUIRE(marc__wasm_query_match(query_245, writer, 1) == match_245,
            "a table matches what its block matches", 0);
  }
  marc_buf_free(&mrk);
}

/* Check one batch; `next_index` is the index the next record must have
 * (records come once each, in order). */
static void check_batch(const uint8_t *b, uint64_t *next_index) {
  REQUIRE(b != NULL, "next_batch returned NULL", 0);
  const wasm_batch *bh = (const wasm_batch *)b;
  size_t size = bh->size;
  REQUIRE(size >= sizeof *bh, "batch smaller than its header", size);
  REQUIRE(bh->text <= size && bh->text_len <= size - bh->text,
          "batch text outside the batch", bh->text);
  if (bh->err) {
    REQUIRE(bh->err + sizeof(wasm_diag) <= size, "error block outside", 0);
    const wasm_diag *d = (const wasm_diag *)(b + bh->err);
    REQUIRE(d->msg <= size - bh->err && d->msg_len <= size - bh->err - d->msg,
            "error message outside the batch", bh->err);
  }
  size_t at = bh->first;
  for (uint32_t r = 0; r < bh->count; r++) {
    REQUIRE(at % 8 == 0 && at + sizeof(wasm_rec) <= bh->text,
            "record block outside the batch", at);
    const wasm_rec *h = (const wasm_rec *)(b + at);
    size_t bs = h->size;
    REQUIRE(bs % 8 == 0 && bs >= sizeof *h && bs <= bh->text - at,
            "record block size", at);
    uint64_t index = (uint64_t)h->index_lo + ((uint64_t)h->index_hi << 32);
    REQUIRE(index >= *next_index, "record index out of order", at);
    *next_index = index + 1;
    REQUIRE(h->fields <= bs &&
                h->nfields <= (bs - h->fields) / sizeof(wasm_field),
            "fields outside the block", at);
    REQUIRE(h->subs <= bs && h->nsubs <= (bs - h->subs) / sizeof(wasm_sub),
            "subfields outside the block", at);
    REQUIRE(h->diags <= bs && h->ndiags <= (bs - h->diags) / sizeof(wasm_diag),
            "diagnostics outside the block", at);
    REQUIRE(h->bytes <= bs && h->nbytes <= bs - h->bytes,
            "bytes outside the block", at);
    const uint8_t *bytes = b + at + h->bytes;
    const uint8_t *text;
    if (h->flags & WASM_REC_TEXT_IN_BYTES) {
      REQUIRE(h->text_off <= h->nbytes &&
                  h->text_len <= h->nbytes - h->text_off,
              "text outside the record's bytes", at);
      text = bytes + h->text_off;
    } else {
      REQUIRE(h->text_off <= bh->text_len &&
                  h->text_len <= bh->text_len - h->text_off,
              "text outside the batch text", at);
      text = b + bh->text + h->text_off;
    }
    if (h->flags & WASM_REC_ASCII)
      REQUIRE(glue_is_ascii(text, h->text_len), "ASCII record is not", at);
    size_t units = utf16_units(text, h->text_len);
    for (uint32_t d = 0; d < h->ndiags; d++) {
      const wasm_diag *g = (const wasm_diag *)(b + at + h->diags) + d;
      REQUIRE(g->msg <= bs && g->msg_len <= bs - g->msg,
              "diagnostic message outside the block", at);
      REQUIRE(g->label <= bs && g->label_len <= bs - g->label,
              "diagnostic label outside the block", at);
    }
    const wasm_field *f = (const wasm_field *)(b + at + h->fields);
    const wasm_sub *s = (const wasm_sub *)(b + at + h->subs);
    for (uint32_t i = 0; i < h->nfields; i++) {
      REQUIRE(f[i].tag[3] == 0, "tag not NUL-terminated", at);
      REQUIRE(f[i].off <= h->nbytes && f[i].len <= h->nbytes - f[i].off,
              "field bytes outside the record", at);
      REQUIRE(f[i].soff <= units && f[i].slen <= units - f[i].soff,
              "field text outside the record text", at);
      if (f[i].ascii) {
        REQUIRE(glue_is_ascii(bytes + f[i].off, f[i].len), "ASCII field is not",
                at);
        REQUIRE(f[i].slen == f[i].len, "ASCII field's text is not its bytes",
                at);
      }
      REQUIRE(f[i].sub <= h->nsubs && f[i].nsub <= h->nsubs - f[i].sub,
              "subfield range outside the record's list", at);
      if (f[i].control) REQUIRE(f[i].nsub == 0, "control field subfields", at);
      for (uint32_t k = f[i].sub; k < f[i].sub + f[i].nsub; k++) {
        size_t w = !s[k].code ? 0 : s[k].code > 0xFFFF ? 2 : 1;
        REQUIRE(s[k].at >= f[i].soff && s[k].at <= units &&
                    w + s[k].len <= units - s[k].at,
                "subfield outside the record text", at);
        REQUIRE(s[k].at + w + s[k].len <= f[i].soff + f[i].slen,
                "subfield outside its field", at);
      }
    }
    check_writers(b + at, h->flags & WASM_REC_TEXT_IN_BYTES
                              ? b + at + h->bytes + h->text_off
                              : b + bh->text + h->text_off);
    at += bs;
  }
}

/* Feed `data` in chunks, draining after each; then finish and drain. */
static void run(const uint8_t *data, size_t n, uint8_t opt, uint8_t seed) {
  static const int32_t encodings[] = {-1, MARC_ENC_AUTO, MARC_ENC_MARC8,
                                      MARC_ENC_UTF8};
  static const int32_t formats[] = {MARC_FORMAT_AUTO, MARC_FORMAT_MARCXML,
                                    MARC_FORMAT_JSON, MARC_FORMAT_MRK};
  int32_t format =
      opt & 3 ? formats[opt & 3] : marc__wasm_sniff(data, n > 4096 ? 4096 : n);
  wasm_reader *h =
      marc__wasm_reader_new((opt >> 5) & 1, (opt >> 6) & 1 ? 2048 : 0, 0,
                            format, encodings[(opt >> 2) & 3], (opt >> 4) & 1);
  if (!h) return; /* a format this build lacks */
  if (opt & 0x80)
    REQUIRE(marc__wasm_reader_set_schema(h, GLUE_SCHEMA_BY_TYPE, NULL, 0, 0) ==
                (MARCATO_WASM_HAVE_AVRAM ? MARC_OK : MARC_E_ARG),
            "set_schema", 0);
  uint32_t max_records = 1 + seed % 7 * 50, max_bytes = 1024u << (seed % 5);
  uint32_t rng = seed * 2654435761u + 1;
  uint64_t next_index = 0;
  int32_t status = MARC_OK;
  for (size_t pos = 0; pos <= n;) {
    int last = pos == n;
    if (!last) {
      rng = rng * 1103515245u + 12345u;
      size_t k = seed & 0x80 ? n - pos : 1 + (rng >> 16) % 700;
      if (k > n - pos) k = n - pos;
      uint8_t *p = marc__wasm_reader_buffer(h, (uint32_t)k);
      REQUIRE(p != NULL, "reader_buffer returned NULL", pos);
      memcpy(p, data + pos, k);
      status = marc__wasm_reader_commit(h, (uint32_t)k);
      REQUIRE(status == MARC_OK, "commit failed", pos);
      pos += k;
    } else {
      REQUIRE(marc__wasm_reader_finish(h) == MARC_OK, "finish failed", pos);
      pos++;
    }
    /* Drain: batches until the reader needs more (or ends, or stops). */
    for (int guard = 0;; guard++) {
      REQUIRE(guard < 1000000, "next_batch makes no progress", pos);
      const uint8_t *b = marc__wasm_next_batch(h, max_records, max_bytes);
      check_batch(b, &next_index);
      status = ((const wasm_batch *)b)->status;
      if (status != MARC_OK) break;
    }
    if (status < 0 && status != MARC_NEED_MORE) break; /* strict: stopped */
    if (status == MARC_END) break;
  }
  marc__wasm_reader_free(h);
}

/* A query's syntax error comes back with its position. */
static void check_query_errors(void) {
  static const char bad[] = "245$a or";
  wasm_query *q = marc__wasm_query_compile(bad, (uint32_t)strlen(bad));
  REQUIRE(q && q->status == MARC_E_INVALID && q->position == 8 &&
              q->message[0] && !q->q,
          "a query's syntax error and its position", 0);
  marc__wasm_query_free(q);
}

int marcato_fuzz_glue(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  writer = marc__wasm_writer_new();
  query_any = marc__wasm_query_compile("...", 3);
  query_245 = marc__wasm_query_compile("245$a or 001", 12);
  REQUIRE(writer && query_any && query_any->status == MARC_OK && query_245 &&
              query_245->status == MARC_OK,
          "writer or query not made", 0);
  spec_any = marc__wasm_spec_compile("...", 3, 0);
  REQUIRE(spec_any && spec_any->status == MARC_OK, "spec not made", 0);
  wasm_spec *bad = marc__wasm_spec_compile("245$a{$2=x}", 11, 0);
  REQUIRE(bad && bad->status == MARC_E_INVALID && bad->position == 9 &&
              bad->message[0] && marc__wasm_spec_eval(bad, writer, 0) < 0,
          "a spec's syntax error and its position", 0);
  marc__wasm_spec_free(bad);
  check_query_errors();
  run(data + 2, size - 2, data[0], data[1]);
  marc__wasm_writer_free(writer);
  marc__wasm_query_free(query_any);
  marc__wasm_query_free(query_245);
  marc__wasm_spec_free(spec_any);
  marc_buf_free(&table);
  REQUIRE(marc__wasm_live_allocations() == 0, "glue objects left alive", 0);
  return 0;
}
