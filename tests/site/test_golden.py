"""Golden pages: the tiny sample site, page by page, against tests/golden/ (regenerate with
`python -m tests.site.regen_golden` and review the diff)."""

from __future__ import annotations

import datetime as dt
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


def test_two_builds_are_byte_identical(tiny_site: Path, tmp_path: Path) -> None:
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
