"""The body of a record page and the parts it repeats (fact lists, breadcrumbs, the page footer),
written in Python rather than as a Jinja template: record pages are most of a site's pages, and the
template's per-page overhead was a third of the time spent writing them.  Values are escaped exactly
as Jinja's autoescape does (markupsafe); the markup is what templates/listing.html and the other
templates produce around it."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from generator.site.model import Fact, Link, Page, PageMeta, Section


def facts_html(items: Iterable[Fact]) -> Markup:
    parts = ['<dl class="gk-facts">\n']
    for fact in items:
        value = escape(fact.value)
        if fact.href:
            value = f'<a href="{escape(fact.href)}">{value}</a>'
        long = " gk-fact--long" if fact.long else ""
        parts.append(f'<div class="gk-fact{long}"><dt>{escape(fact.label)}</dt><dd>{value}</dd></div>\n')
    parts.append("</dl>\n")
    return Markup("".join(parts))


def crumbs_html(items: Iterable[Link]) -> Markup:
    parts = ['<nav class="gk-breadcrumbs" aria-label="面包屑"><ol>\n']
    for crumb in items:
        label = escape(crumb.label)
        if crumb.href:
            parts.append(f'<li><a href="{escape(crumb.href)}">{label}</a></li>\n')
        else:
            parts.append(f'<li><span aria-current="page">{label}</span></li>\n')
    parts.append("</ol></nav>\n")
    return Markup("".join(parts))


def meta_html(meta: PageMeta) -> Markup:
    """The footer of a record page: last update, source data file, "report an error"."""
    parts = ['<footer class="gk-page-meta">\n', f"<p>最后更新：{escape(meta.updated)}</p>\n"]
    if meta.source_href:
        parts.append(f'<p>来源数据：<a href="{escape(meta.source_href)}">{escape(meta.source_label)}</a></p>')
    if meta.report_href:
        parts.append(f'<p>发现信息有误？<a href="{escape(meta.report_href)}">报告错误</a></p>')
    parts.append("</footer>\n")
    return Markup("".join(parts))


def record_html(page: Page) -> str:
    """The body of a record, enterprise, law or register page (article, sections, footer)."""
    if page.record_kind:
        article = (
            f'<article class="gk-record" data-record-kind="{escape(page.record_kind)}"'
            f' data-record-id="{escape(page.record_id)}">'
        )
    else:
        article = '<article class="gk-record">'
    parts = [crumbs_html(page.breadcrumbs), "\n", article, f"<h1>{escape(page.title)}</h1>\n"]
    if page.lead:
        parts.append(f'<p class="gk-lead">{escape(page.lead)}</p>')
    if page.facts:
        parts.append(facts_html(page.facts))
    parts += [_section_html(section) for section in page.sections]
    parts.append("</article>\n")
    if page.meta:
        parts.append(meta_html(page.meta))
    return "".join(parts)


def article_text(page: Page) -> str:
    """The visible text of a page's article below its heading, block by block in reading order, as
    record_html lays it out: the text a visitor can read, select and search for (the search index
    holds it, with the title as the document's title).  Breadcrumbs and the footer are the site's."""
    blocks = [page.lead, *_facts_text(page.facts)]
    for section in page.sections:
        blocks += [section.heading, section.text, *_facts_text(section.facts)]
        blocks += [f"{link.label} {link.note}" if link.note else link.label for link in section.links]
        if section.more:
            blocks.append(section.more.label)
        if not (section.text or section.facts or section.links):
            blocks.append(section.empty)
    return "\n".join(block for block in blocks if block)


def _facts_text(items: Iterable[Fact]) -> list[str]:
    return [text for fact in items for text in (fact.label, fact.value)]


def _section_html(section: Section) -> str:
    parts = [
        f'<section class="gk-section" aria-labelledby="{escape(section.anchor)}">\n',
        f'<h2 id="{escape(section.anchor)}">{escape(section.heading)}</h2>\n',
    ]
    if section.text:
        parts.append(f'<p class="gk-text">{escape(section.text)}</p>')
    if section.facts:
        parts.append(facts_html(section.facts))
    if section.links:
        parts.append('<ul class="gk-links">\n')
        for link in section.links:
            note = f' <span class="gk-note">{escape(link.note)}</span>' if link.note else ""
            parts.append(f'<li><a href="{escape(link.href)}">{escape(link.label)}</a>{note}</li>\n')
        parts.append("</ul>")
    if section.more:
        parts.append(f'<p class="gk-more"><a href="{escape(section.more.href)}">{escape(section.more.label)}</a></p>')
    if not (section.text or section.facts or section.links):
        parts.append(f'<p class="gk-empty">{escape(section.empty)}</p>')
    parts.append("</section>\n")
    return "".join(parts)
