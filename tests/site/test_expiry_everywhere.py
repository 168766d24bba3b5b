"""Issue 5: a record past its publication period leaves every public output; the notice left at its URL
carries no personal data; no ID-card number in the input appears in any output file, in any encoding."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest
from site_sample import make_root

from generator.site.build import build_site

# 西应急罚〔2026〕3号: decided 2026-06-20, no 失信严重程度 → 一般, public 12 months: through 2027-06-20.
NUMBER = "西应急罚〔2026〕3号"
PARTY = "云澜市西山区兴旺五金店"
FACTS = "在店内销售工业酒精"
ID_NUMBER = "530102199001011234"  # in the fixture's 证件号码, never published


def _all_bytes(site: Path) -> dict[str, bytes]:
    out = {}
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            out[path.relative_to(site).as_posix()] = gzip.decompress(data) if path.suffix == ".gz" else data
    return out


def _encodings(text: str) -> list[bytes]:
    forms = {text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be"), text.encode("gb18030")}
    forms.add("".join(f"\\u{ord(c):04x}" for c in text).encode())  # JSON escapes
    forms.add("".join(f"&#{ord(c)};" for c in text).encode())  # HTML character references
    return sorted(forms)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("expiry")
    root = make_root(work / "project")
    for day, name in ((dt.date(2027, 6, 20), "last-day"), (dt.date(2027, 6, 21), "day-after")):
        problems = build_site(root, work / name, day, workers=1)
        assert not problems.has_errors, [p.as_text() for p in problems]
    return work / "last-day", work / "day-after"


def _files_with(files: dict[str, bytes], text: str) -> list[str]:
    forms = _encodings(text)
    return sorted(name for name, data in files.items() if any(form in data for form in forms))


def test_public_on_the_last_day_of_its_period(sites: tuple[Path, Path]) -> None:
    files = _all_bytes(sites[0])
    found = _files_with(files, PARTY)
    assert "data/penalties.csv" in found and "data/penalties.json" in found
    assert any(name.startswith("search/index/") for name in _files_with(files, FACTS))


def test_gone_from_every_output_the_day_after(sites: tuple[Path, Path]) -> None:
    files = _all_bytes(sites[1])
    assert _files_with(files, PARTY) == []
    assert _files_with(files, FACTS) == []
    notice = next(name for name in files if name.startswith("penalties/2026-3-") and name.endswith("index.html"))
    # The number stays only on the notice at the old URL (what, when, which rule), marked noindex.
    assert _files_with(files, NUMBER) == [notice]
    page = files[notice].decode("utf-8")
    assert '<meta name="robots" content="noindex">' in page
    assert "公示期" in page and "data-record-id" not in page


def test_no_id_number_in_any_output_file_in_any_encoding(sites: tuple[Path, Path]) -> None:
    for site in sites:
        assert _files_with(_all_bytes(site), ID_NUMBER) == []

