"""marcato.dask.read_marc on a distributed.LocalCluster of two worker
processes over a ~250 MB file: the same records as the single-process
reader (count, an order-independent checksum, values), every record once
whatever the block size."""

import marshal
import os
import unittest
import warnings
import zlib

import marcato
from big_file import big_file

try:
    import dask  # noqa: F401
    import distributed
    import pandas  # noqa: F401
except ImportError:  # scripts/setup.sh installs them
    distributed = None


def _checksum(d):
    # Both sides build their dicts with the same key order: marshal is a
    # fast, exact serialisation to sum over. Version 0: later versions write
    # back-references for objects seen twice (and by reference count), so
    # the bytes would depend on how strings happen to be shared.
    return zlib.crc32(marshal.dumps(d, 0))


@unittest.skipIf(distributed is None, "dask/distributed not installed")
class DaskTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.path = big_file()
        if cls.path is None:
            raise unittest.SkipTest("reference corpus absent")

    def test_local_cluster_matches_single_process(self):
        from marcato import dask as md

        count = checksum = 0
        titles = set()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for rec in marcato.MARCReader(self.path, permissive=True, salvage=True):
                d = rec.as_dict()
                count += 1
                checksum += _checksum(d)
                if len(titles) < 50 and rec["245"] is not None and rec["245"]["a"]:
                    titles.add(rec["245"]["a"])
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                      processes=True, dashboard_address=None) as cluster, \
                distributed.Client(cluster):
            bag = md.read_marc(self.path, blocksize=32 << 20)
            self.assertGreater(bag.npartitions, 5)
            got_count, got_sum = dask.compute(bag.count(), bag.map(_checksum).sum())
            self.assertEqual(got_count, count)
            self.assertEqual(got_sum, checksum)
            # MARCspec columns as a dask.dataframe (on the corpus itself:
            # the 250 MB file is it repeated).
            from big_file import CORPUS
            df = md.read_marc(CORPUS, blocksize=1 << 20,
                              columns=["001", "245$a"], join="|")
            n, found = dask.compute(df.shape[0], df["245$a"].isin(list(titles)).sum())
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                corpus = list(marcato.MARCReader(CORPUS, permissive=True, salvage=True))
            self.assertEqual(n, len(corpus))
            self.assertEqual(found, sum(1 for r in corpus
                                        if "|".join(r.select("245$a")) in titles))
            self.assertGreaterEqual(found, len(titles))

    def test_ranges_cover_every_record_once(self):
        from marcato import dask as md

        from big_file import CORPUS

        size = os.path.getsize(CORPUS)
        whole = md.read_range(CORPUS, 0, size)
        for parts in (2, 7, 64):
            got = []
            for k in range(parts):
                got += md.read_range(CORPUS, size * k // parts, size * (k + 1) // parts)
            self.assertEqual(got, whole, parts)


if __name__ == "__main__":
    unittest.main()
