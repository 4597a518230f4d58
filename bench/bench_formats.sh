#!/usr/bin/env bash
# bench_formats.sh: the format conversions against yaz-marcdump, in one run
# on the same files: ISO 2709 -> MARCXML and -> MARC-in-JSON on real
# records repeated to about MB megabytes, and MARC-8 -> UTF-8 (read,
# convert, write ISO 2709) on the real MARC-8 records repeated. Prints
# median wall seconds (min-max), MB/s, peak RSS and the ratio to yaz for
# each pair. Not a timed test.
#
# usage: bench/bench_formats.sh [--mb N] [--runs N] [--build-dir DIR]
#                               [--no-build] [SHARED_DATA]
#   --mb N     size of the generated files (default 250)
#   --runs N   runs per command (default 3, round-robin)
#   -j N       marcato's worker threads (default: all CPUs)
# Exit status 77 when the shared data or yaz-marcdump is missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
mb=250 runs=3 build_dir="$repo/build/bench" no_build=0 shared="" jobs=""
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) mb=$2; shift ;;
    --runs) runs=$2; shift ;;
    -j) jobs=$2; shift ;;
    --build-dir) build_dir=$2; shift ;;
    --no-build) no_build=1 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) shared=$1 ;;
  esac
  shift
done
[ -n "$shared" ] || shared="$repo/../shared/data"
yaz=$(command -v yaz-marcdump || true)
if [ ! -f "$shared/corpus/real-all.mrc" ] || [ -z "$yaz" ]; then
  echo "bench_formats.sh: needs $shared/corpus and yaz-marcdump; skipped" >&2
  exit 77
fi
if [ "$no_build" = 0 ]; then
  gen=()
  [ -f "$build_dir/CMakeCache.txt" ] || gen=(-G Ninja -DBUILD_TESTING=OFF)
  cmake -S "$repo" -B "$build_dir" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build_dir" --target bench_read marcato_cli -j2 >/dev/null
fi
bench="$build_dir/bench/bench_read" cli="$build_dir/native/marcato"
data="$here/data"
mkdir -p "$data"
repeat() { # repeat SOURCE MB -> path
  local src=$1 size copies f
  size=$(wc -c <"$src")
  copies=$(( ($2 * 1000000 + size / 2) / size ))
  [ "$copies" -ge 1 ] || copies=1
  f="$data/$(basename "$src" .mrc)-x$copies.mrc"
  if [ ! -f "$f" ] || [ "$(wc -c <"$f")" -ne $((copies * size)) ]; then
    for ((i = 0; i < copies; i++)); do cat "$src"; done >"$f.tmp.$$"
    mv "$f.tmp.$$" "$f"
  fi
  echo "$f"
}
all=$(repeat "$shared/corpus/real-all.mrc" "$mb")
marc8=$(repeat "$shared/corpus/real-marc8.mrc" "$mb")
j=()
[ -n "$jobs" ] && j=(-j "$jobs")
tsv=$(mktemp)
trap 'rm -f "$tsv"' EXIT
run() { # run NAME FILE -- CMD...
  local name=$1 file=$2
  shift 3
  "$bench" --exec "$name" --bytes "$(wc -c <"$file")" -- "$@" >>"$tsv"
}
cat "$all" "$marc8" >/dev/null
echo "bench_formats.sh: $(nproc) CPUs; $all, $marc8; $runs run(s)" >&2
for ((r = 1; r <= runs; r++)); do
  echo "  run $r/$runs" >&2
  run "marcato -> marcxml" "$all" -- "$cli" convert -q "${j[@]}" -t marcxml -o /dev/null "$all"
  run "yaz -> marcxml" "$all" -- "$yaz" -o marcxml "$all"
  run "marcato -> json" "$all" -- "$cli" convert -q "${j[@]}" -t json -o /dev/null "$all"
  run "yaz -> json" "$all" -- "$yaz" -o json "$all"
  run "marcato marc8 -> utf8" "$marc8" -- "$cli" convert -q "${j[@]}" --to-encoding utf8 -o /dev/null "$marc8"
  run "yaz marc8 -> utf8" "$marc8" -- "$yaz" -f marc8 -t utf8 -l 9=97 -o marc "$marc8"
  run "marcato marc8 -> utf8 -j 1" "$marc8" -- "$cli" convert -q -j 1 --to-encoding utf8 -o /dev/null "$marc8"
done
awk 'BEGIN { FS = "\t" }
$1 == "run" { n = $2; t[n] = t[n] " " $6; bytes[n] = $5; rss[n] = $7;
              if (!(n in seen)) { seen[n] = 1; order[++k] = n } }
function median(s,   a, m, i, j, x) {
  m = split(s, a, " ");
  for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
    if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
  lo = a[1]; hi = a[m]; return a[int((m + 1) / 2)]
}
END {
  printf "%-28s %10s %15s %9s %9s\n", "command", "median s", "(min-max)", "MB/s", "RSS MiB"
  for (i = 1; i <= k; i++) {
    n = order[i]; med[n] = median(t[n])
    printf "%-28s %10.3f %7.3f-%-7.3f %9.1f %9.1f\n", n, med[n], lo, hi,
           bytes[n] / 1e6 / med[n], rss[n] / 1024
  }
  printf "\nratios (yaz time / marcato time, same run):\n"
  printf "  MARCXML       %.1fx\n", med["yaz -> marcxml"] / med["marcato -> marcxml"]
  printf "  MARC-in-JSON  %.1fx\n", med["yaz -> json"] / med["marcato -> json"]
  printf "  MARC-8->UTF-8 %.1fx (-j 1: %.1fx)\n", med["yaz marc8 -> utf8"] / med["marcato marc8 -> utf8"], med["yaz marc8 -> utf8"] / med["marcato marc8 -> utf8 -j 1"]
}' "$tsv"
