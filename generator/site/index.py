"""The cross-references every page needs, computed once per build from the public records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from generator.catalog import Catalog, Entry
from generator.incremental.keys import digest_bytes
from generator.incremental.memo import NO_MEMO, Memo
from generator.publication import Publication
from generator.rules.privacy import NATURAL_PERSON
from generator.schema.models import Accident, Penalty, PowerItem
from generator.site import urls
from generator.site.enterprises import Enterprise, group_enterprises
from generator.site.legal_refs import Citation, display_names, parse_citations


@dataclass
class LawArticle:
    law_key: str
    article: int
    url: str
    power_items: list[Entry[PowerItem]] = field(default_factory=list)
    penalties: list[Entry[Penalty]] = field(default_factory=list)
    accidents: list[Entry[Accident]] = field(default_factory=list)


@dataclass
class SiteIndex:
    catalog: Catalog
    publication: Publication
    power_by_code: dict[str, Entry[PowerItem]]
    children: dict[str, list[Entry[PowerItem]]]
    penalties_by_power: dict[str, list[Entry[Penalty]]]
    enterprises: list[Enterprise]
    laws: dict[tuple[str, int], LawArticle]
    law_names: dict[str, str]
    citations: dict[tuple[str, str], list[Citation]]  # (record kind, key) → its citations
    blacklisted_until: dict[str, dt.date] = field(default_factory=dict)  # enterprise URL → listed until
    # Every law's display name, as one value: the record pages' cheap keys hold it rather than
    # the names of the laws each record cites (record_views.cited_names_key).
    law_names_key: bytes = b""

    def law(self, citation: Citation) -> LawArticle:
        return self.laws[(citation.law_key, citation.article)]


def build_index(catalog: Catalog, publication: Publication, memo: Memo = NO_MEMO) -> SiteIndex:
    """`memo`: each record's citations from the previous build (generator.incremental.memo)."""
    powers = publication.public_power_items
    children: dict[str, list[Entry[PowerItem]]] = defaultdict(list)
    for entry in powers:
        if entry.record.parent_code:
            children[entry.record.parent_code].append(entry)
    by_power: dict[str, list[Entry[Penalty]]] = defaultdict(list)
    for penalty in publication.public_penalties:
        if penalty.record.power_item_code:
            by_power[penalty.record.power_item_code].append(penalty)
    citations = _citations(powers, publication.public_penalties, publication.public_accidents, memo)
    laws = _laws(citations, powers, publication)
    names = display_names(c for cs in citations.values() for c in cs)
    names_key = digest_bytes(*(part for law in sorted(names.items()) for part in law))
    return SiteIndex(
        catalog,
        publication,
        {e.record.code: e for e in powers},
        dict(children),
        dict(by_power),
        group_enterprises(publication.public_penalties, publication.public_accidents, publication.withdrawn_in_period),
        laws,
        names,
        citations,
        _blacklisted_until(publication),
        names_key,
    )


def _blacklisted_until(publication: Publication) -> dict[str, dt.date]:
    """Enterprises on the 严重失信主体名单 (natural persons have no enterprise page)."""
    until: dict[str, dt.date] = {}
    for entry in publication.blacklist:
        if entry.party_type != NATURAL_PERSON:
            url = urls.enterprise(entry.credit_code or None, entry.party)
            until[url] = max(until.get(url, entry.listed_until), entry.listed_until)
    return until


_new_citation = tuple.__new__


def _citations(
    powers: list[Entry[PowerItem]], penalties: list[Entry[Penalty]], accidents: list[Entry[Accident]], memo: Memo
) -> dict[tuple[str, str], list[Citation]]:
    found: dict[tuple[str, str], list[Citation]] = {}
    table = memo.table("citations")

    def cited(entry: Entry, text: str | None) -> list[Citation]:
        # Kept as plain tuples in the build cache, made named tuples by tuple.__new__ (the named
        # tuple's own constructor is a Python function, and this runs 200k times at 100k records).
        fields = table.get(entry, lambda: [tuple(c) for c in parse_citations(text)])
        return [_new_citation(Citation, f) for f in fields]

    for p in powers:
        found[("power-item", p.key)] = cited(p, p.record.basis)
    for e in penalties:
        found[("penalty", e.key)] = cited(e, e.record.basis)
    for a in accidents:
        # Accidents cite law in the responsibility findings (part five of the report).
        found[("accident", a.key)] = cited(a, a.record.responsibility)
    return found


def _laws(
    citations: dict[tuple[str, str], list[Citation]], powers: list[Entry[PowerItem]], publication: Publication
) -> dict[tuple[str, int], LawArticle]:
    laws: dict[tuple[str, int], LawArticle] = {}

    def article(c: Citation) -> LawArticle:
        key = (c.law_key, c.article)
        if key not in laws:
            laws[key] = LawArticle(c.law_key, c.article, urls.law_article(c.law_key, c.article))
        return laws[key]

    for p in powers:
        for c in citations[("power-item", p.key)]:
            article(c).power_items.append(p)
    for e in publication.public_penalties:
        for c in citations[("penalty", e.key)]:
            article(c).penalties.append(e)
    for a in publication.public_accidents:
        for c in citations[("accident", a.key)]:
            article(c).accidents.append(a)
    return dict(sorted(laws.items()))
