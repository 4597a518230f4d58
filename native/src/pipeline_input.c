/* The pipeline's input side: opening and reading the inputs, the reader
 * thread that frames their records into batches, and the serial run that
 * does everything on the calling thread for small inputs. */
#include "pipeline_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An input being read: an opened path or the caller's read callback. */
typedef struct input_source {
  int fd; /* -1 when reading through a callback */
  int owned;
  marc_pipeline_read_fn read;
  void *src;
} input_source;

/* Open input `i`; on failure writes why into `msgs` and returns -1. */
static int input_open(const marc_pipeline_input *in, input_source *is,
                      marc_buf *msgs) {
  memset(is, 0, sizeof *is);
  is->fd = -1;
  if (in->read) {
    is->read = in->read;
    is->src = in->src;
    return 0;
  }
  if (!in->path || !strcmp(in->path, "-")) {
    is->fd = 0;
    return 0;
  }
  is->fd = open(in->path, O_RDONLY);
  if (is->fd >= 0) {
    is->owned = 1;
    return 0;
  }
  char line[512];
  int n = snprintf(line, sizeof line, "marcato: cannot open %s: %s\n", in->path,
                   strerror(errno));
  if (n > 0) marc_buf_append(msgs, line, strlen(line));
  return -1;
}

static int64_t input_read(input_source *is, void *buf, size_t n) {
  if (is->read) return is->read(is->src, buf, n);
  for (;;) {
    ssize_t got = read(is->fd, buf, n);
    if (got >= 0 || errno != EINTR) return (int64_t)got;
  }
}

static void input_close(input_source *is) {
  if (is->owned) close(is->fd);
  is->owned = 0;
}

static void read_failed(const marc_pipeline_input *in, int err,
                        marc_buf *msgs) {
  char line[512];
  snprintf(line, sizeof line, "marcato: cannot read %s: %s\n",
           in->path ? in->path : "input", strerror(err));
  marc_buf_append(msgs, line, strlen(line));
}

/* A problem the reader reports outside any record (bytes after the last
 * record), in the form the CLI gives every diagnostic. */
static void reader_problem(const marc_pipeline_input *in, const marc_reader *r,
                           marc_buf *msgs) {
  const marc_diag *d = marc_reader_error(r);
  const char *name = in->path && strcmp(in->path, "-") ? in->path : "<stdin>";
  char line[512];
  int n = snprintf(line, sizeof line,
                   "%s: record %" PRIu64 " at byte %" PRIu64 ": %s %s\n", name,
                   d->record + 1, d->offset, marc_code_name(d->code), d->msg);
  if (n > 0)
    marc_buf_append(msgs, line,
                    (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* The reader wants bytes: read a chunk and feed it, or finish the reader
 * at the end of the input (*eof set). -1 when the read failed (errno). */
static int fill(input_source *is, marc_reader *r, uint8_t *chunk, size_t cap,
                int *eof) {
  int64_t n = input_read(is, chunk, cap);
  if (n < 0) return -1;
  if (n == 0) {
    *eof = 1;
    marc_reader_finish(r);
  } else {
    marc_reader_feed(r, chunk, (size_t)n);
  }
  return 0;
}

/* The framing reader, with the run's record size limit. */
static marc_reader *new_reader(const pipeline *p) {
  marc_reader_options ro = {0};
  ro.max_record = p->opt.max_record;
  ro.max_diags = p->opt.max_diags;
  return marc_reader_new(&ro);
}

void *marc__pl_reader_main(void *arg) {
  pipeline *p = arg;
  marc_reader *r = new_reader(p);
  uint8_t *chunk = malloc(p->opt.read_chunk);
  if (!r || !chunk) marc__pl_reader_fail(p, ENOMEM);
  /* Small first batches so the first records come out quickly; then the
   * configured size. */
  size_t limit = p->opt.batch_records < 16 ? p->opt.batch_records : 16;
  batch *b = NULL;
  for (size_t in = 0; in < p->ninputs && r && chunk && !p->stop; in++) {
    uint64_t in_seq = 0; /* batches of this input so far */
    if (!b && !(b = marc__pl_acquire(p))) break;
    b->input = in;
    b->in_seq = in_seq++;
    marc_reader_reset(r);
    input_source is;
    int failed = input_open(&p->inputs[in], &is, &b->msgs) != 0;
    int eof = failed;
    while (!failed) {
      marc_raw raw;
      marc_status s = marc_reader_next_raw(r, &raw);
      if (s == MARC_OK) {
        /* Close a batch before a record would take it past its byte size,
         * so batch buffers stay at batch_bytes instead of doubling. */
        if ((b->nrecs && b->raw.len + raw.len > p->opt.batch_bytes) ||
            b->nrecs >= limit) {
          if (marc__pl_push(p, b) != 0 || !(b = marc__pl_acquire(p))) {
            b = NULL;
            break;
          }
          b->input = in;
          b->in_seq = in_seq++;
          if (limit < p->opt.batch_records) limit *= 2;
          if (limit > p->opt.batch_records) limit = p->opt.batch_records;
        }
        if (marc__pl_batch_add(b, &raw) != 0) {
          marc__pl_reader_fail(p, ENOMEM);
          break;
        }
        continue;
      }
      if (s == MARC_END) break;
      if (s == MARC_E_INVALID) {
        reader_problem(&p->inputs[in], r, &b->msgs);
        continue;
      }
      if (s != MARC_NEED_MORE || eof) {
        marc__pl_reader_fail(p, ENOMEM);
        break;
      }
      if (fill(&is, r, chunk, p->opt.read_chunk, &eof) != 0) {
        int err = errno ? errno : EIO;
        read_failed(&p->inputs[in], err, &b->msgs);
        failed = 1;
        marc__pl_lock(p);
        if (!p->read_error) p->read_error = err;
        marc__pl_unlock(p);
        break;
      }
      if (p->stop) break;
    }
    input_close(&is);
    if (!b || p->stop) break;
    if (failed) {
      marc__pl_lock(p);
      p->input_errors++;
      marc__pl_unlock(p);
    }
    /* Every input ends with a batch marked done, empty or not. */
    b->input_done = 1;
    if (marc__pl_push(p, b) != 0) {
      b = NULL;
      break;
    }
    b = NULL;
  }
  if (b) {
    marc__pl_lock(p);
    marc__pl_batch_reset(b);
    b->next = p->free_list;
    p->free_list = b;
    marc__pl_unlock(p);
  }
  marc__pl_lock(p);
  p->reader_done = 1;
  pthread_cond_broadcast(&p->cv_work);
  pthread_cond_broadcast(&p->cv_done);
  marc__pl_unlock(p);
  free(chunk);
  marc_reader_free(r);
  return NULL;
}
/* Total size of the inputs when all are regular files, else SIZE_MAX. */
size_t marc__pl_total_input_size(const marc_pipeline_input *in, size_t n) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    struct stat sb;
    if (in[i].read || !in[i].path || !strcmp(in[i].path, "-") ||
        stat(in[i].path, &sb) != 0 || !S_ISREG(sb.st_mode))
      return SIZE_MAX;
    total += (size_t)sb.st_size;
  }
  return total;
}

/* Small work: reader, parse, callback and sink on the calling thread, in
 * batches of the same shape as the threaded run. */
int marc__pl_run_inline(pipeline *p, marc_pipeline_input_sink_fn sink,
                        marc_pipeline_stats *st) {
  marc_reader *r = new_reader(p);
  marc_record *rec = marc_record_new();
  uint8_t *chunk = malloc(p->opt.read_chunk);
  batch b;
  memset(&b, 0, sizeof b);
  int rc = 0;
  if (!r || !rec || !chunk) {
    errno = ENOMEM;
    rc = -1;
    goto out;
  }
  for (size_t in = 0; in < p->ninputs && rc == 0; in++) {
    marc_reader_reset(r);
    input_source is;
    int failed = input_open(&p->inputs[in], &is, &b.msgs) != 0;
    int eof = failed, stop = 0;
    while (!failed && !stop) {
      marc_raw raw;
      marc_status s = marc_reader_next_raw(r, &raw);
      if (s == MARC_OK) {
        s = marc_record_parse(rec, &raw, p->opt.strict, 0, p->opt.max_diags);
        if (s == MARC_E_NOMEM) {
          errno = ENOMEM;
          rc = -1;
          break;
        }
        st->bytes += raw.len;
        if (!st->first_record_seconds)
          st->first_record_seconds = marc__pl_now() - p->t0;
        if (marc_record_diag_count(rec)) st->records_with_problems++;
        if (p->on_record(p->user, in, rec, &raw, &b.out, &b.msgs, 0) != 0 ||
            s == MARC_E_INVALID)
          stop = 1;
        else st->records++; /* the stopping record is not counted */
        if (stop || b.out.len >= p->opt.batch_bytes ||
            b.msgs.len >= p->opt.batch_bytes) {
          st->batches++;
          if (sink && sink(p->user, in, &b.out, &b.msgs, 0) != 0) stop = 1;
          b.out.len = b.msgs.len = 0;
        }
        continue;
      }
      if (s == MARC_END) break;
      if (s == MARC_E_INVALID) {
        reader_problem(&p->inputs[in], r, &b.msgs);
        continue;
      }
      if (s != MARC_NEED_MORE || eof) {
        errno = ENOMEM;
        rc = -1;
        break;
      }
      if (fill(&is, r, chunk, p->opt.read_chunk, &eof) != 0) {
        read_failed(&p->inputs[in], errno ? errno : EIO, &b.msgs);
        failed = 1;
      }
    }
    input_close(&is);
    if (failed) st->input_errors++;
    st->batches++;
    if (sink && sink(p->user, in, &b.out, &b.msgs, 1) != 0) stop = 1;
    b.out.len = b.msgs.len = 0;
    if (stop && rc == 0) rc = 1;
  }
out:
  if (p->opt.discard && b.out.len) p->opt.discard(p->user, 0, &b.out);
  marc_buf_free(&b.out);
  marc_buf_free(&b.msgs);
  free(chunk);
  marc_record_free(rec);
  marc_reader_free(r);
  return rc;
}
