#!/usr/bin/env bash
# A closed output (| head) ends the run quietly; SIGINT ends the input
# where it is, writes only whole records and exits 130; a full disk is an
# error.
# usage: signals.sh MARCATO SHARED_DATA TEST_DATA
set -u
marcato=$1 shared=$2 testdata=$3
src=""
for f in "$shared/corpus/real-all.mrc" "$testdata"/lc-marcedit/*.mrc "$testdata"/*.mrc; do
  [ -f "$f" ] && { src=$f; break; }
done
[ -n "$src" ] || { echo "no data: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
for j in 1 2; do
  # Several copies so the output is far larger than a pipe buffer.
  for i in 1 2 3 4; do cat "$src"; done > "$tmp/big.mrc"
  "$marcato" dump -q -j $j "$tmp/big.mrc" 2> "$tmp/err" | head -n 2 > /dev/null
  rc=${PIPESTATUS[0]}
  check "-j $j: closed pipe exit status $rc" "[ $rc = 0 ] || [ $rc = 1 ]"
  check "-j $j: closed pipe is quiet" "[ ! -s $tmp/err ]"
  # SIGINT while reading a pipe that stays open: the input ends there.
  mkfifo "$tmp/fifo.$j"
  ( cat "$src"; sleep 5 ) > "$tmp/fifo.$j" &
  writer=$!
  "$marcato" dump -q -j $j "$tmp/fifo.$j" > "$tmp/int.mrk" 2> "$tmp/int.err" &
  pid=$!
  sleep 1
  kill -INT $pid
  wait $pid
  rc=$?
  kill $writer 2> /dev/null; wait $writer 2> /dev/null
  check "-j $j: SIGINT exit status $rc" "[ $rc = 130 ]"
  # Whole records only: the text ends with the blank line after a record.
  check "-j $j: SIGINT output ends on a record boundary" \
    "[ \"\$(tail -c 2 $tmp/int.mrk | od -An -c | tr -d ' ')\" = '\n\n' ]"
  n=$(grep -c '^=LDR' "$tmp/int.mrk")
  check "-j $j: SIGINT kept the records read ($n)" "[ $n -gt 0 ]"
done
# A full disk is a clear error (exit 2, the reason on stderr), not silence.
if [ -w /dev/full ]; then
  for j in 1 2; do
    "$marcato" convert -j $j "$src" -o /dev/full > /dev/null 2> "$tmp/full.err"
    rc=$?
    check "-j $j: full disk exit status $rc" "[ $rc = 2 ]"
    check "-j $j: full disk says why" "grep -q 'No space left on device' $tmp/full.err"
  done
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
