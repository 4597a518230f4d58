/*
 * bench_core: the single-threaded work of the core, in process, one
 * scenario at a time, for bench/run. The same source builds two programs:
 *
 *   bench_core   timings (no instrumentation)
 *   bench_alloc  the same scenarios with every malloc/calloc/realloc/free
 *                of the program and the static core counted through
 *                -Wl,--wrap (glibc 2.36 has no malloc hooks), for
 *                allocations per record and bytes held per record
 *
 * usage: bench_core [--runs N] [--scenarios a,b,...] [--chunk BYTES]
 *                   [--out-file PATH] [--clone N] FILE
 *
 * FILE is read into memory first: the timed loops see no I/O except the
 * write-file scenario. Scenarios (round-robin: run 1 of each, then run 2):
 *   memchr      count the 0x1D terminators (the floor: touch every byte)
 *   parse       marc_reader_feed (1 MiB chunks) + marc_reader_next
 *   subfields   parse + iterate every subfield of every field
 *   rewrite     parse + marc_write_iso2709 (buffer emptied every 1 MiB)
 *   marcxml     parse + to UTF-8 when leader/09 is not 'a' + MARCXML
 *   json        the same, MARC-in-JSON
 *   mrk         the same, MARCMaker .mrk
 *   marc8       parse + marc_record_to_utf8 (records not in UTF-8) +
 *               ISO 2709 (the CLI's --to-encoding utf8)
 *   write-memory  parse + ISO 2709 into one growing buffer (whole output
 *               held in memory)
 *   write-file  parse + ISO 2709 flushed with fwrite every 1 MiB to
 *               --out-file (default FILE.out), closed (no fsync)
 * The text conversions do what `marcato convert -t FORMAT` does per record.
 * Each scenario is a function scen_NAME that valgrind's callgrind can
 * count alone: --collect-atstart=no --toggle-collect=scen_parse.
 *
 * --clone N (bench_alloc): read the first N records of FILE, keep a
 * marc_record_clone of each, and report the heap held against the raw
 * bytes.
 *
 * Output, tab separated:
 *   run    SCENARIO RUN# RECORDS BYTES SECONDS OUT_BYTES
 *   alloc  SCENARIO RECORDS MALLOCS REALLOCS FREES BYTES_ASKED PEAK_LIVE
 *          (bench_alloc, for the first run of each scenario)
 *   clone  RECORDS RAW_BYTES HELD_BYTES ALLOCS
 */
#define _POSIX_C_SOURCE 200809L

#include "marcato.h"
#include "bench_util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOINLINE __attribute__((noinline, used))
#define FLUSH_AT ((size_t)1 << 20)

/* ---- counting allocator (bench_alloc) --------------------------------- */

#ifdef BENCH_COUNT_ALLOC
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);

static struct {
  uint64_t mallocs, reallocs, frees, asked;
  int64_t live, peak, base;
} A;
#define HDR 16 /* keeps malloc's alignment */

static void *account(char *p, size_t n) {
  if (!p) return NULL;
  memcpy(p, &n, sizeof n);
  A.live += (int64_t)n;
  if (A.live > A.peak) A.peak = A.live;
  A.asked += n;
  return p + HDR;
}
void *__wrap_malloc(size_t n) {
  A.mallocs++;
  return account(__real_malloc(n + HDR), n);
}
void *__wrap_calloc(size_t n, size_t m) {
  A.mallocs++;
  if (m && n > (SIZE_MAX - HDR) / m) return NULL;
  return account(__real_calloc(1, n * m + HDR), n * m);
}
void __wrap_free(void *p) {
  if (!p) return;
  char *h = (char *)p - HDR;
  size_t n;
  memcpy(&n, h, sizeof n);
  A.live -= (int64_t)n;
  A.frees++;
  __real_free(h);
}
void *__wrap_realloc(void *p, size_t n) {
  if (!p) return __wrap_malloc(n);
  A.reallocs++;
  char *h = (char *)p - HDR;
  size_t old;
  memcpy(&old, h, sizeof old);
  char *q = __real_realloc(h, n + HDR);
  if (!q) return NULL;
  A.live -= (int64_t)old;
  return account(q, n);
}
static void alloc_reset(void) {
  A.mallocs = A.reallocs = A.frees = A.asked = 0;
  A.peak = A.base = A.live;
}
#endif

/* ---- the benchmark ---------------------------------------------------- */

typedef struct bench {
  const uint8_t *data;
  size_t size, chunk;
  const char *out_file;
} bench;

typedef struct result {
  uint64_t records, fields, touch, out;
} result;

static double now(void) { return bench_now(); }

static void die(const char *what, const char *detail) {
  bench_die("bench_core", what, detail);
}

enum work {
  W_FIELDS,
  W_SUBFIELDS,
  W_ISO,
  W_XML,
  W_JSON,
  W_MRK,
  W_MARC8,
  W_MEMORY,
  W_FILE
};

typedef struct sink {
  marc_buf buf;
  FILE *f;
  int keep; /* write-memory: never empty the buffer */
} sink;

static int flush(sink *s, result *res, int force) {
  if (s->keep || (!force && s->buf.len < FLUSH_AT)) return 0;
  if (s->f && s->buf.len &&
      fwrite(s->buf.data, 1, s->buf.len, s->f) != s->buf.len)
    return -1;
  res->out += s->buf.len;
  s->buf.len = 0;
  return 0;
}

/* One record's work; 0 or -1. */
static int work_record(marc_record *rec, int work, result *res, sink *s) {
  res->records++;
  res->fields += marc_record_field_count(rec);
  marc_status st = MARC_OK;
  marc_record *conv = NULL;
  const marc_record *w = rec;
  switch (work) {
  case W_FIELDS: return 0;
  case W_SUBFIELDS: res->touch += bench_touch_subfields(rec); return 0;
  case W_XML:
  case W_JSON:
  case W_MRK:
  case W_MARC8:
    if (marc_record_leader(rec)[9] != 'a') {
      st = marc_record_to_utf8(rec, NULL, &conv, NULL);
      if (st != MARC_OK) return -1;
      w = conv;
    }
    break;
  default: break;
  }
  switch (work) {
  case W_XML:
    st = marc_write_marcxml(w, &s->buf, MARC_XML_IN_COLLECTION);
    break;
  case W_JSON:
    st = marc_write_json_sep(&s->buf);
    if (st == MARC_OK) st = marc_write_json(w, &s->buf);
    break;
  case W_MRK: st = marc_write_mrk(w, &s->buf); break;
  default:
    st = marc_write_iso2709(w, &s->buf, NULL);
    if (st == MARC_E_TOO_LONG) st = MARC_OK; /* skipped, as the CLI does */
    break;
  }
  marc_record_free(conv);
  if (st != MARC_OK) return -1;
  return flush(s, res, 0);
}

static int drain(marc_reader *r, int work, result *res, sink *s) {
  for (;;) {
    marc_record *rec;
    marc_status st = marc_reader_next(r, &rec);
    if (st == MARC_NEED_MORE || st == MARC_END) return 0;
    if (st != MARC_OK) return -1;
    if (work_record(rec, work, res, s) != 0) return -1;
  }
}

static int run_reader(const bench *b, result *res, int work) {
  marc_reader *r = marc_reader_new(NULL);
  sink s = {.keep = work == W_MEMORY};
  int rc = r ? 0 : -1;
  if (work == W_FILE) {
    s.f = fopen(b->out_file, "wb");
    if (!s.f) die(b->out_file, strerror(errno));
  }
  for (size_t pos = 0; rc == 0 && pos < b->size; pos += b->chunk) {
    size_t n = b->size - pos < b->chunk ? b->size - pos : b->chunk;
    rc = marc_reader_feed(r, b->data + pos, n) == MARC_OK ? 0 : -1;
    if (rc == 0) rc = drain(r, work, res, &s);
  }
  if (rc == 0 && marc_reader_finish(r) == MARC_OK) rc = drain(r, work, res, &s);
  s.keep = 0;
  if (rc == 0) rc = flush(&s, res, 1);
  if (s.f && fclose(s.f) != 0) rc = -1;
  marc_buf_free(&s.buf);
  marc_reader_free(r);
  return rc;
}

static NOINLINE int scen_memchr(const bench *b, result *res) {
  const uint8_t *p = b->data, *end = p + b->size;
  while ((p = memchr(p, 0x1D, (size_t)(end - p))) != NULL) {
    res->records++;
    p++;
  }
  return 0;
}

/* One function per scenario, so that callgrind can count each alone. */
#define READER_SCENARIO(name, work)                                            \
  static NOINLINE int scen_##name(const bench *b, result *r) {                 \
    return run_reader(b, r, work);                                             \
  }
READER_SCENARIO(parse, W_FIELDS)
READER_SCENARIO(subfields, W_SUBFIELDS)
READER_SCENARIO(rewrite, W_ISO)
READER_SCENARIO(marcxml, W_XML)
READER_SCENARIO(json, W_JSON)
READER_SCENARIO(mrk, W_MRK)
READER_SCENARIO(marc8, W_MARC8)
READER_SCENARIO(write_memory, W_MEMORY)
READER_SCENARIO(write_file, W_FILE)

typedef struct scenario {
  const char *name;
  int (*fn)(const bench *, result *);
} scenario;

static const scenario all[] = {
    {"memchr", scen_memchr},
    {"parse", scen_parse},
    {"subfields", scen_subfields},
    {"rewrite", scen_rewrite},
    {"marcxml", scen_marcxml},
    {"json", scen_json},
    {"mrk", scen_mrk},
    {"marc8", scen_marc8},
    {"write-memory", scen_write_memory},
    {"write-file", scen_write_file},
};
#define NALL (sizeof all / sizeof all[0])

static uint8_t *slurp(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) die(path, strerror(errno));
  size_t cap = 1 << 20, n = 0;
  uint8_t *p = malloc(cap);
  for (;;) {
    if (!p) die("out of memory reading", path);
    n += fread(p + n, 1, cap - n, f);
    if (n < cap) break;
    cap *= 2;
    p = realloc(p, cap);
  }
  if (ferror(f)) die(path, "read error");
  fclose(f);
  *size = n;
  return p;
}

/* Heap held by clones of the first `want` records. */
static int clone_mode(const bench *b, size_t want) {
  marc_record **keep = calloc(want, sizeof *keep);
  marc_reader *r = marc_reader_new(NULL);
  if (!keep || !r) die("out of memory", NULL);
  size_t n = 0;
  uint64_t raw = 0;
  marc_reader_feed(r, b->data, b->size);
  marc_reader_finish(r);
  marc_record *rec;
  /* The reader's own memory is not counted: only what the clones hold. */
#ifdef BENCH_COUNT_ALLOC
  uint64_t m0 = 0;
  int64_t held = 0;
#endif
  while (n < want && marc_reader_next(r, &rec) == MARC_OK) {
#ifdef BENCH_COUNT_ALLOC
    int64_t before = A.live;
    uint64_t mb = A.mallocs;
#endif
    keep[n] = marc_record_clone(rec);
    if (!keep[n]) die("out of memory", "clone");
#ifdef BENCH_COUNT_ALLOC
    held += A.live - before;
    m0 += A.mallocs - mb;
#endif
    raw += marc_record_raw_length(rec);
    n++;
  }
#ifdef BENCH_COUNT_ALLOC
  printf("clone\t%zu\t%" PRIu64 "\t%" PRId64 "\t%" PRIu64 "\n", n, raw, held,
         m0);
#else
  printf("clone\t%zu\t%" PRIu64 "\t0\t0\n", n, raw);
#endif
  for (size_t i = 0; i < n; i++) marc_record_free(keep[i]);
  free(keep);
  marc_reader_free(r);
  return 0;
}

int main(int argc, char **argv) {
  int runs = 3;
  size_t chunk = (size_t)1 << 20, clone = 0;
  const char *file = NULL, *list = NULL, *out_file = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int more = i + 1 < argc;
    if (!strcmp(a, "--runs") && more) runs = atoi(argv[++i]);
    else if (!strcmp(a, "--scenarios") && more) list = argv[++i];
    else if (!strcmp(a, "--chunk") && more) chunk = strtoull(argv[++i], 0, 10);
    else if (!strcmp(a, "--out-file") && more) out_file = argv[++i];
    else if (!strcmp(a, "--clone") && more) clone = strtoull(argv[++i], 0, 10);
    else if (a[0] == '-' || file) {
      fputs("usage: bench_core [--runs N] [--scenarios a,b] [--chunk B] "
            "[--out-file P] [--clone N] FILE\n",
            stderr);
      return 2;
    } else file = a;
  }
  if (!file || runs < 1 || !chunk) die("usage", "bench_core --help");
  bench b = {.chunk = chunk};
  size_t size;
  uint8_t *data = slurp(file, &size);
  b.data = data;
  b.size = size;
  char tmp[4096];
  if (!out_file) {
    snprintf(tmp, sizeof tmp, "%s.out", file);
    out_file = tmp;
  }
  b.out_file = out_file;
  if (clone) {
    int rc = clone_mode(&b, clone);
    free(data);
    return rc;
  }
  const scenario *chosen[NALL];
  size_t nchosen = 0;
  for (size_t s = 0; s < NALL; s++) {
    if (list) {
      const char *p = strstr(list, all[s].name);
      size_t L = strlen(all[s].name);
      int found = 0;
      while (p) {
        if ((p == list || p[-1] == ',') && (p[L] == ',' || p[L] == 0)) {
          found = 1;
          break;
        }
        p = strstr(p + 1, all[s].name);
      }
      if (!found) continue;
    }
    chosen[nchosen++] = &all[s];
  }
  if (!nchosen) die("no such scenario", list);
  result first[NALL];
  for (int run = 1; run <= runs; run++) {
    for (size_t s = 0; s < nchosen; s++) {
      result r = {0};
#ifdef BENCH_COUNT_ALLOC
      alloc_reset();
#endif
      double t0 = now();
      if (chosen[s]->fn(&b, &r) != 0) die("scenario failed", chosen[s]->name);
      double t = now() - t0;
#ifdef BENCH_COUNT_ALLOC
      if (run == 1)
        printf("alloc\t%s\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64
               "\t%" PRIu64 "\t%" PRId64 "\n",
               chosen[s]->name, r.records, A.mallocs, A.reallocs, A.frees,
               A.asked, A.peak - A.base);
#endif
      if (run == 1) first[s] = r;
      else if (r.records != first[s].records || r.out != first[s].out ||
               r.touch != first[s].touch)
        die("results differ between runs", chosen[s]->name);
      printf("run\t%s\t%d\t%" PRIu64 "\t%zu\t%.6f\t%" PRIu64 "\n",
             chosen[s]->name, run, r.records, size, t, r.out);
      fflush(stdout);
    }
  }
  free(data);
  return 0;
}
