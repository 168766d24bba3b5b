"""CSV/JSON downloads and the manifest: the round trip through import, the formula guard, privacy."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from opendata_helpers import AS_OF, SAMPLE, Built, build, has_sample

from generator.importer import import_table
from generator.schema.kinds import KINDS
from generator.settings import Settings

KIND_NAMES = ("power-items", "penalties", "accidents")


def round_trip(first: Built, tmp: Path) -> Built:
    """Import every downloaded CSV into an empty data dir, then build again."""
    root = tmp / "reimported"
    for name in ("penalties", "accidents", "power-items"):
        (root / "data" / name).mkdir(parents=True)
    for name in KIND_NAMES:
        table = tmp / f"{name}.csv"
        table.write_bytes(first.files[f"data/{name}.csv"])
        problems, _ = import_table(KINDS[name], table, table.name, root / "data", Settings())
        assert not problems.has_errors, [str(p) for p in problems.items][:5]
    return build(root)


def assert_same_downloads(first: Built, second: Built) -> None:
    for name in KIND_NAMES:
        assert second.files[f"data/{name}.json"] == first.files[f"data/{name}.json"], name
        assert second.files[f"data/{name}.csv"] == first.files[f"data/{name}.csv"], name
    # The same records with the same hashes.  Their first_published dates may differ: 公示日期 is not
    # a download column (interfaces.md), so reimported records fall back to the version history.
    def records(built: Built) -> list[tuple[str, str, str]]:
        return [(r["kind"], r["key"], r["sha256"]) for r in json.loads(built.files["data/manifest.json"])["records"]]

    assert records(second) == records(first)


def test_download_columns_are_exactly_those_of_the_interface(built_fixture: Built) -> None:
    """shared/interfaces.md: the 30 standard columns then 失信严重程度 and 状态; the accident and power
    item columns as listed there; nothing else."""
    from generator.schema.headers import ACCIDENT_REQUIRED_ORDER, PENALTY_STANDARD, POWER_ITEM_HEADERS

    expected = {
        "penalties": [*PENALTY_STANDARD, "失信严重程度", "状态"],
        "accidents": list(ACCIDENT_REQUIRED_ORDER),
        "power-items": list(POWER_ITEM_HEADERS),
    }
    for name, headers in expected.items():
        data = built_fixture.files[f"data/{name}.csv"]
        assert data[3:].split(b"\r\n", 1)[0].decode("utf-8").split(",") == headers
        for line in json.loads(built_fixture.files[f"data/{name}.json"]):
            assert set(line) <= set(headers)


def test_round_trip_fixture(built_fixture: Built, tmp_path: Path) -> None:
    assert_same_downloads(built_fixture, round_trip(built_fixture, tmp_path))


@pytest.mark.skipif(not has_sample(), reason="no sample data in data/")
def test_round_trip_sample(tmp_path: Path) -> None:
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE / "data", root / "data")
    first = build(root)
    assert json.loads(first.files["data/penalties.json"]), "the sample has public penalties"
    assert_same_downloads(first, round_trip(first, tmp_path))


@pytest.mark.skipif(not has_sample(), reason="no sample data in data/")
def test_importing_the_downloads_into_the_data_they_came_from_changes_no_byte(tmp_path: Path) -> None:
    """Staff download the CSV, correct a cell, import it back: only what they changed may change, so
    the untouched download must give back the data files byte for byte (order, quoting, blocks)."""
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE / "data", root / "data")
    before = {p: p.read_bytes() for p in (root / "data").rglob("*.yml")}
    first = build(root)
    for name in KIND_NAMES:
        table = tmp_path / f"{name}.csv"
        table.write_bytes(first.files[f"data/{name}.csv"])
        problems, written = import_table(KINDS[name], table, table.name, root / "data", Settings())
        assert not problems.has_errors and written == [], (name, written, [str(p) for p in problems.items][:3])
    assert {p: p.read_bytes() for p in (root / "data").rglob("*.yml")} == before


def rows_of(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel reads it as UTF-8"
    text = data[3:].decode("utf-8")
    assert text.split("\n", 1)[0].endswith("\r") and text.endswith("\r\n"), "CRLF line ends"
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_layout_and_formula_guard(built_fixture: Built) -> None:
    data = built_fixture.files["data/penalties.csv"]
    header_line = data[3:].split(b"\r\n", 1)[0].decode("utf-8")
    assert header_line.split(",") == list(KINDS["penalties"].download_headers)
    rows = {r["行政处罚决定书文号"]: r for r in rows_of(data)}
    assert rows["云应急罚〔2026〕1号"]["备注"] == '\'=HYPERLINK("http://evil.example","点击")'
    assert rows["东港应急罚〔2026〕3号"]["违法事实"].startswith("'@现场检查发现")
    assert rows["云应急罚〔2026〕1号"]["处罚类别"] == "警告；罚款"
    power = {r["事项编码"]: r for r in rows_of(built_fixture.files["data/power-items.csv"])}
    assert power["CF-001-01"]["设定依据"].startswith("'-《")
    accidents = rows_of(built_fixture.files["data/accidents.csv"])
    assert any(r["事故原因"] == "'=电气线路短路" for r in accidents)
    for row in rows_of(data):  # no cell may start a formula
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


def test_privacy_in_downloads(built_fixture: Built) -> None:
    everything = b"".join(built_fixture.files.values()).decode("utf-8", errors="replace")
    assert "张三丰" not in everything
    assert "110105194912310021" not in everything and "110105195001010012" not in everything
    rows = {r["行政处罚决定书文号"]: r for r in rows_of(built_fixture.files["data/penalties.csv"])}
    person = rows["云应急罚〔2026〕2号"]
    assert person["行政相对人名称"] == "张某某"
    assert person["证件号码"] == "" and person["证件类型"] == ""  # the columns stay, empty
    records = json.loads(built_fixture.files["data/penalties.json"])
    # interfaces.md: the never-published columns "stay in the downloads, empty" — in the JSON too.
    assert all(r["证件号码"] is None and r["法定代表人证件号码"] is None for r in records)


def test_only_public_records(built_fixture: Built) -> None:
    keys = {r["行政处罚决定书文号"] for r in json.loads(built_fixture.files["data/penalties.json"])}
    public = {e.key for e in built_fixture.publication.public_penalties}
    assert keys == public
    assert "云应急罚〔2024〕3号" not in keys  # expired
    assert "云应急罚〔2026〕4号" not in keys  # withdrawn (撤销)
    assert "云应急罚〔2026〕5号" not in keys  # 轻微: not published
    accidents = {r["事故名称"] for r in json.loads(built_fixture.files["data/accidents.json"])}
    assert "云澜市化工园区“7·15”爆炸事故" not in accidents  # after as_of


def test_manifest_hashes_verify_against_json_downloads(built_fixture: Built) -> None:
    manifest = json.loads(built_fixture.files["data/manifest.json"])
    assert manifest["generated_for"] == AS_OF.isoformat()
    expected = {}
    for name in KIND_NAMES:
        for record in json.loads(built_fixture.files[f"data/{name}.json"]):
            canonical = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            expected[(name, record[KINDS[name].key_header])] = hashlib.sha256(
                canonical.encode("utf-8")
            ).hexdigest()
    listed = {(r["kind"], r["key"]): r["sha256"] for r in manifest["records"]}
    assert listed == expected
    dates = {r["key"]: r["first_published"] for r in manifest["records"]}
    assert dates["云应急罚〔2026〕1号"] == "2026-03-10"  # the stated 公示日期
    assert dates["JC-001"] == AS_OF.isoformat()  # not in git: the build date


def test_outputs_are_deterministic(fixture_root: Path) -> None:
    first, second = build(fixture_root), build(fixture_root)
    assert first.files == second.files
    assert {u: p.body_html for u, p in first.pages.items()} == {
        u: p.body_html for u, p in second.pages.items()
    }


def test_filtered_download_script_has_headers(built_fixture: Built) -> None:
    script = built_fixture.files["assets/javascripts/filtered-download.js"].decode("utf-8")
    assert "__HEADERS__" not in script and "__KEYS__" not in script
    assert json.dumps(list(KINDS["penalties"].download_headers), ensure_ascii=False) in script


@pytest.mark.parametrize("value", ["=SUM(A1)", "'=SUM(A1)", "''+1", "-3", "'plain", "'", "普通文本"])
def test_the_formula_guard_round_trips_every_value(value: str) -> None:
    """Download then import gives the value back, including one that already began with '= (found by
    adversarial testing: it lost its quote)."""
    from generator.opendata.downloads import guard_cell
    from generator.sources.tables import unquote_formula_guard

    guarded = guard_cell(value)
    assert not guarded.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unquote_formula_guard(guarded) == value
