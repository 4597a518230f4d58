#!/usr/bin/env bash
# Tests of `marcato select`: header and rows, csv and jsonl parsed back by
# Python's csv and json modules, --join, traject aliases, MARC-8 input,
# threads, problems in the input, and malformed specs (exit 2).
#
#   select_test.sh SRC_DIR SHARED_DATA WORK_DIR -- CLI...
set -u
src=$1 shared=$2 work=$3
shift 3
[ "${1:-}" = "--" ] && shift
cli=("$@")
command -v python3 >/dev/null || { echo "skipped: no python3"; exit 77; }

. "$(dirname "$0")/lib.sh"
# check DESCRIPTION PYTHON-EXPRESSION...: run python on $out; ok when it
# prints "ok".
py() {
  local what=$1
  shift
  local res
  res=$(python3 -c "$*" "$out" 2>&1)
  if [ "$res" = ok ]; then ok "$what"; else bad "$what"; echo "    $res" | head -5; fi
}

utf8=$src/tests/data/traject/test_data.utf8.mrc  # 30 records, UTF-8
marc8=$src/tests/data/traject/one-marc8.mrc      # MARC-8
sample=$src/tests/data/lc-marcedit/marc_sample_data.mrc  # 536 records
tiny_bad=$src/tests/cli/data/tiny-bad.mrc

m count "$utf8"
n=$(tr -d '\n' <"$out")

# TSV: header, one row per record, numbers from 1, values joined by |.
m select -s 001 -s '245$a' -s '650$a' "$utf8"
expect_rc 0 "select tsv"
py "tsv: header and $n rows" "
import sys
rows = [l.split('\t') for l in open(sys.argv[1], encoding='utf-8').read().split('\n')[:-1]]
assert rows[0] == ['record', '001', '245\$a', '650\$a'], rows[0]
assert len(rows) == $n + 1, len(rows)
assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, $n + 1)]
assert rows[1][2] == 'Fikr-i Aya\u0304z /', rows[1]
assert rows[4][3] == 'Japanese drama|Political plays, Japanese.|Theater', rows[4]
print('ok')"

# CSV parsed back; the 245\$a with quotes survives; --join.
m select -s 001 -s '245$a' -s '650$a' -s 'LDR/06' -t csv --join ' ; ' "$utf8"
expect_rc 0 "select csv"
py "csv parses back with the csv module" "
import sys, csv
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8', newline='')))
assert rows[0] == ['record', '001', '245\$a', '650\$a', 'LDR/06'], rows[0]
assert len(rows) == $n + 1, len(rows)
assert rows[4][2] == 'Kubo Sakae \"Kazanbaichi\" o yomu /', rows[4]
assert rows[4][3] == 'Japanese drama ; Political plays, Japanese. ; Theater'
assert all(r[4] in 'acdefgijkmoprt' and len(r[4]) == 1 for r in rows[1:])
print('ok')"

# JSON Lines: the spec text as given is the key, every value a string.
m select -s 001 -s '700$a{$d}' -s '245ac' -s '100a:700a' -t jsonl "$utf8"
expect_rc 0 "select jsonl"
py "jsonl parses back with the json module" "
import sys, json
rows = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
assert len(rows) == $n
assert list(rows[0]) == ['record', '001', '700\$a{\$d}', '245ac', '100a:700a'], list(rows[0])
assert rows[0]['record'] == 1 and rows[0]['001'] == ['   00282214 ']
assert rows[0]['700\$a{\$d}'] == ['Farruk\u0332h\u0332i\u0304, A\u0304s\u0323if,'], rows[0]
assert rows[0]['100a:700a'][0] == 'Ayaz, Shaikh,' and len(rows[0]['100a:700a']) == 3
assert all(isinstance(v, str) for r in rows for k, vs in r.items() if k != 'record' for v in vs)
print('ok')"

# A field spec gives the field in MARCMaker form, without =TAG.
m select -s 245 -s '041^1' "$utf8"
py "field text and indicators" "
import sys
row = open(sys.argv[1], encoding='utf-8').read().split('\n')[1].split('\t')
assert row[1].startswith('10\$aFikr-i Aya\u0304z /\$cmurattib'), row
assert row[2] == '1', row
print('ok')"

# MARC-8 input is written in UTF-8, as the UTF-8 conversion of it is.
m select -s '245$a' -s 100 -t jsonl "$marc8"
expect_rc 0 "select of MARC-8 input"
cp "$out" "$work/from-marc8"
"${cli[@]}" convert --to-encoding utf8 -o "$work/utf8.mrc" "$marc8" 2>/dev/null
m select -s '245$a' -s 100 -t jsonl "$work/utf8.mrc"
if cmp -s "$out" "$work/from-marc8"; then ok "MARC-8 converted to UTF-8"
else bad "MARC-8 converted to UTF-8"; diff "$out" "$work/from-marc8" | head -4; fi
py "MARC-8 output is UTF-8 JSON" "
import sys, json
[json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
print('ok')"

# Threads keep input order: -j 1 and -j 2 write the same bytes.
m select -j 1 --batch-records 7 -s 001 -s '650$a' -s '245$a/0-9' "$sample"
cp "$out" "$work/j1"
m select -j 2 --batch-records 7 -s 001 -s '650$a' -s '245$a/0-9' "$sample"
if cmp -s "$out" "$work/j1"; then ok "-j 2 output equals -j 1"
else bad "-j 2 output equals -j 1"; fi
py "536 rows in order" "
import sys
rows = open(sys.argv[1], encoding='utf-8').read().split('\n')[1:-1]
assert [r.split('\t')[0] for r in rows] == [str(i) for i in range(1, 537)], len(rows)
print('ok')"

# Problems are reported as everywhere (exit 1), the row is still written.
m select -s 001 "$tiny_bad"
expect_rc 1 "select of a damaged record"
if grep -Eq '^.*tiny-bad.mrc: record 1 at byte [0-9]+: [A-Z_]+ ' "$err" &&
   [ "$(wc -l <"$out")" -eq 2 ]; then ok "diagnostic on stderr, row on stdout"
else bad "diagnostic on stderr, row on stdout"; cat "$err" | head -3; fi

# Malformed specs: exit 2, the position and what was expected.
m select -s '245$a{$2=lcsh}' "$utf8"
expect_rc 2 "malformed spec"
if grep -Fqx "marcato: spec '245\$a{\$2=lcsh}': position 9: comparison string must start with '\\'" "$err"
then ok "malformed spec message"; else bad "malformed spec message"; cat "$err"; fi
[ -s "$out" ] && bad "nothing written for a malformed spec" || ok "nothing written for a malformed spec"
m select -s 001 -s '24' "$utf8"
expect_rc 2 "short tag"
grep -Fq "spec '24': position 2:" "$err" && ok "short tag position" || { bad "short tag position"; cat "$err"; }
m select "$utf8"
expect_rc 2 "select without -s"
m select -s 001 -t xml "$utf8"
expect_rc 2 "select -t xml"
m --help
grep -q "marcato select" "$out" && grep -q "traject" "$out" && ok "--help teaches select" || bad "--help teaches select"

# The shared corpus, when present: one row per record.
if [ -f "$shared/corpus/real-all.mrc" ]; then
  m count "$shared/corpus/real-all.mrc"
  total=$(tr -d '\n' <"$out")
  m select -q -s 001 -s '245$a' -s '650$a' -t csv "$shared/corpus/real-all.mrc"
  py "real-all.mrc: $total rows through csv" "
import sys, csv
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8', newline='')))
assert len(rows) == $total + 1, (len(rows), $total)
assert sum(1 for r in rows[1:] if r[2]) > $total // 2
print('ok')"
fi

finish
