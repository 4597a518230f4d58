/* Golden round trip: every record read and written back as ISO 2709 must
 * equal its input bytes.
 *
 *   golden_roundtrip [--corpus FILE COUNT] FILE...
 *
 * FILEs (the permissive copies in tests/data): every record whose
 * diagnostics leave its bytes as they were (golden/rules.h) must
 * round-trip; the others are counted and listed. --corpus: every record
 * must round-trip and have no diagnostic but those that keep its bytes, and
 * there must be COUNT of them (the number documented with the data set);
 * skipped when FILE is absent. */
#include "check.h"
#include "common/dump.h"
#include "golden/rules.h"

#include <stdlib.h>

typedef struct tally {
  size_t records, exact, excused, failed, diagnosed, repaired;
} tally;

static void round_trip(const char *path, const uint8_t *data, size_t len,
                       int corpus, tally *t) {
  marc_reader *r = marc_reader_new(NULL);
  marc_buf out = {0};
  marc_record *rec;
  marc_reader_feed(r, data, len);
  marc_reader_finish(r);
  marc_status s;
  while ((s = marc_reader_next(r, &rec)) == MARC_OK) {
    t->records++;
    if (marc_record_diag_count(rec)) t->diagnosed++;
    out.len = 0;
    /* Through an owned clone as well: it must keep the data layout. */
    marc_record *c = marc_record_clone(rec);
    marc_buf out2 = {0};
    marc_status w = marc_write_iso2709(rec, &out, NULL);
    marc_status w2 = c ? marc_write_iso2709(c, &out2, NULL) : MARC_E_NOMEM;
    uint64_t off = marc_record_offset(rec);
    size_t raw = marc_record_raw_length(rec);
    int same = w == MARC_OK && out.len == raw &&
               memcmp(out.data, data + off, raw) == 0;
    int same2 = w2 == MARC_OK && out2.len == out.len &&
                memcmp(out2.data, out.data, out.len) == 0;
    marc_record_free(c);
    marc_buf_free(&out2);
    int must = corpus ? 1 : golden_must_round_trip(rec, data, len);
    if (same && same2) {
      t->exact++;
    } else if (!must) {
      t->excused++;
      printf("  %s: record %llu rewritten differently (%s)\n", path,
             (unsigned long long)marc_record_index(rec),
             marc_code_name(marc_record_diag(rec, 0)->code));
    } else {
      t->failed++;
      if (t->failed <= 20)
        fprintf(stderr,
                "%s: record %llu at %llu does not round-trip "
                "(write %d, clone %s)\n",
                path, (unsigned long long)marc_record_index(rec),
                (unsigned long long)off, (int)w, same2 ? "same" : "differs");
    }
    if (corpus && !golden_must_round_trip(rec, data, len) &&
        ++t->repaired <= 20)
      fprintf(stderr, "%s: record %llu has diagnostic %s\n", path,
              (unsigned long long)marc_record_index(rec),
              marc_code_name(marc_record_diag(rec, 0)->code));
  }
  CHECK_EQ_INT(s, MARC_END);
  marc_buf_free(&out);
  marc_reader_free(r);
}

int main(int argc, char **argv) {
  tally files = {0};
  int nfiles = 0;
  for (int i = 1; i < argc; i++) {
    uint8_t *data;
    size_t len;
    if (!strcmp(argv[i], "--corpus") && i + 2 < argc) {
      const char *path = argv[++i];
      unsigned long long want = strtoull(argv[++i], NULL, 10);
      if (test_read_file(path, &data, &len) != 0) {
        printf("corpus %s absent: skipped\n", path);
        continue;
      }
      tally t = {0};
      round_trip(path, data, len, 1, &t);
      printf("corpus %s: %zu records, %zu byte-exact, %zu with "
             "diagnostics (%zu that change bytes), %zu failed\n",
             path, t.records, t.exact, t.diagnosed, t.repaired, t.failed);
      /* Structurally valid records: only diagnostics about content that
       * leave every byte in place are acceptable. */
      CHECK_EQ_INT(t.records, want);
      CHECK_EQ_INT(t.exact, want);
      CHECK_EQ_INT(t.repaired, 0);
      free(data);
      continue;
    }
    if (test_read_file(argv[i], &data, &len) != 0) {
      fprintf(stderr, "cannot read %s\n", argv[i]);
      CHECK(0);
      continue;
    }
    nfiles++;
    round_trip(argv[i], data, len, 0, &files);
    free(data);
  }
  printf("%d test files: %zu records, %zu byte-exact, %zu excused (framing "
         "or directory repaired), %zu failed\n",
         nfiles, files.records, files.exact, files.excused, files.failed);
  CHECK(nfiles > 0);
  CHECK_EQ_INT(files.failed, 0);
  return check_done("golden_roundtrip");
}
