#define _POSIX_C_SOURCE 200809L /* clock_gettime */
/* MARC-8 -> UTF-8 throughput: the file is repeated N times in memory and
 * read, converted (marc_record_to_utf8, NFC off and on) and written as
 * ISO 2709, which is what `yaz-marcdump -f marc8 -t utf8 -o marc` does.
 * usage: charset_bench FILE [N=50]. Not a test: timing is for people. */
#include "charset_util.h"

#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  size_t n, reps = argc > 2 ? (size_t)atoi(argv[2]) : 50;
  uint8_t *one = cs_read_file(argv[1], &n);
  if (!one || !reps) return 2;
  uint8_t *all = malloc(n * reps);
  if (!all) return 2;
  for (size_t r = 0; r < reps; r++) memcpy(all + r * n, one, n);
  for (int nfc = 0; nfc <= 1; nfc++) {
    marc_charset_options opt = {MARC_ENC_AUTO, nfc, 0, 0};
    marc_buf out = {0};
    size_t recs = 0;
    double t0 = now();
    marc_reader *rd = marc_reader_new(NULL);
    marc_reader_feed(rd, all, n * reps);
    marc_reader_finish(rd);
    marc_record *rec;
    marc_status s;
    while ((s = marc_reader_next(rd, &rec)) == MARC_OK || s == MARC_E_INVALID) {
      if (s != MARC_OK) continue;
      marc_record *u = NULL;
      if (marc_record_to_utf8(rec, &opt, &u, NULL) == MARC_OK) {
        out.len = 0;
        marc_write_iso2709(u, &out, NULL);
      }
      marc_record_free(u);
      recs++;
    }
    double t = now() - t0;
    marc_reader_free(rd);
    printf("read + MARC-8->UTF-8%s + write: %zu records, %.1f MB in %.3f s: "
           "%.1f MB/s, %.0f records/s\n",
           nfc ? " (NFC)" : "", recs, n * reps / 1e6, t, n * reps / 1e6 / t,
           recs / t);
    marc_buf_free(&out);
  }
  free(all);
  free(one);
  return 0;
}
