"""Two public registers the law asks for, beside the penalty listing:

- 撤销、变更公示登记 (行政处罚法 art. 48): each withdrawn or changed decision — its number, the date and
  legal reason of the change, when the publication was withdrawn and whether that met the 3-day limit —
  without any of the withdrawn content (no party, no facts);
- 严重失信主体名单: parties with a 严重 penalty still in its publication period, each listed until the end
  of the blacklist period (settings.blacklist_months), natural persons masked.

Both are HTML fragments for the page shell, built from `generator.publication` (no rule lives here).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from generator.publication import Publication, Withdrawal
from generator.rules.privacy import published_party_name
from generator.settings import Settings
from generator.site import urls
from generator.site.display import cn_date
from generator.site.enterprises import penalty_enterprise_url
from generator.site.html_parts import crumbs_html
from generator.site.listings import pager_links
from generator.site.model import Link

WITHDRAWALS_URL = "penalties/withdrawals/"
BLACKLIST_URL = "penalties/blacklist/"
ROWS_PER_PAGE = 200


# A cell: escaped HTML text, or links (label, site path) made relative to the page they stand on.
Cell = str | tuple[Link, ...]


def _cell_html(cell: Cell, page_url: str) -> str:
    if isinstance(cell, str):
        return cell
    return "、".join(
        f'<a href="{escape(urls.relative(page_url, link.href))}">{escape(link.label)}</a>' if link.href else escape(link.label)
        for link in cell
    )


def _table(caption: str, headers: tuple[str, ...], rows: list[tuple[Cell, ...]], empty: str, page_url: str) -> str:
    if not rows:
        return f'<p class="gk-empty">{escape(empty)}</p>'
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    labels = [escape(h) for h in headers]  # each cell names its column where rows become cards (phones)
    body = "".join(
        "<tr>"
        + "".join(f'<td data-label="{label}">{_cell_html(cell, page_url)}</td>' for label, cell in zip(labels, row, strict=True))
        + "</tr>"
        for row in rows
    )
    return (
        '<div class="gk-table-wrap" role="region" aria-label="' + escape(caption) + '" tabindex="0">'
        f'<table class="gk-table"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _crumbs(url: str, register_url: str, title: str, number: int) -> str:
    trail = [Link("首页", urls.relative(url, urls.HOME)), Link("行政处罚", urls.relative(url, "penalties/"))]
    if number == 1:
        trail.append(Link(title, ""))
    else:
        trail += [Link(title, urls.relative(url, register_url)), Link(f"第 {number} 页", "")]
    return str(crumbs_html(trail))


def _pager(register_url: str, number: int, last: int) -> str:
    if last == 1:
        return ""
    url = urls.listing_page(register_url, number)

    def href(n: int) -> str:
        return escape(urls.relative(url, urls.listing_page(register_url, n)))

    links = [f'<a href="{href(number - 1)}" rel="prev">上一页</a>'] if number > 1 else []
    for link in pager_links(number, last, href):  # the listings' pager: the same numbers and gaps
        if link.note == "current":
            links.append(f'<span aria-current="page">{link.label}</span>')
        elif link.note == "gap":
            links.append('<span class="gk-gap" aria-hidden="true">…</span>')
        else:
            links.append(f'<a href="{link.href}">{link.label}</a>')
    if number < last:
        links.append(f'<a href="{href(number + 1)}" rel="next">下一页</a>')
    return '<nav class="gk-pager" aria-label="分页">' + "".join(links) + "</nav>"


@dataclass(frozen=True)
class _Register:
    url: str
    title: str
    description: str
    intro: str
    caption: str
    headers: tuple[str, ...]
    empty: str


def _register_pages(reg: _Register, rows: list[tuple[Cell, ...]]) -> list[tuple[str, str, str, str]]:
    """A register of any length in pages of ROWS_PER_PAGE rows: at national scale one page would
    grow to megabytes, too heavy for a phone."""
    chunks = [rows[i : i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)] or [[]]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        url = urls.listing_page(reg.url, number)
        title = reg.title if number == 1 else f"{reg.title}（第 {number} 页）"
        start = (number - 1) * ROWS_PER_PAGE
        summary = (
            f'<p class="gk-count">共 {len(rows):,} 条，本页第 {start + 1:,}–{start + len(chunk):,} 条。</p>'
            if len(chunks) > 1
            else ""
        )
        body = (
            f"{_crumbs(url, reg.url, reg.title, number)}<h1>{escape(title)}</h1><p>{escape(reg.intro)}</p>"
            f"{summary}{_table(reg.caption, reg.headers, chunk, reg.empty, url)}{_pager(reg.url, number, len(chunks))}"
        )
        pages.append((url, title, reg.description, body))
    return pages


def _timely(w: Withdrawal) -> str:
    if w.timely is None:
        return "撤下日期未知"
    return "是" if w.timely else "否（超过 3 日）"


def withdrawal_pages(pub: Publication) -> list[tuple[str, str, str, str]]:
    rows = [
        (
            escape(w.decision_number),
            escape(w.state),
            escape(cn_date(w.changed_on)) or "未填写",
            escape(w.reason),
            escape(cn_date(w.withdrawn_on)) or "未知",
            escape(cn_date(w.due)),
            escape(_timely(w)),
        )
        for w in pub.withdrawals
    ]
    register = _Register(
        url=WITHDRAWALS_URL,
        title="处罚决定撤销、变更公示登记",
        description="依法撤回公示的行政处罚决定登记",
        intro=(
            "依照《中华人民共和国行政处罚法》第四十八条，已公开的行政处罚决定被依法变更、撤销、确认违法或者确认无效的，"
            "应当在三日内撤回原行政处罚决定信息并公开说明理由。下表登记每一次撤回；原决定的内容不再公开。"
            "撤下日期取自数据首次记载该状态的日期（版本历史）。"
        ),
        caption="撤销、变更登记",
        headers=("决定书文号", "状态", "撤销或变更日期", "理由", "撤下公示日期", "撤下期限", "是否在 3 日内撤下"),
        empty="目前没有被撤销或变更的处罚决定。",
    )
    return _register_pages(register, rows)


def blacklist_pages(pub: Publication, settings: Settings) -> list[tuple[str, str, str, str]]:
    """Each party links to its enterprise page (natural persons have none) and each decision to
    its record page, so a reader can follow the listing to its grounds."""
    decisions = {e.key: e.record for e in pub.public_penalties}
    rows: list[tuple[Cell, ...]] = []
    for entry in pub.blacklist:
        first = decisions.get(entry.decision_numbers[0]) if entry.decision_numbers else None
        party = published_party_name(entry.party, entry.party_type, settings.name_mask)
        rows.append(
            (
                (Link(party, (first and penalty_enterprise_url(first)) or ""),),
                escape(entry.credit_code),
                tuple(Link(n, urls.penalty(decisions[n]) if n in decisions else "") for n in entry.decision_numbers),
                escape(cn_date(entry.listed_until)),
            )
        )
    register = _Register(
        url=BLACKLIST_URL,
        title="严重失信主体名单",
        description="严重失信主体名单及其列入期限",
        intro=(
            f"因严重失信行为受到行政处罚、且处罚仍在公示期内的当事人。每个当事人自处罚决定之日起列入名单 "
            f"{settings.blacklist_months} 个月，期满自动移出；处罚决定被撤销或变更的，随即移出。"
        ),
        caption="严重失信主体名单",
        headers=("当事人", "统一社会信用代码", "行政处罚决定书文号", "列入期限至"),
        empty="目前名单为空。",
    )
    return _register_pages(register, rows)


def register_pages(pub: Publication, settings: Settings) -> list[tuple[str, str, str, str]]:
    """(url, title, description, body) of every page of each register."""
    return [*withdrawal_pages(pub), *blacklist_pages(pub, settings)]
