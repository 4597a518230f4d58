#!/usr/bin/env python3
"""Conversions between every pair of formats, through the CLI, on real
records. Each of ISO 2709, MARCXML, MARC-in-JSON (array and lines) and
MARCMaker is written from the corpus; every one is then converted to every
other; all results are read back as MARCMaker text and compared record by
record with the corpus itself. Records that some format cannot carry as
they are (a control character in a value, a lone subfield delimiter,
bytes that are not UTF-8: XML and JSON have no way to say them) are
counted, and must stay a small minority; every other record must come
through every pair unchanged. Leader positions 00-04 and 12-16 (length and
base address) are computed by the ISO 2709 writer and not compared.

usage: pairs.py MARCATO SHARED_DATA TEST_DATA   (exit 77: no data)"""
import os
import subprocess
import sys
import tempfile

from corpus_sample import corpus_sample
from mrk_records import records

marcato, shared, testdata = sys.argv[1:4]
src = os.path.join(shared, "corpus", "real-all.mrc")
if not os.path.exists(src):
    src = os.path.join(testdata, "lc-marcedit", "marc_sample_data.mrc")
if not os.path.exists(src):
    print("no data: skipped")
    sys.exit(77)

FORMATS = ["iso2709", "marcxml", "json", "jsonl", "mrk"]


REPORTED = set()  # records a writer said it changed


def run(*args):
    quiet = [] if args[0] == "convert" else ["-q"]  # convert: diagnostics
    r = subprocess.run([marcato, *args, *quiet], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if r.returncode > 1:
        sys.exit(f"FAIL: marcato {' '.join(args)} exited {r.returncode}")
    # A writer's change is a diagnostic "...: record N at byte B: CODE
    # [TAG] ... written as ..." (marc_write_changes).
    for line in r.stderr.decode("utf-8", "replace").splitlines():
        if " written " in line and ": record " in line:
            REPORTED.add(int(line.split(": record ")[1].split()[0]) - 1)
    return r.stdout


def can_read(fmt, tmp):
    probe = os.path.join(tmp, "probe." + fmt)
    run("convert", "-t", fmt, "-o", probe, os.path.join(testdata, "yaz", "marc0.marc"))
    r = subprocess.run([marcato, "count", "-q", "-f", fmt, probe],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode <= 1


with tempfile.TemporaryDirectory() as tmp:
    src = corpus_sample(src, tmp)
    formats = [f for f in FORMATS if can_read(f, tmp)]
    base = records(run("dump", src))
    files = {}
    single = {}
    for a in formats:
        files[a] = os.path.join(tmp, "all." + a)
        run("convert", "-t", a, "-o", files[a], src)
        single[a] = records(run("dump", "-f", a, files[a]))
    # Records every format carries unchanged.
    carried = [i for i in range(len(base))
               if all(len(single[a]) == len(base) and single[a][i] == base[i]
                      for a in formats)]
    carried_set = set(carried)
    passed = failed = 0

    def check(ok, what):
        global passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL:", what)

    # Records a writer reported changing (MARCXML's schema mapping) are
    # not expected to come through unchanged; of the others, most must.
    check(len(carried) >= 0.85 * (len(base) - len(REPORTED - carried_set)),
          f"{len(carried)} of {len(base)} records carried by every format "
          f"({len(REPORTED)} reported changed by a writer)")
    for a in formats:
        check(len(single[a]) == len(base), f"{a}: {len(single[a])} records")
        for b in formats:
            dest = os.path.join(tmp, f"pair.{b}")
            run("convert", "-f", a, "-t", b, "-o", dest, files[a])
            got = records(run("dump", "-f", b, dest))
            if len(got) != len(base):
                check(False, f"{a} -> {b}: {len(got)} records, want {len(base)}")
                continue
            bad = [i for i in carried if got[i] != base[i]]
            # What A could not carry, B must not change further either when
            # B reads back what A wrote.
            drift = [i for i in range(len(base))
                     if i not in carried_set and i not in REPORTED
                     and got[i] != single[a][i]
                     and b in ("iso2709", "mrk")]
            check(not bad, f"{a} -> {b}: {len(bad)} carried records changed"
                  + (f" (first: record {bad[0] + 1})" if bad else ""))
            check(not drift, f"{a} -> {b}: {len(drift)} other records changed"
                  + (f" (first: record {drift[0] + 1})" if drift else ""))
    print(f"formats: {' '.join(formats)}; {len(base)} records, "
          f"{len(carried)} carried unchanged by every format")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
