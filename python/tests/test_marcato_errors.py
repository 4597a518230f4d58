"""Bad input: strict mode raises MarcError subclasses with the core's code,
byte offset and record number; permissive mode yields None (or, with
salvage, the salvaged record) and warns; nothing crashes the interpreter."""

import glob
import io
import os
import unittest
import warnings

import marcato
from helpers import DATA, SHARED

BAD = os.path.join(DATA, "bad_records.mrc")
FIXTURES = os.path.join(SHARED, "sources", "mrrc-error-fixtures")
CORPUS = os.path.join(SHARED, "corpus", "real-all.mrc")


class StrictTest(unittest.TestCase):
    def test_strict_raises_with_code_offset_record(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = marcato.MARCReader(BAD)
            first = next(reader)
            self.assertEqual(first["245"]["a"], "The pragmatic programmer : ")
            with self.assertRaises(marcato.MarcError) as cm:
                next(reader)
        e = cm.exception
        self.assertIsInstance(e, marcato.PymarcException)
        self.assertIsInstance(e, marcato.BaseAddressInvalid)
        self.assertEqual(e.code, "BASE_ADDRESS")
        self.assertEqual(e.record, 1)
        # the first record's length, then leader/12 of the second
        self.assertEqual(e.offset, int(open(BAD, 'rb').read(5)) + 12)
        self.assertIn("record 2 at byte", str(e))

    def test_reader_goes_on_after_an_error(self):
        reader = marcato.MARCReader(BAD)
        seen, errors = 0, 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            while True:
                try:
                    next(reader)
                    seen += 1
                except marcato.MarcError:
                    errors += 1
                except StopIteration:
                    break
        self.assertEqual(seen + errors, 8)
        self.assertGreaterEqual(errors, 4)


class PermissiveTest(unittest.TestCase):
    def test_none_and_current_exception(self):
        reader = marcato.MARCReader(open(BAD, "rb"), permissive=True)
        results = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for rec in reader:
                results.append((rec, reader.current_exception))
        reader.close()
        self.assertEqual(len(results), 8)
        self.assertIsNotNone(results[0][0])
        self.assertIsNone(results[0][1])
        self.assertEqual(results[-1][0]["245"]["c"], "Andrew Hunt, David Thomas.")
        nones = [exc for rec, exc in results if rec is None]
        self.assertGreaterEqual(len(nones), 4)
        for exc in nones:
            self.assertIsInstance(exc, marcato.MarcError)
            self.assertIsNotNone(exc.offset)
        self.assertIsInstance(results[1][1], marcato.BaseAddressInvalid)

    def test_current_chunk_holds_the_bad_record(self):
        data = open(BAD, "rb").read()
        reader = marcato.MARCReader(data, permissive=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            next(reader)
            self.assertIsNone(reader.current_chunk)  # a sound record
            self.assertIsNone(next(reader))
        chunk = reader.current_chunk
        first = int(data[:5])
        self.assertEqual(chunk, data[first:first + len(chunk)])
        self.assertEqual(int(chunk[:5]), len(chunk))

    def test_salvage_keeps_records_and_diagnostics(self):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            recs = list(marcato.MARCReader(BAD, permissive=True, salvage=True))
        self.assertTrue(all(r is not None for r in recs))
        damaged = [r for r in recs if r.diagnostics]
        self.assertTrue(damaged)
        d = damaged[0].diagnostics[0]
        self.assertTrue(d.code and d.message)
        self.assertTrue(any(issubclass(w.category, marcato.MarcWarning)
                            for w in caught))


def _damaged_inputs():
    """Damaged files from the reference data, plus cut and corrupted copies
    of a real file: (name, bytes)."""
    for path in sorted(glob.glob(os.path.join(FIXTURES, "*.bin"))):
        yield os.path.basename(path), open(path, "rb").read()
    for name in ("bad_records.mrc", "bad_indicator.dat", "bad_subfield_code.dat",
                 "bad_eacc_encoding.dat", "bad_marc8_escape.dat", "utf8_invalid.mrc",
                 "utf8_errors.dat"):
        yield name, open(os.path.join(DATA, name), "rb").read()
    real = open(os.path.join(DATA, "marc.dat"), "rb").read()
    for cut in range(1, len(real), 997):
        yield f"marc.dat[:{cut}]", real[:cut]
    for k in range(0, len(real), 409):
        damaged = bytearray(real)
        damaged[k] = (damaged[k] + 0x1D) % 256
        yield f"marc.dat byte {k}", bytes(damaged)


class RobustnessTest(unittest.TestCase):
    """Fuzz-style: every damaged input reads to the end in every mode,
    through bytes, a file object and the pipeline, and every record read
    can be accessed and written back."""

    def test_damaged_inputs(self):
        count = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for name, data in _damaged_inputs():
                count += 1
                with self.subTest(name=name):
                    for kw in ({"permissive": True},
                               {"permissive": True, "salvage": True},
                               {"permissive": True, "utf8_handling": "replace"},
                               {"permissive": True, "to_unicode": False}):
                        for src in (data, io.BytesIO(data)):
                            for rec in marcato.MARCReader(src, **kw):
                                if rec is None:
                                    continue
                                rec["245"], rec.fields, rec.title, str(rec)
                                rec.as_marc() if len(data) < 90000 else None
                                rec.as_dict()
                    strict = marcato.MARCReader(data)
                    while True:
                        try:
                            next(strict)
                        except marcato.MarcError:
                            continue
                        except UnicodeDecodeError:
                            continue
                        except StopIteration:
                            break
                    list(marcato.pipeline(data, threads=2, permissive=True))
        self.assertGreater(count, 40)


REGRESSIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                           "..", "tests", "data", "fuzz-python")


class DiagnosticTextTest(unittest.TestCase):
    """A problem whose message quotes input bytes that are not UTF-8 (a
    directory entry with 0xBA) is reported with them as \\xNN, in the
    exception, the warning and record.diagnostics alike, instead of a
    UnicodeDecodeError out of the reader (a fuzz_python finding)."""

    def test_bytes_quoted_in_messages(self):
        path = os.path.join(REGRESSIONS, "python-diagnostic-not-utf8")
        if not os.path.exists(path):
            self.skipTest("the repository's tests/data is absent")
        reader = marcato.MARCReader(path, permissive=True, to_unicode=False)
        self.assertEqual(list(reader), [None])
        self.assertIn("\\xba", str(reader.current_exception))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            recs = list(marcato.MARCReader(path, permissive=True, salvage=True))
        self.assertIn("\\xba", " ".join(str(w.message) for w in caught))
        self.assertIn("\\xba", " ".join(d.message for d in recs[0].diagnostics))


class UnwritableRecordTest(unittest.TestCase):
    """A salvaged record whose fields, once Python objects, hold a byte
    ISO 2709 cannot carry: as_marc() raises a MarcError (BAD_VALUE), not
    MemoryError (a fuzz_python finding)."""

    def test_as_marc_raises_marc_error(self):
        path = os.path.join(REGRESSIONS, "python-salvaged-field-not-writable")
        if not os.path.exists(path):
            self.skipTest("the repository's tests/data is absent")
        refused = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for rec in marcato.MARCReader(path, permissive=True, salvage=True):
                if rec is None:
                    continue
                rec.fields  # materialised: written from the Python fields
                try:
                    rec.as_marc()
                except marcato.MarcError as e:
                    self.assertEqual(e.code, "BAD_VALUE")
                    refused += 1
        self.assertGreater(refused, 0)


if __name__ == "__main__":
    unittest.main()


class NulTagTest(unittest.TestCase):
    """A tag holding NUL bytes, as lenient reading keeps it, survives the
    record's fields becoming Python objects: as_dict() and as_json() give
    the tag as read and as_marc() refuses it with a MarcError, where all
    three raised MemoryError (a fuzz_python finding)."""

    def test_tag_with_nul_is_rebuilt(self):
        path = os.path.join(REGRESSIONS, "python-nul-tag-materialised")
        if not os.path.exists(path):
            self.skipTest("the repository's tests/data is absent")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rec = next(iter(marcato.MARCReader(path, permissive=True)))
            self.assertEqual(rec.fields[0].tag, "\x00\x001")
            first = list(rec.as_dict()["fields"][0])
            self.assertEqual(first, ["\x00\x001"])
            self.assertIn('"\\u0000\\u00001"', rec.as_json())
            # ISO 2709 cannot carry the NUL: refused, as documented.
            with self.assertRaises(marcato.MarcError) as refused:
                rec.as_marc()
        self.assertEqual(refused.exception.code, "BAD_VALUE")
