#!/usr/bin/env bash
# The threaded pipeline gives the same output and diagnostics, in the same
# order, as the serial reader for every thread count, batch size and queue
# capacity, on real records with malformed ones in the middle.
# usage: determinism.sh MARCATO SHARED_DATA TEST_DATA
# MARCATO_QUICK=1 runs a smaller matrix (for slow sanitizer builds).
set -u
jobs="2 3 4 8" batches="1 7 1000" queues="1 3 100"
if [ "${MARCATO_QUICK:-0}" = 1 ]; then jobs="2 4" batches="1 1000" queues="1 8"; fi
marcato=$1 shared=$2 testdata=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inputs=()
[ -f "$shared/corpus/real-all.mrc" ] && inputs+=("$shared/corpus/real-all.mrc")
for f in "$testdata"/errors/*.bin "$shared"/sources/mrrc-error-fixtures/*.bin; do
  [ -f "$f" ] && inputs+=("$f")
done
[ -f "$shared/corpus/real-marc8.mrc" ] && inputs+=("$shared/corpus/real-marc8.mrc")
for f in "$testdata"/*.mrc "$testdata"/*/*.mrc; do [ -f "$f" ] && inputs+=("$f"); done
if [ ${#inputs[@]} -lt 2 ]; then echo "no data: skipped"; exit 77; fi
cat "${inputs[@]}" > "$tmp/mixed.mrc"
"$marcato" dump -j 1 "$tmp/mixed.mrc" > "$tmp/ref.out" 2> "$tmp/ref.err"
ref_rc=$?
if [ ! -s "$tmp/ref.err" ]; then
  echo "FAIL: the mixed input should produce diagnostics"; exit 1
fi
pass=0 fail=0
for cmd in dump "convert -t iso2709" validate; do
  "$marcato" $cmd -j 1 "$tmp/mixed.mrc" > "$tmp/ref.out" 2> "$tmp/ref.err"
  ref_rc=$?
  for j in $jobs; do
    for b in $batches; do
      for q in $queues; do
        "$marcato" $cmd -j $j --batch-records $b --queue $q "$tmp/mixed.mrc" \
          > "$tmp/out" 2> "$tmp/err"
        rc=$?
        if cmp -s "$tmp/out" "$tmp/ref.out" && cmp -s "$tmp/err" "$tmp/ref.err" \
           && [ $rc = $ref_rc ]; then
          pass=$((pass + 1))
        else
          fail=$((fail + 1)); echo "FAIL: $cmd -j $j --batch-records $b --queue $q"
        fi
      done
    done
  done
done
# -O: one output file per input, written by the workers concurrently; each
# file must hold what -j 1 writes for it.
# (Pieces cut anywhere: records cut in two are damaged input too.)
split -n 3 -d --additional-suffix=.mrc "$tmp/mixed.mrc" "$tmp/part" 2> /dev/null ||
  cp "$tmp/mixed.mrc" "$tmp/part00.mrc"
parts=("$tmp"/part0*.mrc)
mkdir -p "$tmp/o1" "$tmp/o2"
"$marcato" convert -q -j 1 -t mrk -O "$tmp/o1" "${parts[@]}" "$tmp/mixed.mrc"
for j in 2 3; do
  rm -f "$tmp"/o2/*
  "$marcato" convert -q -j $j --batch-records 5 -t mrk -O "$tmp/o2" "${parts[@]}" "$tmp/mixed.mrc"
  if diff -r "$tmp/o1" "$tmp/o2" > /dev/null; then
    pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: -O -j $j"; fi
done
# Small byte-limited batches too.
"$marcato" dump -j 3 --batch-bytes 4096 "$tmp/mixed.mrc" > "$tmp/out" 2> "$tmp/err"
"$marcato" dump -j 1 "$tmp/mixed.mrc" > "$tmp/ref.out" 2> "$tmp/ref.err"
if cmp -s "$tmp/out" "$tmp/ref.out" && cmp -s "$tmp/err" "$tmp/ref.err"; then
  pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: --batch-bytes 4096"; fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
