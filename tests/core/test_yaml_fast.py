"""The canonical fast reader must give exactly what the general (event) loader gives, or step aside."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from generator.sources.yaml_fast import read_canonical
from generator.sources.yaml_loader import _EventReader
from generator.sources.yaml_writer import dump_records

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"penalties": "行政处罚决定书文号", "accidents": "事故名称", "power-items": "事项编码"}


def general(text: str, key: str | None) -> list:
    reader = _EventReader(text, "f.yml", key)
    records = reader.read()
    assert not reader.problems
    return [(r.line, r.column, r.label, r.values) for r in records]


def fast(text: str, key: str | None) -> list | None:
    records = read_canonical(text, "f.yml", key)
    return None if records is None else [(r.line, r.column, r.label, r.values) for r in records]


@pytest.mark.parametrize("path", sorted((ROOT / "data").rglob("*.yml")), ids=lambda p: p.parent.name + "/" + p.name)
def test_sample_files_read_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    key = KEYS[path.parent.name]
    assert fast(text, key) is not None, "the shipped sample is canonical"
    assert fast(text, key) == general(text, key)


AWKWARD = [
    "是", "NO", "0012", "2024-03-05", "null", "~", "", " 前导空格", "尾随空格 ", 'a "quote" and \\ slash',
    "tab\tinside", "line1\nline2", "line1\nline2\n", "line1\n\n  indented\nend", "\n开头换行", "结尾两行\n\n",
    "nel\x85x", "ls\u2028x", "bom\ufeffx", "del\x7fx", "bell\x07x", "cr\r\nlf", "# not a comment", "- dash",
    "key: value", "[flow]", "{flow}", "&anchor", "*alias", "!tag", "|pipe", ">fold", "%directive", "@at", "`tick",
    "中文：冒号", "x" * 300, "多行\n  缩进行\n\t制表符行",
]


def test_writer_output_reads_back_exactly_through_both_readers() -> None:
    rng = random.Random(7)
    rows = []
    for i in range(300):
        row = {"事项编码": f"C-{i}", "事项名称": rng.choice(AWKWARD) or "x", "备注": rng.choice(AWKWARD)}
        if i % 3 == 0:
            row["多值"] = [rng.choice(AWKWARD) or "y", rng.choice(AWKWARD) or "z"]
        rows.append(row)
    text = dump_records(rows, ("事项编码", "事项名称", "备注", "多值"))
    expected = general(text, "事项编码")
    got = fast(text, "事项编码")
    assert got is not None
    assert got == expected
    for (_, _, _, values), row in zip(got, rows, strict=True):
        for key, value in row.items():
            if value not in ("", None, []):
                assert values[key].value == value


@pytest.mark.parametrize(
    "text",
    [
        '- a: "x"  # comment\n',
        "- a: plain\n",
        '- a: "x"\n  a: "y"\n',
        '- a: "bad \\q escape"\n',
        '- a: "x"\r\n',
        "- a: |\n      deeper first line\n",
        '# comment\n- a: "x"\n',
        '- a: "x"',
        "---\n- a: \"x\"\n",
    ],
)
def test_anything_else_is_left_to_the_general_loader(text: str) -> None:
    assert read_canonical(text, "f.yml", None) is None


@pytest.mark.parametrize(
    "line",
    [
        '  违法事实 : "该单位未按规定"',  # valid YAML: key 违法事实 (the space is not part of it)
        '  违法事实: "该单位\\ud800未按规定"',  # a lone surrogate: YAML refuses the file
    ],
)
def test_lines_the_fast_reader_must_leave_to_libyaml(line: str) -> None:
    """Found by adversarial testing: the fast reader once read these differently from libyaml."""
    text = f'- 行政处罚决定书文号: "云应急罚〔2024〕1号"\n{line}\n'
    assert read_canonical(text, "f.yml", "行政处罚决定书文号") is None
