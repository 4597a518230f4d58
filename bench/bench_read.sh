#!/usr/bin/env bash
# bench_read.sh: how fast marcato reads ISO 2709, against the floor of
# touching every byte (memchr) and against yaz-marcdump, plus the CLI's peak
# RSS at several file sizes. Prints numbers; it is not a timed test.
#
# usage: bench/bench_read.sh [options] [SOURCE]
#   SOURCE       an ISO 2709 file to repeat, or a shared-data folder holding
#                corpus/real-all.mrc (default: ../shared/data next to the
#                repository root)
#   --quick      one ~20 MB file, one run (what the bench_smoke test runs)
#   --runs N     runs per scenario (default 3; the table shows median/min/max)
#   --mb N       size of the main file in MB (default 250)
#   --sizes "A B C"  file sizes in MB for the peak RSS rows (default
#                "25 250 1000"; the 1 GB file needs 1 GB of disk)
#   --build-dir DIR  where to build (default build/bench under the repo)
#   --no-build   use the binaries already in --build-dir
#   --data-dir DIR   where generated files go (default bench/data, ignored
#                by git); files of the right size are reused, so re-running
#                is cheap and safe
#
# What runs, round-robin (run 1 of every scenario, then run 2, ...) so that
# noise from other processes on the machine hits every scenario alike:
#   bench_read FILE       in-process: memchr floor, parse (feed, 1 MiB
#                         chunks), parse + every subfield, read()+memchr,
#                         parse via marc_reader_buffer/commit + read(),
#                         rewrite (reader -> marc_write_iso2709)
#   yaz-marcdump -n FILE                 parse only
#   yaz-marcdump -o marc FILE >/dev/null read + rewrite
#   marcato count FILE                   CLI parse only
#   marcato convert -t iso2709 FILE -o /dev/null   CLI read + rewrite
#   marcato convert -j 1 ...             the CLI's serial path (if it has -j)
# then `marcato convert` (default and -j 1) over each --sizes file for peak
# RSS (wait4 maxrss through bench_read --exec).
#
# Exit status: 0 done (targets missed are reported, not failed), 77 no
# source data (skip), other: a build, a scenario or a consistency check
# failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

quick=0 runs=3 main_mb=250 sizes="25 250 1000" build_dir="$repo/build/bench"
no_build=0 data_dir="$here/data" source=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --runs) runs=$2; shift ;;
    --mb) main_mb=$2; shift ;;
    --sizes) sizes=$2; shift ;;
    --build-dir) build_dir=$2; shift ;;
    --no-build) no_build=1 ;;
    --data-dir) data_dir=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench_read.sh: unknown option $1" >&2; exit 2 ;;
    *) source=$1 ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then
  runs=1 main_mb=20 sizes=20
fi

# ---- source data --------------------------------------------------------
[ -n "$source" ] || source="$repo/../shared/data"
[ -d "$source" ] && source="$source/corpus/real-all.mrc"
if [ ! -f "$source" ]; then
  echo "bench_read.sh: no source data ($source); skipped" >&2
  exit 77
fi

# ---- build --------------------------------------------------------------
bench_bin="$build_dir/bench/bench_read"
cli_bin="$build_dir/native/marcato"
if [ "$no_build" = 0 ]; then
  gen=()
  if [ ! -f "$build_dir/CMakeCache.txt" ]; then
    # A fresh tree for benchmarks only: the tests are not needed, and
    # leaving them out keeps the benchmark independent of their state.
    gen=(-DBUILD_TESTING=OFF)
    command -v ninja >/dev/null && gen+=(-G Ninja)
  fi
  cmake -S "$repo" -B "$build_dir" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
    >/dev/null
  cmake --build "$build_dir" --target bench_read marcato_cli -j2 >/dev/null
fi
for b in "$bench_bin" "$cli_bin"; do
  [ -x "$b" ] || { echo "bench_read.sh: $b not built" >&2; exit 2; }
done
yaz=$(command -v yaz-marcdump || true)
# The CLI's threaded pipeline has a -j option; -j 1 is its serial path.
has_jobs=0
"$cli_bin" --help 2>/dev/null | grep -q -- '--jobs' && has_jobs=1

# ---- data files: SOURCE repeated to about N MB --------------------------
mkdir -p "$data_dir"
src_size=$(wc -c <"$source")
# Prints the path of a file made of SOURCE repeated to about $1 MB.
make_file() {
  local copies=$(( ($1 * 1000000 + src_size / 2) / src_size ))
  [ "$copies" -ge 1 ] || copies=1
  local f
  f="$data_dir/$(basename "$source" .mrc)-x$copies.mrc"
  if [ ! -f "$f" ] || [ "$(wc -c <"$f")" -ne $((copies * src_size)) ]; then
    # Written under a temporary name so that an interrupted run never
    # leaves a short file that a later run would take as complete.
    for ((i = 0; i < copies; i++)); do cat "$source"; done >"$f.tmp.$$"
    mv "$f.tmp.$$" "$f"
  fi
  echo "$f"
}
main_file=$(make_file "$main_mb")
main_size=$(wc -c <"$main_file")
declare -a rss_files=()
for mb in $sizes; do rss_files+=("$(make_file "$mb")"); done

tsv="$data_dir/bench_read-last.tsv"
: >"$tsv"
cat "$main_file" >/dev/null # warm the page cache before timing

# Runs one external command through the bench_read --exec wrapper:
# exec_run NAME RUN BYTES [--stdout F] -- CMD...
exec_run() {
  local name=$1 run=$2 bytes=$3
  shift 3
  "$bench_bin" --exec "$name" --bytes "$bytes" "$@" |
    awk -v r="$run" 'BEGIN { FS = OFS = "\t" } $1 == "run" { $3 = r; print }' \
      >>"$tsv"
}

# `marcato convert -t iso2709 FILE` timed as NAME with the default threads
# and, when the CLI has -j, as NAME_J1 on one thread.
convert_run() {
  local name=$1 name_j1=$2 run=$3 file=$4 size=$5
  exec_run "$name" "$run" "$size" -- \
    "$cli_bin" convert -t iso2709 "$file" -o /dev/null
  if [ "$has_jobs" = 1 ]; then
    exec_run "$name_j1" "$run" "$size" -- \
      "$cli_bin" convert -j 1 -t iso2709 "$file" -o /dev/null
  fi
}

echo "bench_read.sh: $main_file ($main_size bytes), $runs run(s)" >&2
for ((run = 1; run <= runs; run++)); do
  echo "  run $run/$runs" >&2
  "$bench_bin" --runs 1 "$main_file" |
    awk -v r="$run" 'BEGIN { FS = OFS = "\t" } $1 == "run" { $3 = r; print }' \
      >>"$tsv"
  if [ -n "$yaz" ]; then
    exec_run "yaz-marcdump -n" "$run" "$main_size" -- "$yaz" -n "$main_file"
    exec_run "yaz-marcdump -o marc" "$run" "$main_size" -- \
      "$yaz" -o marc "$main_file"
  fi
  exec_run "marcato count" "$run" "$main_size" -- "$cli_bin" count "$main_file"
  convert_run "marcato convert" "marcato convert -j1" "$run" "$main_file" \
    "$main_size"
done
for f in "${rss_files[@]}"; do
  size=$(wc -c <"$f")
  cat "$f" >/dev/null
  for ((run = 1; run <= runs; run++)); do
    convert_run "rss default $size" "rss -j1 $size" "$run" "$f" "$size"
  done
done

# ---- table --------------------------------------------------------------
awk -v file="$main_file" -v runs="$runs" -v have_yaz="${yaz:+1}" '
BEGIN { FS = "\t" }
$1 != "run" { next }
{
  name = $2
  if (!(name in n)) { order[++count] = name; n[name] = 0; rss[name] = 0 }
  t[name, ++n[name]] = $6 + 0
  if ($4 + 0 > 0) recs[name] = $4 + 0
  bytes[name] = $5 + 0
  if ($7 + 0 > rss[name]) rss[name] = $7 + 0
}
function stats(name,    k, j, v, m) {
  m = n[name]
  for (k = 1; k <= m; k++) s[k] = t[name, k]
  for (k = 2; k <= m; k++) {          # insertion sort: runs are few
    v = s[k]
    for (j = k - 1; j >= 1 && s[j] > v; j--) s[j + 1] = s[j]
    s[j + 1] = v
  }
  lo = s[1]; hi = s[m]
  med = (m % 2) ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
}
function kind(name) {
  if (name == "parse" || name == "parse+subfields" || name == "parse-buffer" ||
      name == "marcato count") return "parse"
  if (name == "rewrite" || name ~ /^marcato convert/) return "rewrite"
  return "-"
}
END {
  records = recs["parse"]
  stats("memchr"); t_memchr = med
  if (have_yaz) {
    stats("yaz-marcdump -n"); t_yaz["parse"] = med
    stats("yaz-marcdump -o marc"); t_yaz["rewrite"] = med
  }
  printf "\nbench_read: %s\n%d bytes, %d records, median of %d run(s); " \
         "MB = 10^6 bytes\n", file, bytes["parse"], records, runs
  printf "x memchr = speed relative to the in-memory memchr scan; x yaz = " \
         "speed relative to yaz-marcdump -n\n(parse rows) or -o marc " \
         "(rewrite rows)\n\n"
  printf "%-22s %11s %8s %8s %8s %8s %9s %7s %8s\n", "scenario", "records/s",
         "MB/s", "median s", "min s", "max s", "x memchr", "x yaz", "RSS MiB"
  for (i = 1; i <= count; i++) {
    name = order[i]
    if (name ~ /^rss /) continue
    stats(name)
    k = kind(name)
    ry = (k != "-" && (k in t_yaz)) ? sprintf("%7.2f", t_yaz[k] / med) : "      -"
    r = rss[name] ? sprintf("%8.1f", rss[name] / 1024) : "       -"
    printf "%-22s %11.0f %8.1f %8.3f %8.3f %8.3f %9.2f %s %s\n", name,
           records / med, bytes[name] / 1e6 / med, med, lo, hi,
           t_memchr / med, ry, r
    tm[name] = med
  }
  printf "\npeak RSS of marcato convert [-j 1] -t iso2709 FILE -o /dev/null\n"
  printf "%-8s %10s %8s %8s %8s %8s %9s\n", "CLI", "file MB", "MB/s",
         "median s", "min s", "max s", "RSS MiB"
  rmin = -1; rmax = 0
  for (i = 1; i <= count; i++) {
    name = order[i]
    if (name !~ /^rss /) continue
    split(name, part, " ")
    stats(name)
    printf "%-8s %10.1f %8.1f %8.3f %8.3f %8.3f %9.1f\n", part[2],
           bytes[name] / 1e6, bytes[name] / 1e6 / med, med, lo, hi,
           rss[name] / 1024
    if (part[2] != "default") continue  # the target is for the default CLI
    if (rmin < 0 || rss[name] < rmin) rmin = rss[name]
    if (rss[name] > rmax) rmax = rss[name]
  }
  printf "\ntargets (for information):\n"
  v = t_memchr / tm["parse"]
  printf "  parse-only >= 40%% of memchr:      %5.1f%%  %s\n", 100 * v,
         (v >= 0.40 ? "met" : "MISSED")
  if (have_yaz) {
    v = t_yaz["rewrite"] / tm["marcato convert"]
    printf "  CLI read+rewrite >= 5x yaz -o marc: %5.2fx  %s\n", v,
           (v >= 5 ? "met" : "MISSED")
    v = t_yaz["rewrite"] / tm["rewrite"]
    printf "  in-process rewrite vs yaz -o marc:  %5.2fx  %s\n", v,
           (v >= 5 ? "met" : "MISSED")
  } else {
    printf "  read+rewrite vs yaz: yaz-marcdump not installed\n"
  }
  printf "  default CLI peak RSS < 32 MiB, flat: %.1f..%.1f MiB  %s\n",
         rmin / 1024, rmax / 1024,
         (rmax < 32768 && rmax - rmin < 4096) ? "met" : "MISSED"
}' "$tsv"
echo
echo "raw runs: $tsv"
