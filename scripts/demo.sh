#!/usr/bin/env bash
# Set up the machine, build the native marcato CLI and show it on real
# MARC records. Safe to run again (setup and the build are incremental).
#
#   bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
echo
echo "== Building (cmake --preset native; cmake --build --preset native)"
cmake --preset native >/dev/null
cmake --build --preset native --target marcato_cli
marcato=build/native/native/marcato

# A real file: 536 Open Library records (CC0) bundled in tests/data, or the
# same file from the shared reference data.
file=
for f in tests/data/lc-marcedit/marc_sample_data.mrc \
         ../shared/data/sources/lc-marcedit/episodes/data/marc_sample_data.mrc \
         tests/cli/data/tiny.mrc; do
  if [ -f "$f" ]; then file=$f; break; fi
done

show() { echo; echo "\$ $*"; }
show marcato --version
"$marcato" --version

show marcato count "$file"
"$marcato" count -q "$file" || true

show "marcato dump $file | head -n 40"
"$marcato" dump -q "$file" | head -n 40 || true

show "marcato dump $file >/dev/null   # problems go to stderr, exit 1"
set +e
"$marcato" dump "$file" >/dev/null
rc=$?
set -e
echo "(exit status $rc: 0 clean, 1 problems found and reported, 2 usage)"

show "marcato convert -t iso2709 $file | cmp - $file"
# (marcato's exit status is 1 here when the file has damaged records.)
if { "$marcato" convert -q -t iso2709 "$file" || true; } | cmp - "$file"; then
  echo "identical: the ISO 2709 writer reproduces the file byte for byte"
fi

echo
echo "The CLI is $marcato; try '$marcato --help'."
