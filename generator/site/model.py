"""The page view models: ready-to-show strings and relative links, nothing to compute in templates."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    href: str
    note: str = ""  # a short line after the link (date, amount)


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    value: str
    href: str = ""
    long: bool = False  # multi-line text, shown as a paragraph under its label


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    anchor: str
    text: str = ""
    facts: tuple[Fact, ...] = ()
    links: tuple[Link, ...] = ()
    empty: str = ""  # what to say when there is nothing in the section
    more: Link | None = None  # where the rest is, when `links` shows only the newest


@dataclass(frozen=True, slots=True)
class PageMeta:
    updated: str
    source_label: str
    source_href: str
    report_href: str


RECORD_TEMPLATE = "record.html"


@dataclass(frozen=True, slots=True)
class Page:
    """One generated page: a record, an enterprise, a law article, a notice or a listing."""

    url: str
    title: str
    breadcrumbs: tuple[Link, ...]
    record_kind: str = ""  # data-record-kind; empty on pages that are not a record's own page
    record_id: str = ""
    lead: str = ""
    facts: tuple[Fact, ...] = ()
    sections: tuple[Section, ...] = ()
    meta: PageMeta | None = None
    noindex: bool = False
    description: str = ""
    template: str = RECORD_TEMPLATE  # rendered by html_parts.record_html; any other name is a Jinja template
    extra: dict = field(default_factory=dict)  # listing data for listing.html
