"""What the search index holds: one SearchDoc per public record and per narrative page.

The text of a record's document is what its page shows (published fields only, natural persons'
names masked), so that "any substring of a record's visible text finds it" and nothing hidden can
be found.  Expired, withdrawn and unpublished records never get a document.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from generator.opendata.records import all_public_rows, party_display
from generator.rules.orders import PENALTY_CATEGORIES
from generator.schema.headers import PARTY_TYPES
from generator.schema.models import Accident, Penalty, PowerItem
from generator.search import SearchDoc
from generator.site import urls
from generator.site.display import LEVEL_LABELS, cn_date, cn_datetime, level_label, yuan, yuan_number
from generator.site.legal_refs import article_label
from generator.site.record_views import RELATED_LIMIT, Context

# The page body as theme/main.html lays it out: from the content container to the end of <main>.
_MAIN = re.compile(r'<div class="md-content__inner md-typeset">(.*?)</main>', re.S)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


# Published columns the record pages do not show as such: the state (public records are all
# 正常), the minor flag (always 否 here), sums in 万元 (shown in 元) and the power item's bare code
# (shown as “name（code）”).
_NOT_SHOWN = frozenset(
    {"状态", "未成年人", "状态变更日期", "状态变更原因", "权责事项编码", "罚款金额（万元）",
     "没收违法所得、没收非法财物的金额（万元）", "直接经济损失（万元）"}
)
_DATES = frozenset({"处罚决定日期", "公示截止期", "公示日期", "批复日期", "整改评估日期", "处罚有效期"})


# Facet values in their meaning's order (the listings' dropdowns use the same).
FACET_ORDERS = {"category": PENALTY_CATEGORIES, "level": LEVEL_LABELS, "party": PARTY_TYPES}


def _shown(header: str, value: str) -> str:
    """A stored value as its page shows it: dates as 2024年3月5日, 发生时间 with its time."""
    if header == "发生时间":
        return cn_datetime(value)
    if header in _DATES:
        try:
            return cn_date(dt.date.fromisoformat(value))
        except ValueError:
            return value  # 处罚有效期 “长期”
    return value


def record_docs(ctx: Context) -> Iterator[SearchDoc]:
    """The text of a record's document is its page's visible text (issue 4: a substring of what a
    visitor reads must find the record, and nothing the page does not show)."""
    for public in all_public_rows(ctx.index.publication, ctx.settings):
        record = public.entry.record
        shown = [
            _shown(h, " ".join(v) if isinstance(v, list) else v)
            for h, v in public.row.items()
            if v and h not in _NOT_SHOWN
        ]
        text = " ".join([*shown, *_display_forms(record), *_page_extras(ctx, record)])
        if isinstance(record, Penalty):
            yield _penalty_doc(ctx, record, text)
        elif isinstance(record, Accident):
            yield _accident_doc(ctx, record, text)
        elif isinstance(record, PowerItem):
            yield _power_item_doc(record, text)


def _display_forms(record: Penalty | Accident | PowerItem) -> list[str]:
    if isinstance(record, Penalty):
        return [yuan(record.fine_wan), yuan(record.confiscation_wan)]
    if isinstance(record, Accident):
        return [yuan(record.loss_wan)]
    return []


def _page_extras(ctx: Context, record: Penalty | Accident | PowerItem) -> list[str]:
    """What a record page shows beyond its own fields: its publication facts, the power item it was
    imposed under, the law articles it cites, a power item's sub-items and decisions."""
    kind = {Penalty: "penalty", Accident: "accident", PowerItem: "power-item"}[type(record)]
    out = []
    for citation in ctx.index.citations.get((kind, record.key), []):
        out.append(f"《{ctx.index.law_names[citation.law_key]}》{article_label(citation.article)}")
    if isinstance(record, Penalty):
        status = ctx.index.publication.penalty(record.key)
        out += [cn_date(status.published_on), cn_date(status.period_end), status.timeliness, status.rule]
        if status.deadline:
            out.append(f"{cn_date(status.deadline)}前（{ctx.settings.publication_working_days}个工作日）")
        power = ctx.index.power_by_code.get(record.power_item_code or "")
        if power:
            out.append(f"{power.record.name}（{power.record.code}）")
    elif isinstance(record, Accident):
        level = ctx.index.publication.accident(record.key).level
        out.append(level_label(level) if level else "")
    else:
        for child in ctx.index.children.get(record.code, []):
            out += [child.record.name, child.record.code]
        for entry in ctx.index.penalties_by_power.get(record.code, [])[:RELATED_LIMIT]:
            out += [entry.record.decision_number, cn_date(entry.record.decision_date), party_display(entry.record, ctx.settings)]
    return [x for x in out if x]


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
        sort_keys=_amount_key(r.fine_wan),
        fields=_filled({"当事人": party, "处罚类别": "、".join(r.categories), "罚款金额": yuan(r.fine_wan)}),
    )


def _accident_doc(ctx: Context, r: Accident, text: str) -> SearchDoc:
    level = ctx.index.publication.accident(r.key).level
    facets = {"level": (level_label(level),) if level else ()}
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
        sort_keys=_amount_key(r.loss_wan),
        fields=_filled({"事故等级": level_label(level) if level else "", "死亡人数": "" if r.deaths is None else str(r.deaths)}),
    )


def _amount_key(wan: Decimal | None) -> dict[str, float]:
    """No amount (a warning only, a loss not stated) is no sort key: it sorts last either way."""
    return {} if wan is None else {"amount": float(yuan_number(wan))}


def _filled(fields: dict[str, str]) -> dict[str, str]:
    """A hit shows “罚款金额：50,000 元”, never “罚款金额：” with nothing after it."""
    return {k: v for k, v in fields.items() if v}


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
