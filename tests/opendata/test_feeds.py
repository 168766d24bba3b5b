"""Atom feeds and calendar.ics: well-formed, deterministic, public records only."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from opendata_helpers import AS_OF, SITE_URL, Built, build

from generator.opendata.ical import fold

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ("feed.xml", "feeds/penalties.xml", "feeds/accidents.xml", "feeds/power-items.xml")


def test_feeds_parse_and_hold_public_records(built_fixture: Built) -> None:
    for path in FEEDS:
        root = ET.fromstring(built_fixture.files[path])
        assert root.tag == f"{ATOM}feed"
        assert root.findtext(f"{ATOM}id") == SITE_URL + path
        entries = root.findall(f"{ATOM}entry")
        updated = [e.findtext(f"{ATOM}updated") for e in entries]
        assert updated == sorted(updated, reverse=True), "newest first"
        for entry in entries:
            assert entry.findtext(f"{ATOM}id", "").startswith(SITE_URL)
            assert entry.find(f"{ATOM}link").get("href") == entry.findtext(f"{ATOM}id")
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00\+08:00", entry.findtext(f"{ATOM}updated", ""))
    main = ET.fromstring(built_fixture.files["feed.xml"])
    titles = " ".join(e.findtext(f"{ATOM}title", "") for e in main.findall(f"{ATOM}entry"))
    assert "云应急罚〔2026〕1号" in titles and "张某某" in titles
    assert (
        "张三丰" not in titles and "云应急罚〔2026〕4号" not in titles and "云应急罚〔2024〕3号" not in titles
    )
    n = len(built_fixture.publication.public_penalties) + len(built_fixture.publication.public_accidents)
    assert len(main.findall(f"{ATOM}entry")) == n + len(built_fixture.publication.public_power_items)


def test_no_site_url_falls_back_with_a_note(fixture_root) -> None:  # noqa: ANN001
    built = build(fixture_root, site_url="")
    text = built.files["feed.xml"].decode("utf-8")
    assert "https://example.invalid/" in text and "site_url 未配置" in text
    ET.fromstring(built.files["feed.xml"])


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_calendar_is_rfc5545(built_fixture: Built) -> None:
    data = built_fixture.files["calendar.ics"]
    text = data.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for physical in data.split(b"\r\n"):
        assert len(physical) <= 75, physical
    lines = [line for line in unfold(text) if line]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    depth, events, uids = 0, [], set()
    for line in lines:
        name = line.split(":", 1)[0].split(";", 1)[0]
        assert re.fullmatch(r"[A-Z][A-Z0-9-]*", name), line
        if line == "BEGIN:VEVENT":
            depth += 1
            events.append({})
        elif line == "END:VEVENT":
            depth -= 1
        elif depth:
            events[-1][name] = line
    assert depth == 0 and events
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= event.keys()
        assert event["DTSTAMP"] == f"DTSTAMP:{AS_OF:%Y%m%d}T000000Z"
        day = dt.datetime.strptime(event["DTSTART"].split(":")[1], "%Y%m%d").date()
        assert event["DTSTART"].startswith("DTSTART;VALUE=DATE:") and AS_OF <= day <= AS_OF + dt.timedelta(
            days=365
        )
        uids.add(event["UID"])
    assert len(uids) == len(events)
    summaries = " ".join(e["SUMMARY"] for e in events)
    assert (
        "整改评估截止：云澜市城南建设工程“8·12”坍塌事故" in summaries
    )  # approved 2025-12-01, due 2026-12-01
    assert "公示期届满：云应急罚〔2025〕8号" in summaries  # 一般, 2025-09-15 + 1 year


def test_fold_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + "安全生产" * 40
    folded = fold(line)
    for piece in folded.split("\r\n"):
        assert len(piece.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == line


def test_a_corrected_record_is_updated_on_its_correction_day(built_fixture: Built) -> None:
    from generator.history import History
    from generator.opendata.dates import updated_on

    day_before = AS_OF - dt.timedelta(days=1)
    entry = next(e for e in built_fixture.publication.public_penalties
                 if updated_on(e, built_fixture.publication, History(), AS_OF, {}) < day_before)
    first = updated_on(entry, built_fixture.publication, History(), AS_OF, {})
    corrected = History(last_changed={entry.key: day_before})
    assert updated_on(entry, built_fixture.publication, corrected, AS_OF, {}) == day_before
    later = History(last_changed={entry.key: AS_OF + dt.timedelta(days=1)})  # after the build's day: not yet
    assert updated_on(entry, built_fixture.publication, later, AS_OF, {}) == first
