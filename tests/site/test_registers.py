"""The withdrawal register and the blacklist (issue 5, rules 2 and 6) on the tiny site."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.publication import BlacklistEntry, decide
from generator.settings import Settings
from generator.site.build import build_site
from generator.site.registers import ROWS_PER_PAGE, blacklist_pages
from generator.validate import load_and_validate

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"
SAMPLE = Path(__file__).resolve().parents[2]  # the repository: site_config.yml and the sample data/


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_withdrawal_register_lists_the_change_without_its_content(tiny_site: Path) -> None:
    text = page(tiny_site, "penalties/withdrawals")
    assert "云应急罚〔2026〕5号" in text
    assert "行政复议决定撤销原处罚决定" in text and "2026年8月1日" in text
    assert "2026年8月4日" in text  # the 3-day limit (行政处罚法 art. 48)
    assert "云澜市恒通化工有限公司" not in text  # the withdrawn content is not repeated
    assert "未如实记录安全生产教育和培训情况" not in text


def test_blacklist_masks_natural_persons_and_links_from_the_listing(tiny_site: Path) -> None:
    text = page(tiny_site, "penalties/blacklist")
    assert "张某某" in text and "张三丰" not in text
    assert "云应急罚〔2026〕9号" in text
    assert 'href="../penalties/blacklist/"' in page(tiny_site, "penalties")
    # The decision links to its record page; a natural person has no enterprise page to link to.
    assert '<a href="../../penalties/2026-9-c6053b3015/">云应急罚〔2026〕9号</a>' in text
    assert "<a" not in text.split('data-label="当事人">', 1)[1].split("</td>", 1)[0]


def test_blacklist_entry_leaves_at_the_end_of_its_period() -> None:
    catalog, problems = load_and_validate(TINY, Settings())
    assert not problems.has_errors
    settings = Settings(blacklist_months=3)
    # Decided 2026-08-03: listed through 2026-11-03 (民法典 art. 202), gone the day after.

    def body(day: dt.date) -> str:
        [(_, _, _, html)] = blacklist_pages(decide(catalog, settings, day), settings)
        return html

    assert "张某某" in body(dt.date(2026, 11, 3))
    assert "张某某" not in body(dt.date(2026, 11, 4))


def test_a_long_register_is_split_into_linked_pages_with_every_entry_once() -> None:
    catalog, _ = load_and_validate(TINY, Settings())
    pub = decide(catalog, Settings(), dt.date(2026, 11, 3))
    count = 2 * ROWS_PER_PAGE + 7
    pub.blacklist[:] = [
        BlacklistEntry(f"企业{i:04d}有限公司", "法人及非法人组织", f"9153{i:014d}", (f"云应急罚〔2026〕{i}号",), dt.date(2029, 1, 1))
        for i in range(count)
    ]
    pages = blacklist_pages(pub, Settings())
    assert [url for url, *_ in pages] == [
        "penalties/blacklist/", "penalties/blacklist/page/2/", "penalties/blacklist/page/3/"
    ]
    bodies = [body for *_, body in pages]
    assert all(f"企业{i:04d}有限公司" in "".join(bodies) for i in range(count))
    assert [body.count("<tr>") - 1 for body in bodies] == [ROWS_PER_PAGE, ROWS_PER_PAGE, 7]  # minus the header row
    assert f"共 {count} 条，本页第 {ROWS_PER_PAGE + 1}–{2 * ROWS_PER_PAGE} 条" in bodies[1]
    assert 'href="../../../../penalties/blacklist/page/2/" rel="prev"' in bodies[2]
    assert 'href="../../../../penalties/blacklist/page/3/" rel="next"' in bodies[1]
    assert 'rel="prev"' not in bodies[0] and 'rel="next"' not in bodies[2]
    assert '<span aria-current="page">第 2 页</span>' in bodies[1]
    assert pages[1][1] == "严重失信主体名单（第 2 页）"


def test_a_site_with_paginated_registers_builds_every_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Later register pages sit one directory deeper than any listing page: the build must have a
    page shell for them (a 5k-record build once failed here).  The shipped sample has 5 withdrawals."""
    from generator.site import registers

    monkeypatch.setattr(registers, "ROWS_PER_PAGE", 2)
    site = tmp_path / "site"
    problems = build_site(SAMPLE, site, dt.date(2026, 11, 21), workers=1)
    assert not problems.has_errors
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.glob("penalties/withdrawals/**/index.html"))
    assert pages == ["penalties/withdrawals", "penalties/withdrawals/page/2", "penalties/withdrawals/page/3"]
    third = (site / "penalties/withdrawals/page/3/index.html").read_text(encoding="utf-8")
    assert "处罚决定撤销、变更公示登记（第 3 页）" in third and "本页第 5–5 条" in third
    assert 'href="../../../../assets/' in third  # the depth-4 shell: asset links resolve from here
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "penalties/withdrawals/page/3/" in sitemap


def test_an_enterprise_page_says_when_the_enterprise_is_on_the_blacklist() -> None:
    from generator.site.entity_views import enterprise_page
    from generator.site.index import build_index
    from generator.site.record_views import Context

    settings, as_of = Settings(), dt.date(2026, 11, 21)
    catalog, problems = load_and_validate(SAMPLE, settings)
    assert not problems.has_errors
    publication = decide(catalog, settings, as_of)
    index = build_index(catalog, publication)
    listed = [e for e in index.enterprises if e.url in index.blacklisted_until]
    assert listed, "the sample has enterprises on the blacklist"
    page = enterprise_page(Context(settings, as_of, index, SAMPLE), listed[0])
    [fact] = [f for f in page.facts if f.label == "严重失信主体名单"]
    assert fact.value.startswith("列入名单，至 ") and fact.href.endswith("penalties/blacklist/")
    others = [e for e in index.enterprises if e.url not in index.blacklisted_until]
    assert not [f for f in enterprise_page(Context(settings, as_of, index, SAMPLE), others[0]).facts if f.label == "严重失信主体名单"]


def test_a_withdrawal_takes_effect_on_its_date() -> None:
    """Withdrawn on 2026-08-01: public the day before (a build as of that day shows it), gone that day."""
    catalog, problems = load_and_validate(TINY, Settings())
    assert not problems.has_errors

    def reason(day: dt.date) -> str:
        return decide(catalog, Settings(), day).penalty("云应急罚〔2026〕5号").reason

    assert (reason(dt.date(2026, 7, 31)), reason(dt.date(2026, 8, 1))) == ("", "withdrawn")


def test_a_withdrawal_still_to_come_is_neither_shown_nor_counted_as_one() -> None:
    """Before its 状态变更日期 the decision is published as it stands: 正常 in the downloads (which
    then import back), counted in the statistics, not in the withdrawal register."""
    from generator.opendata.records import public_rows
    from generator.opendata.stats import penalty_frame

    catalog, _ = load_and_validate(TINY, Settings())
    day = dt.date(2026, 7, 31)
    pub = decide(catalog, Settings(), day)
    [row] = [r for r in public_rows(pub, Settings(), "penalties") if r.entry.key == "云应急罚〔2026〕5号"]
    assert row.row["状态"] == "正常"
    assert "云应急罚〔2026〕5号" not in {w.decision_number for w in pub.withdrawals}
    assert "云应急罚〔2026〕5号" in set(penalty_frame(catalog, pub, day)["key"])
    later = dt.date(2026, 8, 1)  # the day it takes effect: withdrawn, and no longer counted
    assert "云应急罚〔2026〕5号" not in set(penalty_frame(catalog, decide(catalog, Settings(), later), later)["key"])


def test_a_withdrawal_entered_ahead_of_its_date_is_taken_down_on_that_date() -> None:
    catalog, _ = load_and_validate(TINY, Settings())
    pub = decide(catalog, Settings(), dt.date(2026, 11, 21), withdrawn_seen={"云应急罚〔2026〕5号": dt.date(2026, 7, 20)})
    [withdrawal] = [w for w in pub.withdrawals if w.decision_number == "云应急罚〔2026〕5号"]
    assert withdrawal.withdrawn_on == dt.date(2026, 8, 1)  # its 状态变更日期, not the earlier commit
