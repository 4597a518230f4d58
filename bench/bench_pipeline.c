/*
 * bench_pipeline: one run of the native pipeline (marc_pipeline_run_inputs)
 * over FILEs with the given options, for bench/run's threads, sensitivity
 * and latency scenarios. Prints one JSON object per run with the
 * pipeline's own statistics plus two times measured here:
 *   producer_startup  call -> first record reaches a worker callback
 *                     (thread start, open, first read, framing, hand-off)
 *   first_out         call -> first sink callback with output
 * (the pipeline's first_record_seconds is start -> first record out of
 * the sink, which includes opening the file).
 *
 * usage: bench_pipeline [--threads N] [--batch-records N] [--batch-bytes N]
 *          [--queue N] [--serial | --threaded] [--unordered]
 *          [--work parse|subfields|iso2709|mrk|marcxml] [--runs N] FILE...
 *   --serial    serial_below = huge: always on the calling thread
 *   --threaded  serial_below = SIZE_MAX: never serial, however small
 *   (neither: the library default, MARC_PIPELINE_SERIAL_BELOW)
 */
#define _POSIX_C_SOURCE 200809L
#include "marcato_pipeline.h"
#include "bench_util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) { return bench_now(); }

enum { W_PARSE, W_SUBFIELDS, W_ISO, W_MRK, W_XML };

typedef struct state {
  int work;
  double t0;
  double first_worker; /* written once, with a CAS on `seen` */
  int seen;
  double first_out;
  uint64_t out_bytes;
} state;

static int on_record(void *user, size_t input, marc_record *rec,
                     const marc_raw *raw, marc_buf *out, marc_buf *msgs,
                     unsigned worker) {
  (void)input, (void)raw, (void)msgs, (void)worker;
  state *s = user;
  int zero = 0;
  if (!__atomic_load_n(&s->seen, __ATOMIC_RELAXED) &&
      __atomic_compare_exchange_n(&s->seen, &zero, 1, 0, __ATOMIC_ACQ_REL,
                                  __ATOMIC_RELAXED))
    s->first_worker = now();
  marc_status st = MARC_OK;
  marc_record *conv = NULL;
  const marc_record *w = rec;
  if ((s->work == W_MRK || s->work == W_XML) &&
      marc_record_leader(rec)[9] != 'a') {
    if (marc_record_to_utf8(rec, NULL, &conv, NULL) != MARC_OK) return 1;
    w = conv;
  }
  switch (s->work) {
  case W_PARSE: break;
  case W_SUBFIELDS: {
    uint64_t acc = 0;
    size_t nf = marc_record_field_count(rec);
    for (size_t i = 0; i < nf; i++) {
      const marc_field *f = marc_record_field(rec, i);
      marc_subfield_iter it = marc_subfields(rec, f);
      marc_subfield sf;
      while (marc_subfield_next(&it, &sf)) acc += sf.len;
    }
    if (acc == 1) st = marc_buf_append(out, "", 0);
    break;
  }
  case W_ISO:
    st = marc_write_iso2709(w, out, NULL);
    if (st == MARC_E_TOO_LONG) st = MARC_OK;
    break;
  case W_MRK: st = marc_write_mrk(w, out); break;
  case W_XML: st = marc_write_marcxml(w, out, MARC_XML_IN_COLLECTION); break;
  }
  marc_record_free(conv);
  return st != MARC_OK;
}

static int sink(void *user, size_t input, const marc_buf *out,
                const marc_buf *msgs, int done) {
  (void)input, (void)msgs, (void)done;
  state *s = user;
  if (s->first_out == 0 && out->len) s->first_out = now();
  s->out_bytes += out->len;
  return 0;
}

int main(int argc, char **argv) {
  marc_pipeline_options o = {0};
  int runs = 1, work = W_MRK;
  const char **files = calloc((size_t)argc, sizeof *files);
  size_t nfiles = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int more = i + 1 < argc;
    if (!strcmp(a, "--threads") && more) o.threads = (unsigned)atoi(argv[++i]);
    else if (!strcmp(a, "--batch-records") && more)
      o.batch_records = strtoull(argv[++i], 0, 10);
    else if (!strcmp(a, "--batch-bytes") && more)
      o.batch_bytes = strtoull(argv[++i], 0, 10);
    else if (!strcmp(a, "--queue") && more)
      o.queue_capacity = strtoull(argv[++i], 0, 10);
    else if (!strcmp(a, "--serial")) o.serial_below = SIZE_MAX - 1;
    else if (!strcmp(a, "--threaded")) o.serial_below = SIZE_MAX;
    else if (!strcmp(a, "--unordered")) o.unordered = 1;
    else if (!strcmp(a, "--runs") && more) runs = atoi(argv[++i]);
    else if (!strcmp(a, "--work") && more) {
      const char *w = argv[++i];
      work = !strcmp(w, "parse")       ? W_PARSE
             : !strcmp(w, "subfields") ? W_SUBFIELDS
             : !strcmp(w, "iso2709")   ? W_ISO
             : !strcmp(w, "marcxml")   ? W_XML
             : !strcmp(w, "mrk")       ? W_MRK
                                       : -1;
      if (work < 0) {
        fprintf(stderr, "bench_pipeline: unknown work %s\n", w);
        return 2;
      }
    } else if (a[0] == '-') {
      fprintf(stderr, "bench_pipeline: unknown option %s\n", a);
      return 2;
    } else files[nfiles++] = a;
  }
  if (!nfiles || runs < 1) {
    fprintf(stderr, "usage: bench_pipeline [options] FILE...\n");
    return 2;
  }
  marc_pipeline_input *in = calloc(nfiles, sizeof *in);
  for (size_t i = 0; i < nfiles; i++) in[i].path = files[i];
  for (int r = 1; r <= runs; r++) {
    state s = {.work = work};
    marc_pipeline_stats st;
    memset(&st, 0, sizeof st);
    s.t0 = now();
    int rc = marc_pipeline_run_inputs(&o, in, nfiles, on_record, sink, &s, &st);
    double wall = now() - s.t0;
    if (rc != 0 || st.input_errors) {
      fprintf(stderr, "bench_pipeline: run failed (%d)\n", rc);
      return 1;
    }
    printf("{\"run\":%d,\"files\":%zu,\"wall\":%.6f,\"seconds\":%.6f,"
           "\"records\":%" PRIu64 ",\"bytes\":%" PRIu64
           ",\"out_bytes\":%" PRIu64 ",\"batches\":%" PRIu64
           ",\"threads\":%u,\"serial\":%d,"
           "\"first_record\":%.6f,\"producer_startup\":%.6f,"
           "\"first_out\":%.6f,\"p50\":%.6f,\"p95\":%.6f,\"p99\":%.6f,"
           "\"reader_wait\":%.6f,\"worker_wait\":%.6f,\"sink_wait\":%.6f,"
           "\"lock_wait\":%.6f}\n",
           r, nfiles, wall, st.seconds, st.records, st.bytes, s.out_bytes,
           st.batches, st.threads, st.serial, st.first_record_seconds,
           s.seen ? s.first_worker - s.t0 : 0.0,
           s.first_out ? s.first_out - s.t0 : 0.0, st.latency_p50,
           st.latency_p95, st.latency_p99, st.reader_wait_seconds,
           st.worker_wait_seconds, st.sink_wait_seconds, st.lock_wait_seconds);
    fflush(stdout);
  }
  free(in);
  free(files);
  return 0;
}
