"""The published form of each public record: one row per record, keyed by the import headers.

Downloads (CSV, JSON), the manifest and the feeds all read rows from here, so "what the public can
download" is decided once: public records only (publication.public_*), unpublished fields left out,
natural persons' names masked exactly as the record pages show them.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from generator.catalog import Entry
from generator.publication import Publication
from generator.rules.privacy import published_party_name
from generator.schema.kinds import KINDS, Kind
from generator.schema.models import Penalty, Record
from generator.schema.rows import row_of
from generator.settings import Settings
from generator.sources.yaml_writer import RowValue

from .splice import keys_blob

PARTY_HEADER = "行政相对人名称"
# The download order of kinds (also the order of the manifest and of the data dictionary).
KIND_ORDER = ("penalties", "accidents", "power-items")


@dataclass(frozen=True)
class PublicRow:
    kind: Kind
    entry: Entry
    row: dict[str, RowValue]  # published headers only, in header order

    @property
    def key(self) -> str:
        return self.entry.key

    @functools.cached_property
    def canonical(self) -> str:
        """The record's line in data/KIND.json, and what its manifest hash is taken of: every download
        column, as in the CSV (a column that is never published, such as 证件号码, is there and empty)."""
        return canonical_json(json_object({h: self.row.get(h) for h in self.kind.download_headers}))


@functools.cache
def published_headers(kind: Kind) -> tuple[str, ...]:
    """The kind's headers whose field is published, in download order."""
    flags = {
        (info.alias or name): (info.json_schema_extra or {}).get("published", True)  # type: ignore[union-attr]
        for name, info in kind.model.model_fields.items()
    }
    return tuple(h for h in kind.headers if flags.get(h, True))


def party_display(record: Penalty, settings: Settings) -> str:
    """The party as published (the same rule as the record pages): natural persons masked."""
    return published_party_name(record.party_name, record.party_type, settings.name_mask)


def published_row(kind: Kind, record: Record, settings: Settings) -> dict[str, RowValue]:
    row = row_of(record, published_only=True)
    if isinstance(record, Penalty):
        # The masked name is what the public sees; importing it back gives the masked record, which
        # masks to itself (mask_person_name leaves 某/* names unchanged), so the round trip is stable.
        row[PARTY_HEADER] = party_display(record, settings)
    return {h: row.get(h) for h in published_headers(kind)}


def public_entries(publication: Publication, kind_name: str) -> list[Entry]:
    """Public entries of one kind in a fixed order (newest first; power items by code)."""
    return [entry for *_, entry in _ordered(publication, kind_name)]


def _ordered(publication: Publication, kind_name: str) -> list[tuple]:
    """(date, key, -position, entry) newest first, or (key, position, entry) for power items: each
    record's fields read once (at 100k records every pass over them counts).  Keys are unique, and
    the position keeps equal ones in their order as a stable sort would."""
    if kind_name == "penalties":
        dated = [
            (e.record.decision_date, e.record.key, -i, e) for i, e in enumerate(publication.public_penalties)
        ]
    elif kind_name == "accidents":
        dated = [(e.record.occurred, e.record.key, -i, e) for i, e in enumerate(publication.public_accidents)]
    else:
        by_code = [(e.record.key, i, e) for i, e in enumerate(publication.public_power_items)]
        by_code.sort()
        return by_code
    dated.sort(reverse=True)
    return dated


def public_rows(publication: Publication, settings: Settings, kind_name: str) -> list[PublicRow]:
    kind = KINDS[kind_name]
    return [
        PublicRow(kind, e, published_row(kind, e.record, settings))
        for e in public_entries(publication, kind_name)
    ]


class KindRows:
    """The public rows of one kind in download order, each row's published form made when first
    asked for: a patch build asks only for the rows it has not got from the previous build."""

    def __init__(self, publication: Publication, settings: Settings, kind_name: str) -> None:
        self.kind = KINDS[kind_name]
        ordered = _ordered(publication, kind_name)
        self.entries: list[Entry] = [t[-1] for t in ordered]
        self.keys: list[str] = [t[0] if kind_name == "power-items" else t[1] for t in ordered]  # record keys
        # Penalties: each one's decision date and PenaltyStatus (read once, for every output).
        self.decided: list = [t[0] for t in ordered] if kind_name == "penalties" else []
        statuses = publication.penalty_status
        self.statuses: list = [statuses.get(k) for k in self.keys] if kind_name == "penalties" else []
        self.settings = settings
        self._made: dict[int, PublicRow] = {}

    def __len__(self) -> int:
        return len(self.entries)

    @functools.cached_property
    def digests(self) -> list[bytes]:
        """Each row's record digest (Entry.digest): what its published form is made from."""
        return [e.digest for e in self.entries]

    @functools.cached_property
    def digest_blob(self) -> bytes:
        """The digests one after the other (splice.keys_blob): the key list of the CSV and JSON files."""
        return keys_blob(self.digests)

    def row(self, i: int) -> PublicRow:
        made = self._made.get(i)
        if made is None:
            entry = self.entries[i]
            made = self._made[i] = PublicRow(
                self.kind, entry, published_row(self.kind, entry.record, self.settings)
            )
        return made

    def all(self) -> list[PublicRow]:
        return [self.row(i) for i in range(len(self.entries))]


def all_public_rows(publication: Publication, settings: Settings) -> Iterator[PublicRow]:
    for name in KIND_ORDER:
        yield from public_rows(publication, settings, name)


def json_value(value: RowValue) -> str | list[str] | None:
    if value is None or isinstance(value, str):
        return value
    return list(value)


def json_object(row: dict[str, RowValue]) -> dict[str, str | list[str] | None]:
    return {h: json_value(v) for h, v in row.items()}


def canonical_json(obj: object) -> str:
    """The one serialisation that is hashed: keys sorted, no spaces, UTF-8 text."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cell_text(value: RowValue, joiner: str = "；") -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return joiner.join(value)


def headers_of(names: Sequence[str]) -> dict[str, tuple[str, ...]]:
    return {n: KINDS[n].headers for n in names}
