"""The synthetic-data generator: determinism, counts, keys, identifiers, 493号 levels, privacy,
and a byte-exact round trip through a loader that reads every scalar as a string."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.schema.headers import (
    ACCIDENT_HEADERS,
    PENALTY_HEADERS,
    POWER_ITEM_HEADERS,
    POWER_ITEM_TYPES,
)
from generator.synth import SAMPLE_AS_OF, generate, sample_dataset, synth, write_dataset
from generator.synth.places import DISTRICTS
from generator.synth.write import dump_records

AS_OF = date(2026, 11, 21)
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
REPORT_PARTS = (
    "事故发生单位概况", "事故经过", "事故原因", "事故性质", "责任认定及处理建议", "防范和整改措施",
)


def credit_code_ok(code: str) -> bool:
    if len(code) != 18 or any(c not in ALPHABET for c in code):
        return False
    total = sum(ALPHABET.index(c) * (3**i % 31) for i, c in enumerate(code[:17]))
    return ALPHABET[(31 - total % 31) % 31] == code[17]


def level_493(deaths: int, serious: int, loss_wan: float) -> str:
    """国务院令第493号 art. 3; 以上 includes the bound; the highest criterion wins."""
    if deaths >= 30 or serious >= 100 or loss_wan >= 10000:
        return "特别重大"
    if deaths >= 10 or serious >= 50 or loss_wan >= 5000:
        return "重大"
    if deaths >= 3 or serious >= 10 or loss_wan >= 1000:
        return "较大"
    return "一般"


@pytest.fixture(scope="module")
def sample():
    return sample_dataset()


@pytest.fixture(scope="module")
def medium():
    return generate(2000, 60, 120, as_of=AS_OF)


def _strings(ds):
    for kind in (ds.penalties, ds.accidents, ds.power_items):
        for rec in kind:
            for key, value in rec.items():
                for v in value if isinstance(value, list) else [value]:
                    yield key, v


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.yml"))}


def test_same_arguments_same_bytes(tmp_path):
    synth(500, 20, 60, tmp_path / "a", AS_OF)
    synth(500, 20, 60, tmp_path / "b", AS_OF)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a and a == b
    write_dataset(sample_dataset(), tmp_path / "s1")
    write_dataset(sample_dataset(), tmp_path / "s2")
    assert _files(tmp_path / "s1") == _files(tmp_path / "s2")


def test_seed_changes_output():
    one = generate(50, 2, 0, as_of=AS_OF, seed=1)
    assert one.penalties != generate(50, 2, 0, as_of=AS_OF, seed=2).penalties


@pytest.mark.parametrize("n", [0, 1, 7, 10, 161, 400])
def test_counts(n):
    ds = generate(n, n // 10, n, as_of=AS_OF)
    assert (len(ds.penalties), len(ds.accidents), len(ds.power_items)) == (n, n // 10, n)
    if n >= 10:
        assert {r["事项类型"] for r in ds.power_items} == set(POWER_ITEM_TYPES)
    codes = [r["事项编码"] for r in ds.power_items]
    assert len(set(codes)) == len(codes)
    assert all(r["父项编码"] in set(codes) for r in ds.power_items if "父项编码" in r)


def test_sample_requirements(sample):
    assert len(sample.power_items) >= 160 and len(sample.penalties) >= 320 and len(sample.accidents) >= 30
    assert {r["事项类型"] for r in sample.power_items} == set(POWER_ITEM_TYPES)
    codes = {r["事项编码"]: r for r in sample.power_items}
    assert any("父项编码" in r and r["事项类型"] == "行政处罚" for r in sample.power_items)
    assert {r["处罚决定日期"][:4] for r in sample.penalties} == {"2024", "2025", "2026"}
    assert all(r["处罚决定日期"] <= SAMPLE_AS_OF.isoformat() for r in sample.penalties)
    kinds = Counter(r["行政相对人类别"] for r in sample.penalties)
    assert kinds["自然人"] >= 5 and kinds["个体工商户"] >= 5
    states = Counter(r["状态"] for r in sample.penalties)
    assert states["撤销"] >= 2 and states["变更"] >= 1
    for r in sample.penalties:
        if r["状态"] != "正常":
            assert r["状态变更原因"] and r["公示日期"] < r["状态变更日期"] <= SAMPLE_AS_OF.isoformat()
    severities = Counter(r["失信严重程度"] for r in sample.penalties)
    assert severities["一般"] > severities["严重"] > severities["轻微"] > 0
    linked = [r for r in sample.penalties if "权责事项编码" in r]
    assert len(linked) >= 0.9 * len(sample.penalties)
    assert all(codes[r["权责事项编码"]]["事项类型"] == "行政处罚" for r in linked)
    assert {r["事故等级"] for r in sample.accidents} == {"一般", "较大", "重大", "特别重大"}
    assert {r["发生时间"][:4] for r in sample.accidents} >= {"2024", "2025", "2026"}


def test_unique_keys(medium, sample):
    for ds in (medium, sample):
        for kind, key in ((ds.penalties, "行政处罚决定书文号"), (ds.accidents, "事故名称"),
                          (ds.power_items, "事项编码")):
            values = [r[key] for r in kind]
            assert len(values) == len(set(values)), key


def test_document_numbers(medium):
    pattern = re.compile(r"^(云|青溪|东港|西岭|云山|临江|白石)应急罚〔(\d{4})〕[1-9]\d*号$")
    for r in medium.penalties:
        m = pattern.match(r["行政处罚决定书文号"])
        assert m and m.group(2) == r["处罚决定日期"][:4]


def test_credit_codes_valid(medium, sample):
    for ds in (medium, sample):
        for key, v in _strings(ds):
            if "统一社会信用代码" in key:
                assert credit_code_ok(v), v
    org = [r for r in medium.penalties if r["行政相对人类别"] != "自然人"]
    assert all("统一社会信用代码" in r for r in org)
    assert all(r["处罚机关统一社会信用代码"].startswith("11") for r in medium.penalties)


def test_accident_levels_agree_with_493(medium, sample):
    for r in medium.accidents + sample.accidents:
        loss = float(r["直接经济损失（万元）"])
        assert level_493(int(r["死亡人数"]), int(r["重伤人数"]), loss) == r["事故等级"], r["事故名称"]
        assert r["发生时间"] < r["批复日期"]
        assert (date.fromisoformat(r["批复日期"]) - date.fromisoformat(r["发生时间"])).days <= 240
        for part in REPORT_PARTS:
            assert len(r[part]) > 40


def test_penalty_consistency(medium):
    public = 0
    for r in medium.penalties:
        cats = r["处罚类别"]
        assert isinstance(cats, list) and cats
        assert ("罚款" in cats) == ("罚款金额（万元）" in r)
        if "罚款金额（万元）" in r:
            assert re.fullmatch(r"\d+(\.\d+)?", r["罚款金额（万元）"]) and float(r["罚款金额（万元）"]) > 0
        assert r["处罚决定日期"] <= r["公示日期"] <= AS_OF.isoformat()
        age = (AS_OF - date.fromisoformat(r["处罚决定日期"])).days
        limit = {"轻微": 90, "一般": 365, "严重": 3 * 365}[r["失信严重程度"]]
        public += age < limit
        if r["行政相对人类别"] == "自然人":
            assert re.fullmatch(r"[\u4e00-\u9fff]某某?", r["行政相对人名称"])
            assert "证件号码" not in r and "统一社会信用代码" not in r
    assert public > 0.6 * len(medium.penalties)


def test_nothing_looks_like_personal_data(medium, sample):
    long_digits = re.compile(r"\d{11,}")
    mobile = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
    email = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
    for ds in (medium, sample):
        for key, v in _strings(ds):
            assert not long_digits.search(v), (key, v)
            assert not mobile.search(v.replace("-", "")) or key == "监督电话", (key, v)
            assert not email.search(v), (key, v)
        for r in ds.power_items:
            assert re.fullmatch(r"0716-8\d{6}", r["监督电话"])
        for r in ds.penalties:
            assert "证件号码" not in r and "法定代表人证件号码" not in r
            if "法定代表人" in r:
                assert re.fullmatch(r"[\u4e00-\u9fff]某某?", r["法定代表人"])


def test_round_trip_all_scalars_are_exact_strings(medium, sample, tmp_path):
    for ds in (medium, sample):
        for records, headers in ((ds.penalties, PENALTY_HEADERS), (ds.accidents, ACCIDENT_HEADERS),
                                 (ds.power_items, POWER_ITEM_HEADERS)):
            text = dump_records(records, headers)
            expected = [{k: v for k, v in r.items() if v not in ("", [])} for r in records]
            assert yaml.load(text, Loader=yaml.BaseLoader) == expected
            assert yaml.safe_load(text) == expected
            for r in yaml.load(text, Loader=yaml.BaseLoader):
                order = [h for h in headers if h in r]
                assert list(r) == order


@pytest.mark.parametrize("value", [
    "是", "否", "yes", "no", "on", "null", "~", "", "2024-03-05", "0.10", "010", "1e3", ".inf", "0x1F",
    "- 列表", "# 注释", "a: b", '引号"在里面"', "反斜杠\\n不是换行", "tab\there", " 前导空格", "尾随空格 ",
    "多行\n文本\n", "多行\n无结尾换行", "两个结尾换行\n\n", "\n开头换行", "行尾空格 \n第二行",
    "  缩进\n第二行",
    "\u2028分隔符", "控制\x07字符", "回车\r\n换行",
])
def test_scalar_emitter_edge_cases(value):
    text = dump_records([{"事项编码": value, "事项名称": "名称"}], POWER_ITEM_HEADERS)
    loaded = yaml.load(text, Loader=yaml.BaseLoader)
    expected = {"事项名称": "名称"} if value == "" else {"事项编码": value, "事项名称": "名称"}
    assert loaded == [expected]


def test_file_layout(sample, tmp_path):
    written = write_dataset(sample, tmp_path)
    names = {str(p.relative_to(tmp_path)) for p in written}
    assert {"penalties/2024.yml", "penalties/2025.yml", "penalties/2026.yml"} <= names
    assert {f"power-items/{s}.yml" for s in ("licensing", "penalty", "coercion", "levy", "payment",
                                             "inspection", "confirmation", "reward", "adjudication",
                                             "other")} <= names
    for p in written:
        raw = p.read_bytes()
        assert raw.endswith(b"\n") and b"\r" not in raw
        recs = yaml.load(raw.decode("utf-8"), Loader=yaml.BaseLoader)
        if p.parent.name == "penalties":
            assert all(r["处罚决定日期"].startswith(p.stem) for r in recs)
            assert [r["处罚决定日期"] for r in recs] == sorted(r["处罚决定日期"] for r in recs)
        elif p.parent.name == "accidents":
            keys = [(r["发生时间"], r["事故名称"]) for r in recs]
            assert keys == sorted(keys) and all(k[0].startswith(p.stem) for k in keys)


def test_no_place_name_is_doubled(medium, sample):
    """A park named after its county (临江县经济开发区) was prefixed with the county again:
    临江县临江县经济开发区 in 发生地点, 违法事实 and the company profile."""
    doubled = re.compile("(" + "|".join(d.name for d in DISTRICTS) + r")\1")
    for ds in (medium, sample):
        for key, v in _strings(ds):
            assert not doubled.search(v), (key, v)
    repo_data = Path(__file__).resolve().parents[2] / "data"
    for path in sorted(repo_data.rglob("*.yml")):  # the shipped sample is the generator's output
        assert not doubled.search(path.read_text(encoding="utf-8")), path


def test_a_district_address_names_the_district_once():
    for d in DISTRICTS:
        for place in d.places:
            assert d.address(place).count(d.name) == 1, place
