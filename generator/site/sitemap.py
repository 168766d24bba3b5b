"""sitemap.xml of every indexable page (notices and the build's shells are left out), each record
page dated by its data's last change, so that crawlers revisit only what changed."""

from __future__ import annotations

import datetime as dt
import gzip
import io
from collections.abc import Mapping
from xml.sax.saxutils import escape

from generator.opendata.feeds import base_url, no_site_url_note

LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)


def sitemap_files(site_url: str, pages: Mapping[str, dt.date | None], built: dt.date) -> dict[str, bytes]:
    """pages: site-relative URL → the day its content last changed (None: no <lastmod>, e.g. a
    listing, which changes with any record).  `built` dates the sitemap index's own entries."""
    base = base_url(site_url)  # sitemaps need absolute URLs: a placeholder host and a note without one
    note = no_site_url_note(site_url)
    # mkdocs gives the home page as "./"; its canonical address is the site URL itself.
    dated = dict(pages)
    for home in ("./", "."):
        if home in dated:
            dated[""] = dated.pop(home)
    ordered = sorted(dated)
    chunks = [ordered[i : i + LIMIT] for i in range(0, len(ordered), LIMIT)] or [[]]
    if len(chunks) == 1:
        return _with_gzip("sitemap.xml", _urlset(base, chunks[0], dated, note))
    files: dict[str, bytes] = {}
    names = [f"sitemap-{i}.xml" for i in range(1, len(chunks) + 1)]
    for name, chunk in zip(names, chunks, strict=True):
        files[name] = _urlset(base, chunk, dated, note)
    index = "".join(
        f"<sitemap><loc>{escape(base + n)}</loc><lastmod>{built.isoformat()}</lastmod></sitemap>" for n in names
    )
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n{note}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>\n'
    files.update(_with_gzip("sitemap.xml", text.encode("utf-8")))
    return files


def _urlset(base: str, page_urls: list[str], dated: Mapping[str, dt.date | None], note: str) -> bytes:
    # 100k URLs at national scale: the base escaped once, each day's <lastmod> made once.
    loc = escape(base)
    lastmods = {day: _lastmod(day) for day in set(dated.values())}
    body = "".join(f"<url><loc>{loc}{_escaped(u)}</loc>{lastmods[dated[u]]}</url>\n" for u in page_urls)
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n{note}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    return (head + body + "</urlset>\n").encode("utf-8")


def _escaped(url: str) -> str:
    # Generated URLs are plain ASCII: escaping (a Python function) only where there is something to escape.
    return escape(url) if "&" in url or "<" in url or ">" in url else url


def _lastmod(day: dt.date | None) -> str:
    return f"<lastmod>{day.isoformat()}</lastmod>" if day else ""


def _with_gzip(name: str, data: bytes) -> dict[str, bytes]:
    buffer = io.BytesIO()
    with gzip.GzipFile(
        filename="", mode="wb", fileobj=buffer, mtime=0
    ) as gz:  # mtime 0: same bytes every build
        gz.write(data)
    return {name: data, f"{name}.gz": buffer.getvalue()}
