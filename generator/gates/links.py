"""Internal links: every href, src, srcset, form action and CSS url() inside the site resolves.

A reference resolves when the file exists (a directory URL means its index.html, as on GitHub
Pages and GitLab Pages) and, for a #fragment into an HTML page, when that page has the id.
Links to other hosts are not followed here (a law text on another site is fine as a link);
`external.py` makes sure nothing is *loaded* from them.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.gates.findings import Finding
from generator.gates.sitefiles import (
    HTML_SUFFIXES,
    ROOT,
    SiteUrl,
    Tag,
    line_at,
    parse_html,
    read_text,
    rel,
    site_files,
)

GATE = "links"

# Attributes that hold one URL, per element ("*" = any element).
URL_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src",),
    "source": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "form": ("action",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
    "blockquote": ("cite",),
    "q": ("cite",),
}
SRCSET_TAGS = ("img", "source")
CSS_URL = re.compile(
    r"""url\(\s*(?P<q>['"]?)(?P<url>[^'")]*?)(?P=q)\s*\)|@import\s+(?P<q2>['"])(?P<imp>[^'"]+)(?P=q2)"""
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def tag_urls(tag: Tag) -> list[tuple[str, str]]:
    """(attribute, url) for every URL the tag refers to."""
    found = [(a, tag.attrs[a]) for a in URL_ATTRS.get(tag.name, ()) if a in tag.attrs]
    if tag.name in SRCSET_TAGS and tag.attrs.get("srcset"):
        found += [("srcset", u) for u in srcset_urls(tag.attrs["srcset"])]
    return found


def srcset_urls(srcset: str) -> list[str]:
    # "a.png 1x, b.png 2x": a candidate is a URL then an optional descriptor
    return [c.split()[0] for c in srcset.split(",") if c.strip()]


def css_urls(css: str) -> list[tuple[int, str]]:
    """(offset, url) of every url(...) and @import in a stylesheet."""
    return [(m.start(), (m.group("url") or m.group("imp") or "").strip()) for m in CSS_URL.finditer(css)]


def local_target(url: str, page: str, site_url: SiteUrl) -> tuple[str, str] | None | str:
    """Where `url`, seen in the site file `page` ("a/b/index.html"), points inside the site.

    Returns (site-relative path, fragment), None for a URL that is not ours to check (another host,
    mailto:, data:), or an error message.
    """
    url = url.strip()
    if not url:
        return None
    parts = urlsplit(url)
    if _SCHEME.match(url) or url.startswith("//"):
        if parts.scheme not in ("http", "https", "") or not site_url.host or parts.hostname != site_url.host:
            return None
        return _under_prefix(parts.path or "/", parts.fragment, site_url)
    if url.startswith("/"):
        return _under_prefix(parts.path, parts.fragment, site_url)
    if not parts.path:
        return (page, parts.fragment)  # "#x" or "?q=": this very page
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    if joined == ".." or joined.startswith("../"):
        return f"“{url}” 指向网站根目录之外"
    if parts.path.endswith("/") and joined != ".":
        joined += "/"
    return ("" if joined == "." else joined, parts.fragment)


def _under_prefix(path: str, fragment: str, site_url: SiteUrl) -> tuple[str, str] | str:
    path = unquote(path)
    if not path.startswith(site_url.prefix) and path + "/" != site_url.prefix:
        return f"“{path}” 不在网站路径 {site_url.prefix} 之下（发布到子路径时会失效）"
    inner = path[len(site_url.prefix) :]
    normal = posixpath.normpath(inner) if inner else ""
    if normal.startswith(".."):
        return f"“{path}” 指向网站根目录之外"
    if normal == ".":
        normal = ""
    if inner.endswith("/") and normal:
        normal += "/"
    return (normal, fragment)


def resolve_file(site: Path, target: str) -> Path | None:
    """The file a site-relative URL path is served from, or None."""
    candidate = site / target if target else site
    if (target == "" or target.endswith("/")) and (candidate / "index.html").is_file():
        return candidate / "index.html"
    if candidate.is_file():
        return candidate
    if candidate.is_dir() and (candidate / "index.html").is_file():
        return candidate / "index.html"  # "a/b" without slash: the host redirects to "a/b/"
    return None


def _is_checkable(fragment: str, file: Path) -> bool:
    # ":~:text=" is a text fragment for the browser, not an id
    return bool(fragment) and file.suffix in HTML_SUFFIXES and not fragment.startswith(":~:")


def check_links(site: Path, site_url: SiteUrl = ROOT, *, fragments: bool = True) -> list[Finding]:
    site = site.resolve()

    @lru_cache(maxsize=4096)
    def ids_of(path: Path) -> frozenset[str]:
        return frozenset(parse_html(read_text(path)).ids)

    findings: list[Finding] = []

    def check(where: str, line: int, url: str, what: str) -> None:
        target = local_target(url, where, site_url)
        if target is None:
            return
        if isinstance(target, str):
            findings.append(Finding(GATE, where, line, f"{what}: {target}"))
            return
        path, fragment = target
        file = resolve_file(site, path)
        if file is None:
            findings.append(Finding(GATE, where, line, f"{what} “{url}”：目标不存在（{path or '/'}）"))
        elif fragments and _is_checkable(fragment, file) and unquote(fragment) not in ids_of(file):
            findings.append(
                Finding(GATE, where, line, f"{what} “{url}”：{rel(site, file)} 中没有 id “{fragment}”")
            )

    for file in site_files(site, (*HTML_SUFFIXES, ".css")):
        where = rel(site, file)
        text = read_text(file)
        if file.suffix == ".css":
            for offset, url in css_urls(text):
                check(where, line_at(text, offset), url, "url()")
            continue
        page = parse_html(text)
        for tag in page.tags:
            for attr, url in tag_urls(tag):
                check(where, tag.line, url, f"<{tag.name} {attr}>")
            if tag.attrs.get("style"):
                for _, url in css_urls(tag.attrs["style"]):
                    check(where, tag.line, url, f"<{tag.name} style> url()")
        for line, css in page.styles:
            for offset, url in css_urls(css):
                check(where, line + css.count("\n", 0, offset), url, "<style> url()")
    return findings
