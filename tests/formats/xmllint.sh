#!/bin/sh
# MARCXML output checked by libxml2's xmllint:
#  - the whole shared corpus (UTF-8, MARC-8, damaged records) must give
#    well-formed XML;
#  - YAZ's MARC 21 samples whose content fits the MARC 21 slim schema
#    (marc6, marc7, marc9: the others have indicators, leaders or empty
#    data fields the schema's patterns reject) must validate against it.
# usage: xmllint.sh FMT_TOOL SHARED_DATA WORK_DIR   (77: skipped)
tool=$1 data=$2 work=$3
command -v xmllint >/dev/null 2>&1 || exit 77
[ -f "$data/corpus/real-all.mrc" ] && [ -f "$data/schema/MARC21slim.xsd" ] ||
  exit 77
mkdir -p "$work" || exit 1
"$tool" iso xml "$data/corpus/real-all.mrc" "$work/all.xml" || exit 1
xmllint --noout --huge "$work/all.xml" || exit 1
for n in 6 7 9; do
  "$tool" iso xml "$data/sources/yaz/test/marc-files/marc$n.marc" \
    "$work/marc$n.xml" || exit 1
  xmllint --noout --schema "$data/schema/MARC21slim.xsd" "$work/marc$n.xml" ||
    exit 1
done
echo "xmllint: corpus well-formed, marc6/7/9 valid"
