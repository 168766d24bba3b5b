"""Statistics pages: charts are valid SVG with a data table each; the annual report's numbers match an
independent pandas computation over the catalog."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from decimal import Decimal
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from opendata_helpers import AS_OF, SAMPLE, Built, build, has_sample

SVG = "{http://www.w3.org/2000/svg}"


def expected_numbers(built: Built, year: int) -> dict[str, str]:
    """The report's headline figures, recomputed here from the catalog without the module's code."""
    pen = pd.DataFrame(
        [
            {"fine": e.record.fine_wan or Decimal(0), "deaths": 0}
            for e in built.catalog.penalties
            if e.record.decision_date.year == year
            and e.record.decision_date <= AS_OF
            and e.record.state == "正常"
        ],
        columns=["fine", "deaths"],
    )
    acc = pd.DataFrame(
        [
            {"deaths": e.record.deaths or 0, "serious": e.record.serious_injuries or 0}
            for e in built.catalog.accidents
            if e.record.occurred_date.year == year and e.record.occurred_date <= AS_OF
        ],
        columns=["deaths", "serious"],
    )
    fined = pen[pen["fine"] > 0]
    total_yuan = sum(fined["fine"], Decimal(0)) * 10000

    def yuan(value: Decimal) -> str:
        value = value.quantize(Decimal("0.01"))
        return f"{int(value):,} 元" if value == value.to_integral_value() else f"{value:,.2f} 元"

    return {
        "decisions": f"共作出行政处罚决定 {len(pen):,} 件",
        "fined": f"其中处以罚款的 {len(fined):,} 件",
        "total": f"罚款合计 {yuan(total_yuan)}",
        "max": f"单件最高 {yuan(max(fined['fine'], default=Decimal(0)) * 10000)}",
        "accidents": f"全年发生生产安全事故 {len(acc):,} 起",
        "deaths": f"死亡 {int(acc['deaths'].sum()):,} 人",
        "serious": f"重伤 {int(acc['serious'].sum()):,} 人",
    }


def check_report(built: Built, year: int) -> None:
    text = unescape(re.sub(r"<[^>]+>", "", built.pages[f"statistics/{year}/"].body_html))
    numbers = expected_numbers(built, year)
    for key, phrase in numbers.items():
        if key in ("accidents", "deaths", "serious") and "全年发生生产安全事故 0 起" in phrase:
            continue
        if key not in ("accidents", "deaths", "serious") and phrase.endswith(" 0 件"):
            assert f"{year}年没有作出行政处罚决定的记录" in text
            break
        assert phrase in text, (year, phrase)


def test_annual_report_numbers_fixture(built_fixture: Built) -> None:
    assert "共作出行政处罚决定 5 件" in built_fixture.pages["statistics/2026/"].body_html  # 撤销 left out
    for year in (2024, 2025, 2026):
        check_report(built_fixture, year)


@pytest.mark.skipif(not has_sample(), reason="no sample data in data/")
def test_annual_report_numbers_sample(tmp_path: Path) -> None:
    shutil.copytree(SAMPLE / "data", tmp_path / "data")
    built = build(tmp_path)
    years = [int(u.split("/")[1]) for u in built.pages if re.fullmatch(r"statistics/\d{4}/", u)]
    assert years
    for year in years:
        check_report(built, year)


def test_charts_are_accessible_svg_with_tables(built_fixture: Built) -> None:
    for url, page in built_fixture.pages.items():
        if not url.startswith("statistics/"):
            continue
        assert page.body_html.startswith("<h1>")
        figures = re.findall(r'<figure class="gk-chart".*?</figure>', page.body_html)
        assert figures
        for figure in figures:
            svg = re.search(r"<svg.*?</svg>", figure)
            if svg is None:
                assert "暂无数据" in figure
                continue
            root = ET.fromstring(svg.group(0))
            assert root.get("role") == "img"
            title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
            assert title is not None and desc is not None
            assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
            assert "<table" in figure and "<caption>" in figure
            assert "http" not in svg.group(0).replace("http://www.w3.org/2000/svg", "")  # no external host
    overview = built_fixture.pages["statistics/"].body_html
    for chart in ("p-year", "p-month", "p-cat", "p-vio", "p-dist", "p-fines", "a-level", "a-ind", "a-deaths"):
        assert f'id="{chart}"' in overview


def test_no_party_names_in_statistics(built_fixture: Built) -> None:
    html = "".join(p.body_html for u, p in built_fixture.pages.items() if u.startswith("statistics/"))
    for entry in built_fixture.catalog.penalties:
        assert entry.record.party_name not in html
