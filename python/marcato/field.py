"""Field, Subfield and Indicators, as pymarc 5 has them.

The C base (``_marcato.FieldBase``) keeps a field read from a record as its
bytes until ``subfields`` is asked for; ``field['a']``, ``get()`` and
``get_subfields()`` read those bytes directly. Method names and behaviour
follow pymarc (BSD-2-Clause).
"""

from collections import namedtuple

from . import _marcato

Subfield = namedtuple("Subfield", ["code", "value"])
Indicators = namedtuple("Indicators", ["first", "second"])

SUBJECT_TAGS = ("6",)


def _pairs(subfields):
    """Subfield tuples from pymarc 5's list or pymarc 4's flat list."""
    out = []
    items = list(subfields)
    if items and all(isinstance(s, str) for s in items):
        if len(items) % 2:
            raise ValueError("a flat subfield list needs code, value pairs")
        return [Subfield(items[i], items[i + 1]) for i in range(0, len(items), 2)]
    for s in items:
        out.append(s if isinstance(s, Subfield) else Subfield(*s))
    return out


class Field(_marcato.FieldBase):
    """A MARC field: ``Field('245', Indicators('1', '0'), [Subfield('a', 'T')])``
    or a control field ``Field('001', data='ocm123')``."""

    __slots__ = ()

    def __init__(self, tag, indicators=None, subfields=None, data=None):
        try:
            tag = "%03d" % int(tag)
        except (TypeError, ValueError):
            tag = "%3s" % tag
        self.tag = tag
        if self.is_control_tag(tag) and not subfields:
            self.data = "" if data is None else data
            return
        ind = [" ", " "] if indicators is None else [str(i) for i in indicators]
        ind = (ind + [" ", " "])[:2]
        self.indicator1, self.indicator2 = ind
        self.subfields = _pairs(subfields or [])

    def __reduce__(self):
        if self.data is not None:
            return (Field, (self.tag, None, None, self.data))
        return (Field, (self.tag, self.indicators, list(self.subfields)))

    @staticmethod
    def is_control_tag(tag):
        return tag < "010" and tag.isdigit()

    @classmethod
    def convert_legacy_subfields(cls, subfields):
        """pymarc 4's flat ['a', 'x', 'b', 'y'] as Subfield tuples."""
        return _pairs(subfields)

    def is_control_field(self):
        return self.data is not None

    @property
    def control_field(self):
        return self.data is not None

    @property
    def indicators(self):
        if self.data is not None:
            return None
        return Indicators(self.indicator1, self.indicator2)

    @indicators.setter
    def indicators(self, value):
        first, second = (list(value) + [" ", " "])[:2]
        self.indicator1, self.indicator2 = str(first), str(second)

    def __iter__(self):
        return iter(self.subfields)

    def __contains__(self, code):
        return self[code] is not None

    def __setitem__(self, code, value):
        subs = self.subfields
        hits = [i for i, s in enumerate(subs) if s.code == code]
        if len(hits) > 1:
            raise KeyError(f"more than one code '{code}'")
        if not hits:
            raise KeyError(f"no code '{code}'")
        subs[hits[0]] = Subfield(code, value)

    def __repr__(self):
        return f"<Field {str(self)!r}>"

    def __str__(self):
        """The field in MARCMaker form: ``=245  10$aTitle``."""
        if self.data is not None:
            return "=%s  %s" % (self.tag, self.data.replace(" ", "\\"))
        ind = "".join("\\" if i in (" ", "\\") else i
                      for i in (self.indicator1, self.indicator2))
        return "=%s  %s%s" % (self.tag, ind,
                              "".join("$%s%s" % (s.code, s.value) for s in self))

    def value(self):
        """The field's text: a control field's data, else subfield values."""
        if self.data is not None:
            return self.data
        return " ".join(s.value.strip() for s in self)

    def format_field(self):
        """Like value(), with subject subdivisions joined by ' -- '."""
        if self.data is not None:
            return self.data
        out = ""
        subject = self.is_subject_field()
        for s in self:
            if s.code == "6":
                continue
            if subject and s.code in ("v", "x", "y", "z"):
                out += " -- %s" % s.value
            else:
                out += " %s" % s.value
        return out.strip()

    def is_subject_field(self):
        return self.tag.startswith(SUBJECT_TAGS)

    def add_subfield(self, code, value, pos=None):
        subs = self.subfields
        if pos is None or pos >= len(subs):
            subs.append(Subfield(code, value))
        else:
            subs.insert(pos, Subfield(code, value))

    def delete_subfield(self, code):
        """Remove the first subfield with this code; its value, or None."""
        subs = self.subfields
        for i, s in enumerate(subs):
            if s.code == code:
                del subs[i]
                return s.value
        return None

    def subfields_as_dict(self):
        out = {}
        for s in self:
            out.setdefault(s.code, []).append(s.value)
        return out

    def as_marc(self, encoding="utf-8"):
        """The field as ISO 2709 bytes (indicators, subfields, terminator)."""
        if self.data is not None:
            return (self.data + "\x1e").encode(encoding)
        text = self.indicator1 + self.indicator2 + "".join(
            "\x1f%s%s" % (s.code, s.value) for s in self)
        return (text + "\x1e").encode(encoding)

    as_marc21 = as_marc

    @property
    def linkage_occurrence_num(self):
        link = self.get("6")
        if not link:
            return None
        return link.split("-")[1].split("/")[0] if "-" in link else None


class RawField(Field):
    """pymarc's name for a field kept as read (marcato keeps every field so)."""

    __slots__ = ()
