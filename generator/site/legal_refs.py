"""Citations of law in free text → (law, article) pairs, one legal-basis page per pair.

    《中华人民共和国安全生产法》第九十七条第一项；《危险化学品安全管理条例》第八十条
    → [("安全生产法", 97), ("危险化学品安全管理条例", 80)]

Only the 条 matters for the page (款 and 项 are ignored).  A law's key drops the
"中华人民共和国" prefix, so 《安全生产法》 and 《中华人民共和国安全生产法》 meet on one page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

_LAW = re.compile(r"《([^《》]{2,60})》")
_ARTICLE = re.compile(r"第\s*([0-9０-９零〇一二两三四五六七八九十百千]+)\s*条")
_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_PREFIX = "中华人民共和国"


class Citation(NamedTuple):
    """A tuple rather than a frozen dataclass: one or two per record, so hundreds of thousands at
    national scale, made again in every build from the build cache's memo."""

    law_key: str  # the law's name without 中华人民共和国
    article: int
    law_name: str  # as written in this citation


def chinese_number(text: str) -> int | None:
    """九十七 → 97, 一百零二 → 102, 十 → 10, 97 → 97; None for anything else."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:
            return None
    total += digit or 0
    return total or None


def law_key(name: str) -> str:
    name = name.strip()
    return name[len(_PREFIX) :] if name.startswith(_PREFIX) and len(name) > len(_PREFIX) else name


def parse_citations(text: str | None) -> list[Citation]:
    """Every (law, article) cited in `text`, in order of first appearance, without repeats.

    The articles after a law's title belong to it until the next title: 《安全生产法》第九十七条、第九十九条.
    """
    if not text:
        return []
    found: list[Citation] = []
    laws = list(_LAW.finditer(text))
    for i, match in enumerate(laws):
        end = laws[i + 1].start() if i + 1 < len(laws) else len(text)
        name = match.group(1).strip()
        for article in _ARTICLE.finditer(text, match.end(), end):
            number = chinese_number(article.group(1))
            if number is None:
                continue
            citation = Citation(law_key(name), number, name)
            if all((c.law_key, c.article) != (citation.law_key, citation.article) for c in found):
                found.append(citation)
    return found


def display_names(citations: Iterable[Citation]) -> dict[str, str]:
    """The name shown for each law: the longest form seen (the official title usually carries
    中华人民共和国), ties broken by code point so that the choice is deterministic."""
    names: dict[str, str] = {}
    for c in citations:
        best = names.get(c.law_key)
        if best is None or (len(c.law_name), c.law_name) > (len(best), best):
            names[c.law_key] = c.law_name
    return names


def article_label(number: int) -> str:
    return f"第{to_chinese(number)}条"


def to_chinese(number: int) -> str:
    """97 → 九十七, 102 → 一百零二, 110 → 一百一十 (statute style), 10 → 十."""
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    if number < 20:
        return "十" + (digits[number % 10] if number % 10 else "")
    parts: list[str] = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = (number // value) % 10
        if d:
            if zero and parts:
                parts.append("零")
            parts.append(digits[d] + unit)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)
