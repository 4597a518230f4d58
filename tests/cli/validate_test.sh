#!/usr/bin/env bash
# marcato validate with Avram schemas: exit codes, problem lines, --schema,
# --rules, --summary (text and JSON), --reject, and real data.
#
#   validate_test.sh SRC_DIR SHARED_DATA WORK_DIR -- CLI...
#
# Prints one line per check and "N passed, N failed"; exit 0 when all
# passed, 1 when one failed.
set -u
src=$1 shared=$2 work=$3
shift 3
[ "${1:-}" = "--" ] && shift
cli=("$@")
data=$src/tests/cli/data

. "$(dirname "$0")/lib.sh"
count() { # FILE: number of records
  "${cli[@]}" count "$1" 2>/dev/null
}

# A clean record: no problem, and the local 590 is not undefined.
m validate "$data/avram-clean.mrk"
expect_rc 0 "clean record"
contains "$out" "^1 records, 0 with problems" "clean: summary line"

m validate --rules +localField "$data/avram-clean.mrk"
expect_rc 1 "+localField reports the local 590"
contains "$err" "undefinedField \[590\]" "+localField: 590 line"

m validate --rules bogus "$data/avram-clean.mrk"
expect_rc 2 "an unknown rule is a usage error"

# Problems: one line each, with record number, rule, tag and subfield.
m validate "$data/avram-bad.mrk"
expect_rc 1 "records with problems"
contains "$err" "record 1 at byte [0-9]+: nonrepeatableSubfield \[245\\\$a\]" \
  "repeated 245\$a"
contains "$err" "record 1 at byte [0-9]+: undefinedSubfield \[245\\\$q\]" \
  "undefined 245\$q"
contains "$err" "record 1 at byte [0-9]+: nonrepeatableField \[245\]" \
  "repeated 245"
contains "$err" "record 2 at byte [0-9]+: invalidIndicator \[100\] value '9'" \
  "100 first indicator 9"
lacks "$err" "record 3 " "record 3 is clean"
contains "$out" "^3 records, 2 with problems" "bad: summary line"

m validate --rules -invalidSubfield,-nonrepeatableField "$data/avram-bad.mrk"
lacks "$err" "Subfield|nonrepeatableField" "rules switched off"
contains "$err" "invalidIndicator" "other rules still on"

m validate --no-schema "$data/avram-bad.mrk"
expect_rc 0 "--no-schema: structure only"

# A local profile.
m validate --schema "$data/avram-profile.json" "$data/avram-bad.mrk"
expect_rc 1 "--schema profile"
contains "$err" "patternMismatch \[245\\\$a\] value 'First title'" \
  "profile pattern"
contains "$err" "undefinedField \[100\]" "profile leaves 100 out"
contains "$out" "^schema: A local profile" "profile named"

# A schema that is not valid Avram: exit 2, naming the JSON Pointer.
m validate --schema "$data/avram-broken.json" "$data/avram-bad.mrk"
expect_rc 2 "bad schema"
contains "$err" "/fields/245/repeatable: expected true or false" \
  "bad schema: JSON Pointer"
m validate --schema "$work/none.json" "$data/avram-bad.mrk"
expect_rc 2 "missing schema file"

# Counting rules, with a schema that gives counts.
printf '%s' '{"records":2,"fields":{"245":{"repeatable":true,"total":1},
  "001":{},"008":{},"100":{},"590":{"repeatable":true}}}' >"$work/count.json"
m validate --schema "$work/count.json" --rules +countRecord,+countField \
  "$data/avram-bad.mrk"
expect_rc 1 "counting rules"
contains "$err" "countRecord expected 2 records, got 3" "countRecord"
contains "$err" "countField \[245\] expected field '245' total count to be 1, got 4" \
  "countField"
m validate --rules +countField "$data/avram-bad.mrk"
expect_rc 2 "counting needs --schema"

# --summary: text and JSON.
m validate --summary "$data/avram-bad.mrk"
expect_rc 1 "--summary"
[ -s "$err" ] && bad "--summary prints no lines" || ok "--summary prints no lines"
contains "$out" "^problems by rule" "summary: by rule"
contains "$out" "nonrepeatableField +1 +1$" "summary: rule counts"
contains "$out" "invalidIndicator +100 ind1 .*records 2$" \
  "summary: example record"
m validate --summary -t json "$data/avram-bad.mrk"
if python3 - "$out" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["records"] == 3 and r["with_problems"] == 2, r
assert r["rules"]["nonrepeatableField"] == {"problems": 1, "records": 1}
p = [x for x in r["problems"] if x["rule"] == "undefinedSubfield"][0]
assert p["where"] == "245$q" and p["examples"] == [1], p
assert r["schemas"]["MARC 21 bibliographic"] == 3
EOF
then ok "summary as JSON"; else bad "summary as JSON"; fi

# --reject: records with problems as read, the others to -o.
lc=$src/tests/data/lc-marcedit/marc_sample_data.mrc
m validate -q --reject "$work/bad.mrc" -o "$work/good.mrc" "$lc"
expect_rc 1 "--reject"
nb=$(count "$work/bad.mrc") ng=$(count "$work/good.mrc")
[ "$nb" -gt 0 ] && [ "$ng" -gt 0 ] && [ $((nb + ng)) -eq 536 ] &&
  ok "--reject: $nb rejected + $ng clean = 536" ||
  bad "--reject: $nb + $ng != 536"
m validate "$work/good.mrc"
expect_rc 0 "the clean records validate clean"
m validate -j 1 --summary "$work/bad.mrc"
contains "$out" "^$nb records, $nb with problems" "every rejected record has a problem"
# The rejected records are byte for byte the input's.
if python3 - "$lc" "$work/bad.mrc" "$work/good.mrc" <<'EOF'
import sys
src = open(sys.argv[1], "rb").read()
recs = [r + b"\x1d" for r in src.split(b"\x1d") if r]
got = open(sys.argv[2], "rb").read() + open(sys.argv[3], "rb").read()
parts = [r + b"\x1d" for r in got.split(b"\x1d") if r]
assert sorted(parts) == sorted(recs)
EOF
then ok "--reject: bytes as read"; else bad "--reject: bytes as read"; fi

# Real data: the report does not depend on the threads.
real=$shared/corpus/real-all.mrc
if [ -r "$real" ]; then
  m validate -j 1 --summary "$real"
  expect_rc 1 "real-all.mrc"
  cp "$out" "$work/j1"
  m validate -j 2 --summary "$real"
  if cmp -s "$out" "$work/j1"; then ok "summary -j 1 = -j 2"
  else bad "summary -j 1 != -j 2"; diff "$work/j1" "$out" | head -5; fi
  contains "$out" "MARC 21 authority \(partial rule pack\) [0-9]+ records" \
    "authority records checked with the partial rule pack"
else
  echo "skipped: real-all.mrc (no shared data)"
fi

finish
