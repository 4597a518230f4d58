#!/usr/bin/env bash
# The Python package (python/): build it into a venv under build/python
# with Debian's Python (pip install --no-build-isolation: offline, against
# the native preset's libraries) and run its tests with unittest.
#
#   bash scripts/test-python.sh [--install]   (--install: build and install only;
#                                            bench/run uses it)
set -uo pipefail
cd "$(dirname "$0")/.."
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
