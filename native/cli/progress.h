/* A progress line on stderr for long runs: bytes read, MB/s and, when the
 * input size is known, percent and time left. Drawn at most a few times a
 * second, only when enabled (stderr is a terminal or --progress). */
#ifndef MARCATO_CLI_PROGRESS_H
#define MARCATO_CLI_PROGRESS_H

#include <stdint.h>

typedef struct cli_progress {
  int enabled;
  int shown; /* a line is on screen */
  const char *name;
  uint64_t size; /* 0: unknown */
  double start, last;
} cli_progress;

void cli_progress_start(cli_progress *p, int enabled, const char *name,
                        uint64_t size);
void cli_progress_update(cli_progress *p, uint64_t bytes);
/* Erase the line (before other stderr output, and at the end). */
void cli_progress_clear(cli_progress *p);

#endif
