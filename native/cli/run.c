/* Running a command: read each input through the push reader, report
 * diagnostics, write the output. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK ((size_t)1 << 20)
#define FLUSH_AT ((size_t)1 << 20)

typedef struct run_state {
  const cli_options *opt;
  FILE *out;
  const char *out_name;
  marc_buf buf;
  uint64_t records;
  int problems;   /* some input had a diagnostic */
  int failed;     /* a fatal error (I/O) happened */
  int stop;       /* strict mode hit a problem */
} run_state;

static void report(run_state *st, const char *file, const marc_diag *d) {
  st->problems = 1;
  if (st->opt->quiet) return;
  fprintf(stderr, "%s: record %" PRIu64 " at byte %" PRIu64 ": %s", file,
          d->record + 1, d->offset, marc_code_name(d->code));
  if (d->tag[0]) fprintf(stderr, " [%s]", d->tag);
  fprintf(stderr, " %s\n", d->msg);
}

static int flush_output(run_state *st) {
  if (!st->buf.len) return 0;
  if (fwrite(st->buf.data, 1, st->buf.len, st->out) != st->buf.len) {
    fprintf(stderr, "marcato: cannot write %s: %s\n", st->out_name,
            strerror(errno));
    st->failed = 1;
    return -1;
  }
  st->buf.len = 0;
  return 0;
}

static void handle_record(run_state *st, const char *file, marc_record *rec) {
  st->records++;
  for (size_t i = 0; i < marc_record_diag_count(rec); i++)
    report(st, file, marc_record_diag(rec, i));
  marc_status s = MARC_OK;
  marc_diag err;
  switch (st->opt->command) {
  case CMD_COUNT: return;
  case CMD_DUMP: s = marc_write_mrk(rec, &st->buf); break;
  case CMD_CONVERT:
    s = st->opt->to == FMT_MRK ? marc_write_mrk(rec, &st->buf)
                               : marc_write_iso2709(rec, &st->buf, &err);
    break;
  }
  if (s == MARC_E_TOO_LONG) {
    err.offset = marc_record_offset(rec);
    report(st, file, &err);
    if (st->opt->strict) st->stop = 1;
  } else if (s != MARC_OK) {
    fprintf(stderr, "marcato: %s\n", marc_status_str(s));
    st->failed = 1;
  }
  if (st->buf.len >= FLUSH_AT) flush_output(st);
}

/* Drain the reader; returns 0, or -1 when the run must stop. */
static int drain(run_state *st, marc_reader *r, const char *file) {
  for (;;) {
    marc_record *rec;
    marc_status s = marc_reader_next(r, &rec);
    if (s == MARC_OK) {
      handle_record(st, file, rec);
      if (st->failed || st->stop) return -1;
      if (st->opt->strict && marc_record_diag_count(rec)) return -1;
    } else if (s == MARC_E_INVALID) {
      report(st, file, marc_reader_error(r));
      st->stop = 1;
      return -1;
    } else if (s == MARC_NEED_MORE || s == MARC_END) {
      return 0;
    } else {
      fprintf(stderr, "marcato: %s: %s\n", file, marc_status_str(s));
      st->failed = 1;
      return -1;
    }
  }
}

static void run_input(run_state *st, const char *path, uint8_t *chunk) {
  int stdin_input = !strcmp(path, "-");
  const char *name = stdin_input ? "<stdin>" : path;
  int fd = stdin_input ? 0 : open(path, O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "marcato: cannot open %s: %s\n", path, strerror(errno));
    st->failed = 1;
    return;
  }
  marc_reader_options ropt = {.strict = st->opt->strict};
  marc_reader *r = marc_reader_new(&ropt);
  if (!r) {
    fprintf(stderr, "marcato: out of memory\n");
    st->failed = 1;
    goto done;
  }
  for (;;) {
    ssize_t n = read(fd, chunk, READ_CHUNK);
    if (n < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "marcato: cannot read %s: %s\n", name, strerror(errno));
      st->failed = 1;
      goto done;
    }
    if (n == 0) break;
    marc_reader_feed(r, chunk, (size_t)n);
    if (drain(st, r, name) < 0) goto done;
  }
  marc_reader_finish(r);
  drain(st, r, name);
done:
  marc_reader_free(r);
  if (!stdin_input && fd >= 0) close(fd);
}

int cli_run(const cli_options *opt) {
  run_state st = {.opt = opt, .out = stdout, .out_name = "<stdout>"};
  if (opt->output && strcmp(opt->output, "-")) {
    st.out = fopen(opt->output, "wb");
    st.out_name = opt->output;
    if (!st.out) {
      fprintf(stderr, "marcato: cannot create %s: %s\n", opt->output,
              strerror(errno));
      return EXIT_USAGE;
    }
  }
  uint8_t *chunk = malloc(READ_CHUNK);
  if (!chunk) {
    fprintf(stderr, "marcato: out of memory\n");
    return EXIT_USAGE;
  }
  for (size_t i = 0; i < opt->ninputs && !st.failed && !st.stop; i++)
    run_input(&st, opt->inputs[i], chunk);
  flush_output(&st);
  if (opt->command == CMD_COUNT && !st.failed)
    fprintf(st.out, "%" PRIu64 "\n", st.records);
  if (fflush(st.out) != 0 && !st.failed) {
    fprintf(stderr, "marcato: cannot write %s: %s\n", st.out_name,
            strerror(errno));
    st.failed = 1;
  }
  if (st.out != stdout) fclose(st.out);
  free(chunk);
  marc_buf_free(&st.buf);
  if (st.failed) return EXIT_USAGE;
  return st.problems ? EXIT_PROBLEMS : EXIT_CLEAN;
}
