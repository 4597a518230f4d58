/* pipeline_threshold: below what input size should the pipeline stay on
 * the calling thread? Runs the same work (parse every record and write it
 * as MARCMaker text) over prefixes of a real file, threaded and serial,
 * and prints both times and their ratio per size. The crossover is where
 * MARC_PIPELINE_SERIAL_BELOW should sit.
 *
 * usage: pipeline_threshold FILE [THREADS] [RUNS]
 * The prefixes are cut at record boundaries and written to temporary
 * files so both runs read through the same path as the CLI. */
#define _POSIX_C_SOURCE 200809L
#include "marcato_pipeline.h"
#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) { return bench_now(); }

static int to_mrk(void *user, size_t input, marc_record *rec,
                  const marc_raw *raw, marc_buf *out, marc_buf *msgs,
                  unsigned worker) {
  (void)user, (void)input, (void)raw, (void)msgs, (void)worker;
  return marc_write_mrk(rec, out) != MARC_OK;
}

static int discard(void *user, size_t input, const marc_buf *out,
                   const marc_buf *msgs, int done) {
  (void)input, (void)msgs, (void)done;
  *(uint64_t *)user += out->len;
  return 0;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double run(const char *path, unsigned threads, int serial, int runs,
                  uint64_t *out_bytes) {
  double t[32];
  if (runs > 32) runs = 32;
  for (int i = 0; i < runs; i++) {
    marc_pipeline_options o = {
        .threads = threads, .serial_below = serial ? SIZE_MAX - 1 : SIZE_MAX};
    marc_pipeline_input in = {.path = path};
    uint64_t bytes = 0;
    double t0 = now();
    if (marc_pipeline_run_inputs(&o, &in, 1, to_mrk, discard, &bytes, NULL)) {
      fprintf(stderr, "pipeline_threshold: run failed\n");
      exit(1);
    }
    t[i] = now() - t0;
    *out_bytes = bytes;
  }
  qsort(t, (size_t)runs, sizeof t[0], cmp);
  return t[runs / 2];
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: pipeline_threshold FILE [THREADS] [RUNS]\n");
    return 2;
  }
  unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : marc_pipeline_cpus();
  int runs = argc > 3 ? atoi(argv[3]) : 9;
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  static uint8_t data[64 << 20];
  size_t len = fread(data, 1, sizeof data, f);
  fclose(f);
  char tmp[] = "/tmp/marcato-threshold-XXXXXX";
  int fd = mkstemp(tmp);
  if (fd < 0) {
    perror("mkstemp");
    return 2;
  }
  close(fd);
  printf("threads %u, median of %d runs, work: parse + write .mrk\n", threads,
         runs);
  printf("%10s %10s %12s %12s %8s\n", "bytes", "records", "serial ms",
         "threads ms", "ratio");
  for (size_t want = 16 << 10; want <= len && want <= (64u << 20); want *= 2) {
    /* Cut at the last record terminator before `want`. */
    size_t cut = want;
    while (cut > 0 && data[cut - 1] != 0x1D) cut--;
    if (!cut) continue;
    FILE *o = fopen(tmp, "wb");
    if (!o || fwrite(data, 1, cut, o) != cut || fclose(o) != 0) {
      perror(tmp);
      return 2;
    }
    size_t records = 0;
    for (size_t i = 0; i < cut; i++) records += data[i] == 0x1D;
    uint64_t b1 = 0, b2 = 0;
    double s = run(tmp, threads, 1, runs, &b1);
    double p = run(tmp, threads, 0, runs, &b2);
    if (b1 != b2) {
      fprintf(stderr, "pipeline_threshold: outputs differ\n");
      return 1;
    }
    printf("%10zu %10zu %12.3f %12.3f %8.2f\n", cut, records, s * 1e3, p * 1e3,
           s / p);
  }
  unlink(tmp);
  return 0;
}
