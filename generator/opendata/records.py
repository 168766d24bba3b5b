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
    if kind_name == "penalties":
        entries = list(publication.public_penalties)
        entries.sort(key=lambda e: (e.record.decision_date, e.key), reverse=True)
    elif kind_name == "accidents":
        entries = list(publication.public_accidents)
        entries.sort(key=lambda e: (e.record.occurred, e.key), reverse=True)
    else:
        entries = sorted(publication.public_power_items, key=lambda e: e.key)
    return entries


def public_rows(publication: Publication, settings: Settings, kind_name: str) -> list[PublicRow]:
    kind = KINDS[kind_name]
    return [
        PublicRow(kind, e, published_row(kind, e.record, settings))
        for e in public_entries(publication, kind_name)
    ]


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
