"""marcato's own surface: the pipeline against MARCReader, writers to paths
and file objects, the other formats, MARCspec and validation."""

import io
import os
import tempfile
import unittest
import warnings

import marcato
from helpers import DATA, SHARED

CORPUS = os.path.join(SHARED, "corpus", "real-all.mrc")
MARC = os.path.join(DATA, "marc.dat")


def _records(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [r for r in marcato.MARCReader(path, permissive=True)]


class PipelineTest(unittest.TestCase):
    @unittest.skipUnless(os.path.exists(CORPUS), "reference corpus absent")
    def test_pipeline_equals_reader_in_order(self):
        expected = [r.as_marc() if r else None for r in _records(CORPUS)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for threads, batch in ((1, 1000), (2, 10), (2, 1000)):
                it = marcato.pipeline(CORPUS, threads=threads, batch=batch,
                                      queue=3, permissive=True, serial_below=0)
                got = [r.as_marc() if r else None for r in it]
                self.assertEqual(got, expected, (threads, batch))
                self.assertEqual(it.stats["threads"], threads)
            xml = list(marcato.pipeline(CORPUS, threads=2, to="marcxml",
                                        permissive=True))
        self.assertEqual(len(xml), len(expected))
        self.assertTrue(xml[0].startswith(b"<record"))

    def test_inputs_of_every_kind(self):
        data = open(MARC, "rb").read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = [r["245"]["a"] for r in marcato.pipeline([MARC, data, io.BytesIO(data)])]
        one = [r["245"]["a"] for r in _records(MARC)]
        self.assertEqual(a, one * 3)

    def test_early_stop(self):
        it = marcato.pipeline([MARC] * 50, threads=2, batch=1, queue=1,
                              serial_below=0)
        self.assertIsNotNone(next(it))
        del it  # the native run is cancelled and joined

    def _accounted(self, stats, handed):
        # Every record a worker decoded was handed out or freed unread.
        self.assertEqual(stats["handed_out"], handed)
        self.assertEqual(stats["decoded"], stats["handed_out"] + stats["dropped"])

    def test_every_record_handed_out_or_freed(self):
        for threads, batch in ((1, 10), (2, 10), (2, 1000)):
            with self.subTest(threads=threads, batch=batch):
                it = marcato.pipeline([MARC] * 200, threads=threads,
                                      batch=batch, serial_below=0)
                n = 0
                for _ in it:
                    n += 1
                    if n == 3:
                        break
                it.close()
                self._accounted(it.stats, 3)
                # the rest of the first batch at least was freed unread
                self.assertGreater(it.stats["dropped"], 0)
                self.assertEqual(list(it), [])  # closed: the iterator ends
        full = marcato.pipeline([MARC] * 20, threads=2, batch=10,
                                serial_below=0)
        n = sum(1 for _ in full)
        self._accounted(full.stats, n)
        self.assertEqual(full.stats["dropped"], 0)

    def test_generator_close_closes_the_pipeline(self):
        runs = []

        def records():
            with marcato.pipeline([MARC] * 200, threads=2, batch=10,
                                  serial_below=0) as it:
                runs.append(it)
                yield from it

        gen = records()
        next(gen)
        next(gen)
        gen.close()  # GeneratorExit leaves the with block: close()
        self._accounted(runs[0].stats, 2)
        self.assertEqual(list(runs[0]), [])


class FormatAutoTest(unittest.TestCase):
    def test_auto_sniffs_every_format(self):
        recs = _records(MARC)
        want = [r.as_marc() for r in recs]
        xml = b"".join([b"<collection>"] + [marcato.record_to_xml(r) for r in recs]
                       + [b"</collection>"])
        for data in (open(MARC, "rb").read(), xml):
            got = [r.as_marc() for r in marcato.MARCReader(data, format="auto")]
            self.assertEqual(got, want)


class WriterTest(unittest.TestCase):
    def test_path_and_file_object_write_the_same(self):
        recs = _records(MARC)
        for cls in (marcato.MARCWriter, marcato.XMLWriter, marcato.JSONWriter,
                    marcato.MARCMakerWriter):
            buf = io.BytesIO()
            w = cls(buf)
            for r in recs:
                w.write(r)
            w.close(close_fh=False)
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "out")
                w = cls(path)
                for r in recs:
                    w.write(r)
                w.close()
                self.assertEqual(open(path, "rb").read(), buf.getvalue(), cls)

    def test_round_trips(self):
        recs = _records(MARC)
        buf = io.BytesIO()
        w = marcato.XMLWriter(buf)
        for r in recs:
            w.write(r)
        w.close(close_fh=False)
        back = marcato.parse_xml_to_array(io.BytesIO(buf.getvalue()))
        self.assertEqual([r.as_marc() for r in back], [r.as_marc() for r in recs])
        js = marcato.JSONReader(b"[" + b",".join(r.as_json().encode() for r in recs) + b"]")
        self.assertEqual([r.as_dict() for r in js], [r.as_dict() for r in recs])
        mrk = marcato.MARCMakerReader(b"".join(r.as_mrk().encode() for r in recs))
        self.assertEqual([r.as_marc() for r in mrk], [r.as_marc() for r in recs])
        seen = []
        marcato.map_xml(seen.append, io.BytesIO(buf.getvalue()))
        self.assertEqual(len(seen), len(recs))
        self.assertIn(b"<record>", marcato.record_to_xml(recs[0]))

    def test_marc8_written_and_read_back(self):
        recs = _records(os.path.join(DATA, "test_marc8.txt").replace(".txt", ".dat")) \
            if os.path.exists(os.path.join(DATA, "test_marc8.dat")) else _records(
                os.path.join(DATA, "marc8.dat"))
        for r in recs:
            m8 = r.as_marc8()
            self.assertEqual(m8[9:10], b" ")
            back = marcato.Record(m8)
            self.assertEqual(back.title, r.title)


class EditTest(unittest.TestCase):
    def test_edits_reach_the_output(self):
        r = _records(MARC)[0]
        r["245"].add_subfield("z", "added")
        r.add_field(marcato.Field("999", marcato.Indicators(" ", " "),
                                  [marcato.Subfield("a", "x")]))
        r.remove_fields("650")
        back = marcato.Record(r.as_marc())
        self.assertEqual(back["245"]["z"], "added")
        self.assertEqual(back["999"]["a"], "x")
        self.assertEqual(back.get_fields("650"), [])
        r.leader.record_status = "c"
        self.assertEqual(marcato.Record(r.as_marc()).leader[5], "c")


class SpecAndValidationTest(unittest.TestCase):
    def test_select(self):
        r = _records(MARC)[0]
        self.assertEqual(r.select("245$a"), [r["245"]["a"]])
        self.assertEqual(r.select("LDR/06"), [str(r.leader)[6]])
        self.assertEqual(r.select("650$a"), [f["a"] for f in r.get_fields("650")
                                             if f["a"] is not None])
        with self.assertRaises(ValueError):
            r.select("245$a{$2=lcsh}")

    def test_validate(self):
        r = _records(MARC)[0]
        r.add_field(marcato.Field("245", [" ", " "], ["a", "second title"]))
        rules = {p.rule for p in r.validate()}
        self.assertIn("nonrepeatableField", rules)


CLI = os.environ.get("MARCATO_CLI", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "build", "native",
    "native", "marcato"))


@unittest.skipUnless(os.path.exists(CLI), "the marcato command is not built")
class SameAsCliTest(unittest.TestCase):
    """The package and `marcato select` (one core, two front ends) give the
    same values for every record of the corpus."""

    def test_select_matches_the_cli(self):
        import json
        import subprocess

        path = CORPUS if os.path.exists(CORPUS) else MARC
        specs = ["001", "245$a", "650$a", "LDR/06"]
        cmd = [CLI, "select", "-q", "--nfc", "-t", "jsonl"]  # NFC as pymarc
        for spec in specs:
            cmd += ["-s", spec]
        out = subprocess.run(cmd + [path], stdout=subprocess.PIPE).stdout
        cli = [json.loads(line) for line in out.decode().splitlines()]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ours = list(marcato.MARCReader(path, permissive=True, salvage=True))
        self.assertEqual(len(cli), len(ours))
        for row, rec in zip(cli, ours):
            for spec in specs:
                self.assertEqual(rec.select(spec), row[spec], (row["record"], spec))


if __name__ == "__main__":
    unittest.main()
