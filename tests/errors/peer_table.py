#!/usr/bin/env python3
"""Peer table: on every damaged ISO 2709 file (tests/data/errors and the
damaged files of the shared reference data), marcato reads at least as many
records as MARC4J's permissive reader and yaz-marcdump, and every file where
the counts differ has a row in tests/errors/README.md with the same counts
and the reason.

  MARC4J: tests/errors/PeerCount.java, run once for all files (one JVM) as
          a single-file program; skipped when java or the marc4j jar is
          absent (Debian: default-jdk-headless, libmarc4j-java).
  yaz:    the <record> elements of yaz-marcdump -o marcxml; skipped when
          absent.

usage: peer_table.py MARCATO TEST_DATA SHARED_DATA [--markdown | --list]
  --markdown prints the table of every file (for the README) and checks
  nothing; --list prints the files' paths. Exit 77 when neither peer is installed.
"""
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Damaged ISO 2709 files of the shared data that tests/data does not copy
# (GPL/Artistic sources, or not needed by the golden test).
SHARED = [
    "sources/cpan-MARC-Record-2.0.7/t/baddir.usmarc",
    "sources/cpan-MARC-Record-2.0.7/t/badind.usmarc",
    "sources/cpan-MARC-Record-2.0.7/t/badldr.usmarc",
    "sources/cpan-MARC-Record-2.0.7/t/cameleof.usmarc",
    "sources/cpan-MARC-Record-2.0.7/t/filler.usmarc",
    "sources/cpan-MARC-Record-2.0.7/t/sample1eof.usmarc",
    "sources/cpan-MARC-1.07/t/badmarc.dat",
    "sources/idzebra/xslt/bad-utf8.mrc",
    "sources/ruby-marc/test/bad_eacc_encoding.marc8.marc",
]
JARS = ["/usr/share/java/marc4j.jar"]


def inputs(testdata, shared):
    """(name, path) of every damaged file, each content once."""
    out, seen = [], set()
    paths = sorted(glob.glob(os.path.join(testdata, "errors", "*", "*")))
    paths = [(os.path.relpath(p, os.path.join(testdata, "errors")), p)
             for p in paths if os.path.isfile(p) and not p.endswith(".md")]
    paths += [("shared:" + s, os.path.join(shared, s)) for s in SHARED
              if os.path.isfile(os.path.join(shared, s))]
    for name, p in paths:
        with open(p, "rb") as f:
            digest = hashlib.sha1(f.read()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            out.append((name, p))
    return out


def marcato_count(marcato, path):
    r = subprocess.run([marcato, "count", path], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL)
    text = r.stdout.decode().strip()
    return int(text) if text.isdigit() else 0


def yaz_count(path):
    """Records yaz-marcdump writes: <record> elements of its MARCXML (it
    announces some records it then gives up on, so -p is no count)."""
    r = subprocess.run(["yaz-marcdump", "-o", "marcxml", path],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return len(re.findall(rb"<record[ >]", r.stdout))


def marc4j_counts(paths):
    jar = next((j for j in JARS if os.path.exists(j)), None)
    if not jar or not shutil.which("java"):
        return None
    r = subprocess.run(["java", "-cp", jar,
                        os.path.join(HERE, "PeerCount.java"), *paths],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    counts = {}
    for line in r.stdout.decode("utf-8", "replace").splitlines():
        n, _, path = line.partition("\t")
        counts[path] = int(n)
    if r.returncode or len(counts) != len(paths):
        # No compiler (a JRE without jdk.compiler) or another failure.
        print("MARC4J run failed: skipped (" +
              r.stderr.decode("utf-8", "replace")[:200] + ")")
        return None
    return counts


def readme_rows():
    """{file: (marcato, marc4j, yaz)} from the README's peer table."""
    rows = {}
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\|\s*`([^`]+)`\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|"
                         r"\s*(\d+)\s*\|", line)
            if m:
                rows[m.group(1)] = tuple(int(m.group(i)) for i in (2, 3, 4))
    return rows


def main():
    marcato, testdata, shared = sys.argv[1:4]
    markdown = "--markdown" in sys.argv[4:]
    files = inputs(testdata, shared)
    if "--list" in sys.argv[4:]:
        print("\n".join(p for _, p in files))
        return 0
    have_yaz = shutil.which("yaz-marcdump") is not None
    m4j = marc4j_counts([p for _, p in files])
    if not have_yaz and m4j is None:
        print("neither yaz-marcdump nor MARC4J: skipped")
        return 77
    rows = {} if markdown else readme_rows()
    failed = 0
    explained = set()
    for name, path in files:
        ours = marcato_count(marcato, path)
        yaz = yaz_count(path) if have_yaz else None
        j = m4j.get(path) if m4j is not None else None
        if markdown:
            print(f"| `{name}` | {ours} | {j if j is not None else '-'} | "
                  f"{yaz if yaz is not None else '-'} | |")
            continue
        for peer, n in (("MARC4J", j), ("yaz", yaz)):
            if n is not None and ours < n:
                print(f"FAIL: {name}: marcato {ours} < {peer} {n}")
                failed += 1
        differs = (j is not None and j != ours) or \
            (yaz is not None and yaz != ours)
        if not differs:
            continue
        explained.add(name)
        row = rows.get(name)
        if row is None:
            print(f"FAIL: {name}: marcato {ours}, MARC4J {j}, yaz {yaz} "
                  "differ and tests/errors/README.md does not explain it")
            failed += 1
            continue
        for what, want, got in (("marcato", row[0], ours),
                                ("MARC4J", row[1], j), ("yaz", row[2], yaz)):
            if got is not None and want != got:
                print(f"FAIL: {name}: README says {what} {want}, now {got}")
                failed += 1
    for name, _ in files:
        # (Only when both peers ran: a row may explain the missing one.)
        if (m4j is not None and have_yaz and name in rows
                and name not in explained):
            print(f"FAIL: {name}: the README explains a difference that is "
                  "gone: remove its row")
            failed += 1
    if not markdown:
        print(f"{len(files)} files, {failed} failure(s)"
              + ("" if m4j is not None else " (MARC4J skipped)")
              + ("" if have_yaz else " (yaz skipped)"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
