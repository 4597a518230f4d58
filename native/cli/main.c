/* marcato: read, check and convert MARC 21 records. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#ifdef __wasi__
#include <unistd.h>
#else
#include <signal.h>
#endif

volatile int cli_interrupted;

#if defined(__wasi__)
void cli_signals_init(void) {} /* WASI has no signals */
#else
static void on_sigint(int sig) {
  (void)sig;
  cli_interrupted = 1;
}

void cli_signals_init(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint; /* no SA_RESTART: a blocked read returns */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
}
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
  cli_signals_init();
  code = cli_run(&opt);
  cli_options_free(&opt);
  return code;
}
