"""Pages about things the records share: enterprises, cited law articles, and the notices that
replace a penalty's page once it is no longer public."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.catalog import Entry
from generator.publication import PenaltyStatus
from generator.rules.orders import law_rank
from generator.schema.models import Penalty
from generator.settings import Settings
from generator.site import urls
from generator.site.display import cn_date, cn_datetime
from generator.site.enterprises import Enterprise
from generator.site.index import LawArticle
from generator.site.legal_refs import article_label
from generator.site.model import Fact, Link, Page, PageMeta, Section
from generator.site.record_views import (
    Context,
    Related,
    count_note,
    crumbs,
    facts,
    penalty_links,
    search_more,
)
from generator.site.registers import BLACKLIST_URL


def _plain_meta(updated: dt.date) -> PageMeta:
    return PageMeta(cn_date(updated), "", "", "")


def _blacklist_fact(url: str, until: dt.date | None) -> Fact | None:
    if until is None:
        return None
    return Fact("严重失信主体名单", f"列入名单，至 {cn_date(until)}", urls.relative(url, BLACKLIST_URL))


@dataclass(frozen=True)
class EnterpriseInputs:
    """Everything an enterprise's page is made from (generator.incremental.fingerprint)."""

    url: str
    credit_code: str
    name: str
    other_names: tuple[str, ...]
    penalties: Related
    accidents: Related
    blacklisted_until: dt.date | None
    updated: dt.date
    withdrawn_days: tuple[dt.date, ...]  # not shown, but they date its search document


def enterprise_inputs(ctx: Context, enterprise: Enterprise) -> EnterpriseInputs:
    return EnterpriseInputs(
        enterprise.url,
        enterprise.credit_code,
        enterprise.name,
        tuple(enterprise.other_names),
        Related.of(enterprise.penalties),
        Related.of(enterprise.accidents),
        ctx.index.blacklisted_until.get(enterprise.url),
        ctx.latest_update([*enterprise.penalties, *enterprise.accidents]),
        tuple(enterprise.withdrawn_days),
    )


def enterprise_key(ctx: Context, enterprise: Enterprise) -> tuple:
    """The cheap key of an enterprise's page (see record_views.penalty_key): its names, every
    member record, the blacklist and the dates of its withdrawn decisions (its search document's)."""
    return (
        enterprise.url, enterprise.credit_code, enterprise.name, tuple(enterprise.other_names),
        tuple(ctx.record_key(e) for e in enterprise.penalties),
        tuple(ctx.record_key(e) for e in enterprise.accidents),
        (until := ctx.index.blacklisted_until.get(enterprise.url)) and until.toordinal(),
        tuple(day.toordinal() for day in enterprise.withdrawn_days),
    )


def enterprise_page(ctx: Context, enterprise: Enterprise) -> Page:
    return enterprise_view(ctx.settings, enterprise_inputs(ctx, enterprise))


def enterprise_view(settings: Settings, enterprise: EnterpriseInputs) -> Page:
    url = enterprise.url
    penalties = enterprise.penalties
    accidents = tuple(
        Link(a.record.name, urls.relative(url, urls.accident(a.record)), cn_datetime(a.record.occurred))
        for a in enterprise.accidents.newest
    )
    main = facts(
        Fact("名称", enterprise.name),
        Fact("统一社会信用代码", enterprise.credit_code or "未登记（按名称归集）"),
        Fact("曾用名或其他写法", "、".join(enterprise.other_names)),
        Fact("公示中的行政处罚", f"{penalties.total} 件"),
        Fact("生产安全事故", f"{enterprise.accidents.total} 起"),
        _blacklist_fact(url, enterprise.blacklisted_until),
    )
    sections = (
        Section(
            "行政处罚",
            "penalties",
            text=count_note(penalties.total, "行政处罚决定"),
            links=penalty_links(url, penalties.newest, settings),
            more=search_more(
                url, penalties.total, enterprise.credit_code or enterprise.name,
                f"在搜索中查看全部 {penalties.total} 件",
            ),
            empty="没有公示中的行政处罚决定。",
        ),
        Section("生产安全事故", "accidents", links=accidents, empty="没有事故调查记录。"),
    )
    return Page(
        url=url,
        title=enterprise.name,
        breadcrumbs=crumbs(url, ("单位信息", urls.ENTERPRISES), (enterprise.name, "")),
        lead="本页按统一社会信用代码归集该单位公示中的行政处罚和事故调查信息，按时间由近及远排列。",
        facts=main,
        sections=sections,
        meta=_plain_meta(enterprise.updated),
        description=f"{enterprise.name}的处罚和事故记录",
    )


def law_title(ctx: Context, article: LawArticle) -> str:
    return f"《{ctx.index.law_names[article.law_key]}》{article_label(article.article)}"


@dataclass(frozen=True)
class LawInputs:
    url: str
    title: str
    power_items: Related
    penalties: Related
    accidents: Related
    updated: dt.date


def law_inputs(ctx: Context, article: LawArticle) -> LawInputs:
    return LawInputs(
        article.url,
        law_title(ctx, article),
        Related.of(article.power_items),
        Related.of(article.penalties),
        Related.of(article.accidents),
        ctx.latest_update([*article.power_items, *article.penalties, *article.accidents]),
    )


def law_key(ctx: Context, article: LawArticle) -> tuple:
    """The cheap key of a law article's page (see record_views.penalty_key): its title and every
    record citing it; a power item's date on the page (最后更新) also moves with its own change log,
    so that day is part of its share."""
    return (
        article.url, law_title(ctx, article),
        tuple((ctx.record_key(e), (day := ctx.power_changed.get(e.key)) and day.toordinal()) for e in article.power_items),
        tuple(ctx.record_key(e) for e in article.penalties),
        tuple(ctx.record_key(e) for e in article.accidents),
    )


def law_page(ctx: Context, article: LawArticle) -> Page:
    return law_view(ctx.settings, law_inputs(ctx, article))


def law_view(settings: Settings, article: LawInputs) -> Page:
    url, title = article.url, article.title
    powers = tuple(
        Link(p.record.name, urls.relative(url, urls.power_item(p.record)), p.record.code)
        for p in article.power_items.newest
    )
    accidents = tuple(
        Link(a.record.name, urls.relative(url, urls.accident(a.record)), cn_datetime(a.record.occurred))
        for a in article.accidents.newest
    )
    sections = (
        Section(
            "以此为设定依据的权责事项",
            "power-items",
            text=count_note(article.power_items.total, "权责事项"),
            links=powers,
            empty="没有权责事项引用本条。",
        ),
        Section(
            "依据本条作出的行政处罚",
            "penalties",
            text=count_note(article.penalties.total, "行政处罚决定"),
            links=penalty_links(url, article.penalties.newest, settings),
            # Found by the citation's text: a decision citing the law by another name is not.
            more=search_more(url, article.penalties.total, title, "在搜索中查找引用本条的决定"),
            empty="没有公示中的行政处罚决定引用本条。",
        ),
        Section(
            "引用本条的事故调查",
            "accidents",
            text=count_note(article.accidents.total, "事故调查"),
            links=accidents,
            empty="没有事故调查报告引用本条。",
        ),
    )
    return Page(
        url=url,
        title=title,
        breadcrumbs=crumbs(url, ("法律依据", urls.LAWS), (title, "")),
        lead="本页列出本站引用该条款的权责事项、行政处罚决定和事故调查报告。条文内容以正式公布的文本为准。",
        sections=sections,
        meta=_plain_meta(article.updated),
        description=f"引用{title}的执法信息",
    )


def _cited(articles: list[LawArticle]) -> int:
    return sum(len(a.power_items) + len(a.penalties) + len(a.accidents) for a in articles)


def laws_index_body(ctx: Context) -> Page:
    """/laws/: every cited article, grouped by law; laws by legal force (法律, 行政法规, 规章), then the
    most cited first; articles by number (第九条 before 第十条, not by code point)."""
    url = urls.LAWS
    by_law: dict[str, list[LawArticle]] = {}
    for article in ctx.index.laws.values():
        by_law.setdefault(article.law_key, []).append(article)
    laws = sorted(by_law.items(), key=lambda item: (law_rank(ctx.index.law_names[item[0]]), -_cited(item[1]), item[0]))
    sections = tuple(
        Section(
            f"《{ctx.index.law_names[key]}》",
            f"law-{i}",
            links=tuple(
                Link(
                    article_label(a.article),
                    urls.relative(url, a.url),
                    f"权责事项 {len(a.power_items)} · 处罚 {len(a.penalties)} · 事故 {len(a.accidents)}",
                )
                for a in sorted(articles, key=lambda a: a.article)
            ),
        )
        for i, (key, articles) in enumerate(laws, start=1)
    )
    return Page(
        url=url,
        title="法律依据",
        breadcrumbs=crumbs(url, ("法律依据", "")),
        lead="权责清单、行政处罚决定和事故调查报告所引用的法律法规条款：按法律、行政法规、规章排列，同类中引用多的在前；各法规内按条文顺序。",
        sections=sections,
    )


def _stopped_on(entry: Entry[Penalty], status: PenaltyStatus, as_of: dt.date) -> dt.date:
    """The day the notice took the page's place: the day after the period ended, or the day of the
    撤销/变更 (never after the build's day)."""
    if status.reason == "expired" and status.period_end:
        day = status.period_end + dt.timedelta(days=1)
    else:
        day = entry.record.state_date or as_of
    return min(day, as_of)


@dataclass(frozen=True)
class NoticeInputs:
    entry: Entry[Penalty]
    status: PenaltyStatus
    stopped_on: dt.date


def notice_inputs(ctx: Context, entry: Entry[Penalty], status: PenaltyStatus) -> NoticeInputs:
    return NoticeInputs(entry, status, _stopped_on(entry, status, ctx.as_of))


def notice_key(ctx: Context, entry: Entry[Penalty], _status: PenaltyStatus) -> tuple:
    """The cheap key of a notice (see record_views.penalty_key): the record alone (its status is
    decided by it and git)."""
    return ctx.record_key(entry)


def notice_page(ctx: Context, entry: Entry[Penalty], status: PenaltyStatus) -> Page:
    return notice_view(ctx.settings, notice_inputs(ctx, entry, status))


def notice_view(settings: Settings, inputs: NoticeInputs) -> Page:
    """What replaces a penalty page when it stops being public: what, when, which rule; no party."""
    entry, status = inputs.entry, inputs.status
    r = entry.record
    url = urls.penalty(r)
    when = {
        "expired": f"公示期已于 {cn_date(status.period_end)} 届满",
        "withdrawn": f"该决定已于 {cn_date(r.state_date)} 撤销",
        "changed": f"该决定已于 {cn_date(r.state_date)} 变更",
    }.get(status.reason, "")
    main = facts(
        Fact("行政处罚决定书文号", r.decision_number),
        Fact("处罚决定日期", cn_date(r.decision_date)),
        Fact("处罚机关", r.authority),
        Fact("停止公示原因", status.reason_text),
        Fact("说明", when),
        Fact(
            "依据",
            status.rule if status.reason == "expired" else "《中华人民共和国行政处罚法》第四十八条第二款",
        ),
    )
    return Page(
        url=url,
        title="该行政处罚决定已停止公示",
        breadcrumbs=crumbs(url, ("行政处罚", urls.PENALTIES), ("已停止公示", "")),
        lead="依照有关规定，该行政处罚决定不再公示，相关信息已从列表、搜索和数据下载中撤下。",
        facts=main,
        meta=_plain_meta(inputs.stopped_on),
        noindex=True,
        template="notice.html",
    )
