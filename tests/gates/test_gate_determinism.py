"""The determinism gate: two builds with the same input and --as-of are byte-identical."""

from __future__ import annotations

import itertools
from pathlib import Path

from minisite import write_site

from generator.gates.determinism import check_determinism, compare_trees


def test_identical_trees_pass(tmp_path: Path) -> None:
    assert compare_trees(write_site(tmp_path / "a"), write_site(tmp_path / "b")) == []


def test_differing_extra_and_missing_files_are_caught(tmp_path: Path) -> None:
    a, b = write_site(tmp_path / "a"), write_site(tmp_path / "b")
    (b / "feed.xml").write_text("<feed>\n<updated>2026-11-21T10:00:01</updated>\n</feed>\n", encoding="utf-8")
    (a / "only-a.txt").write_text("x", encoding="utf-8")
    (b / "search/index.json").write_text("{}", encoding="utf-8")
    found = {(f.path, f.message[:6]) for f in compare_trees(a, b)}
    assert found == {
        ("feed.xml", "两次生成的内"),
        ("only-a.txt", "只出现在第一"),
        ("search/index.json", "只出现在第二"),
    }


def test_a_build_that_writes_a_timestamp_is_caught() -> None:
    clock = itertools.count()

    def build(out: Path) -> None:
        write_site(out.parent / out.name)
        (out / "site" / "build.txt").write_text(f"built at tick {next(clock)}\n", encoding="utf-8")

    [finding] = check_determinism(build)
    assert finding.path == "site/build.txt" and finding.line == 1


def test_a_deterministic_build_passes() -> None:
    assert check_determinism(lambda out: write_site(out)) == []


def test_a_failing_build_is_a_finding() -> None:
    def build(out: Path) -> None:
        raise RuntimeError("gongkai build 失败（1）")

    [finding] = check_determinism(build)
    assert "失败" in finding.message
