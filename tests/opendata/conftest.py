"""Fixtures of the open-data tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from opendata_helpers import FIXTURE, Built, build


@pytest.fixture
def fixture_root(tmp_path: Path) -> Path:
    """A copy of the fixture project outside any git checkout."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture(scope="module")
def built_fixture(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("fixture") / "project"
    shutil.copytree(FIXTURE, root)
    return build(root)
