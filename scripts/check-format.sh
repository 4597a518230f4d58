#!/bin/sh
# Is every C source of the project as clang-format (.clang-format) writes
# it? Prints the files that are not and exits 1; exits 77 (skipped) when
# clang-format is not installed. Fix with: scripts/check-format.sh --fix
set -eu
cd "$(dirname "$0")/.."
cf=$(command -v clang-format || command -v clang-format-14 || true)
[ -n "$cf" ] || { echo "check-format: no clang-format" >&2; exit 77; }
if [ -d .git ] && command -v git >/dev/null; then
  files=$(git ls-files '*.c' '*.h')
else
  files=$(find core native wasm tests bench -name '*.[ch]' -not -path '*/node_modules/*')
fi
if [ "${1:-}" = --fix ]; then
  # shellcheck disable=SC2086
  "$cf" -i $files
  exit 0
fi
bad=0
for f in $files; do
  if ! "$cf" --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not clang-formatted: $f (scripts/check-format.sh --fix)"
    bad=1
  fi
done
exit $bad
