"""Atom 1.0 feeds of new and changed disclosures.

Determinism: every date comes from the data or git history (see dates.py), never the wall clock, so
the same data and as_of give the same bytes.  Entry ids are the record's absolute URL, which is stable
(generator.site.urls derives it from the key alone).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from generator.catalog import Entry
from generator.history import History
from generator.publication import Publication
from generator.schema.kinds import Kind
from generator.schema.models import Accident, Penalty, PowerItem
from generator.settings import Settings

from .dates import iso_datetime, published_and_updated
from .records import PublicRow, party_display

FALLBACK_SITE_URL = "https://example.invalid/"
FEED_LIMIT = 200
NO_SITE_URL_NOTE = (
    "<!-- site_url 未配置：地址以 https://example.invalid/ 代替，请在 site_config.yml 中设置 site_url -->\n"
)


def base_url(site_url: str) -> str:
    """The site's absolute root with a trailing slash; feeds and sitemaps need absolute URLs."""
    url = (site_url or "").strip() or FALLBACK_SITE_URL
    return url if url.endswith("/") else url + "/"


def no_site_url_note(site_url: str) -> str:
    """An XML comment telling staff to set site_url, when it is missing (feeds and sitemaps need it)."""
    return NO_SITE_URL_NOTE if not (site_url or "").strip() else ""


@dataclass(frozen=True)
class FeedEntry:
    url: str  # site-relative page URL
    title: str
    summary: str
    published: dt.date
    updated: dt.date
    category: str


def _yuan(wan: object) -> str:
    if not isinstance(wan, Decimal):
        return ""
    value = (wan * 10000).normalize()
    return f"{int(value):,} 元" if value == value.to_integral_value() else f"{value:,.2f} 元"


def _summary(record: object, settings: Settings) -> tuple[str, str]:
    if isinstance(record, Penalty):
        fine = f"，罚款 {_yuan(record.fine_wan)}" if record.fine_wan else ""
        title = f"{party_display(record, settings)}：{record.decision_number}"
        text = f"{record.authority}于{record.decision_date.isoformat()}作出行政处罚决定（{'、'.join(record.categories)}{fine}）。违法行为类型：{record.violation_type}。"  # noqa: E501
        return title, text
    if isinstance(record, Accident):
        parts = [f"发生时间：{record.occurred}"]
        if record.level:
            parts.append(f"事故等级：{record.level}")
        if record.deaths is not None:
            parts.append(f"死亡 {record.deaths} 人")
        if record.approval_date:
            parts.append(f"调查报告批复日期：{record.approval_date.isoformat()}")
        if record.evaluation_date:
            parts.append(f"整改评估公开日期：{record.evaluation_date.isoformat()}")
        return record.name, "；".join(parts) + "。"
    assert isinstance(record, PowerItem)
    return f"{record.name}（{record.code}）", f"{record.item_type}；实施主体：{record.subject or '未填写'}。"


def feed_entries(
    rows: Iterable[PublicRow],
    publication: Publication,
    settings: Settings,
    history: History,
    as_of: dt.date,
    url_of: Callable[[PublicRow], str],
    power_changed: Mapping[str, dt.date],
) -> list[FeedEntry]:
    rows = list(rows)
    dates = [published_and_updated(row.entry, publication, history, as_of, power_changed) for row in rows]
    return newest_entries([(row.kind, row.entry) for row in rows], dates, settings, lambda i: url_of(rows[i]))


def newest_entries(
    items: Sequence[tuple[Kind, Entry]],
    dates: Sequence[tuple[dt.date, dt.date]],
    settings: Settings,
    url_of: Callable[[int], str],
    limit: int = FEED_LIMIT,
) -> list[FeedEntry]:
    """The feed: the `limit` newest records by (updated, published, page URL), newest first.
    `dates`: each item's (published, updated); `url_of(i)`: item i's page.  Only the items that can be among the newest (as
    new as the limit-th newest date pair or newer) have their URL and summary made."""
    keys = [(updated, published) for published, updated in dates]
    if len(keys) > limit:
        cut = heapq.nlargest(limit, keys)[-1]
        chosen = [i for i, key in enumerate(keys) if key >= cut]
    else:
        chosen = list(range(len(keys)))
    ranked = [(keys[i][0], keys[i][1], url_of(i), i) for i in chosen]
    ranked.sort(key=lambda r: r[:3], reverse=True)  # stable, as sorting every item would be
    entries = []
    for updated, published, url, i in ranked[:limit]:
        kind, entry = items[i]
        title, summary = _summary(entry.record, settings)
        entries.append(FeedEntry(url, title, summary, published, updated, kind.label))
    return entries


def atom_xml(
    title: str, feed_path: str, entries: list[FeedEntry], site_url: str, bureau: str, as_of: dt.date
) -> bytes:
    base = base_url(site_url)
    # The feed's own updated is its newest entry (as_of only when empty): stable while nothing changes.
    updated = max((e.updated for e in entries), default=as_of)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        no_site_url_note(site_url),
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">\n',
        f"  <id>{escape(base + feed_path)}</id>\n",
        f"  <title>{escape(title)}</title>\n",
        f"  <updated>{iso_datetime(updated)}</updated>\n",
        f"  <author><name>{escape(bureau)}</name></author>\n",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(base + feed_path)}/>\n',
        f'  <link rel="alternate" type="text/html" href={quoteattr(base)}/>\n',
    ]
    for e in entries:
        url = base + e.url
        out += [
            "  <entry>\n",
            f"    <id>{escape(url)}</id>\n",
            f"    <title>{escape(e.title)}</title>\n",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>\n',
            f"    <published>{iso_datetime(e.published)}</published>\n",
            f"    <updated>{iso_datetime(e.updated)}</updated>\n",
            f"    <category term={quoteattr(e.category)}/>\n",
            f'    <summary type="text">{escape(e.summary)}</summary>\n',
            "  </entry>\n",
        ]
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")
