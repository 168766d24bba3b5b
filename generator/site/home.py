"""The generated part of the home page: counts per kind and the latest disclosures."""

from __future__ import annotations

from dataclasses import dataclass

from generator.site import urls
from generator.site.display import cn_date, cn_datetime, party_name
from generator.site.model import Link
from generator.site.record_views import Context

LATEST_PENALTIES = 10
LATEST_ACCIDENTS = 5


@dataclass(frozen=True)
class HomeView:
    counts: tuple[Link, ...]  # label, href, note = the count
    penalties: tuple[Link, ...]
    accidents: tuple[Link, ...]
    updated: str
    downloads: str
    penalties_href: str
    accidents_href: str


def home_view(ctx: Context) -> HomeView:
    pub = ctx.index.publication
    here = urls.HOME

    def to(url: str) -> str:
        return urls.relative(here, url)

    counts = (
        Link("权责清单事项", to(urls.POWER_ITEMS), f"{len(pub.public_power_items):,}"),
        Link("公示中的行政处罚决定", to(urls.PENALTIES), f"{len(pub.public_penalties):,}"),
        Link("事故调查报告", to(urls.ACCIDENTS), f"{len(pub.public_accidents):,}"),
        Link("有公示记录的单位", to(urls.ENTERPRISES), f"{len(ctx.index.enterprises):,}"),
        Link("引用的法律条款", to(urls.LAWS), f"{len(ctx.index.laws):,}"),
    )
    penalties = tuple(
        Link(
            f"{party_name(e.record, ctx.settings)}：{e.record.violation_type}",
            to(urls.penalty(e.record)),
            f"{cn_date(e.record.decision_date)} · {e.record.decision_number}",
        )
        for e in pub.public_penalties[:LATEST_PENALTIES]
    )
    accidents = tuple(
        Link(e.record.name, to(urls.accident(e.record)), cn_datetime(e.record.occurred))
        for e in pub.public_accidents[:LATEST_ACCIDENTS]
    )
    return HomeView(
        counts,
        penalties,
        accidents,
        cn_date(ctx.as_of),
        to(urls.DATA),
        to(urls.PENALTIES),
        to(urls.ACCIDENTS),
    )
