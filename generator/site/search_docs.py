"""What the search index holds: one SearchDoc per public record and per narrative page.

The text of a record's document is what its page shows (published fields only, natural persons'
names masked), so that "any substring of a record's visible text finds it" and nothing hidden can
be found.  Expired, withdrawn and unpublished records never get a document; a decision withdrawn
within its publication period leaves an empty placeholder in its place (placeholder_docs).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from decimal import Decimal

from generator.catalog import Entry
from generator.opendata.records import party_display
from generator.rules.orders import PENALTY_CATEGORIES
from generator.schema.headers import PARTY_TYPES
from generator.schema.models import Accident, Penalty, PowerItem
from generator.search import SearchDoc, placeholders
from generator.site import urls
from generator.site.display import LEVEL_LABELS, level_label, yuan, yuan_number
from generator.site.enterprises import Enterprise, penalty_enterprise_url
from generator.site.files import SiteFiles
from generator.site.html_parts import article_text
from generator.site.model import Page
from generator.site.record_views import Context, accident_page, penalty_page, power_item_page

# The page body as theme/main.html lays it out: from the content container to the end of <main>.
_MAIN = re.compile(r'<div class="md-content__inner md-typeset">(.*?)</main>', re.S)
_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.S | re.I)  # code, not text
_SPACE = re.compile(r"\s+")


# Facet values in their meaning's order (the listings' dropdowns use the same).
FACET_ORDERS = {"category": PENALTY_CATEGORIES, "level": LEVEL_LABELS, "party": PARTY_TYPES}


def record_docs(ctx: Context) -> Iterator[SearchDoc]:
    """The text of a record's document is its page's visible text, taken from the very view its page is
    rendered from (issue 4: a substring of what a visitor reads must find the record, and nothing the
    page does not show can)."""
    pub = ctx.index.publication
    yield from (penalty_doc(ctx, entry) for entry in pub.public_penalties)
    yield from (accident_doc(ctx, entry) for entry in pub.public_accidents)
    yield from (power_item_doc(ctx, entry) for entry in pub.public_power_items)


def penalty_doc(ctx: Context, entry: Entry[Penalty]) -> SearchDoc:
    return _penalty_doc(ctx, entry.record, penalty_page(ctx, entry))


def accident_doc(ctx: Context, entry: Entry[Accident]) -> SearchDoc:
    return _accident_doc(ctx, entry.record, accident_page(ctx, entry))


def power_item_doc(ctx: Context, entry: Entry[PowerItem]) -> SearchDoc:
    return _power_item_doc(entry.record, power_item_page(ctx, entry))


# Each document's title is its page's heading and its text the article below it: read straight
# through, the document is the article, so a phrase across the heading and the next line matches too.


def _penalty_doc(ctx: Context, r: Penalty, page: Page) -> SearchDoc:
    party = party_display(r, ctx.settings)
    identifiers = tuple(x for x in (r.decision_number, r.credit_code) if x)
    return SearchDoc(
        url=urls.penalty(r),
        title=page.title,
        kind="penalty",
        date=r.decision_date.isoformat(),
        text=article_text(page),
        identifiers=identifiers,
        facets={
            "category": r.categories,
            "authority": (r.authority,),
            "party": (r.party_type,),
        },
        sort_keys=_amount_key(r.fine_wan),
        fields=_filled({"当事人": party, "处罚类别": "、".join(r.categories), "罚款金额": yuan(r.fine_wan)}),
    )


def _accident_doc(ctx: Context, r: Accident, page: Page) -> SearchDoc:
    level = ctx.index.publication.accident(r.key).level
    facets = {"level": (level_label(level),) if level else ()}
    if r.industry:
        facets["industry"] = (r.industry,)
    if r.lead_unit:
        facets["authority"] = (r.lead_unit,)
    return SearchDoc(
        url=urls.accident(r),
        title=page.title,
        kind="accident",
        date=r.occurred_date.isoformat(),
        text=article_text(page),
        identifiers=tuple(x for x in (r.credit_code,) if x),
        facets={k: v for k, v in facets.items() if v},
        sort_keys=_amount_key(r.loss_wan),
        fields=_filled({"事故等级": level_label(level) if level else "", "死亡人数": "" if r.deaths is None else f"{r.deaths} 人"}),
    )


def _amount_key(wan: Decimal | None) -> dict[str, float]:
    """No amount (a warning only, a loss not stated) is no sort key: it sorts last either way."""
    return {} if wan is None else {"amount": float(yuan_number(wan))}


def _filled(fields: dict[str, str]) -> dict[str, str]:
    """A hit shows “罚款金额：50,000 元”, never “罚款金额：” with nothing after it."""
    return {k: v for k, v in fields.items() if v}


def _power_item_doc(r: PowerItem, page: Page) -> SearchDoc:
    return SearchDoc(
        url=urls.power_item(r),
        title=page.title,
        kind="power-item",
        date="",
        text=article_text(page),
        identifiers=(r.code,),
        facets={"authority": (r.subject,)} if r.subject else {},
        sort_keys={},
        fields={"事项编码": r.code, "事项类型": r.item_type},
    )


def enterprise_docs(ctx: Context) -> Iterator[SearchDoc]:
    """One document per enterprise page, so that a search for a company finds its profile as well as
    its decisions.  Its identifiers stay empty: a 统一社会信用代码 typed exactly ranks the records first
    (the code is in the text, so the profile is found too).  Dated by its oldest public record: a
    doc's date is its place in id order (generator.search.builder._order), and the oldest stays put
    as the enterprise's new decisions come, where the newest would move the doc from far back to
    the end with each one, shifting the ids of every doc in between (thousands: the search index
    then rebuilt instead of patched).  Its decisions withdrawn within their publication period
    count too (Enterprise.withdrawn_days), so that withdrawing its oldest one does not move it
    either (33k ids at 100k records); their dates are public already, in the withdrawals register.
    The hit shows no date for it (search.js)."""
    yield from (enterprise_doc(ctx, enterprise) for enterprise in ctx.index.enterprises)


def enterprise_doc(_ctx: Context, enterprise: Enterprise) -> SearchDoc:
    days = [e.record.decision_date for e in enterprise.penalties]
    days += [e.record.occurred_date for e in enterprise.accidents]
    days += enterprise.withdrawn_days
    counts = f"公示中的行政处罚决定 {len(enterprise.penalties)} 件，生产安全事故 {len(enterprise.accidents)} 起"
    return SearchDoc(
        url=enterprise.url,
        title=enterprise.name,
        kind="enterprise",
        date=min(days).isoformat() if days else "",
        text=" ".join([enterprise.name, *enterprise.other_names, enterprise.credit_code or "", counts]),
        identifiers=(),
        facets={},
        sort_keys={},
        fields={"统一社会信用代码": enterprise.credit_code} if enterprise.credit_code else {},
    )


def placeholder_docs(ctx: Context) -> list[SearchDoc]:
    """Empty docs standing in for the decisions withdrawn (or changed) within their publication
    period, and for the enterprise docs that went with them (an enterprise left with no public
    record), so that staff withdrawing a decision patch the search index instead of building it
    again (generator.search.stand_ins).  A decision's takes its doc's very slot, named after its
    page's url: that page stays, with its notice, and the withdrawals register lists the decision,
    so the url tells no more than the site does.  An enterprise's page goes, and so its url must
    not stay in the index: its placeholder is anonymous, dated as the enterprise's doc was (by its
    oldest record, public or withdrawn: all of them are withdrawn now), and moves that date's docs
    only.
    After its period a decision leaves none (that is a new day: a full build)."""
    gone = ctx.index.publication.withdrawn_in_period
    decisions = [(urls.penalty(e.record), e.record.decision_date.isoformat()) for e in gone]
    listed = {enterprise.url for enterprise in ctx.index.enterprises}
    oldest: dict[str, str] = {}
    for e in gone:
        url = penalty_enterprise_url(e.record)
        if url and url not in listed:
            day = e.record.decision_date.isoformat()
            oldest[url] = min(oldest.get(url, day), day)
    return placeholders(oldest.values(), standing_for=decisions)


def page_docs(files: SiteFiles, page_urls: list[str]) -> Iterator[SearchDoc]:
    """Narrative pages (content/*.md), read back from the HTML mkdocs wrote."""
    for url in sorted(set(page_urls)):
        rel = urls.output_file(url)
        if url == "search/" or not files.exists(rel):
            continue
        match = _MAIN.search(files.read_text(rel))
        if match:
            yield fragment_doc(url, match.group(1))


def fragment_doc(url: str, fragment: str) -> SearchDoc:
    """The document of a page from its HTML body: its text without tags, scripts or styles; its <h1>."""
    fragment = _SCRIPT.sub(" ", fragment)
    body = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", fragment))).strip()
    title_match = re.search(r"<h1[^>]*>(.*?)</h1>", fragment, re.S)
    title = html.unescape(_TAG.sub("", title_match.group(1))).strip() if title_match else url
    return SearchDoc(url=url, title=title, kind="page", date="", text=body, identifiers=(),
                     facets={}, sort_keys={}, fields={})
