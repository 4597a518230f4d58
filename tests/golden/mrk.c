/* Golden MARCMaker output: real records written with marc_write_mrk must
 * give the expected text in tests/data/expected, which was checked by eye
 * against yaz-marcdump's line output of the same records (see
 * tests/data/PROVENANCE.md).
 *
 *   golden_mrk DATA_DIR */
#include "check.h"
#include "common/dump.h"

#include <stdlib.h>

static const char *const cases[][2] = {
    /* UTF-8 (ASCII only), blanks all over the 008 and indicators. */
    {"traject/george_eliot.marc", "expected/george_eliot.mrk"},
    /* MARC-8 bytes passed through as they are; '$', '{', '}' in data,
     * a literal '\' in a data field, blanks in 001. */
    {"yaz/marc7.marc", "expected/yaz_marc7.mrk"},
    /* UNIMARC in UTF-8 with '|' as an indicator and an empty field. */
    {"marcjs/bib-one.mrc", "expected/marcjs_bib-one.mrk"},
};

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: golden_mrk DATA_DIR\n");
    return 2;
  }
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
    uint8_t *in, *want;
    size_t in_len, want_len;
    int ok = test_read_file(test_path(argv[1], cases[c][0]), &in, &in_len) == 0;
    CHECK(ok);
    if (!ok) continue;
    ok = test_read_file(test_path(argv[1], cases[c][1]), &want, &want_len) == 0;
    CHECK(ok);
    if (!ok) {
      free(in);
      continue;
    }
    marc_reader *r = marc_reader_new(NULL);
    marc_record *rec;
    marc_buf out = {0};
    marc_reader_feed(r, in, in_len);
    marc_reader_finish(r);
    while (marc_reader_next(r, &rec) == MARC_OK)
      CHECK_EQ_INT(marc_write_mrk(rec, &out), MARC_OK);
    int same = out.len == want_len && !memcmp(out.data, want, want_len);
    if (!same) {
      size_t line = 1;
      for (size_t i = 0; i < out.len && i < want_len && out.data[i] == want[i];
           i++)
        line += want[i] == '\n';
      fprintf(stderr, "%s: differs from %s at line %zu\n", cases[c][0],
              cases[c][1], line);
    }
    CHECK(same);
    marc_buf_free(&out);
    marc_reader_free(r);
    free(in);
    free(want);
  }
  return check_done("golden_mrk");
}
