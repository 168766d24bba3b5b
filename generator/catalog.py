"""The catalog: every validated record, sorted, with where it came from.

Everything after validation (law rules, pages, search, downloads, feeds) reads the catalog and
nothing else; it holds typed records only, never raw text positions (those stay in validation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from generator.rules.workdays import YearSchedule
from generator.schema.models import Accident, Penalty, PowerItem, Record

R = TypeVar("R", bound=Record)


@dataclass(frozen=True, slots=True)
class Entry(Generic[R]):
    record: R
    source_path: str  # as shown to people, e.g. data/penalties/2024.yml
    source_line: int
    # The digest of the record's exact text in its file (generator.incremental.records), which the
    # build cache keys everything derived from the record on; b"" when unknown: nothing is reused.
    digest: bytes = b""

    @property
    def key(self) -> str:
        return self.record.key  # type: ignore[attr-defined]


@dataclass
class Catalog:
    power_items: list[Entry[PowerItem]] = field(default_factory=list)
    penalties: list[Entry[Penalty]] = field(default_factory=list)
    accidents: list[Entry[Accident]] = field(default_factory=list)
    holiday_schedules: dict[int, YearSchedule] = field(default_factory=dict)

    def sort(self) -> None:
        """Deterministic order everywhere: newest first for decisions and accidents, by code for powers."""
        self.power_items.sort(key=lambda e: e.record.code)
        self.penalties.sort(key=lambda e: (e.record.decision_date, e.record.decision_number), reverse=True)
        self.accidents.sort(key=lambda e: (e.record.occurred, e.record.name), reverse=True)

    def power_item_by_code(self) -> dict[str, Entry[PowerItem]]:
        return {e.record.code: e for e in self.power_items}
