#include "progress.h"

#include <stdio.h>
#include <time.h>

static double seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_progress_start(cli_progress *p, int enabled, const char *name,
                        uint64_t size) {
  p->enabled = enabled;
  p->shown = 0;
  p->name = name;
  p->size = size;
  p->start = p->last = seconds();
}

void cli_progress_update(cli_progress *p, uint64_t bytes) {
  if (!p->enabled) return;
  double now = seconds();
  if (now - p->last < 0.2) return;
  p->last = now;
  double mb = (double)bytes / 1e6;
  double rate = mb / (now - p->start);
  if (p->size) {
    double pct = 100.0 * (double)bytes / (double)p->size;
    double left = rate > 0 ? ((double)p->size / 1e6 - mb) / rate : 0;
    fprintf(stderr, "\r%s: %.0f%% %.1f MB %.1f MB/s ETA %.0fs   ", p->name, pct,
            mb, rate, left);
  } else {
    fprintf(stderr, "\r%s: %.1f MB %.1f MB/s   ", p->name, mb, rate);
  }
  p->shown = 1;
}

void cli_progress_clear(cli_progress *p) {
  if (!p->shown) return;
  fprintf(stderr, "\r\033[K");
  p->shown = 0;
}
