"""The withdrawal register and the blacklist (issue 5, rules 2 and 6) on the tiny site."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.publication import decide
from generator.settings import Settings
from generator.site.registers import blacklist_body
from generator.validate import load_and_validate

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"


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


def test_blacklist_entry_leaves_at_the_end_of_its_period() -> None:
    catalog, problems = load_and_validate(TINY, Settings())
    assert not problems.has_errors
    settings = Settings(blacklist_months=3)
    # Decided 2026-08-03: listed through 2026-11-03 (民法典 art. 202), gone the day after.
    assert "张某某" in blacklist_body(decide(catalog, settings, dt.date(2026, 11, 3)), settings)
    assert "张某某" not in blacklist_body(decide(catalog, settings, dt.date(2026, 11, 4)), settings)
