"""calendar.ics (RFC 5545): upcoming publication-period ends of public penalties (next 365 days) and
rectification-evaluation deadlines of accidents (安全生产法 art. 86: within one year of approval).

CRLF line ends, lines folded at 75 octets without splitting a UTF-8 character, all-day events
(VALUE=DATE), stable UIDs derived from the record key, DTSTAMP = as_of (never the clock).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from generator.publication import Publication
from generator.settings import Settings

from .records import party_display, public_entries

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


def calendar_events(publication: Publication, settings: Settings, as_of: dt.date, url_of) -> list[Event]:  # noqa: ANN001
    """url_of(kind_name, entry) → absolute URL of the record page."""
    horizon = as_of + dt.timedelta(days=HORIZON_DAYS)
    events = []
    for entry in public_entries(publication, "penalties"):
        status = publication.penalty_status[entry.key]
        end = status.period_end
        if end and as_of <= end <= horizon:
            party = party_display(entry.record, settings)
            events.append(
                Event(
                    _uid("penalty-period-end", entry.key),
                    end,
                    f"公示期届满：{entry.key}",
                    f"{party}的行政处罚决定（{entry.key}）公示期至 {end.isoformat()} 届满，"
                    "届满后依法不再公示。",
                    url_of("penalties", entry),
                )
            )
    for entry in public_entries(publication, "accidents"):
        status = publication.accident_status[entry.key]
        due = status.rectification_due
        if due and due >= as_of and entry.record.evaluation_date is None:
            events.append(
                Event(
                    _uid("rectification-due", entry.key),
                    due,
                    f"整改评估截止：{entry.key}",
                    f"调查报告批复日期 {entry.record.approval_date}；"
                    f"整改措施落实情况评估应在 {due.isoformat()} 前完成并公开"
                    "（《安全生产法》第八十六条）。",
                    url_of("accidents", entry),
                )
            )
    events.sort(key=lambda e: (e.day, e.uid))
    return events


def ics_bytes(events: list[Event], bureau: str, as_of: dt.date) -> bytes:
    stamp = f"{as_of:%Y%m%d}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Gongkai//安全生产政务公开//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(bureau + ' 公示期限与整改评估')}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{e.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{e.day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(e.summary)}",
            f"DESCRIPTION:{escape_text(e.description)}",
            f"URL:{e.url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("".join(fold(line) + "\r\n" for line in lines)).encode("utf-8")
