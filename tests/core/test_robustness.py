"""No Python traceback reaches the user for any input, however broken: every bad input ends in exit
code 1 with positioned problems (exit 2, the internal-error line, would mean a bug)."""

# Expected problem lines are quoted whole, and Chinese text is twice as wide as ruff counts it.
# ruff: noqa: E501

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from core_data import accident_yaml, penalty_yaml, write_files

POSITIONED = re.compile(r"^[^:\n]+:\d+:\d+: (error|warning)\[[a-z.-]+\]: ", re.MULTILINE)

_VALID = penalty_yaml().encode()

BROKEN_DATA_FILES: dict[str, bytes] = {
    "binary garbage": bytes(range(256)) * 8,
    "NUL only": b"\x00" * 10,
    "UTF-16 YAML": penalty_yaml().encode("utf-16"),
    "UTF-32 YAML": penalty_yaml().encode("utf-32"),
    "GB18030 YAML": penalty_yaml().encode("gb18030"),
    "Latin-1 YAML": b"- \xe9: \xe8\n",
    "truncated UTF-8": _VALID[:-3] + "违".encode()[:2],
    "1 MB value": penalty_yaml(违法事实="危" * 1_000_000).encode(),
    "1 MB line of garbage": b"- " + b"{" * 1_000_000,
    "deep nesting": b"- a: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "deep block nesting": "".join("  " * i + f"- k{i}:\n" for i in range(300)).encode(),
    "python tag": b"- \xe5\xa4\x87\xe6\xb3\xa8: !!python/object/apply:os.system [echo hi]\n",
    "custom tag": b"- a: !secret x\n",
    "complex key": b"- ? [a, b]\n  : c\n",
    "mapping key": b"- {a: 1}: 2\n",
    "null key": b"- ~: x\n  : y\n",
    "sequence of sequences": b"- - - - a\n",
    "record is a number": b"- 12\n- 13\n",
    "list of mappings value": b"- a: [{b: c}]\n",
    "nested list value": penalty_yaml().replace('"警告；罚款"', "[[警告], 罚款]").encode(),
    "two documents": _VALID + b"---\n" + _VALID,
    "document end only": b"...\n",
    "undefined alias": b"- a: *nope\n",
    "anchor on record": b"- &r {a: 1}\n- *r\n",
    "merge key": b"- &b {\xe5\xa4\x87\xe6\xb3\xa8: x}\n- <<: *b\n",
    "lone surrogate escape": b'- \xe5\xa4\x87\xe6\xb3\xa8: "\\ud800"\n',
    "control characters": b"- a: \x07\x1b[31m\n",
    "BOM then garbage": b"\xef\xbb\xbf\xff\xfe",
    "huge number of records": penalty_yaml(行政处罚决定书文号="x").encode() * 2000,
    "date as a list": penalty_yaml().replace('"2024-03-05"', "[2024-03-05]").encode(),
    "date as a mapping": penalty_yaml().replace('"2024-03-05"', "{y: 2024}").encode(),
    "amount as a list": penalty_yaml().replace('"2"\n', "[1, 2]\n", 1).encode(),
    "weird date": penalty_yaml(处罚决定日期="9999年99月99日").encode(),
    "year zero": penalty_yaml(处罚决定日期="0000-01-01").encode(),
    "year 10000": penalty_yaml(处罚决定日期="10000-01-01").encode(),
    "full-width digits": penalty_yaml(处罚决定日期="２０２４－０３－３２").encode(),
}


def _check_broken(code: int, out: str, err: str) -> None:
    assert "Traceback" not in out + err
    assert "内部错误" not in err, err
    assert code == 1, out[-2000:]
    assert POSITIONED.search(out), out[-2000:]


@pytest.mark.parametrize("name", list(BROKEN_DATA_FILES))
def test_broken_data_file(name: str, project: Path, gongkai) -> None:
    write_files(project, {"data/penalties/2024.yml": BROKEN_DATA_FILES[name]})
    _check_broken(*gongkai("validate"))


@pytest.mark.parametrize("fmt", ["github", "json"])
def test_broken_data_file_in_other_formats(fmt: str, project: Path, gongkai) -> None:
    write_files(project, {"data/penalties/2024.yml": BROKEN_DATA_FILES["binary garbage"]})
    code, out, err = gongkai("validate", "--format", fmt)
    assert code == 1 and out and "Traceback" not in out + err


def _mutations(seed: int, count: int) -> list[bytes]:
    """Deterministic random damage to a valid file: flipped, deleted and inserted bytes."""
    rng = random.Random(seed)
    base = bytearray((penalty_yaml() + accident_yaml()).encode())
    out = []
    for _ in range(count):
        data = bytearray(base)
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(data))
            op = rng.random()
            if op < 0.4:
                data[i] = rng.randrange(256)
            elif op < 0.7:
                del data[i]
            else:
                data[i:i] = rng.choice([b":", b"-", b'"', b"'", b"[", b"{", b"\t", b"\n", b"&a ", b"*a", b"#"])
        out.append(bytes(data))
    return out


def test_randomly_damaged_data_files(project: Path, gongkai) -> None:
    for data in _mutations(seed=20261121, count=60):
        write_files(project, {"data/penalties/2024.yml": data})
        code, out, err = gongkai("validate")
        assert "Traceback" not in out + err and "内部错误" not in err, data
        assert code in (0, 1)
        if code == 1:
            assert POSITIONED.search(out), data


def test_randomly_damaged_tables(project: Path, gongkai) -> None:
    from test_import import penalty_csv, penalty_row

    rng = random.Random(7)
    base = penalty_csv([penalty_row(i) for i in range(1, 4)])
    for encoding in ("utf-8", "gb18030", "utf-8-sig", "utf-16"):
        raw = bytearray(base.encode(encoding))
        for _ in range(12):
            data = bytearray(raw)
            for _ in range(rng.randint(1, 5)):
                i = rng.randrange(len(data))
                data[i : i + rng.randint(0, 3)] = bytes(rng.randrange(256) for _ in range(rng.randint(0, 3)))
            write_files(project, {"imports/t.csv": bytes(data)})
            before = sorted((project / "data").rglob("*"))
            code, out, err = gongkai("import", "penalties", "imports/t.csv")
            assert "Traceback" not in out + err and "内部错误" not in err, bytes(data)
            assert code in (0, 1)
            if code == 1:
                assert POSITIONED.search(out)
                assert sorted((project / "data").rglob("*")) == before


def test_data_directory_missing(project: Path, gongkai) -> None:
    import shutil

    shutil.rmtree(project / "data")
    _check_broken(*gongkai("validate"))


def test_data_file_is_a_directory(project: Path, gongkai) -> None:
    (project / "data/penalties/2024.yml").mkdir()
    code, out, err = gongkai("validate")
    _check_broken(code, out, err)
    assert "data/penalties/2024.yml:1:1: error[file.unreadable]: 无法读取文件（这是一个目录，不是文件）" in out


@pytest.mark.parametrize(
    "config",
    [
        b"",
        b"plugins: 5\n",
        b"plugins:\n  - gongkai: [1, 2]\n",
        b"plugins:\n  - gongkai:\n      records_per_page: many\n",
        b"plugins:\n  - gongkai:\n      minimum_months: {\xe7\x89\xb9\xe5\x88\xab: 3}\n",
        b"[unclosed\n",
        b"\xff\xfe\x00\x00",
    ],
)
def test_broken_site_config(config: bytes, project: Path, gongkai) -> None:
    (project / "site_config.yml").write_bytes(config)
    code, out, err = gongkai("validate")
    assert "Traceback" not in out + err and "内部错误" not in err
    assert code == 1
    assert re.search(r"^site_config\.yml:\d+:\d+: error\[config\.invalid\]", out, re.MULTILINE), out


@pytest.mark.parametrize(
    "page",
    [
        b"---\ntitle: [unclosed\n---\n",
        b"---\n- a\n- b\n---\n",
        b"---\ntitle: x\n",
        b"\xff\xfe garbage",
        b"---\n? [a]\n: b\n---\n",
        b"---\ntitle: x\n\x00\n---\n",
    ],
)
def test_broken_content_page(page: bytes, project: Path, gongkai) -> None:
    (project / "content/page.md").write_bytes(page)
    code, out, err = gongkai("validate")
    assert "Traceback" not in out + err and "内部错误" not in err
    assert code == 1
    assert re.search(r"^content/page\.md:\d+:\d+: error\[content\.front-matter\]", out, re.MULTILINE), out


@pytest.mark.parametrize(
    "schedule",
    [
        b"",
        b"- 1\n",
        b"\xff\xfe",
        b"\xe5\xb9\xb4\xe4\xbb\xbd: [1]\n",
        b"\xe5\xb9\xb4\xe4\xbb\xbd: 2027\n\xe6\x94\xbe\xe5\x81\x87: {a: b}\n",
        b"\xe5\xb9\xb4\xe4\xbb\xbd: 2027\n\xe6\x94\xbe\xe5\x81\x87: [[1]]\n",
        b"? [a]\n: b\n",
    ],
)
def test_broken_holiday_schedule(schedule: bytes, project: Path, gongkai) -> None:
    write_files(project, {"data/holidays/2027.yml": schedule})
    code, out, err = gongkai("validate")
    assert "Traceback" not in out + err and "内部错误" not in err
    assert code == 1
    # The schedule's own problems, or the file's (encoding, YAML syntax) as for any data file.
    assert re.search(
        r"^data/holidays/2027\.yml:\d+:\d+: error\[(calendar\.schedule|file\.encoding|yaml\.syntax)\]", out, re.MULTILINE
    ), out


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("99999999999999999999999", "人数过大：超过 100,000 人"),
        ("٣", "应为不小于 0 的整数"),  # a digit of another script: int() would take it, silently
    ],
)
def test_implausible_counts_are_refused(value: str, message: str) -> None:
    from generator.schema.types import _parse_count

    with pytest.raises(Exception, match=message):
        _parse_count(value)


def test_minus_zero_is_not_called_negative() -> None:
    from generator.schema.types import _decimal_in_wan

    with pytest.raises(Exception, match="请去掉负号"):
        _decimal_in_wan("penalty.amount", "")("-0")


@pytest.mark.parametrize(
    ("written", "amount"),
    [("1,250.5万元", "1250.5"), ("12.5万", "12.5"), ("12.5 万元", "12.5"), ("３万元", "3")],
)
def test_an_amount_may_say_its_unit_wan(written: str, amount: str) -> None:
    from generator.schema.types import _decimal_in_wan

    assert str(_decimal_in_wan("penalty.amount", "")(written)) == amount


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("5000元", "单位应为万元：'5000元' 即 0.5 万元，请填 0.5"),
        ("1,250,000 元", "单位应为万元：'1,250,000 元' 即 125 万元，请填 125"),
        ("-3万元", "应为不小于 0 的数字（单位：万元）；实际为负数 '-3万元'"),
        ("五万元", "应为不小于 0 的数字（单位：万元）；实际为 '五万元'（文本）"),
    ],
)
def test_an_amount_in_yuan_is_refused_with_its_value_in_wan(written: str, message: str) -> None:
    from generator.schema.types import _decimal_in_wan

    with pytest.raises(Exception) as caught:
        _decimal_in_wan("penalty.amount", "")(written)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("20240305", "2024-03-05"),  # as some case systems export
        ("2024/3/5 0:00", "2024-03-05"),  # a date cell of a spreadsheet saved as CSV
        ("2024-03-05 00:00:00", "2024-03-05"),
        ("二〇二四年三月五日", "2024-03-05"),  # the date line of a decision document
        ("二〇二四年十二月三十一日", "2024-12-31"),
        ("二零二四年十月十号", "2024-10-10"),
    ],
)
def test_dates_as_spreadsheets_and_documents_write_them(written: str, day: str) -> None:
    from generator.schema.types import _parse_date

    assert _parse_date(written).isoformat() == day


def test_a_spreadsheet_date_with_midnight_is_no_time_of_day() -> None:
    from generator.schema.types import _parse_datetime_text

    assert (_parse_datetime_text("2024/3/5 0:00"), _parse_datetime_text("2024-03-05 14:30")) == ("2024-03-05", "2024-03-05 14:30")


@pytest.mark.parametrize(
    "written", ["202403051", "20241305", "2024-03-05 14:30", "二〇二四年二月三十日", "二〇二四年十三月一日", "二〇二四年三月五日十四时"]
)
def test_dates_that_are_not_a_day_are_refused(written: str) -> None:
    from generator.schema.types import _parse_date

    with pytest.raises(Exception, match="应为日期"):
        _parse_date(written)


@pytest.mark.parametrize(
    ("fact", "code"),
    [
        ("1.现场负责人王某，联系电话13800138000\n2.伤者住院治疗。", "privacy.mobile"),  # at the end of a line
        ("当事人身份证号一一〇一〇五一九八五〇六一五一二三六。", "privacy.id-number"),  # in Chinese numerals
    ],
)
def test_personal_numbers_hidden_by_the_way_they_are_written_stop_validation(
    fact: str, code: str, project: Path, gongkai
) -> None:
    write_files(project, {"data/penalties/2024.yml": penalty_yaml(违法事实=fact)})
    exit_code, out, err = gongkai("validate")
    assert exit_code == 1 and f"error[{code}]" in out, out


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["import", "foo", "x.csv"], "gongkai import：错误：参数 kind：无效的取值 'foo'（可选：'penalties', 'accidents', 'power-items'）"),
        (["import", "penalties"], "gongkai import：错误：缺少必需的参数：file"),
        (["build", "--as-of", "2026-02-30"], "gongkai build：错误：参数 --as-of：应为 YYYY-MM-DD 格式的有效日期，实际为 '2026-02-30'"),
        (["build", "--bogus"], "gongkai：错误：无法识别的参数：--bogus"),
    ],
)
def test_a_wrong_command_line_is_answered_in_chinese(argv: list[str], said: str, capsys) -> None:  # noqa: ANN001
    from generator.cli import main

    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：gongkai") and said in err.splitlines(), err


def test_a_record_repeated_by_its_anchor_is_an_alias_problem(project: Path, gongkai) -> None:
    lines = penalty_yaml().splitlines()
    lines[0] = "- &first " + lines[0][2:]
    write_files(project, {"data/penalties/2024.yml": "\n".join(lines) + "\n- *first\n"})
    code, out, err = gongkai("validate")
    assert code == 1
    assert out.splitlines()[0] == f"data/penalties/2024.yml:{len(lines) + 1}:3: error[yaml.alias]: 记录 2: 不支持别名（*）：请把这条记录完整写出"


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("2027.yml", "年份: 2027\n年份: 2028\n放假: [2027-02-01]\n",
         "data/holidays/2027.yml:2:1: error[yaml.duplicate-key]: 年份: 字段 “年份” 出现了两次；后一个值会覆盖前一个，请只保留一个"),
        ("2030.yml", "年份: 2031\n放假: [2031-02-01]\n",
         "data/holidays/2030.yml:1:1: error[calendar.schedule]: 年份：文件名是 2030.yml，年份却写的是 2031；请让二者一致（每年一个文件，如 2031.yml）"),
    ],
)
def test_a_holiday_file_says_one_year_once(name: str, text: str, line: str, project: Path, gongkai) -> None:
    write_files(project, {f"data/holidays/{name}": text})
    code, out, err = gongkai("validate")
    assert code == 1 and line in out.splitlines(), out
