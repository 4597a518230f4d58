/* marcato: read, check and convert MARC 21 records. */
#include "cli.h"

#include <stdlib.h>
#ifdef __wasi__
#include <unistd.h>
#else
#include <signal.h>
#endif

int main(int argc, char **argv) {
#ifdef __wasi__
  /* WASI has no current directory of its own: relative paths resolve
   * against "/". Runners that preopen "/" (wasm/run-wasi.mjs) pass the
   * host's directory in PWD. */
  const char *pwd = getenv("PWD");
  if (pwd && pwd[0] == '/') (void)chdir(pwd);
#endif
  cli_options opt;
  int code = cli_parse(argc, argv, &opt);
  if (code >= 0) return code;
  code = cli_run(&opt);
  free(opt.inputs);
  return code;
}
