#define _POSIX_C_SOURCE 200809L /* dirent, stat */
/* Replays the fuzz check over seed files in every build, so the target is
 * exercised without libFuzzer (gcc builds, sanitizer builds).
 *
 * usage: fuzz_reader_seeds PATH...   (files, or directories read one
 * level deep). Each file is run with several header bytes prepended, so
 * the same seed is read in one feed and in chunks, lenient and strict,
 * with and without a small record limit. Regression files (directories
 * whose name starts with "fuzz-") are run as they are: their first two
 * bytes already are the header. A check built with FUZZ_RAW_SEEDS takes
 * no header: every file is run as it is. */
#include "common/dump.h"
#include "fuzz_reader.h"

/* The check replayed: the reader's, or another built with this main
 * (FUZZ_CHECK and FUZZ_NAME given by the build). */
#ifndef FUZZ_CHECK
#define FUZZ_CHECK marcato_fuzz_reader
#define FUZZ_NAME "fuzz_reader_seeds"
#endif
#ifndef FUZZ_RAW_SEEDS
#define FUZZ_RAW_SEEDS 0
#endif

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static size_t runs, files;

static int run_file(const char *path, int as_is) {
  uint8_t *data;
  size_t n;
  if (test_read_file(path, &data, &n) != 0) {
    perror(path);
    return -1;
  }
  files++;
  if (as_is) {
    FUZZ_CHECK(data, n);
    runs++;
  } else {
    /* The file after two header bytes. */
    uint8_t *buf = malloc(n + 2);
    if (!buf) {
      free(data);
      fprintf(stderr, "%s: out of memory\n", path);
      return -1;
    }
    if (n) memcpy(buf + 2, data, n);
    /* Header bytes: lenient/strict, small record limit, diagnostics cap,
     * zero-copy input, and chunk seeds of several sizes. */
    static const uint8_t headers[][2] = {{0, 0},  {1, 7},  {8, 1}, {0, 200},
                                         {9, 31}, {2, 40}, {6, 3}, {14, 255}};
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
      buf[0] = headers[i][0];
      buf[1] = headers[i][1];
      FUZZ_CHECK(buf, n + 2);
      runs++;
    }
    free(buf);
  }
  free(data);
  return 0;
}

static int run_path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    perror(path);
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) return run_file(path, FUZZ_RAW_SEEDS);
  const char *base = strrchr(path, '/');
  int as_is =
      FUZZ_RAW_SEEDS || strncmp(base ? base + 1 : path, "fuzz-", 5) == 0;
  DIR *d = opendir(path);
  if (!d) {
    perror(path);
    return -1;
  }
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
    if (stat(sub, &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (strcmp(e->d_name, "PROVENANCE.md") == 0) continue;
    if (run_file(sub, as_is) != 0) rc = -1;
  }
  closedir(d);
  return rc;
}

int main(int argc, char **argv) {
  int rc = 0;
  for (int i = 1; i < argc; i++)
    if (run_path(argv[i]) != 0) rc = 1;
  printf(FUZZ_NAME ": %zu files, %zu runs, no failure\n", files, runs);
  if (!files) return 77; /* nothing to replay */
  return rc;
}
