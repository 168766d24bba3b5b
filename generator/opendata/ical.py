"""calendar.ics (RFC 5545): upcoming publication-period ends of public penalties (next 365 days) and
rectification-evaluation deadlines of accidents (安全生产法 art. 86: within one year of approval).

CRLF line ends, lines folded at 75 octets without splitting a UTF-8 character, all-day events
(VALUE=DATE), stable UIDs derived from the record key, DTSTAMP = as_of (never the clock).
Each event is one piece of the file (generator.opendata.splice): a patch build makes only the events
of the records that changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from generator.catalog import Entry
from generator.publication import Publication
from generator.settings import Settings

from .records import KindRows, party_display
from .splice import KEY, Layout, Made, Previous, spliced

HORIZON_DAYS = 365


@dataclass(frozen=True)
class Event:
    uid: str
    day: dt.date
    summary: str
    description: str
    url: str  # absolute


def escape_text(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")  # a lone CR is a line break too; left bare it would end the content line
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into ≤ 75-octet pieces joined by CRLF + space (RFC 5545 §3.1)."""
    if len(line) * 4 <= 75 or len(line.encode("utf-8")) <= 75:
        return line
    out, start, size, limit = [], 0, 0, 75  # continuation lines start with one space: 74 after
    for i, ch in enumerate(line):
        code = ord(ch)
        n = 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
        if size + n > limit:
            out.append(line[start:i])
            start, size, limit = i, 0, 74
        size += n
    out.append(line[start:])
    return "\r\n ".join(out)


def _uid(kind: str, key: str) -> str:
    return f"{kind}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:20]}@gongkai"


class Due(NamedTuple):
    """One upcoming date of a record, before its event's text is made (made as a plain tuple in
    bulk: at 100k records a NamedTuple's own constructor is measurably slower)."""

    day: dt.date
    kind_name: str  # "penalties" or "accidents"
    key: str  # the record's key
    entry: Entry


def _uid_of(due: Due) -> str:
    return _uid("penalty-period-end" if due[1] == "penalties" else "rectification-due", due[2])


def _dues(penalties: KindRows, publication: Publication, as_of: dt.date) -> list[Due]:
    """Every event's record and date, not yet in the calendar's order."""
    horizon = as_of + dt.timedelta(days=HORIZON_DAYS)
    ends = [s.period_end for s in penalties.statuses]
    dues: list = [
        (end, "penalties", key, entry)
        for end, key, entry in zip(ends, penalties.keys, penalties.entries, strict=True)
        if end and as_of <= end <= horizon
    ]
    for entry in publication.public_accidents:
        key = entry.key
        due = publication.accident_status[key].rectification_due
        if due and due >= as_of and entry.record.evaluation_date is None:
            dues.append((due, "accidents", key, entry))
    return dues


def _due_keys(dues: list[Due]) -> list[bytes]:
    """What each event's text is made from: the record (its digest) and the date (key_with_day)."""
    return [e.digest + day.toordinal().to_bytes(4, "little") if e.digest else b"" for day, _, _, e in dues]


def _in_order(dues: list[Due], keys: list[bytes], previous: Layout | None) -> list[int]:
    """The dues' positions in the calendar's order: by date, then UID.  The events the previous
    calendar had keep its order (which was that order), so only on the dates with a new event are
    the UIDs worked out."""
    before: dict[bytes, int] = {}
    if previous is not None and previous.width == KEY + 4:
        width, blob = previous.width, previous.keys
        before = {blob[j : j + width]: n for n, j in enumerate(range(0, len(blob), width))}
    places = [before.get(k) if k else None for k in keys]
    if None not in places:  # every event was in the previous calendar, on the same date
        return sorted(range(len(dues)), key=places.__getitem__)  # type: ignore[arg-type]
    # Sorted by one number (sorting 60k tuples of dates and strings takes ten times longer): the
    # day, then the previous place on a day without new events, else the UID's rank that day.
    tie: list[int] = [p if p is not None else 0 for p in places]  # type: ignore[misc]
    new_days: dict[dt.date, list[int]] = {}
    for i, place in enumerate(places):
        if place is None:
            new_days.setdefault(dues[i][0], [])
    for i, due in enumerate(dues):
        if due[0] in new_days:
            new_days[due[0]].append(i)
    for group in new_days.values():
        for rank, i in enumerate(sorted(group, key=lambda i: _uid_of(dues[i]))):
            tie[i] = rank
    span = 1 << 32  # above any place or rank
    order = [due[0].toordinal() * span + t for due, t in zip(dues, tie, strict=True)]
    return sorted(range(len(dues)), key=order.__getitem__)


def calendar_dues(publication: Publication, settings: Settings, as_of: dt.date) -> list[Due]:
    """Every event's record and date, in the calendar's order (by date, then UID)."""
    dues = _dues(KindRows(publication, settings, "penalties"), publication, as_of)
    return [Due(*dues[i]) for i in _in_order(dues, _due_keys(dues), None)]


def event_of(due: Due, settings: Settings, url_of) -> Event:  # noqa: ANN001
    day, kind_name, key, entry = due
    uid = _uid_of(due)
    if kind_name == "penalties":
        party = party_display(entry.record, settings)
        return Event(
            uid,
            day,
            f"公示期届满：{key}",
            f"{party}的行政处罚决定（{key}）公示期至 {day.isoformat()} 届满，届满后依法不再公示。",
            url_of("penalties", entry),
        )
    return Event(
        uid,
        day,
        f"整改评估截止：{key}",
        f"调查报告批复日期 {entry.record.approval_date}；"
        f"整改措施落实情况评估应在 {day.isoformat()} 前完成并公开"
        "（《安全生产法》第八十六条）。",
        url_of("accidents", entry),
    )


def calendar_events(publication: Publication, settings: Settings, as_of: dt.date, url_of) -> list[Event]:  # noqa: ANN001
    """url_of(kind_name, entry) → absolute URL of the record page."""
    return [event_of(due, settings, url_of) for due in calendar_dues(publication, settings, as_of)]


def _lines(lines: list[str]) -> bytes:
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


def _head(bureau: str) -> bytes:
    return _lines(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Gongkai//安全生产政务公开//ZH",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            f"X-WR-CALNAME:{escape_text(bureau + ' 公示期限与整改评估')}",
            "X-WR-TIMEZONE:Asia/Shanghai",
        ]
    )


TAIL = b"END:VCALENDAR\r\n"


def _event_bytes(e: Event, as_of: dt.date) -> bytes:
    return _lines(
        [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{as_of:%Y%m%d}T000000Z",
            f"DTSTART;VALUE=DATE:{e.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{e.day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(e.summary)}",
            f"DESCRIPTION:{escape_text(e.description)}",
            f"URL:{e.url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    )


def ics_bytes(events: list[Event], bureau: str, as_of: dt.date) -> bytes:
    return _head(bureau) + b"".join(_event_bytes(e, as_of) for e in events) + TAIL


def ics_file(
    path: str,
    kinds: Mapping[str, KindRows],
    publication: Publication,
    settings: Settings,
    as_of: dt.date,
    url_of,  # noqa: ANN001
    previous: Previous | None = None,
) -> Made:
    """calendar.ics; each event is keyed by its record's digest and its date.  `url_of(kind_name,
    entry)`: the record page's absolute URL (the caller checks that the site's address is the same
    as the previous build's)."""
    dues = _dues(kinds["penalties"], publication, as_of)
    keys = _due_keys(dues)
    order = _in_order(dues, keys, previous.layouts.get(path) if previous is not None else None)
    return spliced(
        path,
        [keys[i] for i in order],
        lambda n: _event_bytes(event_of(dues[order[n]], settings, url_of), as_of),
        _head(settings.bureau),
        TAIL,
        width=KEY + 4,
        previous=previous,
    )
