/* `marcato split`: shards by record count or size, or the records of one
 * byte range. Records are copied as framed, byte for byte: splitting
 * never alters data, even damaged records. */
#include "cli.h"
#include "marcato_range.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK ((size_t)1 << 20)

typedef struct shard_writer {
  const cli_options *opt;
  FILE *f;
  char name[4096];
  unsigned index;
  uint64_t records, bytes;
} shard_writer;

static int shard_open(shard_writer *w) {
  if (w->f && fclose(w->f) != 0) return -1;
  w->index++;
  snprintf(w->name, sizeof w->name, "%s-%04u.mrc",
           w->opt->output ? w->opt->output : "shard", w->index);
  w->f = fopen(w->name, "wb");
  w->records = w->bytes = 0;
  if (!w->f)
    fprintf(stderr, "marcato: cannot create %s: %s\n", w->name,
            strerror(errno));
  return w->f ? 0 : -1;
}

int cli_split(const cli_options *opt) {
  const cli_split_options *so = &opt->split;
  if (opt->ninputs != 1 || !strcmp(opt->inputs[0], "-")) {
    if (so->plan || so->range_end) {
      fprintf(stderr, "marcato: split --plan/--range need one FILE\n");
      return EXIT_USAGE;
    }
  }
  const char *path = opt->inputs[0];
  int fd = strcmp(path, "-") ? open(path, O_RDONLY) : 0;
  if (fd < 0) {
    fprintf(stderr, "marcato: cannot open %s: %s\n", path, strerror(errno));
    return EXIT_USAGE;
  }
  if (so->plan) {
    /* K ranges of about equal size; each resynchronises on its own. */
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
      fprintf(stderr, "marcato: %s: %s\n", path, strerror(errno));
      close(fd);
      return EXIT_USAGE;
    }
    uint64_t size = (uint64_t)sb.st_size;
    for (uint64_t k = 0; k < so->plan; k++)
      printf("%" PRIu64 "-%" PRIu64 "\n", size * k / so->plan,
             size * (k + 1) / so->plan);
    close(fd);
    return EXIT_CLEAN;
  }
  /* A regular file is planned first, then its shards written at once. */
  struct stat sb;
  if (!so->range_end && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
    int rc = cli_split_shards(opt, fd, path);
    close(fd);
    return rc;
  }
  uint64_t base = 0;
  if (so->range_end) {
    int64_t at = marc_range_first(fd, so->range_start);
    if (at < 0 || lseek(fd, (off_t)at, SEEK_SET) < 0) {
      fprintf(stderr, "marcato: %s: %s\n", path, strerror(errno));
      close(fd);
      return EXIT_USAGE;
    }
    base = (uint64_t)at;
  }
  marc_reader *r = marc_reader_new(NULL);
  uint8_t *chunk = malloc(CHUNK);
  shard_writer w = {.opt = opt};
  int code = EXIT_CLEAN;
  if (!r || !chunk) {
    fprintf(stderr, "marcato: out of memory\n");
    code = EXIT_USAGE;
    goto done;
  }
  if (so->range_end) {
    w.f = opt->output && strcmp(opt->output, "-") ? fopen(opt->output, "wb")
                                                  : stdout;
    if (!w.f) {
      fprintf(stderr, "marcato: cannot create %s: %s\n", opt->output,
              strerror(errno));
      code = EXIT_USAGE;
      goto done;
    }
  }
  int eof = 0;
  for (;;) {
    marc_raw raw;
    marc_status s = marc_reader_next_raw(r, &raw);
    if (s == MARC_OK) {
      if (raw.flags & ~(uint32_t)MARC_RAW_JUNK) code = EXIT_PROBLEMS;
      if (so->range_end) {
        if (base + raw.offset >= so->range_end) break;
      } else if (!w.f ||
                 cli_split_starts_shard(so, w.records, w.bytes, raw.len)) {
        if (shard_open(&w) != 0) {
          code = EXIT_USAGE;
          goto done;
        }
      }
      if (fwrite(raw.data, 1, raw.len, w.f) != raw.len) {
        fprintf(stderr, "marcato: cannot write %s: %s\n",
                so->range_end ? "output" : w.name, strerror(errno));
        code = EXIT_USAGE;
        goto done;
      }
      w.records++;
      w.bytes += raw.len;
      continue;
    }
    if (s == MARC_END || cli_interrupted) break;
    if (s != MARC_NEED_MORE || eof) {
      code = EXIT_USAGE;
      break;
    }
    ssize_t n = read(fd, chunk, CHUNK);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      fprintf(stderr, "marcato: cannot read %s: %s\n", path, strerror(errno));
      code = EXIT_USAGE;
      break;
    }
    if (n == 0) {
      eof = 1;
      marc_reader_finish(r);
    } else {
      marc_reader_feed(r, chunk, (size_t)n);
    }
  }
  if (!so->range_end && !opt->quiet)
    fprintf(stderr, "marcato: wrote %u shard(s) %s-0001.mrc..\n", w.index,
            opt->output ? opt->output : "shard");
done:
  if (w.f && w.f != stdout && fclose(w.f) != 0) code = EXIT_USAGE;
  if (w.f == stdout && fflush(stdout) != 0) code = EXIT_USAGE;
  free(chunk);
  marc_reader_free(r);
  if (fd > 0) close(fd);
  return code;
}
