"""Choices in their meaning's order (a UX review found them by code point: 一般 before 较大 before
特别重大), captions that name the order, and the no-JavaScript way through a listing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.rules.orders import PENALTY_CATEGORIES, law_rank
from generator.search.order import ordered
from generator.site.display import LEVEL_LABELS
from generator.site.listings import Cell, Filter, Listing, Row, Sort, absent, listing_data


def _listing(values: list[tuple[str, ...]], filters: tuple[Filter, ...], per_page: int = 50) -> Listing:
    rows = [Row(cells=(Cell(f"r{i}", f"x/{i}/"),), filters=v, sorts=(i,), shard="all") for i, v in enumerate(values)]
    return Listing(
        section="x/", title="X", subject="某某记录", columns=("编号",), numeric=(), rows=rows,
        filters=filters, sorts=(Sort("-date", "日期（由近及远）", 0, True),), per_page=per_page,
    )


def test_dropdown_options_follow_the_law_and_the_standards() -> None:
    values = [
        ("2024", "一般事故", "罚款", "自然人", "乙"),
        ("2026", "特别重大事故", "警告", "法人及非法人组织", "甲"),
        ("2025", "较大事故", "没收违法所得", "个体工商户", "乙"),
        ("2024", "未认定", "训诫", "自然人", "丙"),
        ("2025", "重大事故", "通报批评", "自然人", "乙"),
    ]
    filters = (
        Filter("year", "年份"),
        Filter("level", "事故等级", LEVEL_LABELS),
        Filter("category", "处罚类别", PENALTY_CATEGORIES),
        Filter("party", "当事人类别", ("法人及非法人组织", "自然人", "个体工商户")),
        Filter("other", "其他"),
    )
    options = _listing(values, filters).options
    assert options["year"] == ["2026", "2025", "2024"]
    assert options["level"] == ["特别重大事故", "重大事故", "较大事故", "一般事故", "未认定"]
    assert options["category"] == ["警告", "通报批评", "罚款", "没收违法所得", "训诫"]  # art. 9, unknown last
    assert options["party"] == ["法人及非法人组织", "自然人", "个体工商户"]
    assert options["other"] == ["乙", "丙", "甲"]  # no order in law: the most common first, then code point


def test_unknown_values_come_after_the_known_ones_most_common_first() -> None:
    assert ordered({"c": 1, "b": 5, "a": 1, "known": 1}, ("known",)) == ["known", "b", "a", "c"]


def test_laws_rank_by_legal_force() -> None:
    assert law_rank("中华人民共和国安全生产法") == 0
    assert law_rank("危险化学品安全管理条例") == 1
    assert law_rank("危险化学品经营许可证管理办法") == 2  # 办法 is a rule, not a law
    assert law_rank("安全生产违法行为行政处罚办法") == 2
    assert law_rank("某某通知") == 3


def test_the_caption_names_the_order_and_the_data_names_it_for_the_script() -> None:
    listing = _listing([("2024",), ("2025",)], (Filter("year", "年份"),))
    assert listing.caption == "某某记录（按日期由近及远）"
    assert Sort("code", "事项编码", 0, False).phrase == "按事项编码排列"
    index = json.loads(listing_data(listing)["x/data/index.json"])
    assert index["subject"] == "某某记录"
    assert index["sorts"][0]["phrase"] == "按日期由近及远"


def test_a_missing_value_is_a_dash_said_in_words_and_has_no_sort_key() -> None:
    rows = [Row(cells=(Cell("a", "x/a/"), absent("无罚款")), filters=("2024",), sorts=(None,), shard="2024")]
    listing = Listing(
        section="x/", title="X", subject="S", columns=("编号", "罚款金额"), numeric=(1,), rows=rows,
        filters=(Filter("year", "年份"),), sorts=(Sort("-amount", "金额（由高到低）", 0, True),),
    )
    shard = json.loads(listing_data(listing)["x/data/2024.json"])
    assert shard["rows"] == [["x/a/", "a", ["—", "无罚款"], 0, None]]


def test_without_javascript_each_year_links_to_the_page_it_starts_on() -> None:
    listing = _listing([("2026",)] * 3 + [("2025",)] * 4 + [("2024",)], (Filter("year", "年份"),), per_page=2)
    assert listing.year_starts == [("2026", 1), ("2025", 2), ("2024", 4)]


def test_the_laws_index_puts_laws_first_and_articles_by_number(tiny_site: Path) -> None:
    text = (tiny_site / "laws" / "index.html").read_text(encoding="utf-8")
    laws = re.findall(r"<h2 id=\"law-\d+\">(.*?)</h2>", text)
    assert laws == ["《中华人民共和国安全生产法》", "《危险化学品安全管理条例》"]
    first = text[text.index(laws[0]) : text.index(laws[1])]
    assert re.findall(r">(第[^<]*条)</a>", first) == ["第四十三条", "第九十七条", "第一百一十四条"]


def test_search_facets_follow_the_same_orders(tiny_site: Path) -> None:
    meta = json.loads((tiny_site / "search" / "index" / "meta.json").read_text(encoding="utf-8"))
    values = {f["key"]: [v[0] for v in f["values"]] for f in meta["facets"]}
    assert values["kind"] == ["penalty", "accident", "power-item", "enterprise", "page"]
    assert values["level"] == ["较大事故", "一般事故"]
    assert values["category"] == ["警告", "罚款", "没收违法所得"]
    assert values["party"] == ["法人及非法人组织", "自然人", "个体工商户"]
    assert values["year"] == sorted(values["year"], reverse=True)
