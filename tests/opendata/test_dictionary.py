"""The data dictionary and the privacy notice are generated from the schemas and the problem codes."""

from __future__ import annotations

from html import unescape

from generator.opendata.dictionary import dictionary_body, field_rows, field_type, privacy_body
from generator.problem_codes import CODES
from generator.schema.kinds import KINDS
from generator.settings import Settings


def test_every_field_has_a_meaning_and_a_type() -> None:
    for kind in KINDS.values():
        for name, info in kind.model.model_fields.items():
            assert (info.description or "").strip(), f"{kind.name}.{name} has no Chinese description"
            assert field_type(info)  # raises on a validator the dictionary cannot describe
            assert (info.alias or name) in kind.headers, f"{kind.name}.{name} is not a header"


def test_every_field_and_code_is_on_the_page() -> None:
    page = unescape(dictionary_body())
    for kind in KINDS.values():
        for header, meaning, type_, _, _ in field_rows(kind):
            assert f'<th scope="row">{header}</th><td>{meaning}</td><td>{type_}</td>' in page
    for code, doc in CODES.items():
        assert doc.title.strip() and doc.explanation.strip(), code
        assert f'<th scope="row">{code}</th><td>{doc.title}</td><td>{doc.explanation}</td>' in page
    assert "data/power-items/&lt;类型&gt;.yml" in dictionary_body()


def test_readable_types() -> None:
    rows = {h: t for h, _, t, _, _ in field_rows(KINDS["penalties"])}
    assert rows["罚款金额（万元）"] == "金额（万元）"
    assert rows["处罚决定日期"].startswith("日期")
    assert rows["统一社会信用代码"].startswith("统一社会信用代码")
    assert rows["行政相对人类别"] == "枚举值：法人及非法人组织、自然人、个体工商户"
    assert rows["状态"].startswith("枚举值：正常、撤销、变更") and "留空即“正常”" in rows["状态"]
    assert rows["未成年人"].startswith("是否")
    assert {h: t for h, _, t, _, _ in field_rows(KINDS["accidents"])}["死亡人数"].startswith("整数")


def test_privacy_notice_lists_unpublished_fields_and_the_mask() -> None:
    page = privacy_body(Settings(name_mask="张*"))
    for header in ("证件号码", "法定代表人证件号码"):
        assert header in page
    assert "王**" in page  # the example name 王晓明 masked with the configured style
