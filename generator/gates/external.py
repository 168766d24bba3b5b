"""Nothing loads from another host (interfaces.md: no web fonts, scripts or styles from a CDN).

Links to other sites in <a href> are fine (a law text on the national database); what is checked
is everything a browser would *fetch* while showing a page: resource elements, link rel=stylesheet
/icon/preload/preconnect, CSS url() and @import, and absolute URLs in scripts (fetch targets).
A static scan cannot run the scripts, so `a11y.py` also watches the real requests in Chromium.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from urllib.parse import urlsplit

from generator.gates.findings import Finding
from generator.gates.jscomments import strip_comments
from generator.gates.links import URL_ATTRS, css_urls, srcset_urls
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

GATE = "external"

# Elements whose URL attributes are fetched when the page is shown: every URL attribute the link
# gate knows, except those a visitor has to follow (links, forms, citations) or that <link rel> decides
# below.
RESOURCE_ATTRS: dict[str, tuple[str, ...]] = {
    tag: attrs for tag, attrs in URL_ATTRS.items() if tag not in ("a", "area", "link", "form", "blockquote", "q")
}
# <link rel=…> values that only name a related document; every other rel (stylesheet, icon,
# preload, modulepreload, prefetch, preconnect, dns-prefetch, manifest …) makes the browser connect.
NAVIGATIONAL_RELS = frozenset(
    {
        "alternate",
        "canonical",
        "author",
        "license",
        "help",
        "next",
        "prev",
        "me",
        "bookmark",
        "search",
        "external",
    }
)
# Namespace names look like URLs but are identifiers, never fetched.
NAMESPACE_URIS = (
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1998/Math/MathML",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/2000/xmlns/",
)
# Absolute URLs in script *code* (comments are ignored anyway) that are known not to be fetched by
# this site: (file pattern, URL prefix, why). Third-party files copied verbatim by mkdocs-material.
# Keep this list short and explicit: every entry is a decision someone must be able to defend.
ALLOWED_SCRIPT_URLS: tuple[tuple[str, str, str], ...] = (
    (
        "assets/javascripts/bundle.*.min.js",
        "https://api.github.com/",
        "mkdocs-material asks for repository facts only when site_config.yml sets repo_url (ours does not)",
    ),
)

_SCRIPT_URL = re.compile(
    r"https?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+[^\s'\"`)<>\\]*"
)


def is_foreign(url: str, site_url: SiteUrl) -> bool:
    """True when `url` names another host (absolute http(s) or protocol-relative)."""
    url = url.strip()
    if not (url.lower().startswith(("http://", "https://")) or url.startswith("//")):
        return False
    host = urlsplit(url if not url.startswith("//") else "http:" + url).hostname or ""
    return not (site_url.host and host == site_url.host.lower())


def _tag_loads(tag: Tag) -> list[str]:
    urls = [tag.attrs[a] for a in RESOURCE_ATTRS.get(tag.name, ()) if a in tag.attrs]
    if tag.name == "input" and tag.attrs.get("type", "").lower() != "image":
        urls = []
    if tag.name in ("img", "source") and tag.attrs.get("srcset"):
        urls += srcset_urls(tag.attrs["srcset"])
    if tag.name == "link" and tag.attrs.get("href"):
        rels = set(tag.attrs.get("rel", "").lower().split())
        if not rels or not rels <= NAVIGATIONAL_RELS:
            urls.append(tag.attrs["href"])
    return urls


def allowed_reason(where: str, url: str) -> str | None:
    for pattern, prefix, reason in ALLOWED_SCRIPT_URLS:
        if fnmatch.fnmatchcase(where, pattern) and url.startswith(prefix):
            return reason
    return None


def script_urls(js: str, site_url: SiteUrl, where: str = "") -> list[tuple[int, str]]:
    """(offset, url) of absolute URLs to other hosts in the code (not the comments) of script file `where`."""
    found = []
    for m in _SCRIPT_URL.finditer(strip_comments(js)):
        url = m.group()
        if url.startswith(NAMESPACE_URIS) or not is_foreign(url, site_url) or allowed_reason(where, url):
            continue
        found.append((m.start(), url))
    return found


def _css_loads(css: str, site_url: SiteUrl) -> list[tuple[int, str]]:
    return [(offset, url) for offset, url in css_urls(css) if is_foreign(url, site_url)]


def check_external(site: Path, site_url: SiteUrl = ROOT) -> list[Finding]:
    findings: list[Finding] = []
    for file in site_files(site):
        where = rel(site, file)
        suffix = file.suffix.lower()
        if suffix in HTML_SUFFIXES:
            findings += _check_page(where, read_text(file), site_url)
        elif suffix == ".css":
            text = read_text(file)
            findings += [
                Finding(GATE, where, line_at(text, o), f"样式从外部加载：{u}")
                for o, u in _css_loads(text, site_url)
            ]
        elif suffix in (".js", ".mjs"):
            text = read_text(file)
            findings += [
                Finding(GATE, where, line_at(text, o), f"脚本引用外部地址：{u}")
                for o, u in script_urls(text, site_url, where)
            ]
        elif suffix == ".svg":
            text = read_text(file)
            for m in re.finditer(r"""(?:xlink:)?href\s*=\s*["']([^"']+)""", text):
                if is_foreign(m.group(1), site_url):
                    findings.append(
                        Finding(GATE, where, line_at(text, m.start()), f"SVG 引用外部资源：{m.group(1)}")
                    )
    return findings


def _check_page(where: str, text: str, site_url: SiteUrl) -> list[Finding]:
    page = parse_html(text)
    findings: list[Finding] = []
    for tag in page.tags:
        for url in _tag_loads(tag):
            if is_foreign(url, site_url):
                findings.append(Finding(GATE, where, tag.line, f"<{tag.name}> 从外部加载：{url}"))
        for _, url in _css_loads(tag.attrs.get("style", ""), site_url):
            findings.append(Finding(GATE, where, tag.line, f"<{tag.name} style> 从外部加载：{url}"))
    for line, css in page.styles:
        for offset, url in _css_loads(css, site_url):
            findings.append(
                Finding(GATE, where, line + css.count("\n", 0, offset), f"<style> 从外部加载：{url}")
            )
    for line, js in page.scripts:
        for offset, url in script_urls(js, site_url, where):
            findings.append(
                Finding(GATE, where, line + js.count("\n", 0, offset), f"内联脚本引用外部地址：{url}")
            )
    return findings
