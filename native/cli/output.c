/* Writing a run's output: the one output or, with -O, one file per input,
 * each with its format's opening and closing, and the diagnostics on
 * standard error, in input order. */
#include "run.h"
#include "validate.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* Separator marc_write puts before every record of a JSON array
 * (MARC_WRITE_NOT_FIRST); the output drops it before the very first. */
#define JSON_SEP_LEN 2

static int output_put(FILE *f, const void *p, size_t n) {
  return n && fwrite(p, 1, n, f) != n ? -1 : 0;
}

static int output_write(cli_output *o, marc_format to, const uint8_t *p,
                        size_t n) {
  marc_buf head = {0};
  int rc = 0;
  if (!o->started) {
    o->started = 1;
    if (marc_write_begin(to, MARC_WRITE_XML_DECLARATION, &head) != MARC_OK)
      rc = -1;
    if (!rc) rc = output_put(o->f, head.data, head.len);
  }
  if (!rc && n && to == MARC_FORMAT_JSON && !o->records) {
    p += JSON_SEP_LEN; /* every record starts with one; not the first */
    n -= JSON_SEP_LEN;
  }
  if (n) o->records = 1;
  if (!rc) rc = output_put(o->f, p, n);
  marc_buf_free(&head);
  return rc;
}

int cli_output_finish(cli_output *o, marc_format to) {
  if (output_write(o, to, NULL, 0) != 0) return -1;
  marc_buf tail = {0};
  int rc = marc_write_end(to, 0, &tail) == MARC_OK
               ? output_put(o->f, tail.data, tail.len)
               : -1;
  marc_buf_free(&tail);
  return rc;
}

/* -O: the file extension of a format's output. */
static const char *format_extension(marc_format f) {
  switch (f) {
  case MARC_FORMAT_ISO2709: return "mrc";
  case MARC_FORMAT_MARCXML: return "xml";
  case MARC_FORMAT_TEXT: return "txt";
  default: return marc_format_name(f); /* mrk, json, jsonl */
  }
}

/* -O: DIR/NAME.EXT for input .../NAME.OLDEXT (the last extension only:
 * a.b.mrc gives a.b.mrk). */
static void output_path(const cli_options *opt, const char *input, char *out,
                        size_t cap) {
  const char *base = strrchr(input, '/');
  base = base ? base + 1 : input;
  const char *dot = strrchr(base, '.');
  size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  snprintf(out, cap, "%s/%.*s.%s", opt->output_dir, (int)stem, base,
           format_extension(opt->to));
}

/* Opening an output truncates it: when it is one of the inputs (the same
 * file by device and inode, whatever its name, standard input included),
 * the input would be read as 0 bytes and lost. Says so and returns 1. */
int cli_output_is_input(const run_state *st, const char *path) {
  struct stat out;
  if (stat(path, &out) != 0) return 0; /* not there yet: not an input */
  for (size_t i = 0; i < st->opt->ninputs; i++) {
    const char *in = st->inputs[i].path;
    struct stat sb;
    int got = strcmp(in, "-") ? stat(in, &sb) : fstat(0, &sb);
    if (got == 0 && sb.st_dev == out.st_dev && sb.st_ino == out.st_ino) {
      fprintf(stderr,
              "marcato: output %s is the input %s; refusing to "
              "overwrite it\n",
              path, st->inputs[i].name);
      return 1;
    }
  }
  return 0;
}

/* -O: two inputs named alike would write one file, or an output would be
 * an input: refuse up front. */
int cli_output_paths_clash(run_state *st) {
  const cli_options *opt = st->opt;
  for (size_t i = 0; i < opt->ninputs; i++)
    output_path(opt, st->inputs[i].name, st->inputs[i].out_path,
                sizeof st->inputs[i].out_path);
  for (size_t i = 0; i < opt->ninputs; i++)
    if (cli_output_is_input(st, st->inputs[i].out_path)) return 1;
  for (size_t i = 0; i < opt->ninputs; i++)
    for (size_t j = i + 1; j < opt->ninputs; j++)
      if (!strcmp(st->inputs[i].out_path, st->inputs[j].out_path)) {
        fprintf(stderr, "marcato: %s and %s would both be written to %s\n",
                st->inputs[i].name, st->inputs[j].name, st->inputs[i].out_path);
        return 1;
      }
  return 0;
}

/* The output of an input: the one output, or with -O its own file,
 * created on its first output. */
static cli_output *input_output(run_state *st, cli_input *in) {
  if (!st->opt->output_dir) return &st->out;
  if (in->out.f) return &in->out;
  in->out.f = fopen(in->out_path, "wb");
  if (!in->out.f) {
    int err = errno;
    cli_shared_lock(st);
    fprintf(stderr, "marcato: cannot create %s: %s\n", in->out_path,
            strerror(err));
    st->failed = 1;
    cli_shared_unlock(st);
    return NULL;
  }
  return &in->out;
}

void cli_write_failed(run_state *st, const char *name) {
  if (errno == EPIPE) {
    st->closed = 1;
    return;
  }
  fprintf(stderr, "marcato: cannot write %s: %s\n", name, strerror(errno));
  st->failed = 1;
}

/* Write a batch's output and messages, in input order. With -O this runs
 * on several workers at once, each for its own input: the input's file is
 * its own, everything shared is under st->lock. */
int cli_emit(run_state *st, size_t input, const marc_buf *out,
             const marc_buf *msgs, int input_done) {
  cli_input *in = &st->inputs[input];
  cli_shared_lock(st);
  if (msgs->len) {
    st->problems = 1;
    cli_progress_clear(&st->progress);
    if (!st->opt->quiet) {
      fwrite(msgs->data, 1, msgs->len, stderr);
    } else {
      /* -q hides record diagnostics, not errors about the inputs. */
      const char *p = (const char *)msgs->data, *end = p + msgs->len;
      while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        if (len > 9 && !memcmp(p, "marcato: ", 9)) fwrite(p, 1, len, stderr);
        p += len;
      }
    }
  }
  cli_shared_unlock(st);
  const char *name = st->opt->output_dir ? in->out_path : st->out_name;
  int rc = 0;
  if (out->len && st->opt->reject_path) {
    /* validate --reject: clean records to the output, the others to the
     * reject file, both in input order (this is the ordered sink). */
    if (cli_validate_emit(st->opt, st->out.f, out) != 0) rc = -1;
  } else if (out->len) {
    cli_output *o = input_output(st, in);
    if (!o || output_write(o, st->opt->to, out->data, out->len) != 0) rc = -1;
  }
  if (!rc && input_done && st->opt->output_dir) {
    /* Every input gets its file, with its wrapper, even when empty. */
    cli_output *o = input_output(st, in);
    if (!o) {
      rc = -1;
    } else {
      rc = cli_output_finish(o, st->opt->to);
      if (fclose(o->f) != 0) rc = -1;
      o->f = NULL;
    }
  }
  cli_shared_lock(st);
  if (rc != 0 && !st->failed) cli_write_failed(st, name);
  cli_progress_update(&st->progress, atomic_load(&st->bytes_read));
  rc = st->failed || st->closed ? -1 : 0;
  cli_shared_unlock(st);
  return rc;
}
