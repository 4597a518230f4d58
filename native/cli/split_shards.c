/* `marcato split --records/--bytes` of a regular file: a first pass frames
 * the records and plans the shards (the byte extents of their records);
 * then the shards are copied by several threads at once, each writing its
 * own files. The result is byte for byte what the one-pass path writes. */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef MARCATO_HAVE_PIPELINE
#include "marcato_pipeline.h"

#include <pthread.h>
#endif

#define CHUNK ((size_t)1 << 20)

typedef struct extent {
  uint64_t off, len;
} extent;

typedef struct shard {
  extent *ext; /* the records' bytes, adjacent ones merged */
  size_t n, cap;
  uint64_t records, bytes;
} shard;

typedef struct plan {
  shard *s;
  size_t n, cap;
  int problems;
} plan;

int cli_split_starts_shard(const cli_split_options *so, uint64_t records,
                           uint64_t bytes, uint64_t len) {
  return (so->records && records >= so->records) ||
         (so->bytes && records && bytes + len > so->bytes);
}

/* The array `a` of *cap items of `size` bytes, `n` in use, with room for
 * one more: `a` itself, or grown (doubling from `first`); NULL when out of
 * memory (`a` is unchanged then). */
static void *room_for_one(void *a, size_t *cap, size_t n, size_t size,
                          size_t first) {
  if (n < *cap) return a;
  size_t c = *cap ? *cap * 2 : first;
  void *p = realloc(a, c * size);
  if (p) *cap = c;
  return p;
}

static int plan_add(plan *p, const cli_split_options *so, uint64_t off,
                    uint64_t len) {
  shard *cur = p->n ? &p->s[p->n - 1] : NULL;
  if (!cur || cli_split_starts_shard(so, cur->records, cur->bytes, len)) {
    shard *s = room_for_one(p->s, &p->cap, p->n, sizeof *s, 16);
    if (!s) return -1;
    p->s = s;
    cur = &p->s[p->n++];
    memset(cur, 0, sizeof *cur);
  }
  cur->records++;
  cur->bytes += len;
  if (cur->n && cur->ext[cur->n - 1].off + cur->ext[cur->n - 1].len == off) {
    cur->ext[cur->n - 1].len += len;
    return 0;
  }
  extent *e = room_for_one(cur->ext, &cur->cap, cur->n, sizeof *e, 4);
  if (!e) return -1;
  cur->ext = e;
  cur->ext[cur->n++] = (extent){off, len};
  return 0;
}

/* Pass 1: frame every record (no parsing) and plan the shards. */
static int make_plan(int fd, const char *path, const cli_split_options *so,
                     plan *p) {
  marc_reader *r = marc_reader_new(NULL);
  uint8_t *chunk = malloc(CHUNK);
  int rc = 0, eof = 0;
  if (!r || !chunk) {
    fprintf(stderr, "marcato: out of memory\n");
    rc = -1;
  }
  while (!rc) {
    marc_raw raw;
    marc_status s = marc_reader_next_raw(r, &raw);
    if (s == MARC_OK) {
      if (raw.flags & ~(uint32_t)MARC_RAW_JUNK) p->problems = 1;
      if (plan_add(p, so, raw.offset, raw.len) != 0) {
        fprintf(stderr, "marcato: out of memory\n");
        rc = -1;
      }
      continue;
    }
    if (s == MARC_END || cli_interrupted) break;
    if (s != MARC_NEED_MORE || eof) {
      rc = -1;
      break;
    }
    ssize_t n = read(fd, chunk, CHUNK);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      fprintf(stderr, "marcato: cannot read %s: %s\n", path, strerror(errno));
      rc = -1;
    } else if (n == 0) {
      eof = 1;
      marc_reader_finish(r);
    } else {
      marc_reader_feed(r, chunk, (size_t)n);
    }
  }
  free(chunk);
  marc_reader_free(r);
  return rc;
}

typedef struct copier {
  const cli_options *opt;
  int fd;
  plan *p;
  atomic_size_t next; /* next shard to write */
  atomic_int failed;
} copier;

/* Write shard `i` (numbered from 1 in its name) from the input's bytes. */
static int write_shard(copier *c, size_t i, uint8_t *buf) {
  char name[4096];
  snprintf(name, sizeof name, "%s-%04zu.mrc",
           c->opt->output ? c->opt->output : "shard", i + 1);
  FILE *f = fopen(name, "wb");
  if (!f) {
    fprintf(stderr, "marcato: cannot create %s: %s\n", name, strerror(errno));
    return -1;
  }
  const shard *s = &c->p->s[i];
  int rc = 0;
  for (size_t k = 0; k < s->n && !rc; k++) {
    uint64_t off = s->ext[k].off, left = s->ext[k].len;
    while (left && !rc) {
      size_t want = left < CHUNK ? (size_t)left : CHUNK;
      ssize_t got = pread(c->fd, buf, want, (off_t)off);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        fprintf(stderr, "marcato: cannot read the input again: %s\n",
                got < 0 ? strerror(errno) : "it got shorter");
        rc = -1;
      } else if (fwrite(buf, 1, (size_t)got, f) != (size_t)got) {
        fprintf(stderr, "marcato: cannot write %s: %s\n", name,
                strerror(errno));
        rc = -1;
      } else {
        off += (uint64_t)got;
        left -= (uint64_t)got;
      }
    }
  }
  if (fclose(f) != 0 && !rc) {
    fprintf(stderr, "marcato: cannot write %s: %s\n", name, strerror(errno));
    rc = -1;
  }
  return rc;
}

static void *copy_worker(void *arg) {
  copier *c = arg;
  uint8_t *buf = malloc(CHUNK);
  if (!buf) {
    atomic_store(&c->failed, 1);
    return NULL;
  }
  for (;;) {
    size_t i = atomic_fetch_add(&c->next, 1);
    if (i >= c->p->n || atomic_load(&c->failed) || cli_interrupted) break;
    if (write_shard(c, i, buf) != 0) atomic_store(&c->failed, 1);
  }
  free(buf);
  return NULL;
}

int cli_split_shards(const cli_options *opt, int fd, const char *path) {
  plan p = {0};
  int code = EXIT_CLEAN;
  if (make_plan(fd, path, &opt->split, &p) != 0) {
    code = EXIT_USAGE;
    goto done;
  }
  copier c = {.opt = opt, .fd = fd, .p = &p};
  unsigned threads = 1;
#ifdef MARCATO_HAVE_PIPELINE
  threads = opt->threads ? opt->threads : marc_pipeline_cpus();
  if (threads > p.n) threads = p.n ? (unsigned)p.n : 1;
  pthread_t *tid = calloc(threads, sizeof *tid);
  unsigned started = 0;
  if (tid)
    for (; started < threads; started++)
      if (pthread_create(&tid[started], NULL, copy_worker, &c) != 0) break;
  if (!started) copy_worker(&c); /* no threads: write them here */
  for (unsigned t = 0; t < started; t++) pthread_join(tid[t], NULL);
  free(tid);
#else
  copy_worker(&c);
#endif
  if (atomic_load(&c.failed)) code = EXIT_USAGE;
  else if (p.problems) code = EXIT_PROBLEMS;
  if (!opt->quiet && code != EXIT_USAGE)
    fprintf(stderr,
            "marcato: wrote %zu shard(s) %s-0001.mrc.. on %u "
            "thread(s)\n",
            p.n, opt->output ? opt->output : "shard", threads);
done:
  for (size_t i = 0; i < p.n; i++) free(p.s[i].ext);
  free(p.s);
  return cli_interrupted ? 130 : code;
}
