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

from generator.catalog import Entry
from generator.history import History
from generator.publication import Publication
from generator.schema.models import Accident, Penalty, PowerItem


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
    record = entry.record
    first = published_on(entry, publication, history, as_of)
    if isinstance(record, PowerItem):
        return max(first, power_changed.get(entry.key, first))
    if first > as_of:
        return first
    events = [first, history.last_changed.get(entry.key)]
    if isinstance(record, Accident):
        events += [record.approval_date, record.evaluation_date]
    return max(d for d in events if d is not None and d <= as_of)


def iso_datetime(day: dt.date) -> str:
    """RFC 3339 at midnight China Standard Time (the bureau's day, not the server's)."""
    return f"{day.isoformat()}T00:00:00+08:00"
