"""The statistics section: statistics/ (overview) and statistics/<year>/ (行政执法统计年报)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from generator.catalog import Catalog
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


def overview_body(pen: pd.DataFrame, acc: pd.DataFrame, as_of: dt.date) -> str:
    years = S.years(pen, acc)
    links = "".join(
        f'<li><a href="{e(relative(STATS_URL, year_url(y)))}">{y}年行政执法统计年报</a></li>' for y in years
    )
    total_fine = int(pen["fine_fen"].sum()) if not pen.empty else 0
    summary = (
        f"截至{as_of.year}年{as_of.month}月{as_of.day}日，共作出行政处罚决定 {count(len(pen))} 件，"
        f"罚款合计 {money(total_fine)}；记录生产安全事故 {count(len(acc))} 起，"
        f"死亡 {count(int(acc['deaths'].sum()) if not acc.empty else 0)} 人。"
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


def annual_body(pen_all: pd.DataFrame, acc_all: pd.DataFrame, settings: Settings, as_of: dt.date, year: int) -> str:
    pen = pen_all[pen_all["year"] == year]
    acc = acc_all[acc_all["year"] == year]
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


def statistics_pages(
    catalog: Catalog, publication: Publication, settings: Settings, as_of: dt.date
) -> list[tuple[str, str, str, str]]:
    """(url, title, body_html, description) of the overview and of every year's report."""
    pen = S.penalty_frame(catalog, publication, as_of)
    acc = S.accident_frame(catalog, publication, as_of)
    pages = [
        (
            STATS_URL,
            "统计数据",
            overview_body(pen, acc, as_of),
            "行政处罚和生产安全事故的统计图表与数据表，以及历年行政执法统计年报。",
        )
    ]
    for year in S.years(pen, acc):
        pages.append(
            (
                year_url(year),
                f"{year}年行政执法统计年报",
                annual_body(pen, acc, settings, as_of, year),
                f"{settings.bureau}{year}年行政处罚和生产安全事故统计。",
            )
        )
    return pages
