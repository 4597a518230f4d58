"""The ~250 MB ISO 2709 file the Dask test and the benchmark read: the
reference corpus's real records, repeated, built once into the build dir."""

import os

from helpers import HERE, SHARED

CORPUS = os.path.join(SHARED, "corpus", "real-all.mrc")
BUILD = os.environ.get("MARCATO_PY_BUILD",
                       os.path.join(HERE, "..", "..", "build", "python"))


def big_file(megabytes=250):
    """The path of the file (None when the corpus is absent)."""
    if not os.path.exists(CORPUS):
        return None
    path = os.path.join(BUILD, f"real-all-{megabytes}mb.mrc")
    if not os.path.exists(path):
        os.makedirs(BUILD, exist_ok=True)
        data = open(CORPUS, "rb").read()
        times = max(1, (megabytes << 20) // len(data))
        with open(path + ".tmp", "wb") as out:
            for _ in range(times):
                out.write(data)
        os.replace(path + ".tmp", path)
    return path
