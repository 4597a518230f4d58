/*
 * bench_read: how fast the marcato push reader gets records out of ISO 2709
 * bytes, measured against the floor of touching every byte once (memchr for
 * the record terminator 0x1D), plus a tiny exec wrapper that times another
 * program and reads its peak RSS. bench/bench_read.sh drives both and prints
 * the comparison table; this program only measures.
 *
 *   bench_read [--runs N] [--chunk BYTES] [--quick] [--only SCENARIO] FILE
 *       In-process scenarios over FILE (read into memory first, so the
 *       timed loops see no I/O except where a scenario says read()):
 *         memchr          count 0x1D over the in-memory bytes (the floor)
 *         parse           marc_reader_feed in chunks + marc_reader_next,
 *                         touching the field count of every record
 *         parse+subfields the same, iterating every subfield of every field
 *         read+memchr     read() FILE in chunks + memchr (floor of the next)
 *         parse-buffer    read() straight into marc_reader_buffer/commit
 *                         (the zero-copy path) + marc_reader_next
 *         rewrite         parse + marc_write_iso2709 into a reused marc_buf,
 *                         emptied every 1 MiB as the CLI flushes it
 *       Runs are round-robin (run 1 of every scenario, then run 2...) so
 *       that noise from other processes hits all scenarios alike. The
 *       record counts and field sums of the reader scenarios must agree;
 *       exit status 1 if they do not (that is what bench_smoke checks).
 *       --quick: one run. --only NAME: just that scenario (for perf;
 *       no consistency check).
 *
 *   bench_read --exec NAME [--bytes N] [--stdout FILE] -- PROGRAM [ARG...]
 *       Run PROGRAM once (stdout to FILE, default /dev/null; stderr to
 *       /dev/null), report its wall time and peak RSS (wait4). Exit status
 *       2 if it could not run, died of a signal or exited above 1 (1 is
 *       "input had problems" for marcato and is a normal outcome here).
 *
 * Output, both modes: one tab-separated line per timed run
 *   run  SCENARIO  RUN#  RECORDS  BYTES  SECONDS  MAXRSS_KIB
 * (RECORDS is 0 for --exec; MAXRSS_KIB is 0 for in-process runs), then for
 * in-process runs a human summary as '#' lines. MB are 10^6 bytes.
 */
#if defined(__APPLE__)
#define _DARWIN_C_SOURCE /* wait4, struct rusage */
#else
#define _DEFAULT_SOURCE /* wait4 on glibc/musl under -std=c11 */
#endif

#include "marcato.h"
#include "bench_util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_CHUNK ((size_t)1 << 20)
#define FLUSH_AT ((size_t)1 << 20) /* as native/cli/run.c */
#define MAX_RUNS 99

typedef struct bench {
  const char *path;
  const uint8_t *data; /* the whole file */
  size_t size;
  size_t chunk;
  uint8_t *scratch; /* chunk bytes for the read() scenarios */
} bench;

/* What one run produced: used to check that the scenarios agree, and to
 * keep the compiler from dropping the work. */
typedef struct result {
  uint64_t records;
  uint64_t fields;   /* sum of field counts */
  uint64_t touch;    /* subfield checksum (parse+subfields only) */
  uint64_t out;      /* bytes written (rewrite only) */
  uint64_t too_long; /* records the ISO 2709 writer refused */
} result;

static double now(void) { return bench_now(); }

static void die(const char *what, const char *detail) {
  bench_die("bench_read", what, detail);
}

/* ---- per-record work ------------------------------------------------- */

enum { WORK_FIELDS, WORK_SUBFIELDS, WORK_REWRITE };

/* Take every record the reader has; 0 on NEED_MORE/END, -1 on error. */
static int drain(marc_reader *r, int work, result *res, marc_buf *out) {
  for (;;) {
    marc_record *rec;
    marc_status s = marc_reader_next(r, &rec);
    if (s == MARC_NEED_MORE || s == MARC_END) return 0;
    if (s != MARC_OK) {
      fprintf(stderr, "bench_read: reader: %s\n", marc_status_str(s));
      return -1;
    }
    res->records++;
    res->fields += marc_record_field_count(rec);
    if (work == WORK_SUBFIELDS) {
      res->touch += bench_touch_subfields(rec);
    } else if (work == WORK_REWRITE) {
      marc_status w = marc_write_iso2709(rec, out, NULL);
      if (w == MARC_E_TOO_LONG) {
        res->too_long++;
      } else if (w != MARC_OK) {
        fprintf(stderr, "bench_read: writer: %s\n", marc_status_str(w));
        return -1;
      }
      /* Reuse the buffer like the CLI does between flushes, so the
       * measurement includes the writer but not an ever-growing buffer. */
      if (out->len >= FLUSH_AT) {
        res->out += out->len;
        out->len = 0;
      }
    }
  }
}

/* ---- scenarios ------------------------------------------------------- */

static int run_memchr(const bench *b, result *res) {
  /* Chunked like the reader scenarios; a 0x1D is counted where it lies,
   * so chunk boundaries do not matter. */
  for (size_t pos = 0; pos < b->size; pos += b->chunk) {
    size_t n = b->size - pos < b->chunk ? b->size - pos : b->chunk;
    const uint8_t *p = b->data + pos, *end = p + n;
    while ((p = memchr(p, 0x1D, (size_t)(end - p))) != NULL) {
      res->records++;
      p++;
    }
  }
  return 0;
}

static int run_feed(const bench *b, result *res, int work) {
  marc_reader *r = marc_reader_new(NULL);
  marc_buf out = {0};
  int rc = r ? 0 : -1;
  for (size_t pos = 0; rc == 0 && pos < b->size; pos += b->chunk) {
    size_t n = b->size - pos < b->chunk ? b->size - pos : b->chunk;
    if (marc_reader_feed(r, b->data + pos, n) != MARC_OK) rc = -1;
    else rc = drain(r, work, res, &out);
  }
  if (rc == 0) {
    marc_reader_finish(r);
    rc = drain(r, work, res, &out);
  }
  res->out += out.len;
  marc_buf_free(&out);
  marc_reader_free(r);
  return rc;
}

static int run_parse(const bench *b, result *res) {
  return run_feed(b, res, WORK_FIELDS);
}
static int run_subfields(const bench *b, result *res) {
  return run_feed(b, res, WORK_SUBFIELDS);
}
static int run_rewrite(const bench *b, result *res) {
  return run_feed(b, res, WORK_REWRITE);
}

static int open_input(const bench *b) {
  int fd = open(b->path, O_RDONLY);
  if (fd < 0) fprintf(stderr, "bench_read: %s: %s\n", b->path, strerror(errno));
  return fd;
}

/* read() that retries on EINTR; -1 on error. */
static ssize_t read_some(int fd, uint8_t *p, size_t n) {
  for (;;) {
    ssize_t got = read(fd, p, n);
    if (got >= 0 || errno != EINTR) return got;
  }
}

static int run_read_memchr(const bench *b, result *res) {
  int fd = open_input(b);
  if (fd < 0) return -1;
  ssize_t n;
  while ((n = read_some(fd, b->scratch, b->chunk)) > 0) {
    const uint8_t *p = b->scratch, *end = p + n;
    while ((p = memchr(p, 0x1D, (size_t)(end - p))) != NULL) {
      res->records++;
      p++;
    }
  }
  close(fd);
  return n < 0 ? -1 : 0;
}

static int run_buffer(const bench *b, result *res) {
  int fd = open_input(b);
  if (fd < 0) return -1;
  marc_reader *r = marc_reader_new(NULL);
  int rc = r ? 0 : -1;
  while (rc == 0) {
    uint8_t *p = marc_reader_buffer(r, b->chunk);
    if (!p) {
      rc = -1;
      break;
    }
    ssize_t n = read_some(fd, p, b->chunk);
    if (n < 0) rc = -1;
    if (n <= 0) break;
    marc_reader_commit(r, (size_t)n);
    rc = drain(r, WORK_FIELDS, res, NULL);
  }
  if (rc == 0) {
    marc_reader_finish(r);
    rc = drain(r, WORK_FIELDS, res, NULL);
  }
  marc_reader_free(r);
  close(fd);
  return rc;
}

typedef struct scenario {
  const char *name;
  int (*fn)(const bench *, result *);
  const char *what;
} scenario;

static const scenario scenarios[] = {
    {"memchr", run_memchr, "memchr 0x1D over memory (floor)"},
    {"parse", run_parse, "feed + next, field count"},
    {"parse+subfields", run_subfields, "feed + next, every subfield"},
    {"read+memchr", run_read_memchr, "read() + memchr (I/O floor)"},
    {"parse-buffer", run_buffer, "read() into buffer/commit + next"},
    {"rewrite", run_rewrite, "feed + next + marc_write_iso2709"},
};
#define NSCEN (sizeof scenarios / sizeof scenarios[0])

/* ---- in-process mode -------------------------------------------------- */

static uint8_t *slurp(const char *path, size_t *size) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) die(path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0) die(path, strerror(errno));
  size_t n = (size_t)st.st_size;
  uint8_t *p = malloc(n ? n : 1);
  if (!p) die("out of memory reading", path);
  size_t got = 0;
  while (got < n) {
    ssize_t k = read_some(fd, p + got, n - got);
    if (k < 0) die(path, strerror(errno));
    if (k == 0) break;
    got += (size_t)k;
  }
  close(fd);
  *size = got;
  return p;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Reader scenarios must see the same records and fields; a mismatch means
 * the reader (or this benchmark) is broken, which bench_smoke reports. */
static int check(const result *res) {
  int bad = 0;
  const result *ref = &res[1]; /* parse */
  for (size_t i = 1; i < NSCEN; i++) {
    if (!strcmp(scenarios[i].name, "read+memchr")) {
      if (res[i].records != res[0].records) {
        fprintf(stderr,
                "bench_read: read+memchr saw %" PRIu64
                " terminators, memchr %" PRIu64 "\n",
                res[i].records, res[0].records);
        bad = 1;
      }
      continue;
    }
    if (res[i].records != ref->records || res[i].fields != ref->fields) {
      fprintf(stderr,
              "bench_read: %s: %" PRIu64 " records / %" PRIu64
              " fields, parse: %" PRIu64 " / %" PRIu64 "\n",
              scenarios[i].name, res[i].records, res[i].fields, ref->records,
              ref->fields);
      bad = 1;
    }
  }
  if (ref->records == 0) {
    fprintf(stderr, "bench_read: no record read\n");
    bad = 1;
  }
  return bad;
}

static int in_process(const char *path, int runs, size_t chunk,
                      const char *only) {
  bench b = {.path = path, .chunk = chunk};
  size_t size;
  uint8_t *data = slurp(path, &size);
  b.data = data;
  b.size = size;
  b.scratch = malloc(chunk);
  if (!b.scratch) die("out of memory", NULL);

  double t[NSCEN][MAX_RUNS];
  result res[NSCEN];
  int bad = 0;
  printf("# bench_read %s: %zu bytes, chunk %zu, %d run(s), marcato %s\n", path,
         size, chunk, runs, marc_version());
  for (int run = 0; run < runs; run++) {
    for (size_t s = 0; s < NSCEN; s++) {
      if (only && strcmp(only, scenarios[s].name)) continue;
      result r = {0};
      double t0 = now();
      if (scenarios[s].fn(&b, &r) != 0)
        die("scenario failed", scenarios[s].name);
      t[s][run] = now() - t0;
      if (run > 0 &&
          (r.records != res[s].records || r.fields != res[s].fields ||
           r.touch != res[s].touch || r.out != res[s].out)) {
        fprintf(stderr, "bench_read: %s differs between runs\n",
                scenarios[s].name);
        bad = 1;
      }
      res[s] = r;
      printf("run\t%s\t%d\t%" PRIu64 "\t%zu\t%.6f\t0\n", scenarios[s].name,
             run + 1, r.records, size, t[s][run]);
      fflush(stdout);
    }
  }
  if (only) {
    free(b.scratch);
    free(data);
    return 0;
  }
  bad |= check(res);

  /* Summary: medians, with min/max to show the noise. */
  double med[NSCEN];
  printf("#\n# %-16s %10s %12s %9s %9s %9s %9s  %s\n", "scenario", "records",
         "records/s", "MB/s", "median s", "min s", "max s", "x memchr");
  for (size_t s = 0; s < NSCEN; s++) {
    double sorted[MAX_RUNS];
    memcpy(sorted, t[s], (size_t)runs * sizeof(double));
    qsort(sorted, (size_t)runs, sizeof(double), cmp_double);
    med[s] = sorted[runs / 2];
    if (runs % 2 == 0) med[s] = (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
    double mbs = (double)size / 1e6 / med[s];
    printf("# %-16s %10" PRIu64 " %12.0f %9.1f %9.4f %9.4f %9.4f %9.2f\n",
           scenarios[s].name, res[s].records, (double)res[s].records / med[s],
           mbs, med[s], sorted[0], sorted[runs - 1], med[0] / med[s]);
  }
  printf("# %.1f fields per record, %.0f bytes per record\n",
         (double)res[1].fields / (double)res[1].records,
         (double)size / (double)res[1].records);
  printf("# rewrite wrote %" PRIu64 " bytes (%" PRIu64
         " record(s) too long for ISO 2709); %s\n",
         res[NSCEN - 1].out, res[NSCEN - 1].too_long,
         bad ? "CONSISTENCY CHECK FAILED" : "scenarios agree");
  free(b.scratch);
  free(data);
  return bad;
}

/* ---- exec mode -------------------------------------------------------- */

static int exec_mode(const char *name, uint64_t bytes, const char *out_path,
                     char **argv) {
  int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int null = open("/dev/null", O_WRONLY);
  if (out < 0) die(out_path, strerror(errno));
  if (null < 0) die("/dev/null", strerror(errno));
  double t0 = now();
  pid_t pid = fork();
  if (pid < 0) die("fork", strerror(errno));
  if (pid == 0) {
    dup2(out, 1);
    dup2(null, 2);
    execvp(argv[0], argv);
    _exit(127);
  }
  int status;
  struct rusage ru;
  pid_t w;
  while ((w = wait4(pid, &status, 0, &ru)) < 0 && errno == EINTR) {
  }
  double secs = now() - t0;
  close(out);
  close(null);
  if (w < 0) die("wait4", strerror(errno));
#if defined(__APPLE__)
  int64_t rss_kib = (int64_t)ru.ru_maxrss / 1024; /* bytes on macOS */
#else
  int64_t rss_kib = (int64_t)ru.ru_maxrss; /* KiB on Linux and the BSDs */
#endif
  if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
    fprintf(stderr, "bench_read: %s: `%s` %s %d\n", name, argv[0],
            WIFEXITED(status) ? "exited with" : "killed by signal",
            WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    return 2;
  }
  printf("run\t%s\t1\t0\t%" PRIu64 "\t%.6f\t%" PRId64 "\n", name, bytes, secs,
         rss_kib);
  return 0;
}

static void usage(void) {
  fputs("usage: bench_read [--runs N] [--chunk BYTES] [--quick] "
        "[--only SCENARIO] FILE\n"
        "       bench_read --exec NAME [--bytes N] [--stdout FILE] -- "
        "PROGRAM [ARG...]\n",
        stderr);
  exit(2);
}

int main(int argc, char **argv) {
  int runs = 3;
  size_t chunk = DEFAULT_CHUNK;
  const char *exec_name = NULL, *out_path = "/dev/null", *file = NULL;
  const char *only = NULL;
  uint64_t bytes = 0;
  int i;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    int more = i + 1 < argc;
    if (!strcmp(a, "--runs") && more) {
      runs = atoi(argv[++i]);
    } else if (!strcmp(a, "--chunk") && more) {
      chunk = (size_t)strtoull(argv[++i], NULL, 10);
    } else if (!strcmp(a, "--quick")) {
      runs = 1;
    } else if (!strcmp(a, "--only") && more) {
      only = argv[++i];
    } else if (!strcmp(a, "--exec") && more) {
      exec_name = argv[++i];
    } else if (!strcmp(a, "--bytes") && more) {
      bytes = strtoull(argv[++i], NULL, 10);
    } else if (!strcmp(a, "--stdout") && more) {
      out_path = argv[++i];
    } else if (!strcmp(a, "--")) {
      i++;
      break;
    } else if (a[0] == '-' && a[1]) {
      usage();
    } else if (!file) {
      file = a;
    } else {
      usage();
    }
  }
  if (exec_name) {
    if (i >= argc) usage();
    return exec_mode(exec_name, bytes, out_path, argv + i);
  }
  if (!file || runs < 1 || runs > MAX_RUNS || chunk == 0) usage();
  return in_process(file, runs, chunk, only);
}
