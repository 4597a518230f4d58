/* Fuzz target for the ISO 2709 reader and the writers.
 *
 * Input: two header bytes, then the MARC bytes. The header picks the
 * reader's options (strictness, a small record limit) and seeds the
 * chunking. For each input:
 *  - the stream read in one feed and read in pseudo-random chunks (by
 *    marc_reader_feed or marc_reader_buffer/commit) must give the same
 *    records, fields and diagnostics, byte for byte;
 *  - every record is written as ISO 2709 (unless too long) and .mrk; its
 *    clone must hold the same record and write the same .mrk (and the
 *    same ISO 2709 when the record had no diagnostics);
 *  - a record read without diagnostics must come back from its ISO 2709
 *    output unchanged and byte for byte, with no diagnostics.
 * Any difference aborts, which libFuzzer reports as a crash. */
#include "fuzz_reader.h"

#include "marcato.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail(const char *what) {
  fprintf(stderr, "fuzz_reader: %s\n", what);
  abort();
}

static void put(marc_buf *b, const void *p, size_t n) {
  if (marc_buf_append(b, p, n) != MARC_OK) fail("out of memory");
}

static void put_u64(marc_buf *b, uint64_t v) { put(b, &v, sizeof v); }

/* Everything observable about a record, in one flat byte string. */
static void dump_record(const marc_record *rec, marc_buf *b) {
  put_u64(b, marc_record_index(rec));
  put_u64(b, marc_record_offset(rec));
  put_u64(b, marc_record_raw_length(rec));
  put(b, marc_record_leader(rec), 24);
  size_t n = marc_record_field_count(rec);
  put_u64(b, n);
  for (size_t i = 0; i < n; i++) {
    const marc_field *f = marc_record_field(rec, i);
    put(b, f->tag, 4);
    put(b, &f->ind1, 1);
    put(b, &f->ind2, 1);
    put(b, &f->ind_missing, 1);
    put_u64(b, f->len);
    put(b, marc_field_data(rec, f), f->len);
    marc_subfield_iter it = marc_subfields(rec, f);
    marc_subfield sf;
    while (!marc_tag_is_control(f->tag) && marc_subfield_next(&it, &sf)) {
      put(b, &sf.code, 1);
      put_u64(b, sf.len);
    }
  }
  size_t nd = marc_record_diag_count(rec);
  put_u64(b, nd);
  for (size_t i = 0; i < nd; i++) {
    const marc_diag *d = marc_record_diag(rec, i);
    put_u64(b, (uint64_t)d->code);
    put_u64(b, d->offset);
    put_u64(b, d->record);
    put(b, d->tag, 4);
    put(b, d->msg, strlen(d->msg) + 1);
  }
}

/* Write `rec` both ways. Its clone must hold the same record (fields,
 * diagnostics and all); for a record read without diagnostics it must
 * also write the same bytes. (A damaged record's fields may overlap or be
 * empty at one position, so its data-area order is not a contract.)
 * Returns the ISO 2709 status. */
static marc_status write_both(const marc_record *rec, marc_buf *iso) {
  marc_buf mrk = {0}, iso2 = {0}, mrk2 = {0}, d1 = {0}, d2 = {0};
  marc_diag err;
  marc_status s = marc_write_iso2709(rec, iso, &err);
  if (s != MARC_OK && s != MARC_E_TOO_LONG) fail("ISO 2709 writer failed");
  if (marc_write_mrk(rec, &mrk) != MARC_OK) fail("mrk writer failed");
  marc_record *c = marc_record_clone(rec);
  if (!c) fail("out of memory");
  dump_record(rec, &d1);
  dump_record(c, &d2);
  if (d1.len != d2.len || memcmp(d1.data, d2.data, d1.len))
    fail("clone differs from its record");
  if (marc_write_iso2709(c, &iso2, NULL) != s) fail("clone writes differ");
  if (marc_write_mrk(c, &mrk2) != MARC_OK) fail("mrk writer failed");
  if (mrk2.len != mrk.len || memcmp(mrk2.data, mrk.data, mrk.len))
    fail("clone's .mrk differs");
  if (marc_record_diag_count(rec) == 0 &&
      (iso2.len != iso->len ||
       (iso->len && memcmp(iso2.data, iso->data, iso->len))))
    fail("clone's ISO 2709 differs");
  marc_record_free(c);
  marc_buf_free(&mrk);
  marc_buf_free(&iso2);
  marc_buf_free(&mrk2);
  marc_buf_free(&d1);
  marc_buf_free(&d2);
  return s;
}

/* A record without diagnostics must survive write + read unchanged. */
static void check_round_trip(const marc_record *rec, const marc_buf *iso) {
  if (iso->len != marc_record_raw_length(rec) ||
      memcmp(iso->data, marc_record_bytes(rec), iso->len))
    fail("clean record not written back byte for byte");
  marc_reader *r = marc_reader_new(NULL);
  if (!r) fail("out of memory");
  marc_reader_feed(r, iso->data, iso->len);
  marc_reader_finish(r);
  marc_record *back;
  if (marc_reader_next(r, &back) != MARC_OK) fail("re-read failed");
  if (marc_record_diag_count(back)) fail("re-read has diagnostics");
  if (marc_record_field_count(back) != marc_record_field_count(rec))
    fail("re-read field count differs");
  if (marc_reader_next(r, &back) != MARC_END) fail("re-read: extra record");
  marc_reader_free(r);
}

/* A tiny deterministic generator for chunk sizes. */
static uint32_t next_rand(uint32_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

/* Read `data` and dump every record (and strict-mode errors) into `out`.
 * chunk_seed 0: one feed; else chunks. With `check` set, also exercise
 * the writers on each record. */
static void read_all(const uint8_t *data, size_t n,
                     const marc_reader_options *opt, uint32_t chunk_seed,
                     int zero_copy, int check, marc_buf *out) {
  marc_reader *r = marc_reader_new(opt);
  if (!r) fail("out of memory");
  uint32_t rng = chunk_seed;
  /* Chunks of mostly small sizes, sometimes large, to cross every kind of
   * boundary. */
  uint32_t max_chunk = 1 + (chunk_seed & 0xff);
  size_t pos = 0;
  for (;;) {
    marc_record *rec;
    marc_status s = marc_reader_next(r, &rec);
    if (s == MARC_NEED_MORE) {
      size_t k = n - pos;
      if (chunk_seed) {
        uint32_t v = next_rand(&rng);
        size_t want = (v & 7) == 0 ? v % 4096 : v % max_chunk;
        if (want < k) k = want;
      }
      if (k == 0 && pos == n) {
        marc_reader_finish(r);
      } else if (zero_copy) {
        uint8_t *dst = marc_reader_buffer(r, k);
        if (!dst) fail("out of memory");
        if (k) memcpy(dst, data + pos, k);
        if (marc_reader_commit(r, k) != MARC_OK) fail("commit failed");
        pos += k;
      } else {
        if (marc_reader_feed(r, data + pos, k) != MARC_OK) fail("feed");
        pos += k;
      }
      continue;
    }
    if (s == MARC_END) break;
    if (s == MARC_E_INVALID) {
      const marc_diag *e = marc_reader_error(r);
      put(out, "E", 1);
      put_u64(out, (uint64_t)e->code);
      put_u64(out, e->offset);
      put_u64(out, e->record);
      put(out, e->msg, strlen(e->msg) + 1);
      continue;
    }
    if (s != MARC_OK) fail("reader error");
    put(out, "R", 1);
    dump_record(rec, out);
    if (check) {
      marc_buf iso = {0};
      if (write_both(rec, &iso) == MARC_OK && marc_record_diag_count(rec) == 0)
        check_round_trip(rec, &iso);
      marc_buf_free(&iso);
    }
  }
  if (marc_reader_next(r, &(marc_record *){0}) != MARC_END)
    fail("reader did not stay at its end");
  marc_reader_free(r);
}

int marcato_fuzz_reader(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  uint8_t h0 = data[0], h1 = data[1];
  data += 2;
  size -= 2;
  marc_reader_options opt = {0};
  opt.strict = h0 & 1;
  /* Sometimes a tiny record limit, to reach the oversize path. */
  if (h0 & 2) opt.max_record = 24 + (size_t)h1 * 4;
  if (h0 & 4) opt.max_diags = 1 + (h1 & 7);
  int zero_copy = (h0 & 8) != 0;
  uint32_t seed = ((uint32_t)h0 << 8 | h1) * 2654435761u | 1;

  marc_buf whole = {0}, chunked = {0};
  read_all(data, size, &opt, 0, 0, 1, &whole);
  read_all(data, size, &opt, seed, zero_copy, 0, &chunked);
  if (whole.len != chunked.len ||
      (whole.len && memcmp(whole.data, chunked.data, whole.len)))
    fail("chunked reading differs from a single feed");
  marc_buf_free(&whole);
  marc_buf_free(&chunked);
  return 0;
}
