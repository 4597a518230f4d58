#!/usr/bin/env bash
# The JavaScript side: build the wasm modules into web/dist, then run the
# npm package's tests in Node, in headless Chromium (with and without
# cross-origin isolation), the npm pack install check and the viewer's
# end-to-end tests. Each suite prints its own summary; the last line is
# "web: N passed, N failed" over the suites.
set -uo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
pass=0 fail=0
suite() { # suite NAME CMD...
  local name=$1
  shift
  echo "--- $name: $*"
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "--- $name FAILED"; fi
}
suite build bash web/build.sh
# A native CLI lets the Node tests compare the package's output with it.
[ -x build/native/native/marcato ] && export MARCATO_CLI=$PWD/build/native/native/marcato
# Files run side by side: most of their time is spent in spawned CLIs and
# workers, so one file at a time (the default on 2 CPUs) leaves a core idle.
suite node node --test --test-concurrency="$(nproc)" web/test/
[ -f web/test/browser.mjs ] && suite browser node web/test/browser.mjs
[ -f web/test/pack.sh ] && suite pack bash web/test/pack.sh
[ -f web/test/pack.mjs ] && suite pack node web/test/pack.mjs
[ -f web/viewer/test/e2e.mjs ] && suite viewer node web/viewer/test/e2e.mjs
echo "web: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
