#!/usr/bin/env bash
# Set up the machine, then build and test marcato every way it is built:
# the native, asan (AddressSanitizer + UBSan; the Python extension's tests
# too), tsan (ThreadSanitizer on the pipeline and the CLI, and the Python
# pipeline's tests), fuzz (libFuzzer on every parser entry point for a
# bounded time), em (Emscripten, tests under node) and wasi (WASI, tests
# under node:wasi) CMake workflow presets, then `web`: the npm
# package's tests in Node and in headless Chromium, and the viewer's;
# `python`: the Python package built into a venv and its tests.
# Prints a summary; exits non-zero when anything failed. Safe to run again
# (builds are incremental).
#
#   bash scripts/test.sh [STEP...]  (default: native python asan tsan fuzz em wasi web)
#
# CMAKE_BUILD_PARALLEL_LEVEL and CTEST_PARALLEL_LEVEL are honoured (default:
# the number of CPUs). Logs go to build/logs/PRESET.log.
set -uo pipefail
cd "$(dirname "$0")/.."

start=$(date +%s)
if ! bash scripts/setup.sh; then
  echo "test: setup failed" >&2
  exit 1
fi

jobs=$(nproc 2>/dev/null || echo 2)
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$jobs}
export CTEST_PARALLEL_LEVEL=${CTEST_PARALLEL_LEVEL:-$jobs}

presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(native python asan tsan fuzz em wasi web)

mkdir -p build/logs
declare -A result detail secs
passed=0 failed=0
for p in "${presets[@]}"; do
  echo
  echo "=============== cmake --workflow --preset $p ==============="
  t0=$(date +%s)
  log=build/logs/$p.log
  if [ "$p" = web ]; then
    bash scripts/test-web.sh 2>&1 | tee "$log"
  elif [ "$p" = python ]; then
    bash scripts/test-python.sh 2>&1 | tee "$log"
  else
    cmake --workflow --preset "$p" 2>&1 | tee "$log"
  fi
  rc=${PIPESTATUS[0]}
  # The Python extension under the same sanitizer (scripts/test-python.sh).
  if [ "$p" = asan ] || [ "$p" = tsan ]; then
    bash scripts/test-python.sh "--$p" 2>&1 | tee -a "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
  fi
  secs[$p]=$(( $(date +%s) - t0 ))
  detail[$p]=$(grep -E '^[0-9]+% tests passed|^web: |^python: ' "$log" |
    tail -n 2 | paste -sd ';' -)
  [ -n "${detail[$p]}" ] || detail[$p]="(no test summary; see $log)"
  if [ "$rc" -eq 0 ]; then
    result[$p]=PASS; passed=$((passed + 1))
  else
    result[$p]=FAIL; failed=$((failed + 1))
  fi
done

echo
echo "=============== summary ==============="
for p in "${presets[@]}"; do
  printf '%-4s %-7s %4ss  %s\n' "${result[$p]}" "$p" "${secs[$p]}" \
    "${detail[$p]}"
  if [ "${result[$p]}" = FAIL ]; then
    grep -E '^\s+[0-9]+ - .*\((Failed|Timeout|SEGFAULT|Subprocess|Not Run|Exception)' \
      "build/logs/$p.log" | sed 's/^[[:space:]]*/       /'
  fi
done
echo "total $(( $(date +%s) - start ))s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
