"""Reading ISO 2709 files with Dask, one task per byte range.

Each file is cut into ranges of ``blocksize`` bytes; a task reads the
records that *start* in its range, beginning just after the first record
terminator at or after the range's start (the core's ``marc_range_first``,
the rule ``marcato split --range`` uses), so every record is read exactly
once whatever the block size. Tasks open the files by path: on a cluster
of several machines the paths must name the same files on every worker (a
shared file system).
"""

import os

from . import _marcato


def _ranges(paths, blocksize):
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for path in paths:
        path = os.fspath(path)
        size = os.path.getsize(path)
        start = 0
        while True:
            end = min(size, start + blocksize)
            yield path, start, end
            if end >= size:
                break
            start = end


def read_range(path, start, end, columns=None):
    """The records starting in bytes [start, end) of an ISO 2709 file: a list
    of MARC-in-JSON dicts, or with ``columns`` (MARCspecs) a dict of value
    lists per spec (one list of str per record)."""
    if columns is None:
        return _marcato.read_range(path, start, end)
    cols = _marcato.read_range(path, start, end, tuple(columns))
    return dict(zip(columns, cols))


def _frame(path, start, end, columns, join):
    import pandas as pd

    data = read_range(path, start, end, columns)
    if join is not None:
        data = {k: [join.join(v) for v in vals] for k, vals in data.items()}
    return pd.DataFrame(data, columns=list(columns))


def read_marc(paths, blocksize=64 << 20, columns=None, join=None):
    """A dask.bag of records (dicts in MARC-in-JSON shape) from ISO 2709
    files, or with ``columns=['001', '245$a', ...]`` (MARCspecs) a
    dask.dataframe with one column per spec holding each record's values as
    a list of str (joined by ``join`` into one str when given)."""
    import dask
    import dask.bag as db

    ranges = list(_ranges(paths, int(blocksize)))
    if columns is None:
        parts = [dask.delayed(read_range)(p, a, b) for p, a, b in ranges]
        return db.from_delayed(parts)
    import dask.dataframe as dd
    import pandas as pd

    columns = list(columns)
    for spec in columns:  # a malformed spec fails here, not in a task
        _marcato.read_range(os.devnull, 0, 0, (spec,))
    meta = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    parts = [dask.delayed(_frame)(p, a, b, columns, join) for p, a, b in ranges]
    return dd.from_delayed(parts, meta=meta)
