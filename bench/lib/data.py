"""The benchmark's input files, made from the real records of the shared
corpus (../shared/data/corpus): repeated to a size, or cut to a record
count. Files are written under a temporary name and renamed, and reused
when they exist with the right size, so re-running is cheap."""
import os

from common import log


def split_records(path):
    """The records of an ISO 2709 file, cut after each 0x1D terminator
    (damaged records stay as they are: they are part of real data)."""
    data = open(path, "rb").read()
    out, start = [], 0
    while True:
        i = data.find(b"\x1d", start)
        if i < 0:
            break
        out.append(data[start:i + 1])
        start = i + 1
    return out


def _write(path, parts_fn, size):
    if os.path.exists(path) and os.path.getsize(path) == size:
        return path
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "wb") as f:
        for p in parts_fn():
            f.write(p)
    os.replace(tmp, path)
    return path


def repeated(src, mb, data_dir):
    """SRC repeated to about MB megabytes, named as bench_read.sh names its
    files (so both share them): NAME-xCOPIES.mrc."""
    size = os.path.getsize(src)
    copies = max(1, (int(mb * 1e6) + size // 2) // size)
    name = os.path.basename(src)[:-4] if src.endswith(".mrc") else \
        os.path.basename(src)
    path = os.path.join(data_dir, f"{name}-x{copies}.mrc")
    if not (os.path.exists(path) and os.path.getsize(path) == copies * size):
        log(f"data: {os.path.basename(path)} ({copies * size / 1e6:.0f} MB)")
        blob = open(src, "rb").read()
        _write(path, lambda: (blob for _ in range(copies)), copies * size)
    return path


def counted(records, n, name, data_dir, start=0):
    """A file of N records taken cyclically from `records` from `start`."""
    path = os.path.join(data_dir, f"{name}.mrc")
    k = len(records)
    parts = [records[(start + i) % k] for i in range(n)]
    size = sum(len(p) for p in parts)
    return _write(path, lambda: parts, size)


def make_all(shared, data_dir, quick, smoke=False):
    """Every input the scenarios use; a dict of name -> path (and lists
    for the many-file sets)."""
    os.makedirs(data_dir, exist_ok=True)
    corpus = os.path.join(shared, "corpus")
    all_src = os.path.join(corpus, "real-all.mrc")
    m8_src = os.path.join(corpus, "real-marc8.mrc")
    u8_src = os.path.join(corpus, "real-utf8.mrc")
    recs = split_records(all_src)
    d = {"source": all_src, "source_records": len(recs)}
    d["tiny1"] = counted(recs, 1, "tiny-1", data_dir)
    d["tiny10"] = counted(recs, 10, "tiny-10", data_dir)
    d["k1"] = counted(recs, 1000, "records-1k", data_dir)
    d["k10"] = counted(recs, 10000, "records-10k", data_dir)
    if smoke:
        large_mb, mid_mb, m8_mb, rss = 11, 11, 5, [11]
    elif quick:
        large_mb, mid_mb, m8_mb, rss = 21, 11, 11, [11, 53]
    else:
        large_mb, mid_mb, m8_mb, rss = 245, 53, 50, [11, 100, 1000]
    d["large"] = repeated(all_src, large_mb, data_dir)
    d["mid"] = repeated(all_src, mid_mb, data_dir)
    d["marc8"] = repeated(m8_src, m8_mb, data_dir)
    d["utf8"] = repeated(u8_src, m8_mb, data_dir)
    d["rss"] = [repeated(all_src, mb, data_dir) for mb in rss]
    # Many files: distinct record mixes (start offsets spread over the
    # corpus), so no two files are byte-identical.
    n = len(recs)
    ten_k = [counted(recs, 10000, f"many-10k-{i + 1}", data_dir,
                     start=i * n // 4) for i in range(4)]
    one_k = [counted(recs, 1000, f"many-1k-{i + 1}", data_dir,
                     start=i * n // 8) for i in range(8)]
    d["many"] = {"4 x 10k": ten_k, "8 x 1k": one_k, "2 x 10k": ten_k[:2]}
    return d
