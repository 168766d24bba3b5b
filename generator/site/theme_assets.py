"""mkdocs-material's copied assets, made fit for a site that must load nothing from another host.

- Its JavaScript bundle can load two scripts from unpkg.com: a ResizeObserver polyfill (only in
  browsers that lack ResizeObserver) and mermaid (only for diagrams, which this site has none of).
  Both URLs are replaced by an empty inline script, so even an old browser makes no foreign request.
- Its lunr search files and search worker are copied although the built-in search is off (Gongkai has
  its own); they are removed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

EMPTY_SCRIPT = "data:text/javascript,"
FOREIGN_SCRIPTS = (
    "https://unpkg.com/resize-observer-polyfill",
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js",
)
UNUSED = ("assets/javascripts/lunr", "assets/javascripts/workers")


def localise_theme_assets(site_dir: Path) -> None:
    for name in UNUSED:
        shutil.rmtree(site_dir / name, ignore_errors=True)
    for bundle in sorted((site_dir / "assets" / "javascripts").glob("bundle.*.min.js")):
        text = bundle.read_text(encoding="utf-8")
        for url in FOREIGN_SCRIPTS:
            text = text.replace(url, EMPTY_SCRIPT)
        bundle.write_text(text, encoding="utf-8")
