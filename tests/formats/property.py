#!/usr/bin/env python3
"""Writer property test: every record read from the real corpus, the
damaged files and the fuzz seeds, written in every format, must give
output that is valid for its format and read back as the same record,
or the difference must be a reported diagnostic.

  valid:  MARCXML against MARC21slim.xsd (xmllint); JSON by Python's
          parser (JSON Lines line by line); every text format UTF-8;
          ISO 2709 read back by marcato (and yaz-marcdump for the corpus)
          with no diagnostic but on records the reading reported (a
          change the writer reported does not excuse one); from a text
          format, no diagnostic (code and tag) the reading did not report.
  same:   the record read back, as MARCMaker text (leader lengths masked),
          equals the record as first read, unless the record was named by
          a diagnostic when it was read or written.

usage: property.py MARCATO SHARED_DATA TEST_DATA   (exit 77: nothing to read)
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

marcato, shared, testdata = sys.argv[1:4]
xsd = os.path.join(shared, "schema", "MARC21slim.xsd")
inputs = sorted(glob.glob(os.path.join(testdata, "errors", "*", "*")))
inputs = [f for f in inputs if os.path.isfile(f) and not f.endswith(".md")]
# The shared data's damaged files that tests/data does not copy (the peer
# table's list, tests/errors/peer_table.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "errors"))
from peer_table import SHARED  # noqa: E402

from corpus_sample import corpus_sample  # noqa: E402
from mrk_records import records  # noqa: E402
inputs += [os.path.join(shared, s) for s in SHARED
           if os.path.isfile(os.path.join(shared, s))]
corpus = os.path.join(shared, "corpus", "real-all.mrc")
if os.path.exists(corpus):
    inputs.insert(0, corpus)
if not inputs:
    print("no data: skipped")
    sys.exit(77)
FORMATS = ["iso2709", "marcxml", "json", "jsonl", "mrk", "text"]
failed = passed = 0
silent_records = 0  # records that came back changed with no diagnostic


def check(ok, what):
    global failed, passed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


DIAG = re.compile(r": record (\d+) at byte \d+: (\w+)(?: \[(.*?)\])?")


def run(*args):
    """Exit status, output, and the diagnostics on standard error as a set
    of (record index, code, tag)."""
    r = subprocess.run([marcato, *args], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    diags = set()
    for line in r.stderr.decode("utf-8", "replace").splitlines():
        m = DIAG.search(line)
        if m:
            diags.add((int(m.group(1)) - 1, m.group(2), m.group(3) or ""))
    return r.returncode, r.stdout, diags


def records_of(diags):
    return {d[0] for d in diags}


def text_format(path):
    """Is the file MARCXML, JSON or .mrk (by its first byte)?"""
    with open(path, "rb") as f:
        head = f.read(64).lstrip()
    return head[:1] in (b"<", b"{", b"[", b"=")


def valid(fmt, path, data):
    if fmt != "iso2709":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            return f"not UTF-8 ({e})"
    if fmt == "marcxml" and shutil.which("xmllint"):
        r = subprocess.run(["xmllint", "--noout", "--huge", "--schema", xsd,
                            path], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        if r.returncode:
            return "fails MARC21slim.xsd: " + r.stderr.decode()[:300]
    if fmt == "json":
        try:
            json.loads(text)
        except ValueError as e:
            return f"not JSON ({e})"
    if fmt == "jsonl":
        for n, line in enumerate(text.splitlines()):
            try:
                json.loads(line)
            except ValueError as e:
                return f"line {n + 1} not JSON ({e})"
    return None


with tempfile.TemporaryDirectory() as tmp:
    if os.path.exists(corpus):  # every fifth record under MARCATO_QUICK
        sample = corpus_sample(corpus, tmp)
        inputs = [sample if s == corpus else s for s in inputs]
        corpus = sample
    for src in inputs:
        name = os.path.relpath(src, testdata) if src != corpus else "corpus"
        rc, mrk, read_diags = run("convert", "-t", "mrk", src)
        named_read = records_of(read_diags)
        if rc > 1:
            continue  # not MARC at all: nothing to write
        base = records(mrk)
        for fmt in FORMATS:
            out = os.path.join(tmp, "out." + fmt)
            rc, _, write_diags = run("convert", "-t", fmt, "-o", out, src)
            named_write = records_of(write_diags)
            check(rc <= 1, f"{name} -> {fmt}: exit {rc}")
            with open(out, "rb") as f:
                data = f.read()
            why = valid(fmt, out, data)
            check(why is None, f"{name} -> {fmt}: {why}")
            if fmt == "text":
                continue  # for people: not read back
            named = named_read | named_write
            rc, back, back_diags = run("convert", "-f", fmt, "-t", "mrk", out)
            named_back = records_of(back_diags)
            back = records(back)
            # Records the writer refused (named) are not written at all.
            if len(back) != len(base):
                check(len(back) + len(named) >= len(base),
                      f"{name} -> {fmt}: {len(back)} records back, "
                      f"{len(base)} read")
                continue
            # A diagnostic when it is read back names the change too (not
            # for ISO 2709, which must read back clean).
            told = named if fmt == "iso2709" else named | named_back
            silent = [i for i in range(len(base))
                      if base[i] != back[i] and i not in told]
            silent_records += len(silent)
            check(not silent, f"{name} -> {fmt}: records {silent[:5]} came "
                  "back changed with no diagnostic")
            if fmt == "iso2709":
                new = sorted(named_back - named_read)
                if text_format(src):
                    new = sorted(back_diags - read_diags)
                check(not new, f"{name} -> iso2709: {new[:5]} read "
                      "back with diagnostics they did not have")
                if src == corpus and shutil.which("yaz-marcdump"):
                    r = subprocess.run(["yaz-marcdump", "-n", out],
                                       stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE)
                    check(r.returncode == 0 and not r.stderr,
                          f"corpus -> iso2709: yaz-marcdump says "
                          f"{r.stderr.decode()[:200]}")
print(f"{passed} passed, {failed} failed ({len(inputs)} inputs); "
      f"{silent_records} record round trips changed with no diagnostic")
sys.exit(1 if failed else 0)
