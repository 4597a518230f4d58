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

int main(void) {
  size_t chunks[] = {1, 7, 64, 333, 100000};
  for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
    blob_then_records(1000, chunks[c]);
    blob_then_records(301, chunks[c]);
  }
  return check_done("reader_blob");
}
