"""Regenerate tests/golden/ from the tiny sample site: `python -m tests.site.regen_golden`
(or `nox -s update-golden`).  Review the diff before committing: it is the site's visible change."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from site_sample import GOLDEN, GOLDEN_PAGES, build_tiny, page_text  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        site = build_tiny(Path(work))
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for old in GOLDEN.glob("*.html"):
            old.unlink()
        for name, url in GOLDEN_PAGES.items():
            (GOLDEN / f"{name}.html").write_text(page_text(site, url), encoding="utf-8")
    print(f"已更新 {len(GOLDEN_PAGES)} 个基准页面：{GOLDEN}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
