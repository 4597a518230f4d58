"""Writers, as pymarc has them, on the core's writers.

Each takes a file object (bytes are written to it; text files get str) or a
path, which is written by the C code without the GIL. ``close()`` ends the
stream (</collection>, ']') and closes the file, unless close_fh=False.
"""

import io

from . import _marcato
from .exceptions import WriteNeedsRecord
from .record import Record


class _TextAdapter:
    """Bytes to a text file object (TextWriter / JSONWriter on open(.., 'w'))."""

    def __init__(self, fh):
        self.fh = fh

    def write(self, data):
        return self.fh.write(data.decode("utf-8"))


def _is_text(fh):
    return isinstance(fh, io.TextIOBase)


class Writer:
    """Base of the writers: write(record), close(close_fh=True)."""

    format = "iso2709"

    def __init__(self, file_handle, **options):
        self.file_handle = file_handle
        target = file_handle
        if not isinstance(file_handle, (str, bytes)) and not hasattr(
                file_handle, "__fspath__") and _is_text(file_handle):
            target = _TextAdapter(file_handle)
        self._w = _marcato.Writer(target, self.format, **options)

    def write(self, record):
        if not isinstance(record, Record):
            raise WriteNeedsRecord("a writer writes Record objects")
        self._w.write(record)

    def flush(self):
        self._w.flush()

    def close(self, close_fh=True):
        self._w._finish()
        fh = self.file_handle
        if hasattr(fh, "flush"):
            fh.flush()
        if close_fh and hasattr(fh, "close"):
            fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class MARCWriter(Writer):
    """ISO 2709. ``marc8=True`` (marcato's) writes MARC-8."""

    format = "iso2709"

    def __init__(self, file_handle, marc8=False):
        super().__init__(file_handle, marc8=marc8)


class XMLWriter(Writer):
    """A MARCXML <collection> (with the XML declaration)."""

    format = "marcxml"

    def __init__(self, file_handle):
        super().__init__(file_handle, xml_declaration=True)


class JSONWriter(Writer):
    """A JSON array of MARC-in-JSON records."""

    format = "json"


class JSONLinesWriter(Writer):
    """MARC-in-JSON, one record per line (marcato's)."""

    format = "jsonl"


class TextWriter:
    """str(record) for each record (pymarc's text form: =LDR, =245  10$a...),
    records separated by a blank line, to a text or binary file object."""

    def __init__(self, file_handle):
        self.file_handle = file_handle
        self._text = _is_text(file_handle)
        self._first = True

    def write(self, record):
        if not isinstance(record, Record):
            raise WriteNeedsRecord("a writer writes Record objects")
        text = ("" if self._first else "\n") + str(record)
        self._first = False
        self.file_handle.write(text if self._text else text.encode("utf-8"))

    def close(self, close_fh=True):
        if close_fh:
            self.file_handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class MARCMakerWriter(Writer):
    """MARCMaker (.mrk) as MarcEdit writes it, by the core's writer (blanks
    as '\\', '$' as {dollar}); MARCMakerReader reads it back."""

    format = "mrk"
