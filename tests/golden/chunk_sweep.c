/* Chunking sweep: however the input is cut, the reader must return the
 * same records with the same diagnostics (offsets included) as when it
 * gets the whole input at once.
 *
 *   golden_chunk_sweep [--seed N] [--slow-limit BYTES] FILE...
 *
 * Each FILE is read whole (the reference), then fed in chunks of 1..7
 * bytes, 4,096 bytes, seeded random sizes, and written through
 * marc_reader_buffer/commit in random sizes. Missing FILEs are skipped
 * (shared data may be absent). --slow-limit keeps the 1..7-byte chunkings
 * to files up to that size (default: every file). Every fed chunk is
 * copied to a scratch buffer that is scribbled over once the reader asks
 * for more input, which checks that the reader kept what it still needed. */
#include "check.h"
#include "common/dump.h"

#include <stdlib.h>
#include <time.h>

static uint64_t rng_state;

/* xorshift64*: small, seedable, the same everywhere. */
static uint64_t rng(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ull;
}

/* Chunking plan: fixed size, or random sizes in [1, max]. */
typedef struct plan {
  size_t fixed;
  size_t rand_max;
  int use_buffer; /* marc_reader_buffer/commit instead of feed */
} plan;

static size_t next_size(const plan *p) {
  if (p->fixed) return p->fixed;
  return 1 + (size_t)(rng() % p->rand_max);
}

/* Drain the reader into `out`; returns the last status. */
static marc_status drain(marc_reader *r, marc_buf *out) {
  marc_record *rec;
  marc_status s;
  for (;;) {
    while ((s = marc_reader_next(r, &rec)) == MARC_OK)
      if (test_dump_record(rec, out) != MARC_OK) return MARC_E_NOMEM;
    if (s != MARC_E_INVALID) return s;
    /* Bytes after the last record: part of what every chunking must give
     * alike. */
    const marc_diag *d = marc_reader_error(r);
    char line[160];
    int n = snprintf(line, sizeof line, "after: %s@%llu\n",
                     marc_code_name(d->code), (unsigned long long)d->offset);
    if (marc_buf_append(out, line, (size_t)n) != MARC_OK) return MARC_E_NOMEM;
  }
}

static int parse(const uint8_t *data, size_t len, const plan *p,
                 marc_buf *out) {
  marc_reader *r = marc_reader_new(NULL);
  if (!r) return -1;
  uint8_t *scratch = NULL;
  size_t scratch_cap = 0;
  marc_status s = MARC_NEED_MORE;
  for (size_t pos = 0; pos < len;) {
    size_t n = next_size(p);
    if (n > len - pos) n = len - pos;
    if (p->use_buffer) {
      uint8_t *b = marc_reader_buffer(r, n);
      if (!b) break;
      memcpy(b, data + pos, n);
      marc_reader_commit(r, n);
    } else {
      if (n > scratch_cap) {
        free(scratch);
        scratch_cap = n < 4096 ? 4096 : n;
        scratch = malloc(scratch_cap);
        if (!scratch) break;
      }
      memcpy(scratch, data + pos, n);
      marc_reader_feed(r, scratch, n);
    }
    pos += n;
    s = drain(r, out);
    if (s != MARC_NEED_MORE) break;
    if (!p->use_buffer) memset(scratch, 0xEE, n); /* the caller reuses it */
  }
  if (s == MARC_NEED_MORE) {
    marc_reader_finish(r);
    s = drain(r, out);
  }
  free(scratch);
  marc_reader_free(r);
  return s == MARC_END ? 0 : -1;
}

/* Line number of the first difference, for the failure message. */
static size_t first_diff_line(const marc_buf *a, const marc_buf *b) {
  size_t n = a->len < b->len ? a->len : b->len, line = 1;
  for (size_t i = 0; i < n && a->data[i] == b->data[i]; i++)
    if (a->data[i] == '\n') line++;
  return line;
}

static void sweep(const char *path, const uint8_t *data, size_t len,
                  size_t slow_limit) {
  marc_buf ref = {0}, got = {0};
  plan whole = {len ? len : 1, 0, 0};
  CHECK_EQ_INT(parse(data, len, &whole, &ref), 0);
  plan plans[16];
  const char *names[16];
  size_t np = 0;
  static const char *small[] = {"1", "2", "3", "4", "5", "6", "7"};
  if (len <= slow_limit)
    for (size_t k = 1; k <= 7; k++) {
      plans[np] = (plan){k, 0, 0};
      names[np++] = small[k - 1];
    }
  plans[np] = (plan){4096, 0, 0}, names[np++] = "4096";
  plans[np] = (plan){0, 64, 0}, names[np++] = "random<=64";
  plans[np] = (plan){0, 8192, 0}, names[np++] = "random<=8192";
  plans[np] = (plan){0, 300, 1}, names[np++] = "buffer random<=300";
  plans[np] = (plan){65536, 0, 1}, names[np++] = "buffer 65536";
  for (size_t k = 0; k < np; k++) {
    got.len = 0;
    int rc = parse(data, len, &plans[k], &got);
    int same = rc == 0 && got.len == ref.len &&
               memcmp(got.data, ref.data, ref.len) == 0;
    if (!same)
      fprintf(stderr,
              "%s: chunking %s differs from whole-file read "
              "(dump line %zu)\n",
              path, names[k], first_diff_line(&ref, &got));
    CHECK(same);
  }
  marc_buf_free(&ref);
  marc_buf_free(&got);
}

int main(int argc, char **argv) {
  uint64_t seed = (uint64_t)time(NULL);
  size_t slow_limit = SIZE_MAX;
  int files = 0, missing = 0;
  size_t bytes = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
      seed = strtoull(argv[++i], NULL, 10);
      continue;
    }
    if (!strcmp(argv[i], "--slow-limit") && i + 1 < argc) {
      slow_limit = strtoull(argv[++i], NULL, 10);
      continue;
    }
  }
  printf("seed %llu (rerun with --seed %llu)\n", (unsigned long long)seed,
         (unsigned long long)seed);
  rng_state = seed ? seed : 1;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--seed") || !strcmp(argv[i], "--slow-limit")) {
      i++;
      continue;
    }
    uint8_t *data;
    size_t len;
    if (test_read_file(argv[i], &data, &len) != 0) {
      missing++;
      continue;
    }
    sweep(argv[i], data, len, slow_limit);
    files++;
    bytes += len;
    free(data);
  }
  printf("%d files (%zu bytes) swept, %d absent\n", files, bytes, missing);
  CHECK(files > 0);
  return check_done("golden_chunk_sweep");
}
