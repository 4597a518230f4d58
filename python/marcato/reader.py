"""MARCReader and the other readers, as pymarc has them."""

import io

from . import _marcato


class MARCReader(_marcato.Reader):
    """Iterate the records of a path, bytes or a binary file object.

    pymarc's arguments: ``to_unicode`` (MARC-8 becomes UTF-8 text; False
    reads text as Latin-1, unconverted), ``force_utf8`` (read every record
    as UTF-8 whatever leader/09 says), ``utf8_handling`` ('strict',
    'replace', 'ignore': bytes that are not UTF-8), ``file_encoding`` (the
    default 'iso8859-1' reads records whose leader/09 is not 'a' as MARC-8;
    another Python codec, e.g. 'cp1251', decodes their text instead, and
    they become UTF-8 records), ``hide_utf8_warnings`` (no warnings for
    character set repairs: bad UTF-8 or MARC-8 replaced; they stay on
    ``record.diagnostics``), ``permissive`` (a record that cannot be read
    yields None and ``current_exception`` says why, instead of raising).
    marcato's: ``format`` ('iso2709' by default;
    'marcxml', 'json', 'jsonl', 'mrk' or 'auto'), ``salvage`` (permissive:
    yield what the core salvaged of such a record instead of None) and
    ``batch`` (records decoded per crossing into C).

    Repaired problems are warnings (MarcWarning) and stay on
    ``record.diagnostics``.
    """

    def __init__(self, marc_target, to_unicode=True, force_utf8=False,
                 hide_utf8_warnings=False, utf8_handling="strict",
                 file_encoding="iso8859-1", permissive=False, *,
                 format="iso2709", salvage=False, batch=256):
        super().__init__(marc_target, to_unicode, force_utf8,
                         hide_utf8_warnings, utf8_handling, file_encoding,
                         permissive, format, salvage, batch)

    def close(self):
        """Close the input (the file object too, as pymarc does)."""
        self._close_input()
        if self.file_handle is not None:
            self.file_handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _text_to_bytes(target):
    """A text file object's content as bytes (the text formats may come
    from open(path) without 'b')."""
    if isinstance(target, io.TextIOBase):
        return target.read().encode("utf-8")
    if isinstance(target, str) and target.lstrip()[:1] in ("[", "{", "<"):
        return target.encode("utf-8")
    return target


class XMLReader(MARCReader):
    """MARCXML records (a <collection> or a lone <record>)."""

    def __init__(self, target, **kw):
        super().__init__(_text_to_bytes(target), format="marcxml", **kw)


class JSONReader(MARCReader):
    """MARC-in-JSON records (an array, objects one after another, or JSON
    Lines). Also takes a str of JSON."""

    def __init__(self, target, **kw):
        super().__init__(_text_to_bytes(target), format="json", **kw)


class MARCMakerReader(MARCReader):
    """MARCMaker (.mrk) records."""

    def __init__(self, target, **kw):
        super().__init__(target, format="mrk", **kw)


def map_records(f, *files):
    """Call f(record) for every record of every file (pymarc's map_records)."""
    for fh in files:
        for record in MARCReader(fh):
            f(record)


def parse_json_to_array(json_file):
    """Every record of a MARC-in-JSON path, file object or str, as a list."""
    return list(JSONReader(json_file))
