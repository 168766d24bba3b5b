"""The statistics section: statistics/ (overview) and statistics/<year>/ (行政执法统计年报)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from generator.catalog import Catalog
from generator.incremental.keys import digest_bytes
from generator.publication import Publication
from generator.settings import Settings
from generator.site.urls import relative

from . import stats as S
from .html import count, e, money, paragraphs
from .report import annual_narrative
from .stats_charts import accident_charts, penalty_charts

STATS_URL = "statistics/"
SCOPE_NOTE = (
    "统计口径：行政处罚按处罚决定日期统计截至统计日已作出的全部决定，包括公示期已满、依法不予公示的决定，"
    "但不含已撤销或变更的原决定；统计只显示数量和金额，不显示任何当事人。生产安全事故按发生时间统计。"
    "金额以元为单位。"
)


def year_url(year: int) -> str:
    return f"{STATS_URL}{year}/"


def overview_body(pen: S.PenaltyTally, acc: S.AccidentTally, as_of: dt.date) -> str:
    years = S.years(pen, acc)
    links = "".join(
        f'<li><a href="{e(relative(STATS_URL, year_url(y)))}">{y}年行政执法统计年报</a></li>' for y in years
    )
    summary = (
        f"截至{as_of.year}年{as_of.month}月{as_of.day}日，共作出行政处罚决定 {count(pen.decisions)} 件，"
        f"罚款合计 {money(pen.fine_sum)}；记录生产安全事故 {count(acc.accidents)} 起，"
        f"死亡 {count(acc.deaths)} 人。"
    )
    return (
        "<h1>统计数据</h1>"
        + paragraphs([summary, SCOPE_NOTE])
        + (f'<h2 id="annual">行政执法统计年报</h2><ul class="gk-report-list">{links}</ul>' if years else "")
        + '<h2 id="penalties">行政处罚</h2>'
        + penalty_charts("p", pen, None)
        + '<h2 id="accidents">生产安全事故</h2>'
        + accident_charts("a", acc, None)
    )


def annual_body(
    pen: S.PenaltyTally, acc: S.AccidentTally, settings: Settings, as_of: dt.date, year: int
) -> str:
    """The year's report from the year's tallies."""
    back = relative(year_url(year), STATS_URL)
    partial = year == as_of.year
    lead = f"数据截至{as_of.year}年{as_of.month}月{as_of.day}日，本年度尚未结束。" if partial else ""
    return (
        f"<h1>{year}年行政执法统计年报</h1>"
        + paragraphs([lead, *annual_narrative(settings.bureau, year, pen, acc), SCOPE_NOTE])
        + f'<p><a href="{e(back)}">返回统计数据</a></p>'
        + '<h2 id="penalties">行政处罚</h2>'
        + penalty_charts(f"p{year}", pen, year)
        + '<h2 id="accidents">生产安全事故</h2>'
        + accident_charts(f"a{year}", acc, year)
    )


@dataclass(frozen=True)
class StatsPage:
    url: str
    title: str
    description: str
    # What the page is made from (None: unknown), so that a build whose key is the previous
    # build's need not make the body; `body()` makes it.
    key: bytes | None
    body: Callable[[], str]


OVERVIEW_DESCRIPTION = "行政处罚和生产安全事故的统计图表与数据表，以及历年行政执法统计年报。"


def statistics(
    catalog: Catalog,
    publication: Publication,
    settings: Settings,
    as_of: dt.date,
    previous: S.MonthTallies | None = None,
) -> tuple[list[StatsPage], S.MonthTallies]:
    """The overview and every year's report, and the month tallies they are made from (for the
    next build: `previous` is the previous build's, whose unchanged months are not tallied again)."""
    months = S.month_tallies(catalog, publication, as_of, previous)
    pen_years: dict[int, list[S.PenaltyTally]] = defaultdict(list)
    acc_years: dict[int, list[S.AccidentTally]] = defaultdict(list)
    keys: dict[int, list[bytes | None]] = defaultdict(list)
    for (year, month), (key, tally) in sorted(months.penalties.items()):
        pen_years[year].append(tally)
        keys[year] += [b"p%d" % month, key]
    for (year, month), (key, acc_tally) in sorted(months.accidents.items()):
        acc_years[year].append(acc_tally)
        keys[year] += [b"a%d" % month, key]
    pen = S.merged([t for tallies in pen_years.values() for t in tallies], S.PenaltyTally)
    acc = S.merged([t for tallies in acc_years.values() for t in tallies], S.AccidentTally)
    pages = [
        StatsPage(STATS_URL, "统计数据", OVERVIEW_DESCRIPTION, None, lambda: overview_body(pen, acc, as_of))
    ]  # type: ignore[arg-type]
    for year in S.years(pen, acc):  # type: ignore[arg-type]
        title = f"{year}年行政执法统计年报"
        description = f"{settings.bureau}{year}年行政处罚和生产安全事故统计。"
        year_keys = keys[year]
        key = None
        if all(k is not None for k in year_keys):
            head = repr((year, title, description, settings.bureau, as_of.isoformat()))
            key = digest_bytes(head, *year_keys)  # type: ignore[arg-type]

        def body(year: int = year) -> str:
            year_pen = S.merged(pen_years.get(year, []), S.PenaltyTally)
            year_acc = S.merged(acc_years.get(year, []), S.AccidentTally)
            return annual_body(year_pen, year_acc, settings, as_of, year)  # type: ignore[arg-type]

        pages.append(StatsPage(year_url(year), title, description, key, body))
    return pages, months


def statistics_pages(
    catalog: Catalog, publication: Publication, settings: Settings, as_of: dt.date
) -> list[tuple[str, str, str, str]]:
    """(url, title, body_html, description) of the overview and of every year's report."""
    return [
        (p.url, p.title, p.body(), p.description)
        for p in statistics(catalog, publication, settings, as_of)[0]
    ]
