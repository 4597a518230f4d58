#!/usr/bin/env python3
"""Sandwich test: each damaged ISO 2709 file (the peer table's files) put
between two copies of a clean file; converted by the CLI to every format,
the clean records before and after it must come out byte for byte as the
clean file alone gives them. A damaged record must not take a sound
neighbour with it, shift it, or change how it is written.

usage: sandwich.py MARCATO TEST_DATA SHARED_DATA [CLEAN]
  CLEAN defaults to TEST_DATA/pymarc/test.dat (10 sound MARC-8 records).
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_table import inputs  # noqa: E402  (the same damaged files)

FORMATS = ["iso2709", "marcxml", "json", "jsonl", "mrk", "text"]


def records(fmt, data):
    """The output cut into records, each as written."""
    if fmt == "iso2709":
        return [r + b"\x1d" for r in data.split(b"\x1d")[:-1]]
    if fmt == "marcxml":
        return re.findall(rb"<record[ >].*?</record>", data, re.S)
    if fmt == "json":  # one record per line, "," between them
        return [line.rstrip(b",") for line in data.split(b"\n")
                if line.startswith(b"{")]
    if fmt == "jsonl":
        return [line for line in data.split(b"\n") if line]
    return [r for r in data.split(b"\n\n") if r.strip()]  # mrk, text


def convert(marcato, fmt, path):
    r = subprocess.run([marcato, "convert", "-t", fmt, path],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return r.stdout


def main():
    marcato, testdata, shared = sys.argv[1:4]
    clean = sys.argv[4] if len(sys.argv) > 4 else \
        os.path.join(testdata, "pymarc", "test.dat")
    with open(clean, "rb") as f:
        clean_bytes = f.read()
    alone = {fmt: records(fmt, convert(marcato, fmt, clean))
             for fmt in FORMATS}
    n = len(alone["iso2709"])
    for fmt in FORMATS:
        if len(alone[fmt]) != n:
            print(f"FAIL: {fmt}: the clean file gives {len(alone[fmt])} "
                  f"records, not {n}")
            return 1
    failed = checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sandwich.mrc")
        for name, damaged in inputs(testdata, shared):
            with open(damaged, "rb") as f:
                middle = f.read()
            with open(path, "wb") as f:
                f.write(clean_bytes + middle + clean_bytes)
            for fmt in FORMATS:
                got = records(fmt, convert(marcato, fmt, path))
                checked += 1
                if len(got) < 2 * n or got[:n] != alone[fmt] or \
                        got[-n:] != alone[fmt]:
                    bad = [i for i in range(min(n, len(got)))
                           if got[i] != alone[fmt][i]] + \
                          [len(got) - n + i for i in range(min(n, len(got)))
                           if got[len(got) - n + i] != alone[fmt][i]]
                    print(f"FAIL: {name} -> {fmt}: {len(got)} records, "
                          f"clean ones that differ: {bad[:6]}")
                    failed += 1
    print(f"{checked} sandwiches ({n} clean records on each side), "
          f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
