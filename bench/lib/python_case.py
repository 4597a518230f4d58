"""One timed case of bench/run's `python` scenario, run in a fresh
process (so peak RSS is the case's): prints one JSON line.

  python_case.py LIB CASE PATH [ARG]

LIB is `marcato` or `pymarc` (the peer, found through PYTHONPATH)."""
import io
import json
import os
import resource
import sys
import time
import warnings

warnings.simplefilter("ignore")


def read_245():
    n = 0
    with open(path, "rb") as fh:
        for r in mod.MARCReader(fh, permissive=True):
            n += 1
            if r is not None:
                f = r["245"]
                if f is not None:
                    f["a"]
    return n


def round_trip():
    n = 0
    out = io.BytesIO()
    with open(path, "rb") as fh:
        for r in mod.MARCReader(fh, permissive=True):
            if r is not None:
                out.write(r.as_marc())
                n += 1
    return n


def pipeline():
    threads, to, batch, queue = arg.split(",")
    it = mod.pipeline(path, threads=int(threads), to=to, batch=int(batch),
                      queue=int(queue), permissive=True, serial_below=0)
    n = 0
    for _ in it:
        n += 1
    return n


def first_record():
    t = time.perf_counter()
    if arg == "pipeline":
        it = mod.pipeline(path, threads=2, permissive=True, serial_below=0)
        next(it)
    else:
        next(iter(mod.MARCReader(path, permissive=True)))
    return time.perf_counter() - t


def writer():
    fmt, target = arg.split(",")
    cls = {"iso2709": mod.MARCWriter, "marcxml": mod.XMLWriter}[fmt]
    recs = [r for r in mod.MARCReader(path, permissive=True) if r is not None]
    out = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"py-writer-{os.getpid()}")
    t = time.perf_counter()
    w = cls(open(out, "wb") if target == "file" else out)
    for r in recs:
        w.write(r)
    w.close()
    t = time.perf_counter() - t
    os.unlink(out)
    return len(recs), t


def dask_count():
    from marcato import dask as md
    workers, block = (int(x) for x in arg.split(","))
    if workers == 0:  # one process: the same ranges, one after another
        t = time.perf_counter()
        n = sum(sum(len(d["fields"]) for d in md.read_range(p, a, b))
                for p, a, b in md._ranges(path, block))
        return n, time.perf_counter() - t
    import distributed
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                  processes=True, dashboard_address=None) as c, \
            distributed.Client(c):
        bag = md.read_marc(path, blocksize=block)
        t = time.perf_counter()
        n = bag.map(lambda d: len(d["fields"])).sum().compute()
        return n, time.perf_counter() - t


def main():
    global lib, case, path, arg, mod
    lib, case, path = sys.argv[1:4]
    arg = sys.argv[4] if len(sys.argv) > 4 else None
    if lib == "pymarc":
        import logging
        logging.disable(logging.CRITICAL)
    mod = __import__(lib)
    t0 = time.perf_counter()
    res = {"read245": read_245, "roundtrip": round_trip, "pipeline": pipeline,
           "first": first_record, "writer": writer, "dask": dask_count}[case]()
    seconds = time.perf_counter() - t0
    if isinstance(res, tuple):
        res, seconds = res
    out = {"value": res, "seconds": seconds,
           "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    print(json.dumps(out))


# Dask's worker processes import this file again: only run as a script.
if __name__ == "__main__":
    main()
