"""`gongkai import`: realistic tables are imported losslessly and idempotently; bad tables are refused
with positioned problems and nothing written."""

# Expected problem lines are quoted whole, and Chinese text is twice as wide as ruff counts it.
# ruff: noqa: E501

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from core_data import accident_yaml, penalty_yaml, power_yaml, tree_snapshot, write_files

from generator.rules.identifiers import make_credit_code
from generator.schema.headers import ACCIDENT_REQUIRED_ORDER, PENALTY_STANDARD, POWER_ITEM_HEADERS
from generator.settings import Settings
from generator.validate import load_and_validate

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata" / "cn-hazmat-accident-cases" / "HazmatCases(137).json"
PENALTY_COLUMNS = (*PENALTY_STANDARD, "失信严重程度", "状态")
AUTHORITY = make_credit_code("11420900MB0123456")


def penalty_row(i: int) -> dict[str, str]:
    return {
        "行政相对人名称": f"云澜市第{i}化工有限公司",
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": make_credit_code(f"9142090{i % 100:02d}MA4K1B2C"),
        "工商注册号": "",
        "组织机构代码": "",
        "税务登记号": "",
        "事业单位证书号": "",
        "社会组织登记证号": "",
        "法定代表人": "王某某",
        "法定代表人证件类型": "身份证",
        "法定代表人证件号码": "",
        "证件类型": "",
        "证件号码": "",
        "行政处罚决定书文号": f"云应急罚〔2024〕{i}号",
        "违法行为类型": "未按规定对从业人员进行安全生产教育和培训",
        "违法事实": f"该公司未按规定对从业人员进行安全生产教育和培训，\n特种作业人员未持证上岗（第{i}项）。",
        "处罚依据": "《中华人民共和国安全生产法》第九十七条第一项、第七项",
        "处罚类别": "警告；罚款",
        "处罚内容": f"警告，并处罚款{i}.5万元",
        "罚款金额（万元）": f"{i}.5",
        "没收违法所得、没收非法财物的金额（万元）": "",
        "暂扣或吊销证照名称及编号": "",
        "处罚决定日期": f"2024/3/{i}" if i % 2 else f"2024年3月{i}日",
        "处罚有效期": "长期",
        "公示截止期": "",
        "处罚机关": "云澜市应急管理局",
        "处罚机关统一社会信用代码": AUTHORITY,
        "数据来源单位": "云澜市应急管理局",
        "数据来源单位统一社会信用代码": AUTHORITY,
        "备注": "",
        "失信严重程度": "一般",
        "状态": "正常",
    }


def csv_text(columns: tuple[str, ...] | list[str], rows: list[dict[str, str]] | list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # as Excel writes it
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns] if isinstance(row, dict) else row)
    return out.getvalue()


def penalty_csv(rows: list[dict[str, str]]) -> str:
    return csv_text(PENALTY_COLUMNS, rows)


POWER_COLUMNS = POWER_ITEM_HEADERS


def power_rows() -> list[dict[str, str]]:
    base = {
        "设定依据": "《中华人民共和国安全生产法》第九十七条",
        "实施主体": "云澜市应急管理局",
        "承办机构": "执法监督科",
        "行使层级": "市级",
        "责任事项": "1.立案责任：发现违法行为，予以审查，决定是否立案。\n2.调查取证责任：全面、客观、公正地调查。",
        "追责情形": "对不符合法定条件的予以处罚的",
        "监督电话": "0710-1234567",
    }
    return [
        {**base, "事项编码": "CF-001", "事项名称": "对未按规定开展安全生产教育和培训的处罚", "事项类型": "行政处罚"},
        {**base, "事项编码": "CF-001-01", "事项名称": "对特种作业人员未持证上岗的处罚", "父项编码": "CF-001",
         "事项类型": "行政处罚"},
        {**base, "事项编码": "XK-001", "事项名称": "危险化学品经营许可", "事项类型": "行政许可"},
        {**base, "事项编码": "JC-001", "事项名称": "安全生产监督检查", "事项类型": "行政检查"},
    ]


def accident_rows() -> list[dict[str, str]]:
    return [{
        "事故名称": "云澜市恒泰化工有限公司“3·05”中毒和窒息事故",
        "发生时间": "2024年3月5日14时30分",
        "发生地点": "云澜市经济开发区",
        "所属行业": "化工",
        "事故类型": "中毒和窒息",
        "事故等级": "较大",
        "死亡人数": "3",
        "重伤人数": "0",
        "轻伤人数": "2人",
        "直接经济损失（万元）": "1,250.5",
        "事故发生单位": "云澜市恒泰化工有限公司",
        "统一社会信用代码": make_credit_code("91420900MA4K1B2C3"),
        "事故经过": "2024年3月5日14时许，作业人员进入储罐清理。\n随后两人晕倒。",
        "批复日期": "2024.6.20",
    }]


def _records(project: Path):
    catalog, problems = load_and_validate(project, Settings())
    assert [p.as_text() for p in problems.errors] == []
    return catalog


def _import(gongkai, kind: str, name: str, *extra: str) -> tuple[int, str]:
    code, out, err = gongkai("import", kind, name, *extra)
    assert "Traceback" not in out + err
    return code, out


# --- the three realistic imports ----------------------------------------------------------------------


def test_gb18030_penalty_csv_with_30_standard_columns(project: Path, gongkai) -> None:
    rows = [penalty_row(i) for i in range(1, 13)]
    rows[0]["备注"] = "'=SUM(A1:A3)"  # a download's formula guard
    rows[1]["备注"] = "'-3 为更正后金额"
    rows[2]["备注"] = "'普通备注"  # not a guard: kept as written
    write_files(project, {"imports/处罚.csv": penalty_csv(rows).encode("gb18030")})
    code, out = _import(gongkai, "penalties", "imports/处罚.csv")
    assert code == 0, out
    assert sorted(p.relative_to(project).as_posix() for p in (project / "data").rglob("*.yml")) == [
        "data/penalties/2024.yml"
    ]
    catalog = _records(project)
    by_key = {e.key: e.record for e in catalog.penalties}
    assert set(by_key) == {r["行政处罚决定书文号"] for r in rows}
    first = by_key["云应急罚〔2024〕1号"]
    assert first.categories == ("警告", "罚款")
    assert first.violation_facts == rows[0]["违法事实"]  # the line break survives
    assert str(first.fine_wan) == "1.5"
    assert first.decision_date.isoformat() == "2024-03-01"
    assert by_key["云应急罚〔2024〕2号"].decision_date.isoformat() == "2024-03-02"  # 2024年3月2日
    assert first.valid_until == "长期"
    assert first.remarks == "=SUM(A1:A3)"  # exactly one quote removed
    assert by_key["云应急罚〔2024〕2号"].remarks == "-3 为更正后金额"
    assert by_key["云应急罚〔2024〕3号"].remarks == "'普通备注"
    text = (project / "data/penalties/2024.yml").read_text(encoding="utf-8")
    assert '处罚决定日期: "2024-03-02"' in text  # ISO in the data file


def test_reimport_is_byte_identical(project: Path, gongkai) -> None:
    rows = [penalty_row(i) for i in range(1, 6)]
    write_files(project, {"imports/处罚.csv": penalty_csv(rows).encode("gb18030")})
    assert _import(gongkai, "penalties", "imports/处罚.csv")[0] == 0
    before = tree_snapshot(project / "data")
    for _ in range(2):
        code, _ = _import(gongkai, "penalties", "imports/处罚.csv")
        assert code == 0
        assert tree_snapshot(project / "data") == before


def test_reimport_replaces_by_key_and_moves_between_years(project: Path, gongkai) -> None:
    rows = [penalty_row(i) for i in range(1, 4)]
    write_files(project, {"imports/a.csv": penalty_csv(rows)})
    assert _import(gongkai, "penalties", "imports/a.csv")[0] == 0
    rows[0]["处罚决定日期"] = "2023-12-30"  # a corrected year: the record moves to 2023.yml
    rows[1]["处罚内容"] = "警告，并处罚款2.5万元（更正）"
    write_files(project, {"imports/b.csv": penalty_csv(rows[:2])})
    assert _import(gongkai, "penalties", "imports/b.csv")[0] == 0
    catalog = _records(project)
    assert len(catalog.penalties) == 3
    where = {e.key: e.source_path for e in catalog.penalties}
    assert where["云应急罚〔2024〕1号"] == "data/penalties/2023.yml"
    assert {e.key: e.record.content for e in catalog.penalties}["云应急罚〔2024〕2号"].endswith("（更正）")


def _hazmat_accidents() -> list[dict[str, str]]:
    if not REALDATA.exists():
        pytest.skip(f"{REALDATA} is not available")
    cases = json.loads(REALDATA.read_text(encoding="utf-8"))
    rows, names = [], set()
    for case in cases:
        title, text = (case.get("标题") or "").strip(), (case.get("正文") or "").strip()
        match = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
        if not title or not text or not match or title in names:
            continue
        y, m, d = (int(g) for g in match.groups())
        try:
            __import__("datetime").date(y, m, d)
        except ValueError:
            continue
        names.add(title)
        rows.append({"事故名称": title, "发生时间": f"{y}年{m}月{d}日", "事故经过": text})
    return rows


def test_utf8_bom_accidents_csv_from_real_reports(project: Path, gongkai) -> None:
    rows = _hazmat_accidents()
    assert len(rows) >= 50
    write_files(project, {"imports/事故.csv": "\ufeff" + csv_text(ACCIDENT_REQUIRED_ORDER, rows)})
    code, out = _import(gongkai, "accidents", "imports/事故.csv")
    assert code == 0, out
    catalog = _records(project)
    assert {e.key: e.record.narrative for e in catalog.accidents} == {
        r["事故名称"]: r["事故经过"].replace("\r\n", "\n") for r in rows
    }
    before = tree_snapshot(project / "data")
    assert _import(gongkai, "accidents", "imports/事故.csv")[0] == 0
    assert tree_snapshot(project / "data") == before


def test_accident_csv_values(project: Path, gongkai) -> None:
    write_files(project, {"imports/事故.csv": "\ufeff" + csv_text(ACCIDENT_REQUIRED_ORDER, accident_rows())})
    code, out = _import(gongkai, "accidents", "imports/事故.csv")
    assert code == 0, out
    (entry,) = _records(project).accidents
    record = entry.record
    assert (record.occurred, record.deaths, record.minor_injuries, str(record.loss_wan)) == (
        "2024-03-05 14:30", 3, 2, "1250.5"
    )
    assert record.approval_date.isoformat() == "2024-06-20"
    assert entry.source_path == "data/accidents/2024.yml"


def test_power_items_csv(project: Path, gongkai) -> None:
    write_files(project, {"imports/权责清单.csv": csv_text(POWER_COLUMNS, power_rows())})
    code, out = _import(gongkai, "power-items", "imports/权责清单.csv")
    assert code == 0, out
    catalog = _records(project)
    assert [e.key for e in catalog.power_items] == ["CF-001", "CF-001-01", "JC-001", "XK-001"]
    files = sorted(p.name for p in (project / "data/power-items").glob("*.yml"))
    assert files == ["inspection.yml", "licensing.yml", "penalty.yml"]
    before = tree_snapshot(project / "data")
    assert _import(gongkai, "power-items", "imports/权责清单.csv")[0] == 0
    assert tree_snapshot(project / "data") == before


def _xlsx(columns, rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(columns))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_penalties(project: Path, gongkai) -> None:
    import datetime as dt

    rows = []
    for i in range(1, 4):
        row = penalty_row(i)
        values: list[object] = [row[c] for c in PENALTY_COLUMNS]
        values[PENALTY_COLUMNS.index("处罚决定日期")] = dt.datetime(2024, 3, i)  # a real Excel date
        values[PENALTY_COLUMNS.index("罚款金额（万元）")] = i + 0.5  # a real Excel number
        rows.append(values)
    write_files(project, {"imports/处罚.xlsx": _xlsx(PENALTY_COLUMNS, rows)})
    code, out = _import(gongkai, "penalties", "imports/处罚.xlsx")
    assert code == 0, out
    by_key = {e.key: e.record for e in _records(project).penalties}
    assert str(by_key["云应急罚〔2024〕3号"].fine_wan) == "3.5"
    assert by_key["云应急罚〔2024〕3号"].decision_date.isoformat() == "2024-03-03"
    # The same records from a CSV give the same bytes.
    before = tree_snapshot(project / "data")
    write_files(project, {"imports/处罚.csv": penalty_csv([penalty_row(i) for i in range(1, 4)])})
    assert _import(gongkai, "penalties", "imports/处罚.csv")[0] == 0
    assert tree_snapshot(project / "data") == before


def _with_title_and_notes(rows: list[dict[str, str]], width: int) -> list[list[object]]:
    """A government spreadsheet's usual frame: a merged title, a unit/date line and a grouped header
    above the header; a blank row and signatures below the records."""
    above = [["云澜市应急管理局2024年行政处罚信息公示表"], ["填报单位：云澜市应急管理局", None, "填报日期：2024年4月1日"],
             ["行政相对人信息", *[None] * 8, "处罚信息"]]
    below = [[], ["制表人：王某", None, "审核人：李某", None, "联系电话：0871-12345678"], ["注：本表依据国家标准填报。"]]
    body = [[r[c] for c in PENALTY_COLUMNS] for r in rows]
    assert all(len(r) == width for r in body)
    return [*above, list(PENALTY_COLUMNS), *body, *below]


def test_a_title_above_and_notes_below_the_table_are_skipped_and_named(project: Path, gongkai) -> None:
    import openpyxl

    rows = [penalty_row(i) for i in range(1, 4)]
    book = openpyxl.Workbook()
    for values in _with_title_and_notes(rows, len(PENALTY_COLUMNS)):
        book.active.append(values)
    book.active.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(PENALTY_COLUMNS))
    out = io.BytesIO()
    book.save(out)
    write_files(project, {"imports/处罚.xlsx": out.getvalue()})
    code, text = _import(gongkai, "penalties", "imports/处罚.xlsx")
    assert code == 0, text
    skipped = [line.split(":")[1] for line in text.splitlines() if "table.skipped-rows" in line]
    assert skipped == ["1", "2", "3", "9", "10"], text
    assert "“制表人：王某 审核人：李某 联系电话：0871-12345678”在表格下方，是说明，不是记录，未导入" in text
    before = tree_snapshot(project / "data")
    # The same records as a plain CSV give the same data files.
    write_files(project, {"imports/处罚.csv": penalty_csv(rows)})
    assert _import(gongkai, "penalties", "imports/处罚.csv")[0] == 0
    assert tree_snapshot(project / "data") == before
    assert {e.key for e in _records(project).penalties} == {r["行政处罚决定书文号"] for r in rows}


def test_a_problem_below_a_title_points_at_the_files_own_line(project: Path, gongkai) -> None:
    rows = [penalty_row(1), {**penalty_row(2), "处罚决定日期": "昨天"}]
    table = _with_title_and_notes(rows, len(PENALTY_COLUMNS))
    text = "".join(
        ",".join(f'"{v}"' if v is not None else "" for v in line) + "\r\n" for line in table
    ).encode("gb18030")  # GB18030: the header that proves the encoding is below the title
    write_files(project, {"imports/处罚.csv": text})
    code, out = _import(gongkai, "penalties", "imports/处罚.csv")
    assert code == 1
    # Row 1's 违法事实 spans two lines (lines 5-6), so row 2 starts on line 7.
    assert f"imports/处罚.csv:8:{PENALTY_COLUMNS.index('处罚决定日期') + 1}: error[field.date]: 云应急罚〔2024〕2号 › 处罚决定日期:" in out, out


def test_a_tab_separated_table_with_a_title_is_read_by_tabs(project: Path, gongkai) -> None:
    rows = [penalty_row(1)]
    body = "\r\n".join("\t".join(" ".join(r[c].split()) for c in PENALTY_COLUMNS) for r in rows)
    write_files(project, {"imports/处罚.txt": "行政处罚信息公示表\r\n" + "\t".join(PENALTY_COLUMNS) + "\r\n" + body + "\r\n"})
    code, out = _import(gongkai, "penalties", "imports/处罚.txt")
    assert code == 0, out
    assert [e.key for e in _records(project).penalties] == [rows[0]["行政处罚决定书文号"]]


def test_a_note_between_records_is_not_skipped(project: Path, gongkai) -> None:
    rows = [[penalty_row(i)[c] for c in PENALTY_COLUMNS] for i in (1, 2)]
    note = ["备注：以下为补录"] + [""] * (len(PENALTY_COLUMNS) - 1)
    write_files(project, {"imports/处罚.csv": csv_text(PENALTY_COLUMNS, [rows[0], note, rows[1]])})
    code, out = _import(gongkai, "penalties", "imports/处罚.csv")
    assert code == 1 and "table.skipped-rows" not in out and "row 2 ›" in out, out


# --- bad tables: refused with a positioned problem, nothing written ---------------------------------------


@dataclass
class Bad:
    content: Callable[[], str | bytes]
    code: str
    line: int
    column: int
    kind: str = "penalties"
    name: str = "imports/表.csv"


def _rows(n: int = 2) -> list[dict[str, str]]:
    return [penalty_row(i) for i in range(1, n + 1)]


def _penalty_with(**changes: str) -> Callable[[], str]:
    """Two rows; the changes apply to row 1 (lines 2-3: its 违法事实 spans two lines, so the cells after
    column 16 are on line 3). Row 2 is lines 4-5."""

    def build() -> str:
        rows = _rows()
        rows[0].update(changes)
        return penalty_csv(rows)

    return build


def _columns_changed(change: Callable[[list[str]], list[str]]) -> Callable[[], str]:
    def build() -> str:
        columns = change(list(PENALTY_COLUMNS))
        return csv_text(columns, [[r.get(c, "") for c in columns] for r in _rows()])

    return build


def _raw_rows(change: Callable[[list[list[str]]], None]) -> Callable[[], str]:
    def build() -> str:
        rows = [[r[c] for c in PENALTY_COLUMNS] for r in _rows()]
        change(rows)
        return csv_text(PENALTY_COLUMNS, rows)

    return build


def _header_in(encoding: str) -> Callable[[], bytes]:
    return lambda: penalty_csv(_rows()).encode(encoding, errors="replace")


def _accident_with(**changes: str) -> Callable[[], str]:
    return lambda: "\ufeff" + csv_text(ACCIDENT_REQUIRED_ORDER, [{**accident_rows()[0], **changes}])


def _power_with(index: int, **changes: str) -> Callable[[], str]:
    def build() -> str:
        rows = power_rows()
        rows[index].update(changes)
        return csv_text(POWER_COLUMNS, rows)

    return build


def _xlsx_bad_cell() -> bytes:
    rows = [[penalty_row(1)[c] for c in PENALTY_COLUMNS]]
    rows[0][PENALTY_COLUMNS.index("处罚决定日期")] = "昨天"
    return _xlsx(PENALTY_COLUMNS, rows)


F = PENALTY_COLUMNS.index  # 0-based column index; +1 for the 1-based column in problems

BAD_TABLES: dict[str, Bad] = {
    "unknown column": Bad(_columns_changed(lambda c: [*c, "联系人"]), "table.unknown-column", 1, 33),
    "unknown column with wrong width": Bad(_columns_changed(lambda c: [*c[:9], "法人代表", *c[10:]]),
                                           "table.unknown-column", 1, 10),
    "missing column": Bad(_columns_changed(lambda c: [x for x in c if x != "备注"]), "table.missing-column", 1, 1),
    "duplicate column": Bad(_columns_changed(lambda c: [*c, "处罚机关"]), "table.duplicate-column", 1, 33),
    "blank header cell between columns": Bad(_columns_changed(lambda c: [*c[:30], "", *c[30:]]),
                                             "table.unknown-column", 1, 31),
    "ragged row (more cells)": Bad(_raw_rows(lambda r: r[1].append("多余")), "table.ragged-row", 5, 33),
    "short row": Bad(_raw_rows(lambda r: r.__setitem__(1, r[1][:29])), "table.ragged-row", 4, 29),
    "unterminated quote": Bad(lambda: penalty_csv(_rows()) + '云澜市,"未闭合的引号,\r\n', "table.syntax", 6, 1),
    "empty file": Bad(lambda: b"", "table.empty", 1, 1),
    "blank lines only": Bad(lambda: "\r\n\r\n", "table.empty", 1, 1),
    "header only": Bad(lambda: csv_text(PENALTY_COLUMNS, []), "table.empty", 2, 1),
    "binary garbage with NUL": Bad(lambda: bytes(range(256)) * 4, "file.binary", 1, 1),
    "NUL inside a row": Bad(lambda: penalty_csv(_rows()).replace("王某某", "王\x00某").encode(), "file.binary", 2, 9),
    "Big5": Bad(_header_in("big5"), "table.encoding", 1, 1),
    "Shift-JIS": Bad(_header_in("shift_jis"), "table.encoding", 1, 1),
    "Latin-1 cell in a UTF-8 file": Bad(lambda: penalty_csv(_rows()).encode().replace("王某某".encode(), b"Caf\xe9"),
                                        "table.encoding", 2, 9),
    "GB18030 row in a UTF-8 file": Bad(
        lambda: csv_text(PENALTY_COLUMNS, []).encode() + penalty_csv(_rows()).split("\r\n", 1)[1].encode("gb18030"),
        "table.encoding", 2, 1),
    "UTF-16 with an unpaired surrogate": Bad(lambda: "\ufeff行政".encode("utf-16-le") + b"\x00\xd8,\x00",
                                             "table.encoding", 1, 1),
    "UTF-16 with odd length": Bad(lambda: "\ufeff行政相对人名称".encode("utf-16-le") + b"\x41", "table.encoding", 1, 1),
    ".xls extension": Bad(lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "table.format", 1, 1, name="imports/表.xls"),
    ".json extension": Bad(lambda: b"[]", "table.format", 1, 1, name="imports/表.json"),
    "no extension": Bad(lambda: penalty_csv(_rows()), "table.format", 1, 1, name="imports/表"),
    "corrupt xlsx": Bad(lambda: bytes(range(256)) * 8, "table.xlsx", 1, 1, name="imports/表.xlsx"),
    "xlsx that is a CSV": Bad(lambda: penalty_csv(_rows()).encode(), "table.xlsx", 1, 1, name="imports/表.xlsx"),
    "xlsx with a bad cell": Bad(_xlsx_bad_cell, "field.date", 2, F("处罚决定日期") + 1, name="imports/表.xlsx"),
    "1 MB cell": Bad(_penalty_with(违法事实="危" * 1_000_000), "table.cell-too-long", 2, 16),
    "date 2024-02-30": Bad(_penalty_with(处罚决定日期="2024-02-30"), "field.date", 3, 23),
    "date 2024/13/1": Bad(_penalty_with(处罚决定日期="2024/13/1"), "field.date", 3, 23),
    "date 昨天": Bad(_penalty_with(处罚决定日期="昨天"), "field.date", 3, 23),
    "date after a lone CR in a quoted cell": Bad(_penalty_with(违法事实="第一行\r第二行", 处罚决定日期="昨天"),
                                                 "field.date", 3, 23),
    "amount 五万": Bad(_penalty_with(**{"罚款金额（万元）": "五万"}), "penalty.amount", 3, 20),
    "amount -3": Bad(_penalty_with(**{"罚款金额（万元）": "-3"}), "penalty.amount", 3, 20),
    "amount 1.2.3": Bad(_penalty_with(**{"罚款金额（万元）": "1.2.3"}), "penalty.amount", 3, 20),
    "credit code with a wrong check character": Bad(
        _penalty_with(统一社会信用代码=make_credit_code("91420900MA4K1B2C3")[:17] + "0"), "field.credit-code", 2, 3),
    "credit code of 17 characters": Bad(_penalty_with(统一社会信用代码="91420900MA4K1B2C3"), "field.credit-code", 2, 3),
    "enum 行政相对人类别 = 公司": Bad(_penalty_with(行政相对人类别="公司"), "field.enum", 2, 2),
    "enum 状态 = 作废": Bad(_penalty_with(状态="作废"), "field.enum", 3, 32),
    "撤销 without 状态变更日期": Bad(_penalty_with(状态="撤销"), "penalty.state-incomplete", 2, 1),
    "duplicate 文书号 within the table": Bad(
        _penalty_with(行政处罚决定书文号="云应急罚〔2024〕2号"), "penalty.duplicate-number", 4, 14),
    "罚款 without amount": Bad(_penalty_with(**{"罚款金额（万元）": ""}), "penalty.fine-missing", 3, 20),
    "required cell empty": Bad(_penalty_with(处罚机关=""), "field.required", 3, 26),
    "ID number in 违法事实": Bad(_penalty_with(违法事实="经查，当事人身份证号11010519491231002X。"),
                               "privacy.id-number", 2, 16),
    "mobile number": Bad(_penalty_with(处罚内容="联系电话 138 1234 5678"), "privacy.mobile", 3, 19),
    "bank card": Bad(_penalty_with(备注="缴款账户 6222021234567890128"), "privacy.bank-card", 3, 30),
    "personal e-mail": Bad(_penalty_with(违法事实="举报人邮箱 li.si@163.com"), "privacy.email", 2, 16),
    "negative 死亡人数": Bad(_accident_with(死亡人数="-2"), "accident.count", 2, 7, kind="accidents"),
    "事故等级 一般 with 5 deaths": Bad(_accident_with(事故等级="一般", 死亡人数="5"), "accident.level-mismatch",
                                 2, 6, kind="accidents"),
    "accident without 发生时间": Bad(_accident_with(发生时间=""), "field.required", 2, 2, kind="accidents"),
    "power item with unknown 事项类型": Bad(_power_with(3, 事项类型="行政监督"), "field.enum", 8, 4, kind="power-items"),
    "duplicate 事项编码": Bad(_power_with(3, 事项编码="XK-001"), "power.duplicate-code", 8, 1, kind="power-items"),
    "parent code missing": Bad(_power_with(1, 父项编码="CF-999"), "power.parent-missing", 4, 3, kind="power-items"),
    "parent cycle": Bad(_power_with(0, 父项编码="CF-001-01"), "power.parent-cycle", 2, 3, kind="power-items"),
}


def test_at_least_35_kinds_of_bad_table() -> None:
    assert len(BAD_TABLES) >= 35


def _seed(project: Path) -> None:
    """Valid data already in data/, so that 'nothing written' is checked on a non-empty directory."""
    write_files(project, {
        "data/penalties/2023.yml": penalty_yaml(行政处罚决定书文号="云应急罚〔2023〕9号", 处罚决定日期="2023-05-06"),
        "data/accidents/2023.yml": accident_yaml(发生时间="2023-03-05", 批复日期="2023-06-01"),
        "data/power-items/penalty.yml": power_yaml(事项编码="CF-900"),
    })


@pytest.mark.parametrize("seeded", [False, True], ids=["empty-data", "existing-data"])
@pytest.mark.parametrize("name", list(BAD_TABLES))
def test_bad_table_is_refused(name: str, seeded: bool, project: Path, gongkai) -> None:
    bad = BAD_TABLES[name]
    if seeded:
        _seed(project)
    content = bad.content()
    write_files(project, {bad.name: content})
    before = tree_snapshot(project / "data")
    code, out = _import(gongkai, bad.kind, bad.name)
    assert code == 1, out
    where = f"{bad.name}:{bad.line}:{bad.column}: error[{bad.code}]"
    assert any(line.startswith(where) for line in out.splitlines()), out[:3000]
    assert tree_snapshot(project / "data") == before


def test_import_into_another_directory(project: Path, gongkai, tmp_path_factory) -> None:
    target = tmp_path_factory.mktemp("elsewhere")
    write_files(project, {"imports/权责清单.csv": csv_text(POWER_COLUMNS, power_rows())})
    code, out, _ = gongkai("import", "power-items", "imports/权责清单.csv", "--into", str(target))
    assert code == 0, out
    assert (target / "power-items/penalty.yml").is_file()
    assert not list((project / "data").rglob("*.yml"))


def test_import_refuses_a_reference_to_a_missing_power_item(project: Path, gongkai) -> None:
    rows = _rows()
    rows[0]["备注"] = ""
    columns = [*PENALTY_COLUMNS, "权责事项编码"]
    rows[0]["权责事项编码"] = "CF-404"
    write_files(project, {"imports/处罚.csv": csv_text(columns, rows)})
    code, out = _import(gongkai, "penalties", "imports/处罚.csv")
    assert code == 1
    assert out.splitlines()[0].startswith("imports/处罚.csv:3:33: error[penalty.power-item-missing]")
    write_files(project, {"data/power-items/penalty.yml": power_yaml(事项编码="CF-404")})
    assert _import(gongkai, "penalties", "imports/处罚.csv")[0] == 0


def test_files_the_import_does_not_touch_keep_their_bytes(project: Path, gongkai) -> None:
    """Found by adversarial testing: importing one 2024 row rewrote a hand-edited 2023 file and
    dropped its comments."""
    hand_written = "# 2023 年的决定，由执法监督科维护\n" + penalty_yaml(处罚决定日期="2023-05-06")
    write_files(project, {"data/penalties/2023.yml": hand_written, "imports/a.csv": penalty_csv([penalty_row(1)])})
    code, _ = _import(gongkai, "penalties", "imports/a.csv")
    assert code == 0
    assert (project / "data/penalties/2023.yml").read_text(encoding="utf-8") == hand_written
    assert "云应急罚〔2024〕1号" in (project / "data/penalties/2024.yml").read_text(encoding="utf-8")


def test_reimporting_a_download_keeps_the_never_published_fields(project: Path, gongkai) -> None:
    """The downloads leave 法定代表人, 证件类型 … empty; importing one back over the data must not erase them,
    while the published fields it carries do replace the old ones."""
    row = penalty_row(1)
    write_files(project, {"imports/a.csv": penalty_csv([row])})
    assert _import(gongkai, "penalties", "imports/a.csv")[0] == 0
    as_downloaded = {**row, "法定代表人": "", "法定代表人证件类型": "", "备注": "已整改"}
    write_files(project, {"imports/b.csv": penalty_csv([as_downloaded])})
    assert _import(gongkai, "penalties", "imports/b.csv")[0] == 0
    [entry] = _records(project).penalties
    assert entry.record.legal_rep == "王某某" and entry.record.legal_rep_id_type == "身份证"
    assert entry.record.remarks == "已整改"


def test_reimporting_a_download_keeps_what_its_columns_do_not_carry(project: Path, gongkai) -> None:
    """Found by adversarial testing: the downloads carry the national standard's columns, so a
    re-import erased 公示日期 and 权责事项编码 (pages then showed the import day as the publication day
    and "逾期"), and a natural person's full name was replaced by its masked, published form."""
    row = {**penalty_row(1), "行政相对人名称": "王小明", "行政相对人类别": "自然人", "统一社会信用代码": "",
           "证件类型": "身份证"}
    full = csv_text([*PENALTY_COLUMNS, "公示日期"], [{**row, "公示日期": "2024-03-08"}])
    write_files(project, {"imports/a.csv": full})
    assert _import(gongkai, "penalties", "imports/a.csv")[0] == 0
    as_downloaded = {**row, "行政相对人名称": "王某某", "处罚内容": "警告，并处罚款2万元（已缴纳）"}
    write_files(project, {"imports/b.csv": penalty_csv([as_downloaded])})
    assert _import(gongkai, "penalties", "imports/b.csv")[0] == 0
    [entry] = _records(project).penalties
    assert entry.record.published_on is not None and entry.record.published_on.isoformat() == "2024-03-08"
    assert entry.record.party_name == "王小明"  # the table's 王某某 is only its published form
    assert entry.record.content == "警告，并处罚款2万元（已缴纳）"  # what the table does carry replaces


def test_import_below_a_file_is_a_plain_problem(project: Path, gongkai) -> None:
    """Found by adversarial testing: --into a/b where a is a file was an internal error."""
    write_files(project, {"imports/a.csv": penalty_csv([penalty_row(1)]), "notes.txt": "keep"})
    code, out = _import(gongkai, "penalties", "imports/a.csv", "--into", "notes.txt/data")
    assert code == 1 and "error[file.output]" in out and "内部错误" not in out
    assert (project / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_import_into_a_file_is_a_plain_problem(project: Path, gongkai) -> None:
    write_files(project, {"imports/a.csv": penalty_csv([penalty_row(1)]), "notes.txt": "keep"})
    code, out = _import(gongkai, "penalties", "imports/a.csv", "--into", "notes.txt")
    assert code == 1 and "error[file.output]" in out and "导入目标是一个已有的文件" in out
    assert (project / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_an_unknown_column_does_not_hide_the_rows_problems(project: Path, gongkai) -> None:
    row = {**penalty_row(1), "违法事实": "负责人身份证号11010519491231002X。", "内部编号": "A-1"}
    write_files(project, {"imports/a.csv": csv_text([*PENALTY_COLUMNS, "内部编号"], [row])})
    code, out = _import(gongkai, "penalties", "imports/a.csv")
    assert code == 1
    assert "error[table.unknown-column]" in out and "error[privacy.id-number]" in out
    assert not (project / "data/penalties/2024.yml").exists()


def test_a_stray_quote_is_explained_in_chinese(project: Path, gongkai) -> None:
    header = ",".join(PENALTY_COLUMNS)
    write_files(project, {"imports/a.csv": header + '\n"云澜"化工,法人及非法人组织\n'.replace('"云澜"化工', '"云澜"化工"')})
    code, out = _import(gongkai, "penalties", "imports/a.csv")
    assert code == 1 and "error[table.syntax]" in out
    assert "引号用法不对" in out and "expected" not in out


def test_a_formula_with_its_saved_result_imports_that_result() -> None:
    """What Excel and WPS save: the formula and its result; the result is the value imported."""
    import io
    import sys
    import zipfile

    sys.path.insert(0, str(Path(__file__).parent))
    from test_problem_codes import _xlsx_with_uncomputed_formula

    source = zipfile.ZipFile(io.BytesIO(_xlsx_with_uncomputed_formula()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="B2"><f>', b'<c r="B2" t="str"><f>')
                data = data.replace(b"</f><v /></c>", "</f><v>对未按规定开展培训的处罚</v></c>".encode())
            target.writestr(item, data)
    from generator.sources.xlsx import read_xlsx

    table, problems = read_xlsx(out.getvalue(), "t.xlsx", ("事项编码",))
    assert not problems and table is not None
    assert [c.text for c in table.rows[0][1]][:2] == ["CF-001", "对未按规定开展培训的处罚"]


def test_a_hidden_sheet_is_never_read_but_named() -> None:
    """Found by adversarial testing: a hidden sheet 旧数据 was imported and the visible one ignored."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_problem_codes import _power_rows, _xlsx

    from generator.sources.xlsx import read_xlsx

    data = _xlsx(("旧数据", _power_rows("OLD-1"), "hidden"), ("新数据", _power_rows("NEW-1"), "visible"))
    table, problems = read_xlsx(data, "t.xlsx", POWER_ITEM_HEADERS)
    assert table is not None and table.rows[0][1][0].text == "NEW-1"
    assert [p.code for p in problems] == ["table.sheet", "table.sheet"]  # the hidden table; reading sheet 2
    assert "隐藏的工作表“旧数据”" in problems[0].message


def test_a_key_written_differently_is_the_same_record_not_a_second_one(project: Path, gongkai) -> None:
    """Found by adversarial testing: 〔2024〕, [2024], （２０２４） and a zero-width space made five copies
    of one decision.  An invisible character is refused; a different bracket style is a duplicate."""
    row = penalty_row(1)
    write_files(project, {"imports/a.csv": penalty_csv([row])})
    assert _import(gongkai, "penalties", "imports/a.csv")[0] == 0
    number = row["行政处罚决定书文号"]
    for variant, code in [
        (number.replace("〔", "[").replace("〕", "]"), "penalty.duplicate-number"),
        (number.replace("〔2024〕", "（２０２４）"), "penalty.duplicate-number"),
        ("\u200b" + number, "field.control-char"),
    ]:
        write_files(project, {"imports/b.csv": penalty_csv([{**row, "行政处罚决定书文号": variant}])})
        code_, out = _import(gongkai, "penalties", "imports/b.csv")
        assert code_ == 1 and f"error[{code}]" in out, (variant, out)
    assert len(_records(project).penalties) == 1


def test_an_invisible_character_in_a_header_does_not_hide_the_column(project: Path, gongkai) -> None:
    """Found by adversarial testing: 行政相对人\\u200b类别 was an unknown column that looked exactly like
    the right one, and the right one was then missing."""
    columns = [c.replace("行政相对人类别", "行政相对人\u200b类别") for c in PENALTY_COLUMNS]
    rows = [[penalty_row(1).get(c, "") for c in PENALTY_COLUMNS]]
    write_files(project, {"imports/a.csv": csv_text(columns, rows)})
    code, out = _import(gongkai, "penalties", "imports/a.csv")
    assert code == 0, out
    assert _records(project).penalties[0].record.party_type == "法人及非法人组织"


def _merged_workbook(merge: str, blank: list[str]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(PENALTY_COLUMNS))
    for i in (1, 2, 3):
        sheet.append([penalty_row(i)[c] for c in PENALTY_COLUMNS])
    for ref in blank:
        sheet[ref] = None
    sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_cell_merged_down_gives_its_value_to_every_row(project: Path, gongkai) -> None:
    from openpyxl.utils import get_column_letter

    column = get_column_letter(PENALTY_COLUMNS.index("处罚机关") + 1)
    write_files(project, {"imports/处罚.xlsx": _merged_workbook(f"{column}2:{column}4", [f"{column}3", f"{column}4"])})
    code, out = _import(gongkai, "penalties", "imports/处罚.xlsx")
    assert code == 0, out
    assert "warning[table.merged]" in out
    authorities = {e.record.authority for e in _records(project).penalties}
    assert authorities == {penalty_row(1)["处罚机关"]} and len(_records(project).penalties) == 3


def test_a_cell_merged_across_columns_is_refused(project: Path, gongkai) -> None:
    write_files(project, {"imports/处罚.xlsx": _merged_workbook("B2:C2", ["C2"])})
    code, out = _import(gongkai, "penalties", "imports/处罚.xlsx")
    assert code == 1 and "imports/处罚.xlsx:2:2: error[table.merged]: 合并单元格 B2:C2 横跨多列" in out, out
    assert not list((project / "data" / "penalties").glob("*.yml"))


def test_a_two_row_grouped_header_is_one_header(project: Path, gongkai) -> None:
    """责任事项 and 追责情形 grouped under 责任清单, every other column merged down over both rows."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.cell(1, 1, "云澜市应急管理局权责清单")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(POWER_COLUMNS))
    for column, name in enumerate(POWER_COLUMNS, start=1):
        if name in ("责任事项", "追责情形"):
            sheet.cell(3, column, name)
        else:
            sheet.cell(2, column, name)
            sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    group = POWER_COLUMNS.index("责任事项") + 1
    sheet.cell(2, group, "责任清单")
    sheet.merge_cells(start_row=2, start_column=group, end_row=2, end_column=group + 1)
    for row in power_rows():
        sheet.append([row.get(c, "") for c in POWER_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    write_files(project, {"imports/权责清单.xlsx": out.getvalue()})
    code, text = _import(gongkai, "power-items", "imports/权责清单.xlsx")
    assert code == 0, text
    assert [line for line in text.splitlines() if "warning" in line] == [
        "imports/权责清单.xlsx:1:1: warning[table.skipped-rows]: “云澜市应急管理局权责清单”在表头（第 3 行）之上，是标题，不是记录，未导入"
    ]
    assert {e.key for e in _records(project).power_items} == {r["事项编码"] for r in power_rows()}


def test_a_signature_merged_across_the_width_below_the_records_is_only_a_note(project: Path, gongkai) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(POWER_COLUMNS))
    for row in power_rows():
        sheet.append([row.get(c, "") for c in POWER_COLUMNS])
    last = sheet.max_row + 1
    sheet.cell(last, 1, "制表人：王某  审核人：李某")
    sheet.merge_cells(start_row=last, start_column=1, end_row=last, end_column=len(POWER_COLUMNS))
    out = io.BytesIO()
    book.save(out)
    write_files(project, {"imports/权责清单.xlsx": out.getvalue()})
    code, text = _import(gongkai, "power-items", "imports/权责清单.xlsx")
    assert code == 0 and "table.merged" not in text and f"imports/权责清单.xlsx:{last}:1: warning[table.skipped-rows]" in text, text
