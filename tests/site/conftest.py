from __future__ import annotations

from pathlib import Path

import pytest
from site_sample import build_tiny


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny(tmp_path_factory.mktemp("tiny"))
