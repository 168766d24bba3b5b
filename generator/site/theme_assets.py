"""mkdocs-material's copied assets, made fit for a site that must load nothing from another host.

- Its JavaScript bundle can load scripts from a public CDN: a ResizeObserver polyfill (only in
  browsers that lack ResizeObserver) and mermaid (only for diagrams, which this site has none of).
  Every CDN script address in the bundle is replaced by an empty inline script, so even an old
  browser makes no foreign request, whatever version of the theme is pinned.
- Its lunr search files and search worker are copied although the built-in search is off (Gongkai has
  its own); they are removed.
"""

from __future__ import annotations

import re
import shutil

from generator.site.files import SiteFiles

EMPTY_SCRIPT = "data:text/javascript,"
# The CDNs mkdocs-material's bundle loads from; written as a pattern so any path or version matches.
CDN_SCRIPT = re.compile(r"https://(?:unpkg\.com|cdn\.jsdelivr\.net)/[^\"'`\s)]*")
UNUSED = ("assets/javascripts/lunr", "assets/javascripts/workers")


def localise_theme_assets(files: SiteFiles) -> None:
    """Remove the unused files (a full build; a patch build never publishes them) and rewrite the
    bundle's CDN addresses."""
    if not files.patching:
        for name in UNUSED:
            shutil.rmtree(files.out / name, ignore_errors=True)
    for bundle in sorted((files.base / "assets" / "javascripts").glob("bundle.*.min.js")):
        rel = bundle.relative_to(files.base).as_posix()
        files.write_text(rel, CDN_SCRIPT.sub(EMPTY_SCRIPT, files.read_text(rel)))
