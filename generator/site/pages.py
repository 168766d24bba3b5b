"""The writer: page bodies from our Jinja2 templates, poured into a shell that mkdocs-material
rendered once, so that thousands of record pages skip mkdocs' per-page pipeline.

A shell is a real material page at the same directory depth as the pages made from it (relative
asset links then hold for all of them) whose title, extra head and body are placeholders.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from pathlib import Path

import jinja2

from generator.site import urls
from generator.site.files import SiteFiles
from generator.site.html_parts import crumbs_html, facts_html, meta_html, record_html
from generator.site.model import RECORD_TEMPLATE, Page

TITLE = "GKPAGETITLE"  # the shell's front-matter title; plain ASCII, so escaping leaves it intact
HEAD = "<!--GK:HEAD-->"
BODY = "<!--GK:BODY-->"
HOME = "<!-- gongkai:home -->"
SHELL_DIR = "_gongkai/"  # shells live here during the build; removed afterwards
# One shell per directory depth a generated page can have; the deepest are later register pages
# (penalties/blacklist/page/2/).
SHELL_URLS = {
    1: SHELL_DIR,
    2: f"{SHELL_DIR}shell/",
    3: f"{SHELL_DIR}shell/deep/",
    4: f"{SHELL_DIR}shell/deep/deeper/",
}


_DESCRIPTION = re.compile(r'\s*<meta name="description" content="([^"]*)">')


# A header tab as Material renders it; the shell's tabs are all inactive (the shell is no section's page).
_TAB = re.compile(r'<li class="md-tabs__item">(\s*<a href="([^"]*)" class="md-tabs__link">)')


def _tabs(text: str, depth: int) -> list[tuple[int, int, str]]:
    """(start, link start, site path) of each header tab of a shell for pages `depth` deep."""
    here = "/" + "x/" * depth  # the directory of any page of this depth: tab links are relative
    tabs = []
    for match in _TAB.finditer(text):
        target = posixpath.normpath(posixpath.join(here, match.group(2)))
        tabs.append((match.start(), match.start(1), target.rstrip("/") + "/"))
    return tabs


class Shell:
    def __init__(self, text: str, own_canonical: str, depth: int = 1) -> None:
        self.own_canonical = own_canonical
        self._source, self._depth = text, depth  # as mkdocs rendered it, for the variants below
        self._tabs = _tabs(text, depth)
        self._with_tab: dict[int, Shell] = {}
        # Each page states its own description in the HEAD slot (the site's is the fallback).
        match = _DESCRIPTION.search(text)
        self.description = html.unescape(match.group(1)) if match else ""
        text = _DESCRIPTION.sub("", text, count=1)
        # Material's templates leave many whitespace-only lines; dropping them saves ~30% per page.
        text = "\n".join(line for line in text.split("\n") if line.strip())
        if own_canonical:
            text = text.replace(f'href="{own_canonical}"', 'href="GKCANONICAL"')
        self.parts: list[str] = []
        self.slots: list[str] = []
        rest = text
        while True:
            cut = min(
                ((rest.find(m), m) for m in (TITLE, HEAD, BODY, "GKCANONICAL") if m in rest), default=None
            )
            if cut is None:
                break
            at, marker = cut
            self.parts.append(rest[:at])
            self.slots.append(marker)
            rest = rest[at + len(marker) :]
        self.parts.append(rest)
        if BODY not in self.slots:
            raise ValueError("页面外壳中没有正文占位符；请检查 theme/gongkai-generated.html")

    def for_page(self, url: str) -> Shell:
        """This shell with the header tab of the page's section marked active (行政处罚 on a decision's
        page, 单位信息 on an enterprise's …): the tab whose address is the longest start of the page's."""
        page = "/" + url
        best, best_len = -1, 1  # the home tab ("/") starts every address: never chosen
        for number, (_, _, target) in enumerate(self._tabs):
            if page.startswith(target) and len(target) > best_len:
                best, best_len = number, len(target)
        if best < 0:
            return self
        if best not in self._with_tab:
            start, link, _ = self._tabs[best]
            active = self._source[:start] + '<li class="md-tabs__item md-tabs__item--active">' + self._source[link:]
            self._with_tab[best] = Shell(active, self.own_canonical, self._depth)
        return self._with_tab[best]

    def fill(self, title: str, head: str, body: str, canonical: str) -> str:
        values = {TITLE: html.escape(title), HEAD: head, BODY: body, "GKCANONICAL": canonical}
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:], strict=True):
            out.append(values[slot])
            out.append(part)
        return "".join(out)


class Renderer:
    def __init__(self, site_url: str) -> None:
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("generator.site", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # no stat() per include: templates do not change mid-build
        )
        self.env.globals.update(facts_html=facts_html, crumbs_html=crumbs_html, meta_html=meta_html)

    def body(self, page: Page) -> str:
        if page.template == RECORD_TEMPLATE:  # most pages of a site: rendered in Python (html_parts)
            return record_html(page)
        return self.env.get_template(page.template).render(page=page)

    def render(self, name: str, **context: object) -> str:
        return self.env.get_template(name).render(**context)

    def head(self, page: Page, fallback_description: str = "") -> str:
        parts = []
        description = page.description or fallback_description
        if description:
            parts.append(f'<meta name="description" content="{html.escape(description)}">')
        if page.noindex:
            parts.append('<meta name="robots" content="noindex">')
        return "".join(parts)

    def canonical(self, url: str) -> str:
        return f"{self.site_url}{url}" if self.site_url else ""


def shell_for(shells: dict[int, Shell], url: str) -> Shell:
    depth = urls.depth(url)
    if depth not in shells:
        raise ValueError(f"没有深度为 {depth} 的页面外壳（{url}）：请在 SHELL_URLS 中增加一级")
    return shells[depth]


def page_html(shells: dict[int, Shell], renderer: Renderer, page: Page) -> str:
    shell = shell_for(shells, page.url).for_page(page.url)
    head = renderer.head(page, shell.description)
    return shell.fill(page.title, head, renderer.body(page), renderer.canonical(page.url))


def write_page(files: SiteFiles, shells: dict[int, Shell], renderer: Renderer, page: Page) -> None:
    files.write_text(urls.output_file(page.url), page_html(shells, renderer, page))


def write_fragment_page(
    files: SiteFiles, shells: dict[int, Shell], renderer: Renderer, url: str, title: str, description: str, body: str
) -> None:
    """A page whose body is a ready HTML fragment (statistics, data dictionary, …) in the page shell."""
    shell = shell_for(shells, url).for_page(url)
    head = f'<meta name="description" content="{html.escape(description or shell.description)}">'
    text = shell.fill(title, head, f'<article class="gk-page">{body}</article>', renderer.canonical(url))
    files.write_text(urls.output_file(url), text)


def fill_rendered(
    files: SiteFiles,
    url: str,
    marker: str,
    body: str,
    renderer: Renderer,
    page: Page | None = None,
    description: str = "",
    head_extra: str = "",
) -> None:
    """Replace the placeholder in a page mkdocs rendered itself (home, first listing pages, nav pages)."""
    rel = urls.output_file(url)
    text = files.read_text(rel)
    if marker not in text:
        raise ValueError(f"{rel}: 找不到占位符 {marker}")
    text = text.replace(marker, body, 1)
    if page is not None:
        text = text.replace(HEAD, renderer.head(page), 1)
    elif description and HEAD in text:
        text = _DESCRIPTION.sub("", text, count=1)
        meta = f'<meta name="description" content="{html.escape(description)}">'
        text = text.replace(HEAD, meta + head_extra, 1)
    files.write_text(rel, text)


def load_shells(files: SiteFiles, renderer: Renderer) -> dict[int, Shell]:
    shells = {}
    for depth, url in SHELL_URLS.items():
        text = files.read_text(urls.output_file(url))
        shells[depth] = Shell(text, renderer.canonical(url), depth)
    return shells


def remove_shells(site_dir: Path) -> None:
    root = site_dir / SHELL_DIR
    for dirpath, _dirs, files in os.walk(root, topdown=False):
        for name in files:
            os.remove(os.path.join(dirpath, name))
        os.rmdir(dirpath)
