"""The leader, with pymarc's position and property access.

Adapted from pymarc (BSD-2-Clause, see ../shared/peers/pymarc-3.2.0/LICENSE
in the project's reference material): the same names and positions.
"""

from .exceptions import BadLeaderValue, RecordLeaderInvalid

LEADER_LEN = 24


def _slot(start, end=None):
    end = start + 1 if end is None else end

    def get(self):
        return self.leader[start:end]

    def set(self, value):
        if len(value) != end - start:
            raise BadLeaderValue(
                f"leader positions {start}-{end - 1} take {end - start} characters")
        self.leader = self.leader[:start] + value + self.leader[end:]

    return property(get, set)


class Leader:
    """A mutable 24-character leader: ``leader[5]``, ``leader.record_status``."""

    __slots__ = ("leader",)

    def __init__(self, leader):
        leader = str(leader)
        if len(leader) != LEADER_LEN:
            raise RecordLeaderInvalid(
                f"a leader has {LEADER_LEN} characters, not {len(leader)}",
                "LEADER_SHORT", 0, 0)
        self.leader = leader

    def __getitem__(self, item):
        return self.leader[item]

    def __setitem__(self, item, value):
        if isinstance(item, slice):
            start, stop, _ = item.indices(LEADER_LEN)
        else:
            start, stop = item, item + 1
        if len(value) != stop - start:
            raise BadLeaderValue("a leader value must keep the leader's length")
        self.leader = self.leader[:start] + value + self.leader[stop:]

    def __str__(self):
        return self.leader

    def __repr__(self):
        return f"Leader({self.leader!r})"

    def __eq__(self, other):
        return str(self) == str(other)

    def __len__(self):
        return LEADER_LEN

    def __add__(self, other):
        return self.leader + str(other)

    def __radd__(self, other):
        return str(other) + self.leader

    record_length = _slot(0, 5)
    record_status = _slot(5)
    type_of_record = _slot(6)
    bibliographic_level = _slot(7)
    type_of_control = _slot(8)
    coding_scheme = _slot(9)
    indicator_count = _slot(10)
    subfield_code_count = _slot(11)
    subfield_code_length = _slot(11)
    base_address = _slot(12, 17)
    encoding_level = _slot(17)
    cataloging_form = _slot(18)
    multipart_ressource = _slot(19)
    multipart_resource = _slot(19)
    length_of_field_length = _slot(20)
    starting_character_position_length = _slot(21)
    length_of_starting_char_pos = _slot(21)
    implementation_defined_length = _slot(22)
