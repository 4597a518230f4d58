/* A small marcato user, built against an installed marcato by the install
 * test (pkg-config and find_package) and quoted in README.md.
 *
 *   consumer FILE.mrc
 *
 * reads FILE in 4 KiB chunks through the push reader, prints each record's
 * title (245 $a) and its diagnostics, then builds a record with the builder
 * and writes it as MARCMaker text. Exit status: 0 clean, 1 problems. */
#include <marcato.h>

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: consumer FILE.mrc\n");
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  if (!in) {
    perror(argv[1]);
    return 2;
  }
  printf("marcato %s\n", marc_version());

  marc_reader *r = marc_reader_new(NULL); /* lenient, default limits */
  if (!r) return 2;
  marc_buf iso = {0}; /* ISO 2709 copy of the input */
  unsigned char chunk[4096];
  size_t n, records = 0, problems = 0;
  int done = 0;
  while (!done) {
    /* Offer the next chunk (or say there is no more), then take every
     * record the reader can frame so far. */
    n = fread(chunk, 1, sizeof chunk, in);
    if (n > 0) marc_reader_feed(r, chunk, n);
    else marc_reader_finish(r);
    marc_record *rec;
    marc_status s;
    while ((s = marc_reader_next(r, &rec)) == MARC_OK) {
      records++;
      int64_t i = marc_record_find(rec, "245", 0);
      marc_subfield a;
      if (i >= 0 && marc_record_subfield(rec, (size_t)i, 'a', &a))
        printf("%zu: %.*s\n", records, (int)a.len, (const char *)a.value);
      for (size_t d = 0; d < marc_record_diag_count(rec); d++) {
        const marc_diag *g = marc_record_diag(rec, d);
        printf("  byte %llu: %s %s\n", (unsigned long long)g->offset,
               marc_code_name(g->code), g->msg);
        problems++;
      }
      marc_write_iso2709(rec, &iso, NULL);
    }
    if (s == MARC_END) {
      done = 1;
    } else if (s != MARC_NEED_MORE) {
      fprintf(stderr, "error: %s\n", marc_status_str(s));
      return 2;
    }
  }
  fclose(in);
  marc_reader_free(r);
  printf("%zu records, %zu problems, %zu bytes as ISO 2709\n", records,
         problems, iso.len);
  marc_buf_free(&iso);

  /* Build a record and write it as MARCMaker text. */
  marc_record *rec = marc_record_new();
  marc_record_append_field(rec, "001", ' ', ' ', "demo-1", 6);
  static const char t[] = "\037aA made-up title /\037cby someone.";
  marc_record_append_field(rec, "245", '1', '0', t, sizeof t - 1);
  marc_buf mrk = {0};
  marc_write_mrk(rec, &mrk);
  fwrite(mrk.data, 1, mrk.len, stdout);
  marc_buf_free(&mrk);
  marc_record_free(rec);
  return problems ? 1 : 0;
}
