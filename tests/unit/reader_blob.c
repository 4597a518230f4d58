/* An unterminated blob longer than max_record, then sound records: the
 * blob is one OVERSIZE record and the records after it come out intact,
 * at every chunking (issue "Nothing silently wrong", item 6: after a blob
 * over the 16 MiB default the next record was swallowed, because the
 * blob's tail was dropped up to the first 0x1D, the next record's). */
#include "check.h"
#include "unit/mkrec.h"

#include "marcato.h"

#include <string.h>

static int has_diag(const marc_record *rec, marc_code code) {
  for (size_t i = 0; i < marc_record_diag_count(rec); i++)
    if (marc_record_diag(rec, i)->code == code) return 1;
  return 0;
}

static void blob_then_records(size_t blob, size_t chunk) {
  marc_buf in = {0};
  size_t l0 = mk_simple(&in, "before");
  size_t start = in.len;
  for (size_t i = 0; i < blob; i++) /* text, no 0x1D, no leader in it */
    marc_buf_append(&in, (const uint8_t *)"zq" + (i & 1), 1);
  size_t after = in.len;
  size_t l2 = mk_simple(&in, "after1");
  mk_simple(&in, "after2");
  marc_reader_options opt = {0};
  opt.max_record = 300;
  marc_reader *r = marc_reader_new(&opt);
  const char *want[] = {"before", NULL, "after1", "after2"};
  size_t got = 0;
  marc_record *rec;
  for (size_t i = 0;; i += chunk) {
    if (i < in.len) {
      size_t n = in.len - i < chunk ? in.len - i : chunk;
      marc_reader_feed(r, in.data + i, n);
    } else {
      marc_reader_finish(r);
    }
    marc_status s;
    while ((s = marc_reader_next(r, &rec)) == MARC_OK) {
      if (got < 4 && want[got]) {
        const marc_field *f = marc_record_field(rec, 0);
        CHECK(f && f->len == 6 &&
              !memcmp(marc_field_data(rec, f), want[got], 6));
        CHECK_EQ_INT(marc_record_diag_count(rec), 0);
        if (got == 2) CHECK_EQ_INT(marc_record_offset(rec), after);
        if (got == 2) CHECK_EQ_INT(marc_record_raw_length(rec), l2);
      } else if (got == 1) {
        CHECK_EQ_INT(marc_record_offset(rec), start);
        CHECK(has_diag(rec, MARC_D_RECORD_OVERSIZE));
      }
      got++;
    }
    if (s == MARC_END || i >= in.len) break;
  }
  if (got != 4)
    fprintf(stderr, "blob %zu, chunk %zu: %zu records, want 4\n", blob, chunk,
            got);
  CHECK_EQ_INT(got, 4);
  (void)l0;
  marc_reader_free(r);
  marc_buf_free(&in);
}

/* Offsets and lengths of the records of `in` read in chunks of `chunk`
 * bytes (by marc_reader_buffer/commit when `zero_copy`), into `out`. */
static size_t frame_all(const marc_buf *in, size_t chunk, int zero_copy,
                        uint64_t *out, size_t cap) {
  marc_reader_options opt = {0};
  opt.max_record = 300;
  marc_reader *r = marc_reader_new(&opt);
  size_t got = 0, pos = 0;
  marc_raw raw;
  for (;;) {
    marc_status s = marc_reader_next_raw(r, &raw);
    if (s == MARC_END) break;
    if (s == MARC_OK) {
      if (got + 2 <= cap) out[got] = raw.offset, out[got + 1] = raw.len;
      got += 2;
      continue;
    }
    if (s != MARC_NEED_MORE) continue;
    size_t n = in->len - pos < chunk ? in->len - pos : chunk;
    if (!n) {
      marc_reader_finish(r);
    } else if (zero_copy) {
      memcpy(marc_reader_buffer(r, n), in->data + pos, n);
      marc_reader_commit(r, n);
    } else {
      marc_reader_feed(r, in->data + pos, n);
    }
    pos += n;
  }
  marc_reader_free(r);
  return got;
}

/* After an oversize blob the reader drops bytes up to the next 0x1D or to
 * a leader before it. A leader's digits may come before that 0x1D and its
 * "45" (at 20-21) after it: the tail must be judged the same whether or
 * not a chunk ends between them (a fuzz_reader finding,
 * tests/data/errors/fuzz-regressions/oversize-tail-leader-past-terminator). */
static void leader_straddles_terminator(void) {
  marc_buf in = {0};
  size_t blob = mk_simple(&in, "before");
  for (size_t i = 0; i < 400; i++)
    marc_buf_append(&in, (const uint8_t *)"zq" + (i & 1), 1);
  size_t stub = in.len;
  marc_buf_append(&in, "61317845\x1e\x1d", 10);
  size_t next = in.len;
  mk_simple(&in, "after1");
  in.data[next + 10] = '4', in.data[next + 11] = '5'; /* stub's 20-21 */
  mk_simple(&in, "after2");
  uint64_t whole[16], part[16];
  size_t nw = frame_all(&in, in.len, 0, whole, 16);
  /* A record, the blob, the 10-byte stub the search for a leader stops at,
   * two records. */
  CHECK_EQ_INT(nw, 10);
  CHECK_EQ_INT(whole[2], blob);
  CHECK_EQ_INT(whole[4], stub);
  CHECK_EQ_INT(whole[5], 10);
  CHECK_EQ_INT(whole[6], next);
  for (size_t chunk = 1; chunk <= 64; chunk++)
    for (int zc = 0; zc < 2; zc++) {
      size_t np = frame_all(&in, chunk, zc, part, 16);
      int same = np == nw && !memcmp(part, whole, nw * sizeof *whole);
      if (!same)
        fprintf(stderr, "chunk %zu%s: framing differs from one feed\n", chunk,
                zc ? " (zero-copy)" : "");
      CHECK(same);
    }
  marc_buf_free(&in);
}

int main(void) {
  leader_straddles_terminator();
  size_t chunks[] = {1, 7, 64, 333, 100000};
  for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
    blob_then_records(1000, chunks[c]);
    blob_then_records(301, chunks[c]);
  }
  return check_done("reader_blob");
}
