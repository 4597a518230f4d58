"""MARCXML functions, as pymarc has them, on the core's expat reader and
its MARCXML writer."""

from . import _marcato
from .reader import XMLReader

IN_COLLECTION = 1  # MARC_WRITE_IN_COLLECTION: no namespace on <record>


def parse_xml_to_array(xml_file, strict=False, normalize_form=None):
    """Every record of a MARCXML path or file object, as a list.

    ``strict`` makes a damaged record raise (else it is read as far as it
    goes, with warnings). ``normalize_form`` is accepted for pymarc's sake;
    the text is what the file holds."""
    return list(XMLReader(xml_file, permissive=not strict, salvage=True))


def map_xml(function, *files):
    """Call function(record) for every record of each MARCXML file."""
    for f in files:
        for record in XMLReader(f, permissive=True, salvage=True):
            if record is not None:
                function(record)


def record_to_xml(record, quiet=False, namespace=False):
    """One record as a MARCXML <record> element (bytes)."""
    return _marcato.encode(record, "marcxml", 0 if namespace else IN_COLLECTION)
