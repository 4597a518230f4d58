/* Command-line parsing and help text. */
#include "cli.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: marcato COMMAND [OPTIONS] [FILE...]\n"
    "\n"
    "Read MARC 21 records from FILEs, or from standard input when no FILE\n"
    "or '-' is given: ISO 2709 (.mrc, MARC-8 or UTF-8), MARCXML,\n"
    "MARC-in-JSON (array or JSON Lines) or MARCMaker (.mrk); the format is\n"
    "recognised from the first bytes unless -f says. Damaged records are\n"
    "reported and what is sound in them is kept; reading goes on.\n"
    "\n"
    "Commands:\n"
    "  dump        print records as readable MARCMaker text (.mrk)\n"
    "  count       print the number of records\n"
    "  convert     write records in another format (-t)\n"
    "  validate    check structure and MARC 21 rules: leader values, and\n"
    "              each record against the Avram schema of its type\n"
    "              (fields, indicators, subfields, 006/007/008 positions,\n"
    "              codes; built in: MARC 21 bibliographic, and partial\n"
    "              authority and holdings rule packs); one line per\n"
    "              problem; exit 1 if any problem\n"
    "  stats       record types, encodings, tag and subfield frequencies,\n"
    "              field lengths, diagnostics\n"
    "  filter Q    write the records matching query Q (-t for the format)\n"
    "  head        write the first records (-n N, default 10)\n"
    "  select      one row per record: its number, then the values of each\n"
    "              -s SPEC (MARCspec) as a column; -t tsv (default), csv\n"
    "              or jsonl\n"
    "  split       cut a file into shards: --records N or --bytes N write\n"
    "              PREFIX-0001.mrc...; --range A-B writes the records that\n"
    "              start in bytes [A, B) (ranges resynchronise on record\n"
    "              boundaries, so --plan K's ranges cover every record once)\n"
    "\n"
    "Options:\n"
    "  -f, --from FORMAT  input format: iso2709, marcxml, json, jsonl, mrk\n"
    "                     (default: recognised per input)\n"
    "  -t, --to FORMAT    output format: iso2709 (default for convert,\n"
    "                     filter, head), mrk (default for dump), marcxml,\n"
    "                     json (an array), jsonl (a record per line), text\n"
    "      --encoding E   the input's character set: auto (default: "
    "leader/09,\n"
    "                     and records that claim MARC-8 but are UTF-8 are\n"
    "                     read as UTF-8 with a diagnostic; double-encoded\n"
    "                     UTF-8, \"PeÃÂtain\", is repaired with one),\n"
    "                     marc8 or utf8 (keeps such bytes)\n"
    "      --to-encoding E  utf8, marc8 or keep; default utf8 for the text\n"
    "                     formats and keep for iso2709. Converted records get\n"
    "                     leader/09 'a' (UTF-8) or blank (MARC-8); characters\n"
    "                     MARC-8 lacks are written as &#xXXXX;\n"
    "      --nfc          compose UTF-8 output to Unicode NFC\n"
    "  -o, --output FILE  write to FILE instead of standard output\n"
    "                     (split: the shard name prefix, default 'shard')\n"
    "  -O, --output-dir DIR  one output file per input FILE, named after it\n"
    "                     (records.mrc -> DIR/records.mrk with -t mrk)\n"
    "  -n N               head: number of records\n"
    "  -s, --spec SPEC    select: a column (repeat for more columns)\n"
    "      --join SEP     select tsv/csv: between repeated values (default |)\n"
    "  -j, --jobs N       worker threads (default: the online CPUs; 1 reads\n"
    "                     serially); output is always in input order\n"
    "      --batch-records N, --batch-bytes N, --queue N\n"
    "                     pipeline tuning: records and bytes per batch\n"
    "                     (default 1000 and 512k), batches queued\n"
    "                     (default 2 per thread, at most 8)\n"
    "      --strict       stop at the first problem (exit 1); by default\n"
    "                     problems are reported and reading goes on\n"
    "  -q, --quiet        do not print diagnostics\n"
    "      --stats        print records/s, MB/s, time to first record,\n"
    "                     batch latency percentiles and waits on stderr\n"
    "      --progress, --no-progress\n"
    "                     progress bar on stderr (default: when stderr is\n"
    "                     a terminal)\n"
    "  -h, --help         show this help\n"
    "\n"
    "Validate options:\n"
    "      --schema FILE  check against this Avram schema (a local profile,\n"
    "                     QA catalogue's...) instead of the built-in ones\n"
    "      --no-schema    structure and leader checks only\n"
    "      --rules LIST   switch Avram rules on (+NAME) or off (-NAME),\n"
    "                     comma-separated: -undefinedField,+localField.\n"
    "                     Off by default: localField (9XX and X9X fields\n"
    "                     the schema does not define), undefinedCodelist\n"
    "      --summary      instead of one line per problem, a report: counts\n"
    "                     by rule and tag, the most frequent problems with\n"
    "                     example record numbers (-t json: as JSON)\n"
    "      --reject FILE  write records with problems to FILE (as read) and\n"
    "                     the others to the output (-o) as ISO 2709\n"
    "  -V, --version      show the version\n"
    "\n"
    "Queries (filter): MARCspecs (see Specs) as operands\n"
    "  245  7..  650[0]$a{^2=\\0}   a value exists (X in a tag: any, 6XX)\n"
    "  650$a=\\Jazz.  650$a!=\\Jazz.  one value equals / none does\n"
    "  650$a~\\jazz  650$a!~\\jazz   one value includes / none does\n"
    "  650$a~*jazz  245$a~^The    a regular expression (* ignores case)\n"
    "  650$a=\"Jazz.\"  LDR/06=a  008/35-37=eng   plain values, as before\n"
    "  245.ind1=1  245$ab=x       older forms: 245^1=\\1, 245$a$b=\\x\n"
    "  combine with and, or, not and parentheses\n"
    "\n"
    "Specs (select): MARCspec, https://marcspec.github.io/MARCspec/\n"
    "  001  LDR/06  008/35-37     a field, leader and field positions\n"
    "  245  7..                   a field's text (\"10$aTitle\"), '.' any\n"
    "  245$a  245$a$b  650$a-c    subfields, one value each\n"
    "  650[0]$a  650[#]$a  020$q[0]   first / last field, first subfield\n"
    "  245^1  245$a/0-2  245$a/#  indicators, characters ('#' the last)\n"
    "  650$a{^2=\\0}  020$c{$q=\\paperback}  245$a{$b}  700$a{!$d}\n"
    "                             only where a subspec holds: = != ~\n"
    "                             (includes) !~ ? (exists) !, | for or;\n"
    "                             \\text is a string (\\s a space)\n"
    "  245abc  245|1*|a  008[35-37]  100a:700a   traject's shorthand\n"
    "  tsv and csv start with a header row; values of one spec are joined\n"
    "  by --join; jsonl writes {\"record\": N, \"SPEC\": [\"value\", ...]}.\n"
    "  Text is written in UTF-8 (MARC-8 converted, --nfc composes).\n"
    "\n"
    "Diagnostics go to standard error as\n"
    "  FILE: record N at byte OFFSET: CODE [TAG] message\n"
    "where N counts records from 1 and OFFSET is the absolute byte offset\n"
    "in FILE.\n"
    "\n"
    "Exit status: 0 clean input, 1 the input had problems (all reported),\n"
    "2 usage error or unreadable file, 130 interrupted. When the output is\n"
    "closed by its reader (| head) marcato stops quietly with 0: how much\n"
    "was read by then depends on buffering, not on the input.\n"
    "\n"
    "Examples:\n"
    "  marcato dump records.mrc | less\n"
    "  marcato count records.mrc\n"
    "  marcato convert -t mrk -o records.mrk records.mrc\n"
    "  marcato filter '650$a~*jazz and LDR/06=j' -t mrk records.mrc\n"
    "  marcato validate records.mrc > report.txt\n"
    "  marcato select -s 001 -s 245$a -s '650$a' -t csv records.mrc\n"
    "  marcato select -s 245abc -s 008/35-37 -t jsonl records.mrc\n"
    "  marcato split --records 10000 -o part records.mrc\n"
    "  cat a.mrc b.mrc | marcato convert --strict > clean.mrc\n";

static int usage_error(cli_options *opt, const char *fmt, const char *arg) {
  fprintf(stderr, "marcato: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'marcato --help'.\n");
  cli_options_free(opt);
  return EXIT_USAGE;
}

/* -t and -f take the core's format names and aliases (marc_format_from_name);
 * "auto" is neither: leaving -f out sniffs, and text is output only. */
static int parse_format(const char *s, marc_format *f, int input) {
  marc_format v = marc_format_from_name(s);
  if (v == MARC_FORMAT_NONE || v == MARC_FORMAT_AUTO ||
      (input && v == MARC_FORMAT_TEXT))
    return 0;
  *f = v;
  return 1;
}

/* Where an option that takes a positive count keeps it; NULL for any
 * other option. */
static uint64_t *count_option(cli_options *opt, const char *a) {
  static const char *const names[] = {"--records",     "--bytes",
                                      "--plan",        "--batch-records",
                                      "--batch-bytes", "--queue"};
  uint64_t *where[] = {&opt->split.records, &opt->split.bytes, &opt->split.plan,
                       &opt->batch_records, &opt->batch_bytes, &opt->queue};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (!strcmp(a, names[i])) return where[i];
  return NULL;
}

/* Which of three words `val` is (0, 1, 2), or -1. */
static int choice(const char *val, const char *w0, const char *w1,
                  const char *w2) {
  return !strcmp(val, w0)   ? 0
         : !strcmp(val, w1) ? 1
         : !strcmp(val, w2) ? 2
                            : -1;
}

static int parse_u64(const char *s, uint64_t *v) {
  char *end;
  unsigned long long n = strtoull(s, &end, 10);
  if (end == s || s[0] == '-') return 0;
  /* Sizes may carry a unit: 10k, 5M, 1G. */
  if (*end == 'k' || *end == 'K') n <<= 10, end++;
  else if (*end == 'm' || *end == 'M') n <<= 20, end++;
  else if (*end == 'g' || *end == 'G') n <<= 30, end++;
  if (*end) return 0;
  *v = (uint64_t)n;
  return 1;
}

static const struct {
  const char *name;
  cli_command cmd;
} commands[] = {
    {"dump", CMD_DUMP},         {"count", CMD_COUNT}, {"convert", CMD_CONVERT},
    {"validate", CMD_VALIDATE}, {"stats", CMD_STATS}, {"filter", CMD_FILTER},
    {"head", CMD_HEAD},         {"split", CMD_SPLIT}, {"select", CMD_SELECT},
};

void cli_options_free(cli_options *opt) {
  free(opt->inputs);
  opt->inputs = NULL;
  marc_query_free(opt->query);
  opt->query = NULL;
  cli_validate_free(opt->validate);
  opt->validate = NULL;
  cli_select_free(opt);
}

int cli_parse(int argc, char **argv, cli_options *opt) {
  memset(opt, 0, sizeof *opt);
  opt->to = MARC_FORMAT_ISO2709;
  opt->from = MARC_FORMAT_AUTO;
  opt->head = 10;
  opt->progress = isatty(2);
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
  size_t c = 0;
  while (c < sizeof commands / sizeof commands[0] &&
         strcmp(cmd, commands[c].name))
    c++;
  if (c == sizeof commands / sizeof commands[0])
    return usage_error(opt, "unknown command '%s'", cmd);
  opt->command = commands[c].cmd;
  if (opt->command == CMD_DUMP) opt->to = MARC_FORMAT_MRK;
  opt->join = "|";
  opt->inputs = calloc((size_t)argc, sizeof *opt->inputs);
  opt->spec_text = calloc((size_t)argc, sizeof *opt->spec_text);
  if (!opt->inputs || !opt->spec_text)
    return usage_error(opt, "%s", "out of memory");
  int only_files = 0;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    uint64_t *count = count_option(opt, a); /* --records N, --queue N... */
    if (only_files || a[0] != '-' || !strcmp(a, "-")) {
      if (opt->command == CMD_FILTER && !opt->query_text) opt->query_text = a;
      else opt->inputs[opt->ninputs++] = a;
      continue;
    }
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    /* Short options may carry their value: -j4, -n20, -tmrk. */
    char shortopt[3];
    if (a[1] && a[1] != '-' && a[2] && strchr("jnotOfs", a[1])) {
      shortopt[0] = '-', shortopt[1] = a[1], shortopt[2] = 0;
      val = a + 2;
      a = shortopt;
      i--; /* NEED_VALUE() steps over the value, which is in this word */
    }
#define NEED_VALUE()                                                           \
  do {                                                                         \
    if (!val) return usage_error(opt, "option %s needs a value", a);           \
    i++;                                                                       \
  } while (0)
    if (!strcmp(a, "--")) {
      only_files = 1;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage_text, stdout);
      cli_options_free(opt);
      return EXIT_CLEAN;
    } else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
      printf("marcato %s\n", marc_version());
      cli_options_free(opt);
      return EXIT_CLEAN;
    } else if (!strcmp(a, "--strict")) {
      opt->strict = 1;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      opt->quiet = 1;
    } else if (!strcmp(a, "--stats")) {
      opt->stats = 1;
    } else if (!strcmp(a, "--progress")) {
      opt->progress = 1;
    } else if (!strcmp(a, "--no-progress")) {
      opt->progress = 0;
    } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
      NEED_VALUE();
      uint64_t n;
      if (!parse_u64(val, &n) || n > 1024)
        return usage_error(opt, "-j needs a number of threads, not '%s'", val);
      opt->threads = (unsigned)n;
    } else if (!strcmp(a, "-n")) {
      NEED_VALUE();
      if (!parse_u64(val, &opt->head))
        return usage_error(opt, "-n needs a number, not '%s'", val);
    } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
      NEED_VALUE();
      opt->output = val;
    } else if (!strcmp(a, "-O") || !strcmp(a, "--output-dir")) {
      NEED_VALUE();
      opt->output_dir = val;
    } else if (!strcmp(a, "-s") || !strcmp(a, "--spec")) {
      NEED_VALUE();
      if (opt->command != CMD_SELECT)
        return usage_error(opt, "%s", "-s is for select");
      opt->spec_text[opt->nspecs++] = val;
    } else if (!strcmp(a, "--join")) {
      NEED_VALUE();
      opt->join = val;
    } else if ((!strcmp(a, "-t") || !strcmp(a, "--to")) &&
               opt->command == CMD_SELECT) {
      NEED_VALUE();
      if (!cli_select_format_parse(val, &opt->select_format))
        return usage_error(opt, "select writes tsv, csv or jsonl, not '%s'",
                           val);
    } else if (!strcmp(a, "-t") || !strcmp(a, "--to") || !strcmp(a, "-f") ||
               !strcmp(a, "--from")) {
      NEED_VALUE();
      int from = a[1] == 'f' || a[2] == 'f';
      if (!parse_format(val, from ? &opt->from : &opt->to, from))
        return usage_error(opt,
                           from ? "unknown input format '%s' (iso2709, "
                                  "marcxml, json, jsonl, mrk)"
                                : "unknown output format '%s' (iso2709, mrk, "
                                  "marcxml, json, jsonl, text)",
                           val);
    } else if (!strcmp(a, "--encoding")) {
      NEED_VALUE();
      static const marc_encoding enc[] = {MARC_ENC_AUTO, MARC_ENC_MARC8,
                                          MARC_ENC_UTF8};
      int k = choice(val, "auto", "marc8", "utf8");
      if (k < 0)
        return usage_error(opt, "--encoding is auto, marc8 or utf8, not '%s'",
                           val);
      opt->encoding = enc[k];
    } else if (!strcmp(a, "--to-encoding")) {
      NEED_VALUE();
      static const cli_to_encoding to[] = {TO_KEEP, TO_MARC8, TO_UTF8};
      int k = choice(val, "keep", "marc8", "utf8");
      if (k < 0)
        return usage_error(
            opt, "--to-encoding is utf8, marc8 or keep, not '%s'", val);
      opt->to_encoding = to[k];
    } else if (!strcmp(a, "--nfc")) {
      opt->nfc = 1;
    } else if (!strcmp(a, "--schema") || !strcmp(a, "--reject")) {
      NEED_VALUE();
      if (a[2] == 's') opt->schema_path = val;
      else opt->reject_path = val;
    } else if (!strcmp(a, "--no-schema")) {
      opt->no_schema = 1;
    } else if (!strcmp(a, "--summary")) {
      opt->summary = 1;
    } else if (!strcmp(a, "--rules")) {
      NEED_VALUE();
      if (cli_validate_rules(val, opt) != 0)
        return usage_error(opt, "--rules: unknown rule in '%s'", val);
    } else if (count) {
      NEED_VALUE();
      if (!parse_u64(val, count) || !*count)
        return usage_error(opt, "expected a positive number, not '%s'", val);
    } else if (!strcmp(a, "--range")) {
      NEED_VALUE();
      const char *dash = strchr(val, '-');
      char first[32];
      size_t n = dash ? (size_t)(dash - val) : 0;
      if (!dash || n >= sizeof first)
        return usage_error(opt, "--range needs START-END, not '%s'", val);
      memcpy(first, val, n);
      first[n] = 0;
      if (!parse_u64(first, &opt->split.range_start) ||
          !parse_u64(dash + 1, &opt->split.range_end) ||
          opt->split.range_end <= opt->split.range_start)
        return usage_error(opt, "--range needs START-END, not '%s'", val);
    } else {
      return usage_error(opt, "unknown option '%s'", a);
    }
#undef NEED_VALUE
  }
  if (opt->command == CMD_FILTER) {
    if (!opt->query_text) return usage_error(opt, "%s", "filter needs a query");
    marc_error err;
    opt->query = marc_query_compile(opt->query_text, &err);
    if (!opt->query) {
      /* The position counts characters from 1, as people do. */
      char msg[512];
      snprintf(msg, sizeof msg, "query '%s': position %zu: %s", opt->query_text,
               err.position + 1, err.message);
      return usage_error(opt, "%s", msg);
    }
  }
  if (opt->command == CMD_SELECT) {
    if (!opt->nspecs)
      return usage_error(opt, "%s", "select needs at least one -s SPEC");
    marc_error err;
    size_t bad;
    if (!cli_select_compile(opt, &err, &bad)) {
      /* As the spec compiler counts: from 0 ("245$a{$2=lcsh}": 9 is
       * where 'lcsh' starts). */
      char msg[512];
      snprintf(msg, sizeof msg, "spec '%s': position %zu: %s",
               opt->spec_text[bad], err.position, err.message);
      return usage_error(opt, "%s", msg);
    }
    /* Rows need no opening or closing: JSON Lines has none. */
    opt->to = MARC_FORMAT_JSONL;
  }
  if (opt->command == CMD_SPLIT && !opt->split.records && !opt->split.bytes &&
      !opt->split.range_end && !opt->split.plan)
    return usage_error(opt, "%s",
                       "split needs --records N, --bytes N, --range A-B or "
                       "--plan K");
  if (!opt->ninputs) opt->inputs[opt->ninputs++] = "-";
  if ((opt->schema_path || opt->no_schema || opt->summary || opt->reject_path ||
       opt->rules_enable || opt->rules_disable) &&
      opt->command != CMD_VALIDATE)
    return usage_error(opt, "%s",
                       "--schema, --no-schema, --rules, --summary and "
                       "--reject are for validate");
  if (opt->command == CMD_VALIDATE) {
    int rc = cli_validate_init(opt);
    if (rc >= 0) {
      cli_options_free(opt);
      return rc;
    }
  }
  if (opt->to_encoding == TO_DEFAULT)
    opt->to_encoding = opt->to == MARC_FORMAT_ISO2709 ? TO_KEEP : TO_UTF8;
  if (opt->to_encoding == TO_MARC8 && opt->to != MARC_FORMAT_ISO2709 &&
      opt->to != MARC_FORMAT_MRK)
    return usage_error(opt, "%s",
                       "--to-encoding marc8 is for iso2709 and mrk output");
  if (opt->output_dir &&
      (opt->output || (opt->command != CMD_CONVERT &&
                       opt->command != CMD_DUMP && opt->command != CMD_FILTER)))
    return usage_error(opt, "%s",
                       "-O is for convert, dump and filter, without -o");
  return -1;
}
