"""The page parts every record page repeats many times (fact lists, breadcrumbs), written in
Python rather than as Jinja macros: a macro call per fact list was a fifth of the time spent
rendering record pages.  Values are escaped exactly as Jinja's autoescape does (markupsafe)."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from generator.site.model import Fact, Link


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
