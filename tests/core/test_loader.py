"""The strict YAML loader: values stay the exact text written, with positions; traps are refused."""

# Expected problem lines are quoted whole, and Chinese text is twice as wide as ruff counts it.
# ruff: noqa: E501

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from core_data import PENALTY, penalty_yaml

from generator.schema.convert import convert
from generator.schema.kinds import PENALTIES
from generator.schema.types import parse_date_text
from generator.sources.raw import RawValue
from generator.sources.yaml_loader import load_records


def _load(tmp_path: Path, content: str | bytes, key_header: str | None = None):
    path = tmp_path / "t.yml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return load_records(path, "t.yml", key_header)


def _codes(problems) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in problems]


@pytest.mark.parametrize(
    "written, value",
    [
        ("NO", "NO"),  # YAML 1.1 would make this False
        ("yes", "yes"),
        ("0012", "0012"),  # not 12
        ("1.50", "1.50"),
        ("2024-03-05", "2024-03-05"),  # not a date object
        ("0x1F", "0x1F"),
        ("'null'", "null"),
        ('"null"', "null"),
        ('"~"', "~"),
        ("~", None),
        ("null", None),
        ("", None),
        ('""', ""),
        ("' 云澜 '", " 云澜 "),
    ],
)
def test_scalars_stay_text(tmp_path: Path, written: str, value: str | None) -> None:
    records, problems = _load(tmp_path, f"- 备注: {written}\n")
    assert problems == []
    raw = records[0].values["备注"]
    assert raw.value == value
    if written:  # an empty value has no text of its own to point at
        assert (raw.line, raw.column, raw.text_offset) == (1, 7, 1 if written[0] in "'\"" else 0)


def test_positions_of_records_and_values(tmp_path: Path) -> None:
    records, _ = _load(tmp_path, "# 注释\n- 处罚机关: 甲\n  备注: |-\n    第一行\n    第二行\n-   处罚机关: 乙\n")
    first, second = records
    assert (first.line, first.column, first.label) == (2, 3, "记录 1")
    assert first.values["备注"] == RawValue("第一行\n第二行", 3, 7, 0)
    assert (second.line, second.column, second.values["处罚机关"].column) == (6, 5, 11)


def test_list_values(tmp_path: Path) -> None:
    records, problems = _load(tmp_path, "- 处罚类别: [警告, 罚款, ~]\n")
    assert problems == []
    assert records[0].values["处罚类别"].value == ["警告", "罚款"]


def test_duplicate_key_is_refused_not_overwritten(tmp_path: Path) -> None:
    records, problems = _load(tmp_path, "- 处罚机关: 甲\n  备注: x\n  处罚机关: 乙\n")
    assert _codes(problems) == [("yaml.duplicate-key", 3, 3)]
    assert records[0].values["处罚机关"].value == "甲"


def test_aliases_are_refused_at_the_alias(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "- 处罚机关: &a 甲\n  数据来源单位: *a\n- 处罚机关: *a\n")
    assert _codes(problems) == [("yaml.alias", 2, 11), ("yaml.alias", 3, 9)]


def test_mapping_where_a_value_should_be(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "- 处罚机关:\n    名称: 甲\n")
    assert _codes(problems) == [("field.type", 2, 5)]
    _, problems = _load(tmp_path, "- 处罚类别: [[警告]]\n")
    assert _codes(problems) == [("field.type", 1, 10)]


@pytest.mark.parametrize(
    "text, line, column",
    [
        ("- 处罚机关: 甲\n\t备注: x\n", 2, 1),  # tab indentation
        ("- 处罚机关: 甲\n 备注: x\n", 2, 2),  # indentation error
        ("- 处罚机关: 甲: 乙\n", 1, 10),  # a colon inside an unquoted value
        ('- 处罚机关: "甲\n', 2, 1),  # unterminated quote
        ("- 处罚类别: [警告, 罚款\n", 2, 1),
    ],
)
def test_syntax_errors_are_positioned(tmp_path: Path, text: str, line: int, column: int) -> None:
    records, problems = _load(tmp_path, text)
    assert records == []
    assert _codes(problems) == [("yaml.syntax", line, column)]
    assert problems[0].message.startswith("YAML 语法错误：")


def test_tab_message_names_the_tab(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "- 处罚机关: 甲\n\t备注: x\n")
    assert "制表符（Tab）" in problems[0].message


def test_bom_is_accepted(tmp_path: Path) -> None:
    records, problems = _load(tmp_path, "\ufeff- 处罚机关: 甲\n".encode())
    assert problems == []
    assert records[0].values["处罚机关"] == RawValue("甲", 1, 9, 0)


def test_gb18030_is_refused_with_a_hint(tmp_path: Path) -> None:
    records, problems = _load(tmp_path, "- 处罚机关: 云澜市应急管理局\n".encode("gb18030"))
    assert records == []
    assert _codes(problems) == [("file.encoding", 1, 3)]
    assert "GB18030/GBK" in problems[0].message


def test_latin1_is_refused_without_the_gb_hint(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, b"- a: \xe9t\xe9\xff\xfe\n")
    assert _codes(problems) == [("file.encoding", 1, 6)]
    assert "不是 UTF-8" in problems[0].message


@pytest.mark.parametrize(
    "text, code",
    [
        ("行政处罚决定书文号: x\n", "yaml.structure"),
        ("just text\n", "yaml.structure"),
        ("- just text\n", "yaml.structure"),
        ("- [a, b]\n", "yaml.structure"),
        ("- {[a]: b}\n", "yaml.structure"),
        ("", "file.empty"),
        ("# nothing\n", "file.empty"),
        ("---\n...\n", "file.empty"),
    ],
)
def test_wrong_shapes(tmp_path: Path, text: str, code: str) -> None:
    _, problems = _load(tmp_path, text)
    assert [p.code for p in problems] == [code]


def test_problems_are_labelled_with_the_key_when_known(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, penalty_yaml(处罚机关="{a: b}").replace('"{a: b}"', "{a: b}"), "行政处罚决定书文号")
    assert [(p.code, p.record) for p in problems] == [("field.type", PENALTY["行政处罚决定书文号"])]


# --- dates --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "2024-3-05", "２０２４年３月５日"])
def test_accepted_date_formats(text: str) -> None:
    assert parse_date_text(text) == (dt.date(2024, 3, 5), "")


@pytest.mark.parametrize(
    "text", ["2024-02-30", "2024/13/1", "昨天", "2024-03-05x", "24-3-5", "2024年3月", "2024-03-05 14:30", ""]
)
def test_refused_dates(text: str) -> None:
    assert parse_date_text(text) is None


def test_date_with_time_of_day() -> None:
    assert parse_date_text("2024年3月5日14时30分", allow_time=True) == (dt.date(2024, 3, 5), "14:30")
    assert parse_date_text("2024-03-05 25:00", allow_time=True) is None


@pytest.mark.parametrize("text", ["2024/3/5", "2024.3.5", "2024年3月5日"])
def test_dates_become_iso_in_records(tmp_path: Path, text: str) -> None:
    raws, _ = _load(tmp_path, penalty_yaml(处罚决定日期=text, 公示截止期=text.replace("2024", "2025")))
    record, problems = convert(PENALTIES, raws[0])
    assert problems == []
    assert record.decision_date == dt.date(2024, 3, 5)
    assert record.publication_end == dt.date(2025, 3, 5)


# --- the canonical writer reads back exactly ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["\n x", "a\n\n b", " lead\nb", "是", "0012", "null", "~", "2024-03-05", "- x", "a: b", "#x", "'q'", '"d"',
     "多行\n文本\u3000全角空格", "tab\there", "x\r\ny", "\u2028", "{a}", "[1]", "&a", "*a", "!t", "%", "@", "`"],
)
def test_writer_round_trip(tmp_path: Path, text: str) -> None:
    from generator.sources.yaml_writer import dump_records

    path = tmp_path / "w.yml"
    path.write_text(dump_records([{"备注": text, "处罚类别": [text, "罚款"]}], ["备注", "处罚类别"]), encoding="utf-8")
    records, problems = load_records(path, "w.yml")
    assert problems == []
    assert records[0].values["备注"].value == text
    assert records[0].values["处罚类别"].value == [text, "罚款"]
