#!/bin/sh
# MARCXML output checked by libxml2's xmllint against MARC21slim.xsd: the
# whole shared corpus (UTF-8, MARC-8, damaged records), every YAZ sample
# and every damaged ISO 2709 file of tests/data/errors must give MARCXML
# that validates, whatever the records hold (the writer maps what the
# schema does not allow and marc_write_changes reports it).
# usage: xmllint.sh FMT_TOOL SHARED_DATA WORK_DIR [TEST_DATA]   (77: skipped)
tool=$1 data=$2 work=$3 testdata=${4:-}
command -v xmllint >/dev/null 2>&1 || exit 77
[ -f "$data/corpus/real-all.mrc" ] && [ -f "$data/schema/MARC21slim.xsd" ] ||
  exit 77
xsd=$data/schema/MARC21slim.xsd
mkdir -p "$work" || exit 1
"$tool" iso xml "$data/corpus/real-all.mrc" "$work/all.xml" || exit 1
xmllint --noout --huge --schema "$xsd" "$work/all.xml" || exit 1
n=0
for f in "$data"/sources/yaz/test/marc-files/marc*.marc \
  ${testdata:+"$testdata"/errors/*/*.bin "$testdata"/errors/*/*.mrc \
    "$testdata"/errors/*/*.dat "$testdata"/errors/*/*.marc}; do
  [ -f "$f" ] || continue
  "$tool" iso xml "$f" "$work/one.xml" || exit 1
  xmllint --noout --schema "$xsd" "$work/one.xml" 2>"$work/one.err" || {
    echo "$f: MARCXML fails the schema"
    head -5 "$work/one.err"
    exit 1
  }
  n=$((n + 1))
done
echo "xmllint: corpus and $n more files valid against MARC21slim.xsd"
