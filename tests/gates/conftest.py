"""Fixtures of the gate tests: a clean mini site in a temporary directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from minisite import write_site

from generator.gates import tools


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path)


@pytest.fixture
def vnu() -> None:
    """The Nu Html Checker: skipped only when `npm ci` has not been run (./dev test runs it)."""
    if not (tools.node_modules() / "vnu-jar").is_dir():
        pytest.skip("node_modules/vnu-jar missing: run `npm ci --ignore-scripts` (./dev test does)")
    if not shutil.which("java"):
        pytest.fail("java not found: the HTML validity gate needs Java 17+")


@pytest.fixture
def axe() -> None:
    if not (tools.node_modules() / "axe-core").is_dir():
        pytest.skip("node_modules/axe-core missing: run `npm ci --ignore-scripts` (./dev test does)")
    if not Path(tools.CHROMIUM).is_file():
        pytest.fail(f"{tools.CHROMIUM} missing: the accessibility gate needs the system Chromium")
