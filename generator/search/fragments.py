"""The browser side as the site builder sees it: assets to copy and two HTML fragments."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2

ASSETS_DIR = Path(__file__).parent / "assets"
TEMPLATES_DIR = Path(__file__).parent / "templates"
ASSET_FILES = ("search.js", "search.css")

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


def copy_assets(dest_dir: Path) -> list[Path]:
    """Copy search.js and search.css into dest_dir; returns the written paths."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copyfile(ASSETS_DIR / name, dest_dir / name)) for name in ASSET_FILES]


def render_search_page(*, index_url: str, site_root: str) -> str:
    """Body of /search/. Both URLs may be relative to the search page (e.g. "index/", "../")."""
    return _env.get_template("search_page.html").render(index_url=index_url, site_root=site_root)


def render_header_search(*, search_url: str) -> str:
    """The header search box; search_url is the /search/ page relative to the current page."""
    return _env.get_template("header_search.html").render(search_url=search_url)
