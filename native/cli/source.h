/* Record sources for the CLI: one interface over the ISO 2709, MARCXML,
 * MARC-in-JSON and MARCMaker readers, and sniffing of the input format. */
#ifndef MARCATO_CLI_SOURCE_H
#define MARCATO_CLI_SOURCE_H

#include "marcato.h"

typedef enum cli_in_format {
  IN_AUTO,
  IN_ISO2709,
  IN_MARCXML,
  IN_JSON, /* MARC-in-JSON: arrays, JSON Lines or objects one after another */
  IN_MRK
} cli_in_format;

typedef struct cli_source cli_source;

/* NULL when out of memory or the format's reader is not in this build
 * (*missing set to 1). */
cli_source *cli_source_new(cli_in_format f, const marc_reader_options *opt,
                           int *missing);
void cli_source_free(cli_source *s);
marc_status cli_source_feed(cli_source *s, const void *p, size_t n);
marc_status cli_source_finish(cli_source *s);
marc_status cli_source_next(cli_source *s, marc_record **rec);
const marc_diag *cli_source_error(const cli_source *s);

/* The format of input starting with these bytes (IN_ISO2709 when unsure). */
cli_in_format cli_sniff(const uint8_t *p, size_t n);
const char *cli_in_format_name(cli_in_format f);

#endif
