"""python -m generator.gates: findings, one summary line per gate, exit 1 on any finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from minisite import replace_in

from generator.gates.__main__ import main
from generator.gates.treehash import HASH_FILE, tree_hash
from generator.gates.treehash import main as treehash_main

STATIC = "links,external,privacy"


def test_clean_site_passes(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(site), "--only", STATIC, "--config", str(site / "none.yml")]) == 0
    out = capsys.readouterr().out
    assert "gate links: 通过" in out and "质量关卡：3 项通过，0 项未通过" in out


def test_planted_defects_fail_with_github_annotations(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace_in(
        site / "index.html", "</head>", '<script src="https://cdn.example.com/x.js"></script>\n</head>'
    )
    assert main([str(site), "--only", STATIC, "--format", "github", "--config", str(site / "none.yml")]) == 1
    out = capsys.readouterr().out
    assert "::error title=gate external::index.html:" in out
    assert "质量关卡：2 项通过，1 项未通过" in out


def test_unknown_gate_and_missing_site_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main([str(tmp_path), "--only", "spelling"])
    assert exc.value.code == 2
    assert main([str(tmp_path / "nothing")]) == 2


def test_a_gate_whose_tool_is_missing_fails(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_NODE_MODULES", str(site / "no-node-modules"))
    assert main([str(site), "--only", "html", "--config", str(site / "none.yml")]) == 1


def test_tree_hash_ignores_its_own_file(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree_hash(site)
    assert treehash_main([str(site), "--write"]) == 0
    assert (site / HASH_FILE).read_text() == before + "\n" == capsys.readouterr().out
    assert tree_hash(site) == before
    (site / "feed.xml").write_text("changed", encoding="utf-8")
    assert tree_hash(site) != before
