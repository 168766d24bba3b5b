"""One minimal bad input per problem code, with the exact line `gongkai` prints for it.

Every code in `generator.problem_codes.CODES` must have a case here, and every code the source
uses must be documented there.
"""

# Expected problem lines are quoted whole, and Chinese text is twice as wide as ruff counts it.
# ruff: noqa: E501

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from core_data import (
    ACCIDENT_NAME,
    KEY,
    POWER_ITEM,
    Plain,
    accident_yaml,
    penalty_yaml,
    power_yaml,
    record_yaml,
    write_files,
)

from generator.problem_codes import CODES
from generator.problems import Problems, render
from generator.publication import decide
from generator.settings import Settings
from generator.validate import load_and_validate

P = "data/penalties/2024.yml"
A = "data/accidents/2024.yml"
W = "data/power-items/penalty.yml"
T = "imports/table.csv"
PENALTY_HEADER = "行政相对人名称,行政相对人类别,统一社会信用代码"  # a header start the tables below reuse


def _xlsx_with_notes_first() -> bytes:
    """A workbook whose first sheet is a 填表说明 and whose second holds the table."""
    import io

    import openpyxl

    from generator.schema.headers import POWER_ITEM_HEADERS

    book = openpyxl.Workbook()
    book.active.title = "填表说明"
    book.active.append(["请按第二个工作表的表头填写，每行一个事项。"])
    table = book.create_sheet("权责清单")
    table.append(list(POWER_ITEM_HEADERS))
    row = {"事项编码": "CF-001", "事项名称": "对未按规定开展安全生产教育和培训的处罚", "事项类型": "行政处罚",
           "设定依据": "《中华人民共和国安全生产法》第九十七条", "实施主体": "云澜市应急管理局"}
    table.append([row.get(h, "") for h in POWER_ITEM_HEADERS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_with_uncomputed_formula() -> bytes:
    """A power-item sheet as a program writes it: 事项名称 is a formula, saved without its result."""
    import io

    import openpyxl

    from generator.schema.headers import POWER_ITEM_HEADERS

    book = openpyxl.Workbook()
    book.active.append(list(POWER_ITEM_HEADERS))
    row = {"事项编码": "CF-001", "事项名称": '=CONCATENATE("对未按规定","开展培训的处罚")', "事项类型": "行政处罚",
           "设定依据": "《中华人民共和国安全生产法》第九十七条", "实施主体": "云澜市应急管理局"}
    book.active.append([row.get(h, "") for h in POWER_ITEM_HEADERS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx(*sheets: tuple[str, list[list[object]], str]) -> bytes:
    """A workbook of (title, rows, state) sheets."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows, state in sheets:
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_merged_down() -> bytes:
    """Two power items whose 实施主体 (column F) is one cell merged over both rows."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [*_power_rows("CF-001"), _power_rows("CF-002")[1]]:
        sheet.append(row)
    sheet["F3"] = None
    sheet.merge_cells("F2:F3")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _power_rows(code: str, **cells: object) -> list[list[object]]:
    from generator.schema.headers import POWER_ITEM_HEADERS

    row = {"事项编码": code, "事项名称": "对未按规定开展安全生产教育和培训的处罚", "事项类型": "行政处罚",
           "设定依据": "《中华人民共和国安全生产法》第九十七条", "实施主体": "云澜市应急管理局", **cells}
    return [list(POWER_ITEM_HEADERS), [row.get(h, "") for h in POWER_ITEM_HEADERS]]


@dataclass
class Case:
    files: dict[str, str | bytes]
    expected: str
    argv: tuple[str, ...] = ("validate",)
    exit_code: int = 1
    extra: dict = field(default_factory=dict)


def _table_case(content: str | bytes, expected: str, name: str = T, kind: str = "penalties") -> Case:
    return Case({name: content}, expected, ("import", kind, name))


def _power_xlsx_warning(content: bytes, expected: str) -> Case:
    """A power-list workbook that imports, with the one warning expected."""
    return Case({"imports/t.xlsx": content}, expected, ("import", "power-items", "imports/t.xlsx"), exit_code=0)


def _penalty_table(*rows: str, header: str | None = None) -> str:
    from generator.schema.headers import PENALTY_STANDARD

    return (header or ",".join(PENALTY_STANDARD)) + "\n" + "".join(r + "\n" for r in rows)


_BIG = "危" * 200_001

CASES: dict[str, Case] = {
    # --- files and YAML
    "file.unreadable": Case(
        {}, "imports/missing.csv:1:1: error[file.unreadable]: 无法读取文件（文件不存在）",
        ("import", "penalties", "imports/missing.csv"),
    ),
    "file.encoding": Case(
        {P: penalty_yaml().encode("gb18030")},
        f"{P}:1:3: error[file.encoding]: 文件看起来是 GB18030/GBK 编码；数据文件须为 UTF-8"
        "（在第 1 行遇到无法解码的字节 0xD0）",
    ),
    "file.binary": Case(
        {P: b"- \xe8\xa1\x8c: x\n  a: \x00\x01\n"},
        f"{P}:2:6: error[file.binary]: 文件含有 NUL 字节，不是文本文件",
    ),
    "file.empty": Case({P: "\n# 暂无记录\n"}, f"{P}:1:1: warning[file.empty]: 文件中没有任何记录", exit_code=0),
    "file.unexpected": Case(
        {"data/penalties/说明.txt": "备忘"},
        "data/penalties/说明.txt:1:1: warning[file.unexpected]: 此文件不会被读取："
        "数据文件应为 data/{penalties,accidents,power-items,holidays}/*.yml",
        exit_code=0,
    ),
    "yaml.syntax": Case(
        {P: penalty_yaml() + "\t处罚机关: x\n"},
        f"{P}:16:1: error[yaml.syntax]: YAML 语法错误：缩进或值的开头不能使用制表符（Tab），请改用空格"
        "（found character that cannot start any token）",
    ),
    "yaml.structure": Case(
        {P: "行政处罚决定书文号: x\n处罚机关: y\n"},
        f"{P}:1:1: error[yaml.structure]: 文件应是记录的列表（每条记录以 “- ” 开头）；实际是一个映射",
    ),
    "yaml.duplicate-key": Case(
        {P: penalty_yaml() + "  处罚机关: \"云澜市安监局\"\n"},
        f"{P}:16:3: error[yaml.duplicate-key]: {KEY} › 处罚机关: 字段 “处罚机关” 在本条记录中出现了两次（第一次在第 12 行）",
    ),
    "yaml.alias": Case(
        {P: penalty_yaml(处罚机关=Plain("&org 云澜市应急管理局"), 数据来源单位=Plain("*org"))},
        f"{P}:14:11: error[yaml.alias]: {KEY} › 数据来源单位: 不支持别名（*），请直接写出值",
    ),
    # --- tables
    "table.format": Case(
        {"imports/处罚.xls": b"\xd0\xcf\x11\xe0"},
        "imports/处罚.xls:1:1: error[table.format]: 不支持 “.xls” 文件；请提供 .csv 或 .xlsx（旧版 .xls 请另存为 .xlsx）",
        ("import", "penalties", "imports/处罚.xls"),
    ),
    "table.encoding": _table_case(
        _penalty_table().encode("big5", errors="replace"),
        f"{T}:1:1: error[table.encoding]: 无法确定编码：第 1 行起不是 UTF-8，按 GB18030 解码后表头中又找不到任何已知的列名；"
        "请另存为 UTF-8 CSV",
    ),
    "table.syntax": _table_case(
        _penalty_table('云澜市恒泰化工有限公司,"法人及非法人组织'),
        f"{T}:2:1: error[table.syntax]: CSV 格式错误：引号未闭合（文件在引号内结束）（从第 2 行开始的那一行）",
    ),
    "table.sheet": _power_xlsx_warning(
        _xlsx_with_notes_first(),
        "imports/t.xlsx:1:1: warning[table.sheet]: 读取的是第 2 个工作表“权责清单”：前面的工作表第 1 行没有本类数据的表头；以下行号、列号都指这个工作表",
    ),
    "table.formula": _table_case(
        _xlsx_with_uncomputed_formula(),
        'imports/t.xlsx:2:2: error[table.formula]: row 1 › 事项名称: 单元格是公式（=CONCATENATE("对未按规定","开展培训的处罚…），'
        "但文件中没有保存公式的计算结果，读出来是空的：请在 Excel 或 WPS 中打开后保存，再导入；或把公式改为数值",
        name="imports/t.xlsx", kind="power-items",
    ),
    "table.merged": _power_xlsx_warning(
        _xlsx_merged_down(),
        "imports/t.xlsx:2:6: warning[table.merged]: 合并单元格 F2:F3 的值“云澜市应急管理局”用于它覆盖的每一行（第 2—3 行）",
    ),
    "table.skipped-rows": _power_xlsx_warning(
        _xlsx(("权责清单", [["云澜市应急管理局权责清单"], *_power_rows("CF-001"), ["制表人：王某", None, "审核人：李某"]], "visible")),
        "imports/t.xlsx:1:1: warning[table.skipped-rows]: “云澜市应急管理局权责清单”在表头（第 2 行）之上，是标题，不是记录，未导入",
    ),
    "table.sheets": _table_case(
        _xlsx(("2026", _power_rows("CF-001"), "visible"), ("2025", _power_rows("CF-002"), "visible")),
        "imports/t.xlsx:1:1: error[table.sheets]: 有 2 个工作表带本类数据的表头（“2026”、“2025”）：一次只能导入一个工作表，"
        "否则其余工作表的记录会被漏掉；请把记录合并到一个工作表，或分别另存为单独的文件再导入",
        name="imports/t.xlsx", kind="power-items",
    ),
    "table.long-number": _table_case(
        _xlsx(("权责清单", _power_rows("CF-001", 监督电话=110105194912310021), "visible")),
        "imports/t.xlsx:2:11: error[table.long-number]: row 1 › 监督电话: 单元格是一个 18 位的数字（读到的是 110105194912310000）："
        "Excel 只保留 15 位有效数字，后面的数字可能已经变了；请把这一列设为“文本”格式后重新输入",
        name="imports/t.xlsx", kind="power-items",
    ),
    "table.xlsx": _table_case(
        b"PK\x03\x04 not really a zip", "imports/t.xlsx:1:1: error[table.xlsx]: 无法读取 Excel 文件"
        "（BadZipFile）：文件可能损坏、加密，或不是 .xlsx 格式", name="imports/t.xlsx",
    ),
    "table.empty": _table_case("", f"{T}:1:1: error[table.empty]: 表格为空：第 1 行应是表头"),
    "table.unknown-column": _table_case(
        _penalty_table(header=PENALTY_HEADER + ",联系人"),
        f"{T}:1:4: error[table.unknown-column]: 联系人: 不认识的列 “联系人”；本类数据的列为："
        + "、".join(__import__("generator.schema.headers", fromlist=["x"]).PENALTY_HEADERS),
    ),
    "table.missing-column": _table_case(
        _penalty_table(header=PENALTY_HEADER),
        f"{T}:1:1: error[table.missing-column]: 工商注册号: 表头缺少必需的列 “工商注册号”",
    ),
    "table.duplicate-column": _table_case(
        _penalty_table(header=PENALTY_HEADER + ",行政相对人名称"),
        f"{T}:1:4: error[table.duplicate-column]: 行政相对人名称: 列 “行政相对人名称” 出现了两次（第 1 列和第 4 列）",
    ),
    "table.ragged-row": _table_case(
        _penalty_table("," * 30 + "多余"),
        f"{T}:2:31: error[table.ragged-row]: row 1: 该行有 31 个单元格，多于表头的 30 列（第 31 列起多出）",
    ),
    "table.cell-too-long": _table_case(
        _penalty_table("," * 15 + _BIG + "," * 14),
        f"{T}:2:16: error[table.cell-too-long]: row 1 › 违法事实: 单元格有 200,001 个字符，超过上限 200,000",
    ),
    # --- fields
    "field.required": Case(
        {P: penalty_yaml(处罚机关=None)},
        f"{P}:1:3: error[field.required]: {KEY} › 处罚机关: 必填字段，不能为空",
    ),
    "field.unknown": Case(
        {P: penalty_yaml(联系人="张三")},
        f"{P}:16:8: error[field.unknown]: {KEY} › 联系人: 行政处罚决定没有字段 “联系人”；可用的字段为："
        + "、".join(__import__("generator.schema.headers", fromlist=["x"]).PENALTY_HEADERS),
    ),
    "field.type": Case(
        {P: penalty_yaml(处罚机关=Plain("{名称: 云澜市应急管理局}"))},
        f"{P}:12:9: error[field.type]: {KEY} › 处罚机关: 应为一段文本或文本列表；实际是一个映射",
    ),
    "field.date": Case(
        {P: penalty_yaml(处罚决定日期="2024-02-30")},
        f"{P}:11:11: error[field.date]: {KEY} › 处罚决定日期: 应为日期，如 2024-03-05、2024/3/5、2024.3.5 或 "
        "2024年3月5日；实际为 '2024-02-30'",
    ),
    "field.enum": Case(
        {P: penalty_yaml(行政相对人类别="公司")},
        f"{P}:2:12: error[field.enum]: {KEY} › 行政相对人类别: 应为 法人及非法人组织、自然人、个体工商户 之一；实际为 '公司'",
    ),
    "field.credit-code": Case(
        {P: penalty_yaml(统一社会信用代码="91420900MA4K1B2C30")},
        f"{P}:3:13: error[field.credit-code]: {KEY} › 统一社会信用代码: 统一社会信用代码 '91420900MA4K1B2C30' "
        "的校验码不正确（GB 32100-2015）",
    ),
    "field.too-long": Case(
        {P: penalty_yaml(违法事实=_BIG)},
        f"{P}:6:9: error[field.too-long]: {KEY} › 违法事实: 内容有 200,001 个字符，超过上限 200,000",
    ),
    # --- penalties
    "penalty.amount": Case(
        {P: penalty_yaml(**{"罚款金额（万元）": Plain("五万")})},
        f"{P}:10:13: error[penalty.amount]: {KEY} › 罚款金额（万元）: 应为不小于 0 的数字（单位：万元）；实际为 '五万'（文本）",
    ),
    "penalty.fine-missing": Case(
        {P: penalty_yaml(**{"罚款金额（万元）": None})},
        f"{P}:1:3: error[penalty.fine-missing]: {KEY} › 罚款金额（万元）: 处罚类别含“罚款”，但罚款金额为空或为 0",
    ),
    "penalty.duplicate-number": Case(
        {P: penalty_yaml() + penalty_yaml(行政相对人名称="云澜市宏达建材有限公司")},
        f"{P}:19:14: error[penalty.duplicate-number]: {KEY} › 行政处罚决定书文号: 行政处罚决定书文号 “{KEY}” "
        f"重复：已在 {P} 第 1 行出现",
    ),
    "penalty.party-id": Case(
        {P: penalty_yaml(统一社会信用代码=None)},
        f"{P}:1:3: error[penalty.party-id]: {KEY} › 统一社会信用代码: 法人及非法人组织须填写统一社会信用代码或其他登记代码",
    ),
    "penalty.state-incomplete": Case(
        {P: penalty_yaml(状态="撤销", 状态变更原因="复议撤销")},
        f"{P}:1:3: error[penalty.state-incomplete]: {KEY} › 状态变更日期: 状态为“撤销”时必须填写状态变更日期",
    ),
    "penalty.date-order": Case(
        {P: penalty_yaml(公示日期="2024-03-01")},
        f"{P}:16:9: error[penalty.date-order]: {KEY} › 公示日期: 公示日期 2024-03-01 早于处罚决定日期 2024-03-05",
    ),
    "penalty.category": Case(
        {P: penalty_yaml(处罚类别="警告；训诫；罚款")},
        f"{P}:8:9: warning[penalty.category]: {KEY} › 处罚类别: “训诫”不是常见的处罚类别"
        "（如 警告、通报批评、罚款、没收违法所得、没收非法财物、暂扣许可证件 等）",
        exit_code=0,
    ),
    "penalty.power-item-missing": Case(
        {P: penalty_yaml(权责事项编码="CF-404")},
        f"{P}:16:11: error[penalty.power-item-missing]: {KEY} › 权责事项编码: 权责事项编码 “CF-404” 在权责清单中不存在",
    ),
    "penalty.period": Case(
        {P: penalty_yaml(失信严重程度="一般", 公示截止期="2030-03-05")},
        f"{P}:17:10: error[penalty.period]: {KEY} › 公示截止期: 公示截止期超过最长公示期：应在 2024-06-05 至 2025-03-05 之间"
        "（《关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知》（发改办财金〔2019〕527号）："
        "一般失信行为公示期最短3个月、最长1年，自处罚决定日期 2024-03-05 起算），实际为 2030-03-05",
    ),
    # --- accidents
    "field.control-char": Case(
        {P: penalty_yaml(违法事实="该单位\x1b未按规定")},
        f"{P}:6:9: error[field.control-char]: {KEY} › 违法事实: 含有不可见的控制字符（U+001B）；请删除后重新提交",
    ),
    "field.url": Case(
        {A: accident_yaml(调查报告链接="javascript:alert('x')")},
        f"{A}:7:11: error[field.url]: {ACCIDENT_NAME} › 调查报告链接: 应为以 http:// 或 https:// 开头的网址（或本站的相对路径），不含空格；实际为 'javascript:alert('x')'",
    ),
    "accident.count": Case(
        {A: accident_yaml(死亡人数="-1")},
        f"{A}:4:9: error[accident.count]: {ACCIDENT_NAME} › 死亡人数: 人数不能为负数；实际为 '-1'",
    ),
    "accident.loss": Case(
        {A: accident_yaml(**{"直接经济损失（万元）": "约120万"})},
        f"{A}:5:15: error[accident.loss]: {ACCIDENT_NAME} › 直接经济损失（万元）: 应为不小于 0 的数字（单位：万元）；"
        "实际为 '约120万'（含有非数字字符）",
    ),
    "accident.duplicate-name": Case(
        {A: accident_yaml() + accident_yaml(发生时间="2024-03-06")},
        f"{A}:7:9: error[accident.duplicate-name]: {ACCIDENT_NAME} › 事故名称: 事故名称 “{ACCIDENT_NAME}” "
        f"重复：已在 {A} 第 1 行出现",
    ),
    "accident.level-mismatch": Case(
        {A: accident_yaml(死亡人数="5")},
        f"{A}:3:9: error[accident.level-mismatch]: {ACCIDENT_NAME} › 事故等级: 事故等级填写为一般事故，"
        "但死亡5人（3人以上10人以下为较大事故），应为较大事故",
    ),
    "accident.date-order": Case(
        {A: accident_yaml(批复日期="2024-03-01")},
        f"{A}:6:9: error[accident.date-order]: {ACCIDENT_NAME} › 批复日期: 批复日期 2024-03-01 早于事故发生时间 2024-03-05",
    ),
    # --- power items
    "power.duplicate-code": Case(
        {W: power_yaml() + power_yaml(事项名称="另一个事项")},
        f"{W}:5:9: error[power.duplicate-code]: CF-001 › 事项编码: 事项编码 “CF-001” 重复：已在 {W} 第 1 行出现",
    ),
    "power.parent-missing": Case(
        {W: power_yaml(父项编码="CF-000")},
        f"{W}:5:9: error[power.parent-missing]: CF-001 › 父项编码: 父项编码 “CF-000” 在权责清单中不存在",
    ),
    "power.parent-cycle": Case(
        {W: power_yaml(父项编码="CF-002") + record_yaml(POWER_ITEM, 事项编码="CF-002", 父项编码="CF-001")},
        f"{W}:5:9: error[power.parent-cycle]: CF-001 › 父项编码: 父子关系成环：CF-001 → CF-002 → CF-001",
    ),
    # --- privacy
    "privacy.id-number": Case(
        {P: penalty_yaml(违法事实="经查，当事人身份证号11010519491231002X。")},
        f"{P}:6:20: error[privacy.id-number]: {KEY} › 违法事实: 含有身份证号码（110*************2X）；公开前必须删除或改为（略）",
    ),
    "privacy.mobile": Case(
        {P: penalty_yaml(违法事实="经查，联系人手机13812345678。")},
        f"{P}:6:18: error[privacy.mobile]: {KEY} › 违法事实: 含有手机号码（138******78）；公开前必须删除或改为（略）",
    ),
    "privacy.bank-card": Case(
        {P: penalty_yaml(违法事实="罚款缴入账户6222021234567890128。")},
        f"{P}:6:16: error[privacy.bank-card]: {KEY} › 违法事实: 含有银行卡号（622**************28）；公开前必须删除或改为（略）",
    ),
    "privacy.email": Case(
        {P: penalty_yaml(违法事实="联系邮箱 zhangsan@qq.com。")},
        f"{P}:6:15: error[privacy.email]: {KEY} › 违法事实: 含有个人电子邮箱地址（zha**********om）；公开前必须删除或改为（略）",
    ),
    "privacy.party-name": Case(
        {P: penalty_yaml(行政相对人类别="自然人", 行政相对人名称="王小明", 统一社会信用代码=None, 违法事实="当事人王小明未取得特种作业操作证上岗作业。")},
        f"{P}:5:13: error[privacy.party-name]: {KEY} › 违法事实: 含有当事人（自然人）的姓名（***）；网站公示时姓名遮蔽为“王某某”，此处也须写作“王某某”",
    ),
    "privacy.minor": Case(
        {P: penalty_yaml(未成年人="是")},
        f"{P}:16:9: warning[privacy.minor]: {KEY} › 未成年人: 当事人为未成年人：该决定不会公开",
        exit_code=0,
    ),
    # --- calendar, configuration, content
    "calendar.schedule": Case(
        {"data/holidays/2027.yml": "年份: 2027\n放假: [2027-02-30]\n"},
        "data/holidays/2027.yml:2:6: error[calendar.schedule]: 放假：日期格式应为 YYYY-MM-DD，实际为“2027-02-30”",
    ),
    "config.invalid": Case(
        {"site_config.yml": "site_name: t\nplugins:\n  - gongkai:\n      bureau: 局\n      colour: red\n"},
        "site_config.yml:5:1: error[config.invalid]: gongkai › colour: 未知设置项 “colour”；可用的设置项为："
        + "、".join(Settings.model_fields),
    ),
    "file.output": Case(
        {"blocker": "a file, not a directory"},
        "blocker/site:1:1: error[file.output]: 无法写入输出目录（路径中有同名的文件）",
        ("build", "--out", "blocker/site"),
    ),
    "content.front-matter": Case(
        {"content/about.md": "---\ntitle: 关于\nauthor: 办公室\n---\n# 关于\n"},
        "content/about.md:3:1: error[content.front-matter]: author: 未知的头信息键 “author”；"
        "可用：description、hide、icon、search、status、tags、template、title、updated",
    ),
}

# Emitted only by the dated rules (generator.publication), tested below through decide().
DATED_CODES = {"calendar.year-missing", "field.future-date"}


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_a_case(code: str) -> None:
    assert code in CASES or code in DATED_CODES, f"no bad-input case for problem code {code}"


@pytest.mark.parametrize("code", sorted(CASES))
def test_problem_line(code: str, project: Path, gongkai) -> None:
    case = CASES[code]
    write_files(project, case.files)
    exit_code, out, err = gongkai(*case.argv)
    assert "Traceback" not in out + err
    lines = out.splitlines()
    assert case.expected in lines, "\n".join(lines)
    assert exit_code == case.exit_code
    assert f"[{code}]" in case.expected


def _dated_problem_lines(project: Path, files: dict[str, str], as_of: dt.date) -> list[str]:
    """The problem lines of the dated rules (generator.publication) for valid data."""
    write_files(project, files)
    catalog, problems = load_and_validate(project, Settings())
    assert not problems.has_errors, render(problems, "text")
    return render(Problems(decide(catalog, Settings(), as_of).problems), "text").splitlines()


def test_year_missing_from_the_holiday_calendar(project: Path) -> None:
    # chinese-calendar covers up to 2026 (shared/domain.md); a 2027 deadline needs data/holidays/2027.yml.
    files = {"data/penalties/2027.yml": penalty_yaml(处罚决定日期="2027-03-05", 公示日期="2027-03-09")}
    lines = _dated_problem_lines(project, files, dt.date(2027, 3, 10))
    assert lines[0] == (
        f"data/penalties/2027.yml:1:1: warning[calendar.year-missing]: {KEY} › 公示日期: 2027年：该年度节假日安排未收录，"
        "无法计算公示时限；请在 data/holidays/2027.yml 中补充放假安排"
    )


# --- every code used in the source is documented -----------------------------------------------------

_CODE_LITERAL = re.compile(
    r"""["']((?:file|yaml|table|field|penalty|accident|power|privacy|calendar|config|content)\.[a-z][a-z-]*)["']"""
)


def _codes_in_source() -> set[str]:
    root = Path(__file__).resolve().parents[2] / "generator"
    found = set()
    for path in root.rglob("*.py"):
        if path.name == "problem_codes.py":
            continue
        found.update(_CODE_LITERAL.findall(path.read_text(encoding="utf-8")))
    return {code for code in found if code.rsplit(".", 1)[1] not in _FILE_EXTENSIONS}


# String literals of that shape that are file names, not problem codes (e.g. "calendar.ics").
_FILE_EXTENSIONS = {"ics", "csv", "json", "xml", "html", "yml", "yaml", "txt", "js", "css", "md", "svg"}


def test_every_code_used_in_the_source_is_documented() -> None:
    used = _codes_in_source()
    assert {"penalty.amount", "privacy.id-number", "table.encoding"} <= used  # the scan itself works
    assert used - set(CODES) == set()


def test_problem_refuses_an_undocumented_code() -> None:
    from generator.problem_codes import problem

    with pytest.raises(KeyError):
        problem("penalty.no-such-code", "x", 1, 1, "", "", "")


# --- output formats --------------------------------------------------------------------------------


def _two_problems(project: Path) -> None:
    """A warning in data/penalties/2023.yml, an error in data/penalties/2024.yml."""
    write_files(project, {
        "data/penalties/2023.yml": penalty_yaml(行政处罚决定书文号="云应急罚〔2023〕5号", 处罚决定日期="2023-05-06",
                                                处罚类别="警告；训诫；罚款"),
        P: penalty_yaml(**{"罚款金额（万元）": Plain("五万")}),
    })


def test_format_github(project: Path, gongkai) -> None:
    _two_problems(project)
    exit_code, out, _ = gongkai("validate", "--format", "github")
    assert exit_code == 1
    assert out.splitlines() == [
        "::warning file=data/penalties/2023.yml,line=8,col=9,title=penalty.category::云应急罚〔2023〕5号 › 处罚类别: “训诫”"
        "不是常见的处罚类别（如 警告、通报批评、罚款、没收违法所得、没收非法财物、暂扣许可证件 等）",
        f"::error file=data/penalties/2024.yml,line=10,col=13,title=penalty.amount::{KEY} › 罚款金额（万元）: "
        "应为不小于 0 的数字（单位：万元）；实际为 '五万'（文本）",
    ]


def test_format_github_escapes_properties_and_newlines() -> None:
    from generator.problem_codes import problem

    p = problem("yaml.syntax", "data/a,b:c.yml", 3, 4, "", "", "第一行\n50%")
    assert p.as_github() == "::error file=data/a%2Cb%3Ac.yml,line=3,col=4,title=yaml.syntax::第一行%0A50%25"


def test_format_json(project: Path, gongkai) -> None:
    _two_problems(project)
    exit_code, out, _ = gongkai("validate", "--format", "json")
    assert exit_code == 1
    objects = [json.loads(line) for line in out.splitlines()]
    assert objects[1] == {
        "path": P,
        "line": 10,
        "column": 13,
        "severity": "error",
        "code": "penalty.amount",
        "record": KEY,
        "field": "罚款金额（万元）",
        "message": "应为不小于 0 的数字（单位：万元）；实际为 '五万'（文本）",
    }
    assert [o["severity"] for o in objects] == ["warning", "error"]


def test_text_format_ends_with_a_summary(project: Path, gongkai) -> None:
    _two_problems(project)
    _, out, _ = gongkai("validate")
    assert out.splitlines()[-1] == "共发现 1 个错误、1 个警告。"


def test_clean_project_passes(project: Path, gongkai) -> None:
    write_files(project, {P: penalty_yaml(), A: accident_yaml(), W: power_yaml()})
    exit_code, out, _ = gongkai("validate")
    assert (exit_code, out) == (0, "检查通过：没有发现问题。\n")
    exit_code, out, _ = gongkai("validate", "--format", "json")
    assert (exit_code, out) == (0, "")


def test_order_is_deterministic_for_problems_at_one_position(project: Path, gongkai) -> None:
    # Several missing fields are all reported at the record's position; they must come in field order.
    write_files(project, {P: penalty_yaml(处罚机关=None, 处罚依据=None, 违法事实=None)})
    _, out, _ = gongkai("validate")
    fields = [line.split(" › ")[1].split(":")[0] for line in out.splitlines() if "field.required" in line]
    assert fields == sorted(fields)


def test_a_line_break_in_a_value_never_splits_a_problem_line(project: Path, gongkai) -> None:
    """A quoted multi-line cell or YAML value is quoted with \\n: one problem, one line."""
    write_files(project, {P: penalty_yaml(行政处罚决定书文号="云应急罚\n〔2024〕17号", **{"罚款金额（万元）": "五\n万"})})
    exit_code, out, _ = gongkai("validate")
    problem_lines = [line for line in out.splitlines() if "error[" in line]
    assert exit_code == 1 and len(problem_lines) == len(out.splitlines()) - 1  # the rest: the summary
    assert any("penalty.amount" in line and "'五\\n万'" in line for line in problem_lines)


def test_a_date_outside_plausible_years_is_a_positioned_problem(project: Path, gongkai) -> None:
    """9999-03-02 once passed validate and crashed the build (publication period past year 9999)."""
    write_files(project, {P: penalty_yaml(处罚决定日期="9999-03-02")})
    exit_code, out, err = gongkai("build", "--as-of", "2026-11-21")
    assert exit_code == 1 and "Traceback" not in out + err and "内部错误" not in err
    assert f"{P}:11:11: error[field.date]: {KEY} › 处罚决定日期: 日期超出合理范围（1900—2099 年）；实际为 '9999-03-02'" in out


@pytest.mark.parametrize("day", ["1969-12-31", "0999-01-01", "2106-03-01"])
def test_an_as_of_outside_plausible_years_is_refused_plainly(project: Path, gongkai, day: str) -> None:
    with pytest.raises(SystemExit) as stop:
        gongkai("build", "--as-of", day)
    assert stop.value.code == 2
    assert "日期应在 1980—2099 年之间" in gongkai.capsys.readouterr().err


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("9" * 5000, "金额过大：超过 100,000,000 万元"),  # once crashed the build (int → str limit)
        ("100000001", "金额过大"),
        ("1.1234567", "小数位过多"),
    ],
)
def test_implausible_amounts_are_problems(project: Path, gongkai, amount: str, message: str) -> None:
    write_files(project, {P: penalty_yaml(**{"罚款金额（万元）": amount})})
    exit_code, out, err = gongkai("validate")
    assert exit_code == 1 and "Traceback" not in out + err
    assert any("error[penalty.amount]" in line and message in line for line in out.splitlines())


def test_an_accident_level_may_be_written_with_its_suffix(project: Path) -> None:
    write_files(project, {A: accident_yaml(事故等级="较大事故")})
    catalog, problems = load_and_validate(project, Settings())
    assert not problems.has_errors and catalog.accidents[0].record.level == "较大"


def test_a_decision_dated_after_today_is_pointed_out(project: Path) -> None:
    lines = _dated_problem_lines(project, {P: penalty_yaml(处罚决定日期="2062-03-05")}, dt.date(2026, 3, 10))
    assert lines[0] == (
        f"{P}:1:1: warning[field.future-date]: {KEY} › 处罚决定日期: 日期 2062-03-05 晚于今天（2026-03-10）：到那天才会公开；如是笔误请更正"
    )


# --- who is named where (found by adversarial testing of the site's outputs) ----------------------


def _publication(project: Path, files: dict[str, str], as_of: dt.date, settings: Settings | None = None):  # noqa: ANN202
    write_files(project, files)
    catalog, problems = load_and_validate(project, settings or Settings())
    assert not problems.has_errors, render(problems, "text")
    return decide(catalog, settings or Settings(), as_of)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"未成年人": "是"}, "minor"),
        ({"失信严重程度": "轻微", "处罚决定日期": "2026-05-06"}, "not-published"),  # 2026 regime: not published
    ],
)
def test_a_never_published_decision_that_is_withdrawn_is_named_nowhere(project: Path, changes: dict, reason: str) -> None:
    withdrawn = {"状态": "撤销", "状态变更日期": "2026-06-01", "状态变更原因": "经复议撤销", **changes}
    pub = _publication(project, {P: penalty_yaml(**withdrawn)}, dt.date(2026, 7, 1))
    assert pub.penalty_status[KEY].reason == reason  # no notice page is made for these reasons
    assert pub.withdrawals == []


def test_a_decision_waits_for_its_stated_publication_date(project: Path) -> None:
    pub = _publication(project, {P: penalty_yaml(处罚决定日期="2024-03-05", 公示日期="2024-03-08")}, dt.date(2024, 3, 6))
    assert pub.penalty_status[KEY].reason == "future" and pub.public_penalties == []


def test_a_site_path_may_not_climb_out_of_the_site(project: Path) -> None:
    write_files(project, {A: accident_yaml(调查报告链接="../secret.pdf")})
    _, problems = load_and_validate(project, Settings())
    assert [p.code for p in problems.errors] == ["field.url"]


def test_a_withdrawal_dated_after_today_is_pointed_out(project: Path) -> None:
    files = {P: penalty_yaml(状态="撤销", 状态变更日期="2026-12-01", 状态变更原因="经复议撤销")}
    lines = _dated_problem_lines(project, files, dt.date(2026, 11, 21))
    assert any("warning[field.future-date]" in line and "状态变更日期: 日期 2026-12-01 晚于今天" in line for line in lines)


def test_a_refused_value_is_reported_once_not_again_as_missing(project: Path, gongkai) -> None:
    """An alias in a required field: the alias is the problem; 必填字段 at the same place would repeat it."""
    write_files(project, {P: penalty_yaml(处罚机关=Plain("&org 云澜市应急管理局"), 数据来源单位=Plain("*org"))})
    code, out, _ = gongkai("validate")
    assert code == 1
    assert [line.split(": ", 1)[1].split("[")[0] for line in out.splitlines() if line.startswith(P)] == ["error"]
    assert "yaml.alias" in out and "field.required" not in out


def test_one_number_in_two_bracket_styles_is_a_duplicate(project: Path, gongkai) -> None:
    variant = KEY.replace("〔", "[").replace("〕", "]")
    write_files(project, {P: penalty_yaml(), "data/penalties/2025.yml": penalty_yaml(行政处罚决定书文号=variant)})
    code, out, _ = gongkai("validate")
    assert code == 1
    assert (
        f"error[penalty.duplicate-number]: {variant} › 行政处罚决定书文号: 行政处罚决定书文号 “{variant}” 与 {P} 第 1 行的"
        f"“{KEY}”相同，只是括号、空格、全角半角、大小写或繁简写法不同：请只保留一条"
    ) in out
    # Punctuation other than brackets stays significant: “1·11” and “11·1” are two accidents.
    from generator.validate import key_form

    assert key_form("某县“1·11”较大火灾事故") != key_form("某县“11·1”较大火灾事故")
    assert key_form("東港應急罰（２０２６）22號") == key_form("东港应急罚〔2026〕22号")
