#!/usr/bin/env bash
# The Python package (python/): build it into a venv under build/python
# with Debian's Python (pip install --no-build-isolation: offline, against
# the native preset's libraries) and run its tests with unittest.
#
#   bash scripts/test-python.sh [--install | --asan | --tsan]
#     --install  build and install only (bench/run uses it)
#     --asan     the extension built with ASan+UBSan into build/python/asan
#                and the tests but the Dask one run with the sanitizer
#                runtimes preloaded (Python itself is not instrumented)
#     --tsan     the extension and the core and pipeline libraries (the
#                tsan preset's) built with ThreadSanitizer into
#                build/python/tsan, and the tests that run the threaded
#                pipeline run with the TSan runtime preloaded; the GIL's
#                mutex and condition variable are intercepted, so hand-offs
#                between the workers and the Python thread are checked
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --tsan ]; then
  out=$PWD/build/python/tsan
  rm -rf "$out" && mkdir -p "$out" && cp -r python/marcato "$out"/ &&
    rm -f "$out"/marcato/*.so
  cmake --preset tsan >/dev/null &&
    cmake --build --preset tsan --target marcato_static marcato_pipeline &&
    (cd python && MARCATO_BUILD_DIR="$PWD/../build/tsan" \
      CFLAGS="-fsanitize=thread -g -fno-omit-frame-pointer" \
      LDFLAGS="-fsanitize=thread" /usr/bin/python3 setup.py -q \
      build_ext -b "$out" -t "$out/tmp") ||
    { echo "python: FAIL (tsan build)"; exit 1; }
  rm -rf python/build
  # The pipeline's tests only (the rest runs no threads): the corpus on
  # 1 and 2 threads and in bytes mode, every kind of input, early exits
  # (close, a generator's close, garbage collection).
  cd python/tests &&
    LD_PRELOAD="$(gcc -print-file-name=libtsan.so)" \
    TSAN_OPTIONS="halt_on_error=1:exitcode=66" PYTHONPATH="$out" \
    /usr/bin/python3 -W ignore::ResourceWarning -m unittest \
      test_marcato_features.PipelineTest
  rc=$?
  [ "$rc" -eq 0 ] && echo "python: PASS (tsan)" || echo "python: FAIL (tsan)"
  exit "$rc"
fi
if [ "${1:-}" = --asan ]; then
  out=$PWD/build/python/asan
  rm -rf "$out" && mkdir -p "$out" && cp -r python/marcato "$out"/ &&
    rm -f "$out"/marcato/*.so
  cmake --preset native >/dev/null &&
    cmake --build --preset native --target marcato_static marcato_pipeline &&
    (cd python && CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer" \
      LDFLAGS="-fsanitize=address,undefined" /usr/bin/python3 setup.py -q \
      build_ext -b "$out" -t "$out/tmp") ||
    { echo "python: FAIL (asan build)"; exit 1; }
  rm -rf python/build
  cd python/tests &&
    LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)" \
    ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1 PYTHONPATH="$out" \
    /usr/bin/python3 -W ignore::ResourceWarning -m unittest \
      $(ls test_*.py | grep -v dask | sed 's/\.py$//')
  rc=$?
  [ "$rc" -eq 0 ] && echo "python: PASS (asan)" || echo "python: FAIL (asan)"
  exit "$rc"
fi
py=/usr/bin/python3  # Debian's: its dist-packages hold Dask
venv=$PWD/build/python/venv
cmake --preset native >/dev/null &&
  cmake --build --preset native --target marcato_static marcato_pipeline ||
  { echo "python: FAIL (native libraries)"; exit 1; }
[ -x "$venv/bin/python" ] || "$py" -m venv --system-site-packages "$venv" ||
  { echo "python: FAIL (venv)"; exit 1; }
"$venv/bin/python" -m pip install -q --no-build-isolation --no-index \
  --force-reinstall --no-deps ./python ||
  { echo "python: FAIL (pip install)"; exit 1; }
[ "${1:-}" = --install ] && exit 0
# From the tests folder: `import marcato` is the installed package.
log=$(mktemp)
(cd python/tests && "$venv/bin/python" -W ignore::ResourceWarning \
  -m unittest discover -s . -p 'test_*.py') 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
summary=$(grep -E '^Ran [0-9]+ tests' "$log" | tail -n 1)
status=$(grep -E '^(OK|FAILED)' "$log" | tail -n 1)
rm -f "$log"
if [ "$rc" -eq 0 ]; then echo "python: PASS ($summary; $status)"
else echo "python: FAIL ($summary; $status)"; fi
exit "$rc"
