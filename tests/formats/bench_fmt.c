/* In-process conversion speed: ISO 2709 in memory -> MARCXML collection
 * or MARC-in-JSON array, written to a file (e.g. /dev/null). Reading is
 * included, as in `yaz-marcdump -o marcxml FILE > /dev/null`.
 *   bench_fmt xml|json|jsonl IN OUT */
#define _POSIX_C_SOURCE 200809L
#include "formats/fmt_test.h"

#include <time.h>

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: bench_fmt xml|json|jsonl IN OUT\n");
    return 2;
  }
  size_t n;
  uint8_t *in = ft_load(argv[2], &n);
  FILE *out = fopen(argv[3], "wb");
  if (!in || !out) return 2;
  int xml = strcmp(argv[1], "xml") == 0, jsonl = strcmp(argv[1], "jsonl") == 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  marc_reader *r = marc_reader_new(NULL);
  marc_buf b = {0};
  size_t recs = 0, bytes = 0;
  if (xml) marc_write_marcxml_begin(&b, MARC_XML_DECLARATION);
  else if (!jsonl) marc_write_json_begin(&b);
  marc_reader_feed(r, in, n);
  marc_reader_finish(r);
  marc_record *rec;
  marc_status s;
  while ((s = marc_reader_next(r, &rec)) == MARC_OK) {
    if (xml) marc_write_marcxml(rec, &b, MARC_XML_IN_COLLECTION);
    else if (jsonl) marc_write_jsonl(rec, &b);
    else {
      if (recs) marc_write_json_sep(&b);
      marc_write_json(rec, &b);
    }
    recs++;
    if (b.len > (1u << 20)) {
      fwrite(b.data, 1, b.len, out);
      bytes += b.len;
      b.len = 0;
    }
  }
  if (xml) marc_write_marcxml_end(&b);
  else if (!jsonl) marc_write_json_end(&b);
  fwrite(b.data, 1, b.len, out);
  bytes += b.len;
  fclose(out);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double sec =
      (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("%s: %zu records, %.1f MB in, %.1f MB out, %.3f s, %.0f records/s, "
         "%.1f MB/s (input)\n",
         argv[1], recs, n / 1e6, bytes / 1e6, sec, recs / sec, n / 1e6 / sec);
  marc_reader_free(r);
  marc_buf_free(&b);
  free(in);
  return 0;
}
