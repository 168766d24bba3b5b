"""Golden pages: the tiny sample site, page by page, against tests/golden/ (regenerate with
`python -m tests.site.regen_golden` and review the diff)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from site_sample import AS_OF, GOLDEN, GOLDEN_PAGES, build_site, make_root, page_text


@pytest.mark.parametrize("name", sorted(GOLDEN_PAGES))
def test_page_matches_golden(tiny_site: Path, name: str) -> None:
    expected = (GOLDEN / f"{name}.html").read_text(encoding="utf-8")
    assert page_text(tiny_site, GOLDEN_PAGES[name]) == expected, (
        f"{name}: run python -m tests.site.regen_golden"
    )


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tiny_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One process (the fixture) and two worker processes give the same bytes: the tasks of the
    parallel build must not depend on the order they happen to run in."""
    from generator.site import generate

    monkeypatch.setattr(generate, "PARALLEL_FROM", 0)  # the tiny site is far below the threshold
    root = make_root(tmp_path / "project")
    second = tmp_path / "second"
    assert not build_site(root, second, AS_OF, workers=2).has_errors
    first_tree, second_tree = _tree(tiny_site), _tree(second)
    assert sorted(first_tree) == sorted(second_tree)
    assert [name for name in first_tree if first_tree[name] != second_tree[name]] == []


def test_invalid_data_leaves_previous_output(tmp_path: Path) -> None:
    root = make_root(tmp_path / "project")
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("old", encoding="utf-8")
    bad = root / "data" / "penalties" / "2026.yml"
    bad.write_text(bad.read_text(encoding="utf-8").replace('"5"', '"五万"', 1), encoding="utf-8")
    problems = build_site(root, out, dt.date(2026, 11, 21))
    assert problems.has_errors
    assert any(p.code == "penalty.amount" for p in problems.errors)
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_the_home_page_is_indexed_with_its_generated_content(tiny_site: Path) -> None:
    """The search task reads content pages back from disk; the home page's record list must be
    in it by then, whichever worker runs first."""
    rows = [row for f in sorted((tiny_site / "search/index/d").glob("*.json")) for row in json.loads(f.read_text("utf-8"))]
    [home] = [row for row in rows if row[2] == "page" and row[0] == "./"]
    assert "最新行政处罚决定" in home[4] and "公开信息概览" in home[4]


def test_an_unwritable_output_still_reports_the_data_problems(tmp_path: Path) -> None:
    root = make_root(tmp_path / "project")
    bad = root / "data" / "penalties" / "2026.yml"
    bad.write_text(bad.read_text(encoding="utf-8").replace('"5"', '"五万"', 1), encoding="utf-8")
    (tmp_path / "blocker").write_text("a file where a directory should be", encoding="utf-8")
    problems = build_site(root, tmp_path / "blocker" / "deeper" / "site", dt.date(2026, 11, 21))
    assert {p.code for p in problems.errors} == {"penalty.amount", "file.output"}
    assert (tmp_path / "blocker").is_file()
