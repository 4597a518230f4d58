/* Command-line parsing and help text. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: marcato COMMAND [OPTIONS] [FILE...]\n"
    "\n"
    "Read MARC 21 records in ISO 2709 (binary .mrc) from FILEs, or from\n"
    "standard input when no FILE or '-' is given.\n"
    "\n"
    "Commands:\n"
    "  dump      print records as readable MARCMaker text (.mrk)\n"
    "  count     print the number of records\n"
    "  convert   write records in another format (-t)\n"
    "\n"
    "Options:\n"
    "  -t, --to FORMAT    output format for convert: iso2709 or mrk\n"
    "                     (default iso2709)\n"
    "  -o, --output FILE  write to FILE instead of standard output\n"
    "      --strict       stop at the first problem (exit 1); by default\n"
    "                     problems are reported, what is sound is kept and\n"
    "                     reading goes on with the next record\n"
    "  -q, --quiet        do not print diagnostics\n"
    "  -j, --jobs N       worker threads (default: the online CPUs; 1 reads\n"
    "                     serially); output order is always input order\n"
    "      --stats        print records/s, MB/s, time to first record,\n"
    "                     batch latency percentiles and waits on stderr\n"
    "  -h, --help         show this help\n"
    "  -V, --version      show the version\n"
    "\n"
    "Diagnostics go to standard error as\n"
    "  FILE: record N at byte OFFSET: CODE message\n"
    "where N counts records from 1 and OFFSET is the absolute byte offset\n"
    "in FILE.\n"
    "\n"
    "Exit status: 0 clean input, 1 the input had problems (all reported),\n"
    "2 usage error or unreadable file.\n"
    "\n"
    "Examples:\n"
    "  marcato dump records.mrc | less\n"
    "  marcato count records.mrc\n"
    "  marcato convert -t mrk -o records.mrk records.mrc\n"
    "  cat a.mrc b.mrc | marcato convert -t iso2709 --strict > clean.mrc\n";

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "marcato: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'marcato --help'.\n");
  return EXIT_USAGE;
}

static int parse_format(const char *s, cli_format *f) {
  if (!strcmp(s, "iso2709") || !strcmp(s, "marc") || !strcmp(s, "mrc")) {
    *f = FMT_ISO2709;
    return 1;
  }
  if (!strcmp(s, "mrk") || !strcmp(s, "marcmaker")) {
    *f = FMT_MRK;
    return 1;
  }
  return 0;
}

int cli_parse(int argc, char **argv, cli_options *opt) {
  memset(opt, 0, sizeof *opt);
  opt->to = FMT_ISO2709;
  if (argc < 2) {
    fputs(usage_text, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
    fputs(usage_text, stdout);
    return EXIT_CLEAN;
  }
  if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
    printf("marcato %s\n", marc_version());
    return EXIT_CLEAN;
  }
  if (!strcmp(cmd, "dump")) {
    opt->command = CMD_DUMP;
    opt->to = FMT_MRK;
  } else if (!strcmp(cmd, "count")) {
    opt->command = CMD_COUNT;
  } else if (!strcmp(cmd, "convert")) {
    opt->command = CMD_CONVERT;
  } else {
    return usage_error("unknown command '%s'", cmd);
  }
  opt->inputs = calloc((size_t)argc, sizeof *opt->inputs);
  if (!opt->inputs) return usage_error("%s", "out of memory");
  int only_files = 0;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    if (only_files || a[0] != '-' || !strcmp(a, "-")) {
      opt->inputs[opt->ninputs++] = a;
      continue;
    }
    if (!strcmp(a, "--")) {
      only_files = 1;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage_text, stdout);
      free(opt->inputs);
      return EXIT_CLEAN;
    } else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
      printf("marcato %s\n", marc_version());
      free(opt->inputs);
      return EXIT_CLEAN;
    } else if (!strcmp(a, "--strict")) {
      opt->strict = 1;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      opt->quiet = 1;
    } else if (!strcmp(a, "--stats")) {
      opt->stats = 1;
    } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
      if (++i == argc) goto missing;
      char *end;
      unsigned long n = strtoul(argv[i], &end, 10);
      if (*end || end == argv[i] || n > 1024) {
        free(opt->inputs);
        return usage_error("-j needs a number of threads, not '%s'",
                           argv[i]);
      }
      opt->threads = (unsigned)n;
    } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
      if (++i == argc) goto missing;
      opt->output = argv[i];
    } else if (!strcmp(a, "-t") || !strcmp(a, "--to")) {
      if (++i == argc) goto missing;
      if (opt->command != CMD_CONVERT) {
        free(opt->inputs);
        return usage_error("%s is only for convert", a);
      }
      if (!parse_format(argv[i], &opt->to)) {
        free(opt->inputs);
        return usage_error("unknown output format '%s' (iso2709, mrk)",
                           argv[i]);
      }
    } else {
      free(opt->inputs);
      return usage_error("unknown option '%s'", a);
    }
    continue;
  missing:
    free(opt->inputs);
    return usage_error("option %s needs a value", a);
  }
  if (!opt->ninputs) opt->inputs[opt->ninputs++] = "-";
  return -1;
}
