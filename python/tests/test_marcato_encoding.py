"""pymarc 5's file_encoding and hide_utf8_warnings on MARCReader and
Record: text in another codec than MARC-8 or UTF-8, and warnings for
character set repairs left out while the diagnostics stay."""

import io
import os
import unittest
import warnings

import marcato
from helpers import DATA

CP1251 = os.path.join(DATA, "1251.dat")
TITLE_1 = "Основы гидравлического расчета инженерных сетей"
TITLE_2 = "Психологический тренинг с подростками"


def _read(target, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        records = list(marcato.MARCReader(target, **kw))
    return records, [w for w in caught if issubclass(w.category, marcato.MarcWarning)]


def _raw_records(path):
    data = open(path, "rb").read()
    out, start = [], 0
    while start < len(data):
        end = data.index(b"\x1d", start) + 1
        out.append(data[start:end])
        start = end
    return out


def _bad_utf8_record():
    """marc.dat's first record marked UTF-8 (leader/09 'a') with one byte
    that is not UTF-8 (0xFF) in place of a letter: same length."""
    rec = bytearray(_raw_records(os.path.join(DATA, "marc.dat"))[0])
    rec[9] = ord("a")
    at = rec.index(b"\x1fa", int(rec[12:17]))
    rec[at + 3] = 0xFF
    return bytes(rec)


class FileEncodingTest(unittest.TestCase):
    def test_cp1251_records_become_utf8(self):
        records, _ = _read(CP1251, file_encoding="cp1251")
        self.assertEqual(len(records), 6)
        self.assertEqual(records[0]["245"]["a"], TITLE_1)
        self.assertEqual(records[1]["245"]["a"], TITLE_2)
        # UTF-8 now: leader/09 says so, and written back it reads the same
        # without the option.
        self.assertEqual(records[0].leader[9], "a")
        again = marcato.MARCReader(io.BytesIO(records[1].as_marc()))
        self.assertEqual(next(again)["245"]["a"], TITLE_2)

    def test_default_is_marc8(self):
        records, _ = _read(CP1251, permissive=True)
        titles = [r["245"]["a"] for r in records if r is not None]
        self.assertNotIn(TITLE_1, titles)
        self.assertNotIn(TITLE_2, titles)

    def test_control_fields_and_every_subfield(self):
        plain, _ = _read(CP1251, file_encoding="cp1251")
        for rec, raw in zip(plain, _raw_records(CP1251)):
            self.assertEqual(len(rec.fields), len(marcato.Record(raw).fields))
            for field in rec.fields:
                for sub in getattr(field, "subfields", []):
                    self.assertNotIn("\ufffd", sub.value)

    def test_record_and_decode_marc_take_it_too(self):
        raw = _raw_records(CP1251)[0]
        self.assertEqual(marcato.Record(raw, file_encoding="cp1251")["245"]["a"],
                         TITLE_1)
        rec = marcato.Record()
        rec.decode_marc(raw, encoding="cp1251")
        self.assertEqual(rec["245"]["a"], TITLE_1)

    def test_utf8_records_ignore_it(self):
        utf8 = os.path.join(DATA, "utf8_with_leader_flag.dat")
        want, _ = _read(utf8)
        got, _ = _read(utf8, file_encoding="cp1251")
        self.assertEqual([r.as_marc() for r in got], [r.as_marc() for r in want])

    def test_to_unicode_false_ignores_it(self):
        want, _ = _read(CP1251, to_unicode=False)
        got, _ = _read(CP1251, to_unicode=False, file_encoding="cp1251")
        self.assertEqual([r.as_marc() for r in got], [r.as_marc() for r in want])

    def test_text_the_codec_cannot_decode(self):
        with self.assertRaises(UnicodeDecodeError):
            next(marcato.MARCReader(CP1251, file_encoding="ascii"))
        reader = marcato.MARCReader(CP1251, file_encoding="ascii",
                                    permissive=True)
        self.assertIsNone(next(reader))
        self.assertIsInstance(reader.current_exception, UnicodeDecodeError)
        records, _ = _read(CP1251, file_encoding="ascii",
                           utf8_handling="replace")
        self.assertIn("\ufffd", records[0]["245"]["a"])

    def test_subfield_codes_that_are_not_ascii(self):
        # A code byte above 0x7F is text in the codec as well.
        path = os.path.join(DATA, "bad_subfield_code.dat")
        records, _ = _read(path, file_encoding="cp1251", permissive=True)
        self.assertTrue(records)
        for rec in records:
            self.assertIsNotNone(rec)
            str(rec)

    def test_unknown_codec(self):
        with self.assertRaises(LookupError):
            marcato.MARCReader(CP1251, file_encoding="no-such-codec")
        with self.assertRaises(LookupError):
            marcato.Record(_raw_records(CP1251)[0], file_encoding="no-such-codec")


class HideUtf8WarningsTest(unittest.TestCase):
    def _charset_warnings(self, caught):
        return [w for w in caught
                if any(c in str(w.message) for c in ("MARC8_", "UTF8_", "ENCODING_"))]

    def test_bad_utf8(self):
        data = _bad_utf8_record()
        records, caught = _read(data)
        self.assertEqual(len(self._charset_warnings(caught)), 1)
        records, caught = _read(data, hide_utf8_warnings=True)
        self.assertEqual(self._charset_warnings(caught), [])
        self.assertEqual([d.code for d in records[0].diagnostics], ["UTF8_INVALID"])

    def test_bad_marc8(self):
        path = os.path.join(DATA, "bad_marc8_escape.dat")
        records, caught = _read(path)
        self.assertGreater(len(self._charset_warnings(caught)), 0)
        records, caught = _read(path, hide_utf8_warnings=True)
        self.assertEqual(self._charset_warnings(caught), [])
        self.assertIn("MARC8_BAD_ESCAPE", [d.code for d in records[0].diagnostics])

    def test_other_repairs_still_warn(self):
        # A field without its terminator or a length that does not match is
        # not a character set problem; leader/09 mislabelled is one.
        path = os.path.join(DATA, "bad_subfield_code.dat")
        _, shown = _read(path, permissive=True)
        _, hidden = _read(path, permissive=True, hide_utf8_warnings=True)
        others = [str(w.message) for w in shown if w not in self._charset_warnings(shown)]
        self.assertGreater(len(others), 0)
        self.assertGreater(len(shown), len(others))
        self.assertEqual([str(w.message) for w in hidden], others)


if __name__ == "__main__":
    unittest.main()
