/* `marcato stats`: counts gathered per worker thread, merged at the end. */
#ifndef MARCATO_CLI_STATS_H
#define MARCATO_CLI_STATS_H

#include "marcato.h"

#include <stdint.h>
#include <stdio.h>

typedef struct cli_stats cli_stats;

/* One accumulator per worker; NULL when out of memory. */
cli_stats *cli_stats_new(void);
void cli_stats_free(cli_stats *s);
void cli_stats_add(cli_stats *s, const marc_record *rec);
/* Add `from` into `into`. */
void cli_stats_merge(cli_stats *into, const cli_stats *from);
void cli_stats_print(const cli_stats *s, FILE *out);

#endif
