"""Typed record → table row of display strings, keyed by the Chinese headers.

The one conversion behind the YAML data files written by import, the CSV/JSON downloads and the
round trip between them: `convert(row_of(record))` gives back an equal record.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from generator.schema.models import Record
from generator.sources.yaml_writer import RowValue


def value_text(value: object) -> RowValue:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [str(v) for v in value] or None
    return str(value)


@functools.cache
def _columns(model: type[Record], published_only: bool) -> tuple[tuple[str, str], ...]:
    """(attribute, header) of a model's fields in order: read once per model, not per row."""
    columns = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra or {}
        if published_only and not extra.get("published", True):  # type: ignore[union-attr]
            continue
        columns.append((name, info.alias or name))
    return tuple(columns)


def row_of(record: Record, *, published_only: bool = False) -> dict[str, RowValue]:
    """{header: text or list of texts or None}; unpublished fields left out when `published_only`."""
    return {header: value_text(getattr(record, name)) for name, header in _columns(type(record), published_only)}
