"""RFC 5545 §3.1 line folding of the deadline calendar (calendar.ics)."""

from __future__ import annotations

import pytest

from generator.opendata.ical import fold


@pytest.mark.parametrize(
    "line",
    [
        "",
        "SUMMARY:short",
        "DESCRIPTION:" + "安全生产" * 40,
        "DESCRIPTION:" + "a" * 200,
        "X:" + "é𠀀安a" * 60,  # 2-, 4-, 3- and 1-byte characters mixed
    ],
)
def test_folded_lines_fit_and_unfold_to_the_original(line: str) -> None:
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join([pieces[0], *(p[1:] for p in pieces[1:])]) == line


def test_a_line_is_folded_only_when_longer_than_75_octets() -> None:
    assert fold("x" * 75) == "x" * 75
    assert fold("x" * 76) == "x" * 75 + "\r\n x"
    assert fold("安" * 25) == "安" * 25  # 75 octets
    assert fold("安" * 26) == "安" * 25 + "\r\n 安"


def test_a_lone_carriage_return_is_escaped_as_a_line_break() -> None:
    from generator.opendata.ical import escape_text

    assert escape_text("甲\r乙\r\n丙\n丁") == "甲\\n乙\\n丙\\n丁"


def test_text_values_keep_line_breaks_as_lf() -> None:
    from generator.schema.types import _text

    assert _text("第一行\r第二行\r\n第三行") == "第一行\n第二行\n第三行"
