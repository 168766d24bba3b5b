"""Public copies of the data files, linked from each record page when no `source_url` is configured.

A raw data file may hold fields that are never published (证件号码) and records that are no longer
public, so the copy is rewritten: public records only, published fields only, natural persons'
names masked — in the canonical data-file format, so it reads like the original.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from generator.catalog import Entry
from generator.opendata.splice import Made, Previous, bulk, spliced
from generator.schema.kinds import KINDS
from generator.schema.models import Penalty, Record
from generator.settings import Settings
from generator.site import urls
from generator.site.display import party_name
from generator.sources.yaml_writer import dump_records


def _text(value: object) -> str | list[str] | None:
    if value is None or value is False:
        return None
    if value is True:
        return "是"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return str(value)


def public_row(record: Record, settings: Settings) -> dict[str, str | list[str] | None]:
    row = {}
    for name, info in type(record).model_fields.items():
        extra = info.json_schema_extra or {}
        if extra.get("published", True):  # type: ignore[union-attr]
            row[info.alias or name] = _text(getattr(record, name))
    if isinstance(record, Penalty):
        row["行政相对人名称"] = party_name(record, settings)
    return row


def _grouped(kind_entries: dict[str, list[Entry]]) -> list[tuple[str, tuple[str, ...], list[Entry]]]:
    """(data file, its kind's headers, its public records in file order), by kind and data file."""
    out = []
    for kind_name, entries in kind_entries.items():
        headers = KINDS[kind_name].headers
        by_file: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            by_file[entry.source_path].append(entry)
        for path, file_entries in sorted(by_file.items()):
            file_entries.sort(key=lambda e: e.source_line)
            out.append((path, headers, file_entries))
    return out


def _record_text(entry: Entry, headers: tuple[str, ...], settings: Settings) -> bytes:
    """One record of a copy: dump_records of all of them is these joined (each ends in a newline)."""
    return (dump_records([public_row(entry.record, settings)], headers)).encode("utf-8")


def source_copies(kind_entries: dict[str, list[Entry]], settings: Settings) -> dict[str, str]:
    """Site path → YAML text, one per data file that holds a public record."""
    return {made.path: made.content.decode("utf-8") for made in source_copy_files(kind_entries, settings)}  # type: ignore[union-attr]


def source_copy_files(
    kind_entries: dict[str, list[Entry]], settings: Settings, previous: Previous | None = None
) -> list[Made]:
    """Every copy, each record's text keyed by its digest (generator.opendata.splice): a patch build
    makes only the changed records' texts, and leaves a copy none of whose records changed as it is."""
    if settings.source_url:
        return []
    with bulk():
        return _copy_files(kind_entries, settings, previous)


def _copy_files(
    kind_entries: dict[str, list[Entry]], settings: Settings, previous: Previous | None
) -> list[Made]:
    return [
        spliced(
            urls.source_copy(path),
            [e.digest for e in entries],
            lambda i, entries=entries, headers=headers: _record_text(entries[i], headers, settings),
            b"",
            previous=previous,
        )
        for path, headers, entries in _grouped(kind_entries)
    ]
