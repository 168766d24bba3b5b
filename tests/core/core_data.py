"""Valid records and small builders for the data-core tests (imported by the test modules)."""

from __future__ import annotations

import json
from pathlib import Path

from generator.rules.identifiers import make_credit_code

CONFIG = "site_name: 测试站\nplugins:\n  - gongkai: {}\n"

PARTY_CODE = make_credit_code("91420900MA4K1B2C3")
AUTHORITY_CODE = make_credit_code("11420900MB0123456")
KEY = "云应急罚〔2024〕17号"

# One field per line, in this order: the field at index i is on line i + 1 of a one-record file.
PENALTY: dict[str, str] = {
    "行政相对人名称": "云澜市恒泰化工有限公司",
    "行政相对人类别": "法人及非法人组织",
    "统一社会信用代码": PARTY_CODE,
    "行政处罚决定书文号": KEY,
    "违法行为类型": "未按规定对从业人员进行安全生产教育和培训",
    "违法事实": "该公司未按规定对从业人员进行安全生产教育和培训。",
    "处罚依据": "《中华人民共和国安全生产法》第九十七条第一项",
    "处罚类别": "警告；罚款",
    "处罚内容": "警告，并处罚款2万元",
    "罚款金额（万元）": "2",
    "处罚决定日期": "2024-03-05",
    "处罚机关": "云澜市应急管理局",
    "处罚机关统一社会信用代码": AUTHORITY_CODE,
    "数据来源单位": "云澜市应急管理局",
    "数据来源单位统一社会信用代码": AUTHORITY_CODE,
}

ACCIDENT_NAME = "云澜市恒泰化工有限公司“3·05”中毒和窒息事故"
ACCIDENT: dict[str, str] = {
    "事故名称": ACCIDENT_NAME,
    "发生时间": "2024-03-05 14:30",
    "事故等级": "一般",
    "死亡人数": "1",
    "直接经济损失（万元）": "120.5",
    "批复日期": "2024-06-20",
}

POWER_ITEM: dict[str, str] = {
    "事项编码": "CF-001",
    "事项名称": "对生产经营单位未按规定开展安全生产教育和培训的处罚",
    "事项类型": "行政处罚",
    "设定依据": "《中华人民共和国安全生产法》第九十七条",
}


class Plain(str):
    """A value written into YAML as is (unquoted), e.g. Plain('五万') or Plain('{a: b}')."""


def record_yaml(base: dict[str, str], **changes: str | None) -> str:
    """One YAML record: `base` with `changes` applied (None removes a field; new fields go last).

    Values are double-quoted unless given as `Plain`."""
    fields = dict(base)
    for key, value in changes.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    lines = []
    for key, value in fields.items():
        text = value if isinstance(value, Plain) else json.dumps(value, ensure_ascii=False)
        lines.append(f"  {key}: {text}")
    lines[0] = "- " + lines[0][2:]
    return "\n".join(lines) + "\n"


def penalty_yaml(**changes: str | None) -> str:
    return record_yaml(PENALTY, **changes)


def accident_yaml(**changes: str | None) -> str:
    return record_yaml(ACCIDENT, **changes)


def power_yaml(**changes: str | None) -> str:
    return record_yaml(POWER_ITEM, **changes)


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def tree_snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file and directory under `root` with its bytes (None for a directory)."""
    return {
        p.relative_to(root).as_posix(): (None if p.is_dir() else p.read_bytes())
        for p in sorted(root.rglob("*"))
    }
