"""Record, as pymarc 5 has it, on the C core.

A record read from a file is the core's parsed record (text already UTF-8);
Field objects are made only for the fields asked for. Properties and method
names follow pymarc (BSD-2-Clause); ``select``, ``validate``,
``diagnostics``, ``offset`` and ``as_marc8`` / ``as_xml`` / ``as_mrk`` are
marcato's.
"""

import json
import re
from io import BytesIO
from collections import namedtuple

from . import _marcato
from .exceptions import FieldNotFound, RecordLeaderInvalid
from .field import Field
from .leader import Leader

isbn_regex = re.compile(r"([0-9\-xX]+)")

Diagnostic = namedtuple("Diagnostic", ["code", "message", "offset", "record", "tag"])
Problem = namedtuple("Problem", ["rule", "message", "tag", "offset", "code"])

SERIES_TAGS = ("440", "490", "800", "810", "811", "830")
SUBJECT_TAGS = ("600", "610", "611", "630", "648", "650", "651", "653", "654",
                "655", "656", "657", "658", "662", "690", "691", "696", "697",
                "698", "699")
ADDED_ENTRY_TAGS = ("700", "710", "711", "720", "730", "740", "752", "753",
                    "754", "790", "791", "792", "793", "796", "797", "798",
                    "799")


class Record(_marcato.RecordBase):
    """A MARC record: ``record['245']['a']``, ``record.get_fields('650')``,
    ``record.title``, ``record.as_marc()``."""

    __slots__ = ()

    def __init__(self, data=b"", to_unicode=True, force_utf8=False,
                 hide_utf8_warnings=False, utf8_handling="strict",
                 leader=" " * 24, file_encoding="iso8859-1"):
        if data and len(data) < 24:
            raise RecordLeaderInvalid(
                f"{len(data)} bytes cannot hold a leader", "LEADER_SHORT", 0, 0)
        super().__init__(data, to_unicode, force_utf8, hide_utf8_warnings,
                         utf8_handling, None, file_encoding)
        if not data:
            ldr = (str(leader) + " " * 24)[:24]
            if force_utf8:
                ldr = ldr[:9] + "a" + ldr[10:]
            self.leader = ldr

    def decode_marc(self, marc, to_unicode=True, force_utf8=False,
                    hide_utf8_warnings=False, utf8_handling="strict",
                    encoding="iso8859-1"):
        """Replace the record with the one ISO 2709 ``marc`` holds."""
        Record.__init__(self, marc, to_unicode, force_utf8,
                        hide_utf8_warnings, utf8_handling,
                        file_encoding=encoding)

    def __reduce__(self):
        # Pickling (copy.deepcopy, Dask, multiprocessing) goes through
        # ISO 2709 in UTF-8.
        return (_from_marc, (self.as_marc(),))

    # --- fields ---------------------------------------------------------
    def __iter__(self):
        return iter(self.fields)

    def __len__(self):
        return len(self.fields)

    def get(self, tag, default=None):
        field = self[tag]
        return default if field is None else field

    def get_field(self, tag):
        return self[tag]

    def add_field(self, *fields):
        self.fields.extend(fields)

    def add_grouped_field(self, *fields):
        """Insert each field after the last field of its group (tag[0])."""
        for f in fields:
            self._insert_sorted(f, lambda tag: tag[0])

    def add_ordered_field(self, *fields):
        """Insert each field before the first field with a higher tag."""
        for f in fields:
            self._insert_sorted(f, lambda tag: tag)

    def _insert_sorted(self, field, key):
        flist = self.fields
        if len(flist) == 0 or not field.tag.isdigit():
            flist.append(field)
            return
        want = key(field.tag)
        for i, f in enumerate(flist):
            if f.tag.isdigit() and key(f.tag) > want:
                flist.insert(i, field)
                return
        flist.append(field)

    def remove_field(self, *fields):
        flist = self.fields
        for f in fields:
            for i, g in enumerate(flist):
                if g is f:
                    del flist[i]
                    break
            else:
                raise FieldNotFound(f"field {f.tag} is not in the record")

    def remove_fields(self, *tags):
        self.fields = [f for f in self.fields if f.tag not in tags]

    # --- pymarc's properties -------------------------------------------
    def _joined(self, tag, first, second):
        field = self[tag]
        if field is None:
            return None
        value = field[first]
        if value:
            more = field[second]
            if more:
                value += " " + more
        return value

    @property
    def title(self):
        """245 $a and $b."""
        return self._joined("245", "a", "b")

    @property
    def issn_title(self):
        return self._joined("222", "a", "b")

    @property
    def isbn(self):
        """The first ISBN, digits (and X) only."""
        field = self["020"]
        value = field["a"] if field is not None else None
        if value:
            match = isbn_regex.search(value)
            if match:
                return match.group(1).replace("-", "")
        return None

    @property
    def issn(self):
        field = self["022"]
        return field["a"] if field is not None else None

    @property
    def issnl(self):
        field = self["022"]
        return field["l"] if field is not None else None

    @property
    def sudoc(self):
        field = self["086"]
        return field.format_field() if field is not None else None

    @property
    def author(self):
        for tag in ("100", "110", "111"):
            field = self[tag]
            if field is not None:
                return field.format_field()
        return None

    @property
    def uniformtitle(self):
        for tag in ("130", "240"):
            field = self[tag]
            if field is not None:
                return field.format_field()
        return None

    @property
    def series(self):
        return self.get_fields(*SERIES_TAGS)

    @property
    def subjects(self):
        return self.get_fields(*SUBJECT_TAGS)

    @property
    def addedentries(self):
        return self.get_fields(*ADDED_ENTRY_TAGS)

    @property
    def location(self):
        return self.get_fields("852")

    @property
    def notes(self):
        return [f for f in self.fields if f.tag.startswith("5")]

    @property
    def physicaldescription(self):
        return self.get_fields("300")

    def _publication(self, code):
        for f in self.get_fields("260", "264"):
            if f.tag == "260" or f.indicator2 == "1":
                return f[code]
        return None

    @property
    def publisher(self):
        return self._publication("b")

    @property
    def pubyear(self):
        return self._publication("c")

    # --- serialisation --------------------------------------------------
    def as_marc(self):
        """ISO 2709 bytes (lengths, base address and directory computed;
        as pymarc, leader/10-11 '22' and 20-23 '4500')."""
        return _marcato.encode(self, "iso2709")

    as_marc21 = as_marc

    def as_json(self, **kwargs):
        return json.dumps(self.as_dict(), **kwargs)

    def as_marcxml(self):
        """One <record> element, with the MARC 21 slim namespace, as bytes."""
        return _marcato.encode(self, "marcxml")

    def as_mrk(self):
        """MARCMaker text (as MarcEdit writes it)."""
        return _marcato.encode(self, "mrk").decode("utf-8", "replace")

    def as_marc8(self):
        """ISO 2709 bytes in MARC-8 (leader/09 blank)."""
        out = BytesIO()
        w = _marcato.Writer(out, "iso2709", marc8=True)
        w.write(self)
        w._finish()
        return out.getvalue()

    def __str__(self):
        ldr = str(self.leader)
        lines = ["=LDR  %s" % (ldr[:10] + "22" + ldr[12:20] + "4500")]
        lines.extend(str(f) for f in self.fields)
        return "\n".join(lines) + "\n"

    def __repr__(self):
        return f"<Record {self['001'].data if self['001'] is not None else '?'}>"

    # --- marcato's additions ---------------------------------------------
    @property
    def diagnostics(self):
        """Problems found reading this record, each a Diagnostic(code,
        message, offset, record, tag) with the absolute byte offset."""
        return [Diagnostic(*d) for d in self._diagnostics]

    def select(self, spec):
        """The values a MARCspec references: ``record.select('650$a')``."""
        return _marcato.select(self, spec)

    def validate(self):
        """Problems against MARC 21: structure and leader values, then the
        built-in Avram schema of the record's type. A list of Problem(rule,
        message, tag, offset, code)."""
        return [Problem(*p) for p in _marcato.validate(self)]


def _from_marc(data):
    return Record(data, force_utf8=True)
