"""Choices in their meaning's order (a UX review found them by code point: 一般 before 较大 before
特别重大), captions that name the order, and the no-JavaScript way through a listing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.rules.orders import law_rank
from generator.search.order import ordered


def test_unknown_values_come_after_the_known_ones_most_common_first() -> None:
    assert ordered({"c": 1, "b": 5, "a": 1, "known": 1}, ("known",)) == ["known", "b", "a", "c"]


def test_laws_rank_by_legal_force() -> None:
    assert law_rank("中华人民共和国安全生产法") == 0
    assert law_rank("危险化学品安全管理条例") == 1
    assert law_rank("危险化学品经营许可证管理办法") == 2  # 办法 is a rule, not a law
    assert law_rank("安全生产违法行为行政处罚办法") == 2
    assert law_rank("某某通知") == 3


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
