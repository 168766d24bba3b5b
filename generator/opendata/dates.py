"""The dates feeds, the sitemap and record pages put on a record: from the data and git, never the clock.

published: when the record became public (公示日期, else its first commit, else its own date).
updated:   the latest dated event of the record on or before as_of: a correction of the record in git
           (history.last_changed); an accident's approval (批复) and rectification evaluation (整改评估)
           are changes of the disclosure; a power item's latest change in the git history of
           data/power-items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from generator.catalog import Entry
from generator.history import History
from generator.publication import Publication
from generator.schema.models import Accident, Penalty, PowerItem

if TYPE_CHECKING:
    from .records import KindRows


def published_on(entry: Entry, publication: Publication, history: History, as_of: dt.date) -> dt.date:
    record = entry.record
    if isinstance(record, Penalty):
        status = publication.penalty_status.get(entry.key)
        return (status.published_on if status else None) or record.decision_date
    if isinstance(record, Accident):
        return history.first_seen.get(entry.key) or record.occurred_date
    return history.first_seen.get(entry.key) or as_of


def updated_on(
    entry: Entry,
    publication: Publication,
    history: History,
    as_of: dt.date,
    power_changed: Mapping[str, dt.date],
) -> dt.date:
    return published_and_updated(entry, publication, history, as_of, power_changed)[1]


def published_and_updated(
    entry: Entry,
    publication: Publication,
    history: History,
    as_of: dt.date,
    power_changed: Mapping[str, dt.date],
) -> tuple[dt.date, dt.date]:
    """(published_on, updated_on) of one record."""
    record = entry.record
    first = published_on(entry, publication, history, as_of)
    if isinstance(record, PowerItem):
        return first, max(first, power_changed.get(entry.key, first))
    if first > as_of:
        return first, first
    events = [first, history.last_changed.get(entry.key)]
    if isinstance(record, Accident):
        events += [record.approval_date, record.evaluation_date]
    return first, max(d for d in events if d is not None and d <= as_of)


def record_dates(
    rows: KindRows, history: History, as_of: dt.date, power_changed: Mapping[str, dt.date]
) -> list[tuple[dt.date, dt.date]]:
    """`published_and_updated` of every row of one kind, in one loop from what the rows have read
    already: at 100k records the per-record dispatch of the general functions costs a third of a
    second."""
    out: list[tuple[dt.date, dt.date]] = []
    append = out.append
    last, first_seen, as_of_ = history.last_changed, history.first_seen, as_of
    if rows.kind.name == "penalties":
        for key, status, decided in zip(rows.keys, rows.statuses, rows.decided, strict=True):
            first = (status.published_on if status else None) or decided
            changed = last.get(key)
            if first > as_of_ or changed is None or not first < changed <= as_of_:
                append((first, first))
            else:
                append((first, changed))
    elif rows.kind.name == "accidents":
        for entry, key in zip(rows.entries, rows.keys, strict=True):
            record = entry.record
            first = first_seen.get(key) or record.occurred_date
            best = first
            if first <= as_of_:
                for day in (last.get(key), record.approval_date, record.evaluation_date):
                    if day is not None and best < day <= as_of_:
                        best = day
            append((first, best))
    else:
        for key in rows.keys:
            first = first_seen.get(key) or as_of_
            append((first, max(first, power_changed.get(key, first))))
    return out


def iso_datetime(day: dt.date) -> str:
    """RFC 3339 at midnight China Standard Time (the bureau's day, not the server's)."""
    return f"{day.isoformat()}T00:00:00+08:00"
