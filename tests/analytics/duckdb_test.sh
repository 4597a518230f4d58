#!/usr/bin/env bash
# marcato select -> DuckDB: csv and jsonl output loaded and checked
# (duckdb_check.mjs). Skips (77) without node or the dev dependency.
#   duckdb_test.sh SRC_DIR WORK_DIR -- CLI...
set -u
src=$1 work=$2
shift 2
[ "${1:-}" = "--" ] && shift
command -v node >/dev/null || { echo "skipped: no node"; exit 77; }
[ -d "$src/web/node_modules/@duckdb/node-api" ] ||
  { echo "skipped: web/node_modules/@duckdb/node-api absent (cd web && npm ci)"; exit 77; }
mkdir -p "$work"
in=$src/tests/data/traject/test_data.utf8.mrc
records=$("$@" count "$in") || exit 1
"$@" select -s 001 -s '245$a' -s '650$a' -t csv "$in" >"$work/out.csv" || exit 1
"$@" select -s 001 -s '245$a' -s '650$a' -t jsonl "$in" >"$work/out.jsonl" || exit 1
node "$src/tests/analytics/duckdb_check.mjs" "$src/web" "$work/out.csv" \
  "$work/out.jsonl" "$records"
