"""Exceptions and warnings, named as pymarc names them.

Every problem marcato's core reports while reading is a :class:`MarcError`
(raised in strict mode, kept as ``reader.current_exception`` in permissive
mode) or a :class:`MarcWarning`. ``MarcError`` subclasses carry pymarc's
class names, so ``except pymarc_style.BaseAddressInvalid`` code keeps
working, and add what the core knows: ``code`` (a stable identifier such as
``BASE_ADDRESS``), ``offset`` (absolute byte offset in the input),
``record`` (0-based record number) and ``tag``.
"""


class PymarcException(Exception):
    """Base of every exception of the package (pymarc's name)."""


class MarcWarning(UserWarning):
    """A problem the reader repaired or worked around (a diagnostic)."""

    def __init__(self, message="", code=None, offset=None, record=None, tag=""):
        super().__init__(message)
        self.code, self.offset, self.record, self.tag = code, offset, record, tag


class BadSubfieldCodeWarning(MarcWarning):
    """pymarc's warning for a subfield code that is not a letter or digit."""


class MarcError(PymarcException):
    """A problem in the input, as the C core reported it."""

    def __init__(self, message="", code=None, offset=None, record=None, tag=""):
        super().__init__(message)
        self.message = message
        self.code, self.offset, self.record, self.tag = code, offset, record, tag

    def __str__(self):
        if self.code is None:
            return self.message
        where = "" if self.record is None else f"record {self.record + 1} "
        tag = f" [{self.tag}]" if self.tag else ""
        return f"{where}at byte {self.offset}: {self.code}{tag} {self.message}"


class RecordLengthInvalid(MarcError):
    """The leader's record length is not a number or not where the record ends."""


class RecordLeaderInvalid(MarcError):
    """The record is too short to hold a leader."""


class RecordDirectoryInvalid(MarcError):
    """The directory is damaged (length, terminator, entries, tags)."""


class NoFieldsFound(MarcError):
    """No field could be read."""


class BaseAddressInvalid(MarcError):
    """The leader's base address of data is not where the data starts."""


class BaseAddressNotFound(MarcError):
    """The leader's base address of data is missing."""


class EndOfRecordNotFound(MarcError):
    """The input ended inside the record, or it has no record terminator."""


class FieldNotFound(MarcError):
    """A field to remove is not in the record (or the reader lost one)."""


class RecordTooLong(MarcError):
    """The record (or a field) is too long to write in ISO 2709."""


class WriteNeedsRecord(PymarcException):
    """A writer was given something that is not a Record."""


class NoActiveFile(PymarcException):
    """A writer was used without a file."""


class BadLeaderValue(PymarcException):
    """A leader value of the wrong length was set."""


_CLASSES = {
    "LENGTH_NOT_NUMERIC": RecordLengthInvalid,
    "LENGTH_TOO_SHORT": RecordLengthInvalid,
    "LENGTH_MISMATCH": RecordLengthInvalid,
    "RECORD_OVERSIZE": RecordLengthInvalid,
    "LEADER_SHORT": RecordLeaderInvalid,
    "BASE_ADDRESS": BaseAddressInvalid,
    "DIRECTORY_TERMINATOR": RecordDirectoryInvalid,
    "DIRECTORY_LENGTH": RecordDirectoryInvalid,
    "ENTRY_NOT_NUMERIC": RecordDirectoryInvalid,
    "ENTRY_OUT_OF_RANGE": RecordDirectoryInvalid,
    "TAG_INVALID": RecordDirectoryInvalid,
    "TRUNCATED": EndOfRecordNotFound,
    "NO_TERMINATOR": EndOfRecordNotFound,
    "FIELD_LOST": FieldNotFound,
    "FIELD_TOO_LONG": RecordTooLong,
    "RECORD_TOO_LONG_TO_WRITE": RecordTooLong,
}


def _make_error(code, message, offset, record, tag):
    """The exception for a problem the core reported (called from C)."""
    return _CLASSES.get(code, MarcError)(message, code, offset, record, tag)
