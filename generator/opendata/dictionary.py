"""The data dictionary (data-dictionary/) and the privacy notice (privacy/), generated from the schemas.

Field types are read from each field's validator (generator.schema.types), so a new field or a new
type cannot silently go undocumented: `field_type` raises on a validator it does not know, and the
tests check that every field and every problem code appears on the page.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from pydantic import BeforeValidator
from pydantic.fields import FieldInfo

from generator.problem_codes import CODES
from generator.rules.privacy import mask_person_name
from generator.schema.kinds import KINDS, POWER_TYPE_SLUGS, Kind
from generator.settings import Settings
from generator.site.urls import relative

from .html import e, link, table
from .records import KIND_ORDER

DICTIONARY_URL = "data-dictionary/"
PRIVACY_URL = "privacy/"

_TYPES: dict[str, str] = {
    "_parse_text": "文本",
    "_parse_url": "网址（http:// 或 https:// 开头，或本站相对路径）",
    "_parse_multi": "文本（可多项，以分号“；”分隔）",
    "_parse_date": "日期（YYYY-MM-DD）",
    "_parse_datetime_text": "日期，可带时间（YYYY-MM-DD 或 YYYY-MM-DD HH:MM）",
    "_parse_validity": "日期或“长期”",
    "_decimal_in_wan": "金额（万元）",
    "_parse_count": "整数（人）",
    "_parse_credit_code": "统一社会信用代码（18 位，含校验码）",
    "_parse_yes_no": "是否（是/否）",
}


def _validator(info: FieldInfo) -> Callable:
    for meta in info.metadata:
        if isinstance(meta, BeforeValidator):
            return meta.func  # type: ignore[return-value]
    raise LookupError("field without a BeforeValidator")


def field_type(info: FieldInfo) -> str:
    """A readable Chinese type, derived from the field's validator."""
    func = _validator(info)
    outer = func.__qualname__.split(".<locals>")[0]
    if outer == "enum_of":
        allowed = inspect.getclosurevars(func).nonlocals["allowed"]
        default = inspect.getclosurevars(func).nonlocals.get("default")
        tail = f"；留空即“{default}”" if default else ""
        return f"枚举值：{'、'.join(allowed)}{tail}"
    if outer in _TYPES:
        return _TYPES[outer]
    raise LookupError(f"no readable type for validator {func.__qualname__}")


def field_rows(kind: Kind) -> list[tuple[str, str, str, str, str]]:
    """(header, meaning, type, required, published) in the kind's header order."""
    by_alias = {(info.alias or name): info for name, info in kind.model.model_fields.items()}
    rows = []
    for header in kind.headers:
        info = by_alias[header]
        extra = info.json_schema_extra or {}
        rows.append(
            (
                header,
                info.description or "",
                field_type(info),
                "必填" if extra.get("required") else "可选",  # type: ignore[union-attr]
                _published(kind, header, extra.get("published", True)),  # type: ignore[union-attr]
            )
        )
    return rows


def _published(kind: Kind, header: str, published: bool) -> str:
    if not published:
        return "不公开"
    return "公开" if header in kind.download_headers else "公开（网页，不在下载文件中）"


def _layout() -> str:
    slugs = "、".join(f"{t} → {s}.yml" for t, s in POWER_TYPE_SLUGS.items())
    items = [
        ("data/penalties/YYYY.yml", "行政处罚决定，按处罚决定日期的年份分文件"),
        ("data/accidents/YYYY.yml", "生产安全事故调查，按发生时间的年份分文件"),
        ("data/power-items/<类型>.yml", f"权责清单事项，按事项类型分文件：{slugs}"),
        ("data/holidays/YYYY.yml", "该年度的法定节假日和调休安排（软件包尚未收录该年度时由本机关补充）"),
    ]
    lis = "".join(f"<li><code>{e(p)}</code>：{e(t)}</li>" for p, t in items)
    return (
        '<h2 id="files">数据文件的组织</h2>'
        "<p>每个数据文件是一个 YAML 列表，每一项是一条记录，键为下表中的字段名。</p>"
        f"<ul>{lis}</ul>"
    )


def dictionary_body(page_url: str = DICTIONARY_URL) -> str:
    parts = [
        "<h1>数据字典</h1>",
        "<p>本页由数据模型自动生成，列出每类记录的全部字段：含义、类型、是否必填、是否公开。"
        "下载的 CSV 只含国家标准和本站接口规定的列，导入用的表格使用同样的列名和顺序（导入时还可以带上"
        "标为“不在下载文件中”的几列）；标为“不公开”的字段在下载文件中保留列但一律为空。</p>",
    ]
    for name in KIND_ORDER:
        kind = KINDS[name]
        downloads = "、".join(
            link(relative(page_url, f"data/{name}.{ext}"), f"{name}.{ext}") for ext in ("csv", "json")
        )
        parts.append(f'<h2 id="{name}">{e(kind.label)}</h2>')
        parts.append(f"<p>记录标识：{e(kind.key_header)}。下载：{downloads}。</p>")
        parts.append(
            table(f"{kind.label}的字段", ("字段名", "含义", "类型", "必填", "公开"), field_rows(kind))
        )
    parts.append(_layout())
    parts.append('<h2 id="problem-codes">问题代码</h2><p>校验和导入时报告的每个问题都带有下列代码之一。</p>')
    code_rows = (
        (code, doc.title, doc.explanation, "警告" if doc.severity.name == "WARNING" else "错误")
        for code, doc in sorted(CODES.items())
    )
    parts.append(table("问题代码一览", ("代码", "名称", "说明", "级别"), code_rows))
    return "".join(parts)


def privacy_body(settings: Settings) -> str:
    example = mask_person_name("王晓明", settings.name_mask)
    hidden = []
    for name in KIND_ORDER:
        for header, meaning, _, _, published in field_rows(KINDS[name]):
            if published == "不公开":
                hidden.append(f"<li>{e(KINDS[name].label)} › {e(header)}：{e(meaning)}</li>")
    return (
        "<h1>个人信息保护说明</h1>"
        "<p>本网站依法公开行政执法信息，同时依照《中华人民共和国个人信息保护法》《中华人民共和国政府信息公开条例》"
        "对个人信息作去标识化处理。具体做法如下。</p>"
        '<h2 id="names">自然人姓名</h2>'
        f"<p>当事人为自然人时，其姓名按“{e(settings.name_mask)}”规则遮蔽后公开，例如“王晓明”显示为“{e(example)}”。"
        "下载的 CSV、JSON 文件和订阅源同样只含遮蔽后的姓名。法人及其他组织的名称照常公开。</p>"
        '<h2 id="never">永不公开的字段</h2><p>以下字段仅供内部核对，不出现在任何网页或下载文件中：</p>'
        f"<ul>{''.join(hidden)}</ul>"
        '<h2 id="checks">自动检查</h2>'
        "<p>每次发布前，程序检查所有公开字段中是否含有身份证号码、手机号码、银行卡号和个人电子邮箱；发现即拒绝发布，"
        "须删除或改为“（略）”后才能发布。当事人为未成年人的处罚决定一律不公开。</p>"
        '<h2 id="period">公示期限</h2>'
        "<p>行政处罚决定按失信严重程度在法定期限内公示，期满自动撤下；被撤销或变更的决定依法撤下，"
        "页面只保留一条不含个人信息的说明，并不再出现在列表、搜索、下载和订阅源中。统计数据只显示数量和金额，不显示当事人。</p>"
        '<h2 id="contact">更正与投诉</h2>'
        "<p>如发现本网站公开的信息有误或涉及不应公开的个人信息，请"
        f"{link(settings.report_error_url, '联系我们')}。</p>"
    )
