#!/usr/bin/env bash
# split: shards written concurrently from a regular file are byte for byte
# what the one-pass path writes from standard input, for --records and
# --bytes, on real and damaged records; together they hold every record;
# --plan K ranges and --range A-B hand every record to exactly one range.
# usage: split.sh MARCATO SHARED_DATA TEST_DATA
set -u
marcato=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") shared=$2 testdata=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inputs=()
[ -f "$shared/corpus/real-all.mrc" ] && inputs+=("$shared/corpus/real-all.mrc")
for f in "$testdata"/errors/mrrc/*.bin "$testdata"/lc-marcedit/*.mrc; do
  [ -f "$f" ] && inputs+=("$f")
done
[ ${#inputs[@]} -gt 0 ] || { echo "no data: skipped"; exit 77; }
cat "${inputs[@]}" > "$tmp/in.mrc"
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
for opt in "--records 500" "--records 37" "--bytes 100000" "--bytes 1k"; do
  for j in 1 2 4; do
    rm -rf "$tmp/a" "$tmp/b"; mkdir "$tmp/a" "$tmp/b"
    (cd "$tmp/a" && "$marcato" split -q -j $j $opt -o s "$tmp/in.mrc")
    (cd "$tmp/b" && "$marcato" split -q $opt -o s - < "$tmp/in.mrc")
    check "split $opt -j $j: same shards from a file and from stdin" \
      "diff -r $tmp/a $tmp/b > /dev/null"
  done
  n=$(cat "$tmp"/a/s-*.mrc | "$marcato" count -q -j 1 -)
  want=$("$marcato" count -q -j 1 "$tmp/in.mrc")
  check "split $opt: the shards hold all $want records ($n)" "[ '$n' = '$want' ]"
done
# Ranges from --plan partition the records.
total=0
while read -r range; do
  c=$("$marcato" split -q --range "$range" "$tmp/in.mrc" | "$marcato" count -q -j 1 -)
  total=$((total + c))
done < <("$marcato" split --plan 7 "$tmp/in.mrc")
want=$("$marcato" count -q -j 1 "$tmp/in.mrc")
check "--plan 7 ranges hold every record once ($total of $want)" "[ $total = $want ]"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
