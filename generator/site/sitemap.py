"""sitemap.xml of every indexable page (notices and the build's shells are left out)."""

from __future__ import annotations

import gzip
import io
from xml.sax.saxutils import escape

LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)


def sitemap_files(site_url: str, page_urls: list[str], lastmod: str) -> dict[str, bytes]:
    base = site_url.rstrip("/") + "/" if site_url else "/"
    # mkdocs gives the home page as "./"; its canonical address is the site URL itself.
    ordered = sorted({"" if u in ("./", ".") else u for u in page_urls})
    chunks = [ordered[i : i + LIMIT] for i in range(0, len(ordered), LIMIT)] or [[]]
    if len(chunks) == 1:
        return _with_gzip("sitemap.xml", _urlset(base, chunks[0], lastmod))
    files: dict[str, bytes] = {}
    names = [f"sitemap-{i}.xml" for i in range(1, len(chunks) + 1)]
    for name, chunk in zip(names, chunks, strict=True):
        files[name] = _urlset(base, chunk, lastmod)
    index = "".join(
        f"<sitemap><loc>{escape(base + n)}</loc><lastmod>{lastmod}</lastmod></sitemap>" for n in names
    )
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>\n'
    files.update(_with_gzip("sitemap.xml", text.encode("utf-8")))
    return files


def _urlset(base: str, page_urls: list[str], lastmod: str) -> bytes:
    body = "".join(
        f"<url><loc>{escape(base + u)}</loc><lastmod>{lastmod}</lastmod></url>\n" for u in page_urls
    )
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    return (head + body + "</urlset>\n").encode("utf-8")


def _with_gzip(name: str, data: bytes) -> dict[str, bytes]:
    buffer = io.BytesIO()
    with gzip.GzipFile(
        filename="", mode="wb", fileobj=buffer, mtime=0
    ) as gz:  # mtime 0: same bytes every build
        gz.write(data)
    return {name: data, f"{name}.gz": buffer.getvalue()}
