"""The tiny sample site built from tests/fixtures/tiny/, shared by the golden, record and browser tests."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from generator.site.build import build_site

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "tiny"
GOLDEN = REPO / "tests" / "golden"
AS_OF = dt.date(2026, 11, 21)

# One page of each type: golden file name → URL path in the built site.
GOLDEN_PAGES = {
    "home": "",
    "penalties-listing": "penalties/",
    "penalty": "penalties/2026-12-5af7d62e6a/",
    "penalty-natural-person": "penalties/2026-9-c6053b3015/",
    "penalty-notice-withdrawn": "penalties/2026-5-61d12dc86d/",
    "penalty-notice-expired": "penalties/2024-3-f47a2b8201/",
    "accidents-listing": "accidents/",
    "accident": "accidents/2025-06-12-25cf4e9e73/",
    "power-items-listing": "power-items/",
    "power-item": "power-items/yj-cf-001/",
    "power-sub-item": "power-items/yj-cf-001-01/",
    "enterprise": "enterprises/91530100MA6K8XY01W/",
    "enterprise-by-name": "enterprises/n-ecf0fa45be/",
    "enterprises-listing": "enterprises/",
    "law": "laws/89b1545d-97/",
    "laws-index": "laws/",
    "about": "about/",
}


def make_root(target: Path, data: Path = FIXTURE / "data") -> Path:
    """A project directory: the repository's site config, content and theme, with the given data."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "site_config.yml", target / "site_config.yml")
    for name in ("content", "theme"):
        shutil.copytree(REPO / name, target / name, dirs_exist_ok=True)
    shutil.copytree(data, target / "data", dirs_exist_ok=True)
    return target


def build_tiny(work: Path) -> Path:
    out = work / "site"
    problems = build_site(make_root(work / "project"), out, AS_OF, workers=1)
    assert not problems.has_errors, [p.as_text() for p in problems]
    return out


_BLANK = re.compile(r"\n\s*\n")


def normalise(html: str) -> str:
    """Each line stripped, blank lines dropped: indentation in material's templates is noise."""
    return "\n".join(line.strip() for line in html.splitlines() if line.strip()) + "\n"


def page_text(site: Path, url: str) -> str:
    return normalise((site / url / "index.html").read_text(encoding="utf-8"))
