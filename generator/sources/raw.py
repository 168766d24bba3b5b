"""Raw records: what a data file or table row says, as strings, with the position of every value.

Both sources (YAML files and CSV/XLSX tables) produce `RawRecord`s; the schema turns them into typed
records and maps every complaint back to the position kept here.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from typing import NamedTuple

# A value is one string, a list of strings (a YAML sequence, e.g. several 处罚类别), or None (empty).
RawScalar = str | list[str] | None

# The longest text one cell may hold.  Real accident reports reach ~45,000 characters; anything
# beyond this is a paste accident (a whole document in a cell) rather than data.
MAX_CELL_CHARS = 200_000


class RawValue(NamedTuple):
    """A value and where it stands.  A named tuple rather than a frozen dataclass: millions are made
    per large build, and a tuple is several times cheaper to create."""

    value: RawScalar
    line: int
    column: int
    # Columns between `column` and the first character of the text: 1 for a quoted YAML scalar.
    text_offset: int = 0


@dataclass(slots=True)
class RawRecord:
    path: str
    line: int
    column: int
    # "row N" for a table row, the 1-based position "记录 N" for a data-file entry; replaced by the
    # record's key once the key is known.
    label: str
    values: dict[str, RawValue] = field(default_factory=dict)
    # Headers whose value the reader could not take (an alias, a nested mapping …) and has reported
    # already: the value is None, and "required" would only repeat the same problem at the same place.
    reported: tuple[str, ...] = ()

    def position_of(self, header: str) -> tuple[int, int]:
        raw = self.values.get(header)
        return (raw.line, raw.column) if raw else (self.line, self.column)

    def text(self, header: str) -> str:
        """The value as one stripped string ('' when empty or not a string)."""
        raw = self.values.get(header)
        return raw.value.strip() if raw and isinstance(raw.value, str) else ""


class PackedRaw:
    """A slim raw record as the build cache keeps it: its own position and label at hand, the
    positions of its values packed (pickled) until something asks for them — only a problem does.
    Unpickling 100k RawRecords with their RawValue tuples took a quarter of a second of every
    patch build; unpickling 100k of these, a hundredth."""

    __slots__ = ("path", "line", "column", "label", "_packed", "_raw")

    def __init__(self, path: str, line: int, column: int, label: str, packed: bytes) -> None:
        self.path, self.line, self.column, self.label = path, line, column, label
        self._packed = packed
        self._raw: RawRecord | None = None

    @classmethod
    def of(cls, raw: RawRecord) -> PackedRaw:
        values = tuple((header, *value) for header, value in raw.values.items())
        packed = pickle.dumps((values, raw.reported), protocol=pickle.HIGHEST_PROTOCOL)
        return cls(raw.path, raw.line, raw.column, raw.label, packed)

    def __reduce__(self) -> tuple:
        return (PackedRaw, (self.path, self.line, self.column, self.label, self._packed))

    def unpacked(self) -> RawRecord:
        if self._raw is None:
            values, reported = pickle.loads(self._packed)  # noqa: S301 - packed by `of`, in our own checksummed cache
            by_header = {header: RawValue(*value) for header, *value in values}
            self._raw = RawRecord(self.path, self.line, self.column, self.label, by_header, reported)
        return self._raw

    @property
    def values(self) -> dict[str, RawValue]:
        return self.unpacked().values

    @property
    def reported(self) -> tuple[str, ...]:
        return self.unpacked().reported

    def position_of(self, header: str) -> tuple[int, int]:
        return self.unpacked().position_of(header)

    def text(self, header: str) -> str:
        return self.unpacked().text(header)


class ShiftedRaw:
    """A slim raw record read from the build cache, where its lines are stored relative to the
    record's first line: it answers like the RawRecord would at the line the record stands on now.
    Only problems read positions, so the shift is applied on demand rather than to every record."""

    __slots__ = ("_base", "_shift")

    def __init__(self, base: RawRecord | PackedRaw, shift: int) -> None:
        self._base, self._shift = base, shift

    @property
    def path(self) -> str:
        return self._base.path

    @property
    def line(self) -> int:
        return self._base.line + self._shift

    @property
    def column(self) -> int:
        return self._base.column

    @property
    def label(self) -> str:
        return self._base.label

    @property
    def values(self) -> dict[str, RawValue]:
        return {h: v._replace(line=v.line + self._shift) for h, v in self._base.values.items()}

    def position_of(self, header: str) -> tuple[int, int]:
        line, column = self._base.position_of(header)
        return line + self._shift, column

    def text(self, header: str) -> str:
        return self._base.text(header)
