#!/usr/bin/env bash
# marcato validate in a build without Avram validation (no cJSON: the em
# and wasi presets): the structure checks run, and asking for a schema or
# a rule is a usage error that says why.
#
#   validate_no_avram_test.sh SRC_DIR WORK_DIR -- CLI...
#
# Prints one line per check and "N passed, N failed"; exit 0 when all
# passed, 1 when one failed.
set -u
src=$1 work=$2
shift 2
[ "${1:-}" = "--" ] && shift
cli=("$@")
data=$src/tests/cli/data

. "$(dirname "$0")/lib.sh"

echo "note: this build has no Avram schema validation (it needs cJSON)"

# The repeated 245$a is a schema finding: not reported here.
m validate "$data/avram-bad.mrk"
lacks "$err" "nonrepeatableSubfield" "no schema findings"
contains "$out" "^3 records, [0-9]+ with problems" "structure checks ran"
lacks "$out" "^schemas?:" "no schema named"

m validate --schema "$data/avram-profile.json" "$data/avram-bad.mrk"
expect_rc 2 "--schema is a usage error"
contains "$err" "no Avram validation" "--schema: says why"

m validate --rules +localField "$data/avram-bad.mrk"
expect_rc 2 "--rules is a usage error"

finish
