"""Fixtures of the data-core tests: a throw-away project directory and the real CLI entry point."""

from __future__ import annotations

from pathlib import Path

import pytest
from core_data import CONFIG

from generator.cli import main


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty Gongkai project (site_config.yml, data/, content/) as the working directory."""
    (tmp_path / "site_config.yml").write_text(CONFIG, encoding="utf-8")
    for kind in ("penalties", "accidents", "power-items"):
        (tmp_path / "data" / kind).mkdir(parents=True)
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


class Runner:
    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        """Run `gongkai ARGV` in-process: (exit code, stdout, stderr)."""
        self.capsys.readouterr()
        code = main(list(argv))
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err


@pytest.fixture
def gongkai(capsys: pytest.CaptureFixture[str]) -> Runner:
    return Runner(capsys)
