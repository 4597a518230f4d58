"""marcato: MARC 21 records on marcato's C core, with pymarc's API.

    import marcato
    with open('records.mrc', 'rb') as fh:
        for record in marcato.MARCReader(fh):
            print(record['245']['a'], record.title)

See the repository's README (section "Python") for the pipeline, Dask and
what differs from pymarc.
"""

from . import _marcato
from .exceptions import (BadLeaderValue, BadSubfieldCodeWarning,
                         BaseAddressInvalid, BaseAddressNotFound,
                         EndOfRecordNotFound, FieldNotFound, MarcError,
                         MarcWarning, NoActiveFile, NoFieldsFound,
                         PymarcException, RecordDirectoryInvalid,
                         RecordLeaderInvalid, RecordLengthInvalid,
                         RecordTooLong, WriteNeedsRecord, _make_error)
from .field import Field, Indicators, RawField, Subfield
from .leader import Leader
from .marcxml import map_xml, parse_xml_to_array, record_to_xml
from .pipeline import pipeline
from .reader import (JSONReader, MARCMakerReader, MARCReader, XMLReader,
                     map_records, parse_json_to_array)
from .record import Diagnostic, Problem, Record
from .writer import (JSONLinesWriter, JSONWriter, MARCMakerWriter, MARCWriter,
                     TextWriter, Writer, XMLWriter)



def marc8_to_unicode(marc8, hide_utf8_warnings=False, nfc=True):
    """MARC-8 bytes as str (pymarc's name; composed to NFC by default)."""
    return _marcato.marc8_to_utf8(marc8, nfc)


_marcato._configure(Record, Field, Subfield, Leader, _make_error, MarcWarning)

__version__ = "0.1.0"
core_version = _marcato.core_version

__all__ = [
    "BadLeaderValue", "BadSubfieldCodeWarning", "BaseAddressInvalid",
    "BaseAddressNotFound", "Diagnostic", "EndOfRecordNotFound", "Field",
    "FieldNotFound", "Indicators", "JSONLinesWriter", "JSONReader",
    "JSONWriter", "Leader", "MARCMakerReader", "MARCMakerWriter",
    "MARCReader", "MARCWriter", "MarcError", "MarcWarning", "NoActiveFile",
    "NoFieldsFound", "Problem", "PymarcException", "RawField", "Record",
    "RecordDirectoryInvalid", "RecordLeaderInvalid", "RecordLengthInvalid",
    "RecordTooLong", "Subfield", "TextWriter", "Writer", "WriteNeedsRecord",
    "XMLReader", "XMLWriter", "map_records", "map_xml", "parse_xml_to_array",
    "marc8_to_unicode", "parse_json_to_array", "pipeline", "record_to_xml",
]
