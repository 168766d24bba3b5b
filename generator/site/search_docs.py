"""What the search index holds: one SearchDoc per public record and per narrative page.

The text of a record's document is what its page shows (published fields only, natural persons'
names masked), so that "any substring of a record's visible text finds it" and nothing hidden can
be found.  Expired, withdrawn and unpublished records never get a document.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

from generator.opendata.records import all_public_rows, party_display
from generator.schema.models import Accident, Penalty, PowerItem
from generator.search import SearchDoc
from generator.site import urls
from generator.site.display import cn_date, yuan, yuan_number
from generator.site.record_views import Context

# The page body as theme/main.html lays it out: from the content container to the end of <main>.
_MAIN = re.compile(r'<div class="md-content__inner md-typeset">(.*?)</main>', re.S)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def record_docs(ctx: Context) -> Iterator[SearchDoc]:
    for public in all_public_rows(ctx.index.publication, ctx.settings):
        text = " ".join(
            " ".join(v) if isinstance(v, list) else v for v in public.row.values() if v
        )
        record = public.entry.record
        text += " " + " ".join(_display_forms(record))  # as the page shows them: 元, 2024年3月5日
        if isinstance(record, Penalty):
            yield _penalty_doc(ctx, record, text)
        elif isinstance(record, Accident):
            yield _accident_doc(ctx, record, text)
        elif isinstance(record, PowerItem):
            yield _power_item_doc(record, text)


def _display_forms(record: Penalty | Accident | PowerItem) -> list[str]:
    if isinstance(record, Penalty):
        return [yuan(record.fine_wan), yuan(record.confiscation_wan), cn_date(record.decision_date)]
    if isinstance(record, Accident):
        return [yuan(record.loss_wan), cn_date(record.occurred_date)]
    return []


def _penalty_doc(ctx: Context, r: Penalty, text: str) -> SearchDoc:
    party = party_display(r, ctx.settings)
    identifiers = tuple(x for x in (r.decision_number, r.credit_code) if x)
    return SearchDoc(
        url=urls.penalty(r),
        title=f"{r.decision_number}（{party}）",
        kind="penalty",
        date=r.decision_date.isoformat(),
        text=text,
        identifiers=identifiers,
        facets={
            "category": r.categories,
            "authority": (r.authority,),
            "party": (r.party_type,),
        },
        sort_keys={"amount": float(yuan_number(r.fine_wan))},
        fields={"当事人": party, "处罚类别": "、".join(r.categories), "罚款金额": yuan(r.fine_wan)},
    )


def _accident_doc(ctx: Context, r: Accident, text: str) -> SearchDoc:
    level = ctx.index.publication.accident(r.key).level
    facets = {"level": (f"{level}事故",) if level else ()}
    if r.industry:
        facets["industry"] = (r.industry,)
    if r.lead_unit:
        facets["authority"] = (r.lead_unit,)
    return SearchDoc(
        url=urls.accident(r),
        title=r.name,
        kind="accident",
        date=r.occurred_date.isoformat(),
        text=text,
        identifiers=tuple(x for x in (r.credit_code,) if x),
        facets={k: v for k, v in facets.items() if v},
        sort_keys={"amount": float(yuan_number(r.loss_wan))},
        fields={"事故等级": f"{level}事故" if level else "", "死亡人数": "" if r.deaths is None else str(r.deaths)},
    )


def _power_item_doc(r: PowerItem, text: str) -> SearchDoc:
    return SearchDoc(
        url=urls.power_item(r),
        title=f"{r.code} {r.name}",
        kind="power-item",
        date="",
        text=text,
        identifiers=(r.code,),
        facets={"authority": (r.subject,)} if r.subject else {},
        sort_keys={},
        fields={"事项类型": r.item_type},
    )


def enterprise_docs(ctx: Context) -> Iterator[SearchDoc]:
    """One document per enterprise page, so that a search for a company finds its profile as well as
    its decisions.  Its identifiers stay empty: a 统一社会信用代码 typed exactly ranks the records first
    (the code is in the text, so the profile is found too).  Dated by its newest record."""
    for enterprise in ctx.index.enterprises:
        days = [e.record.decision_date for e in enterprise.penalties]
        days += [e.record.occurred_date for e in enterprise.accidents]
        counts = f"公示中的行政处罚决定 {len(enterprise.penalties)} 件，生产安全事故 {len(enterprise.accidents)} 起"
        yield SearchDoc(
            url=enterprise.url,
            title=enterprise.name,
            kind="enterprise",
            date=max(days).isoformat() if days else "",
            text=" ".join([enterprise.name, *enterprise.other_names, enterprise.credit_code or "", counts]),
            identifiers=(),
            facets={},
            sort_keys={},
            fields={"统一社会信用代码": enterprise.credit_code} if enterprise.credit_code else {},
        )


def page_docs(site_dir: Path, page_urls: list[str]) -> Iterator[SearchDoc]:
    """Narrative pages (content/*.md), read back from the HTML mkdocs wrote."""
    for url in sorted(set(page_urls)):
        path = site_dir / urls.output_file(url)
        if url == "search/" or not path.exists():
            continue
        page = path.read_text(encoding="utf-8")
        match = _MAIN.search(page)
        if not match:
            continue
        body = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", match.group(1)))).strip()
        title_match = re.search(r"<h1[^>]*>(.*?)</h1>", match.group(1), re.S)
        title = html.unescape(_TAG.sub("", title_match.group(1))).strip() if title_match else url
        yield SearchDoc(url=url, title=title, kind="page", date="", text=body, identifiers=(),
                        facets={}, sort_keys={}, fields={})
