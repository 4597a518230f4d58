"""Python package scenarios against pymarc 3.2.0 in the same run.

    PYTHONPATH=../shared/peers/pymarc-3.2.0 build/python/venv/bin/python bench/python.py

Prints records/s and the ratios; not yet a section of bench/run."""

import io
import os
import resource
import sys
import time
import warnings

warnings.simplefilter("ignore")
import marcato  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
UTF8 = os.path.join(HERE, "..", "..", "shared", "data", "corpus", "real-utf8.mrc")
sys.path.insert(0, os.path.join(HERE, "..", "python", "tests"))
from big_file import big_file  # noqa: E402


def timed(fn):
    t = time.perf_counter()
    n = fn()
    return n, time.perf_counter() - t


def read_245(mod, path):
    n = 0
    with open(path, "rb") as fh:
        for r in mod.MARCReader(fh, permissive=True):
            n += 1
            if r is not None and r["245"] is not None:
                r["245"]["a"]
    return n


def round_trip(mod, path):
    n = 0
    out = io.BytesIO()
    with open(path, "rb") as fh:
        for r in mod.MARCReader(fh, permissive=True):
            if r is not None:
                out.write(r.as_marc())
                n += 1
    return n


def main():
    import pymarc
    rows = []
    for name, fn in (("read + 245$a", read_245), ("read + as_marc", round_trip)):
        n, tm = timed(lambda: fn(marcato, UTF8))
        n2, tp = timed(lambda: fn(pymarc, UTF8))
        rows.append((name, n / tm, n2 / tp, tp / tm))
    for name, m, p, x in rows:
        print(f"{name:16s} marcato {m:10.0f} rec/s  pymarc {p:8.0f} rec/s  {x:5.1f}x")
    big = big_file()
    base = None
    for threads in (1, 2):
        n, t = timed(lambda: sum(1 for _ in marcato.pipeline(
            big, threads=threads, to="marcxml", permissive=True)))
        base = base or t
        print(f"pipeline(threads={threads}, to=marcxml) {n / t:10.0f} rec/s  {base / t:4.2f}x")
    for batch in (1, 10, 100, 1000):
        n, t = timed(lambda: sum(1 for _ in marcato.pipeline(
            UTF8, threads=2, batch=batch, permissive=True, serial_below=0)))
        print(f"pipeline(batch={batch:4d}) records {n / t:10.0f} rec/s")
    t = time.perf_counter()
    next(iter(marcato.MARCReader(big)))
    print(f"time to first record (MARCReader, 250 MB path) {1000 * (time.perf_counter() - t):.2f} ms")
    recs = [r for r in marcato.MARCReader(UTF8, permissive=True) if r is not None]
    for target in ("file object", "path"):
        t = time.perf_counter()
        w = marcato.MARCWriter(io.BytesIO() if target == "file object" else "/dev/null")
        for r in recs:
            w.write(r)
        w.close(close_fh=False)
        print(f"MARCWriter to {target:11s} {len(recs) / (time.perf_counter() - t):10.0f} rec/s")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
