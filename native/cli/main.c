/* marcato: read, check and convert MARC 21 records. */
#include "cli.h"

#include <signal.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  cli_options opt;
  int code = cli_parse(argc, argv, &opt);
  if (code >= 0) return code;
  code = cli_run(&opt);
  free(opt.inputs);
  return code;
}
