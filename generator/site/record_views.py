"""Views of the three record kinds: one `Page` per public penalty, accident and power item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from generator.catalog import Entry
from generator.history import History
from generator.incremental.fingerprint import NoKey
from generator.incremental.memo import NO_MEMO, Memo
from generator.opendata.changelog import DayChange
from generator.opendata.dates import updated_on
from generator.publication import AccidentStatus, PenaltyStatus
from generator.schema.models import Accident, Penalty, PowerItem
from generator.settings import Settings
from generator.site import urls
from generator.site.display import (
    cn_date,
    cn_datetime,
    join,
    party_name,
    people,
    report_error_href,
    source_href,
    yuan,
)
from generator.site.enterprises import accident_enterprise_url, penalty_enterprise_url
from generator.site.index import SiteIndex
from generator.site.legal_refs import article_label
from generator.site.model import Fact, Link, Page, PageMeta, Section

RELATED_LIMIT = 20  # keeps a page small (≤ 30 KB) even when thousands of records are related


@dataclass(frozen=True)
class Context:
    settings: Settings
    as_of: dt.date
    index: SiteIndex
    root: Path = Path(".")
    history: History = field(default_factory=History)
    # The power-item history from git (changelog.power_item_changes; None outside a checkout) and,
    # from it, each item's latest change: a page's "最后更新" is its data's, not the build's.
    power_days: list[DayChange] | None = None
    power_changed: Mapping[str, dt.date] = field(default_factory=dict)
    memo: Memo = NO_MEMO  # values by record digest from the previous build (generator.incremental.memo)
    # Asked for again and again (a record's page, its enterprise's, each law it cites, the sitemap):
    # worked out once per record and process.
    _updated: dict[tuple[type, str], dt.date] = field(default_factory=dict, compare=False, repr=False)
    # A patch build's plan asks for a penalty's record key three times (its page, its enterprise's,
    # each law it cites): by digest and line, which determine it.
    _record_keys: dict[tuple[bytes, int], tuple] = field(default_factory=dict, compare=False, repr=False)

    def updated(self, entry: Entry) -> dt.date:
        """When the record's disclosure last changed (opendata.dates: the feeds and sitemap agree)."""
        key = (type(entry.record), entry.key)
        day = self._updated.get(key)
        if day is None:
            # A function of the record and of three days from git (and of the as-of date and the
            # settings, which the memo's cache is keyed on).
            days = (self.history.first_seen.get(entry.key), self.history.last_changed.get(entry.key),
                    self.power_changed.get(entry.key))
            ordinal = self.memo.get("updated", entry, lambda: updated_on(
                entry, self.index.publication, self.history, self.as_of, self.power_changed).toordinal(), days)
            day = self._updated[key] = dt.date.fromordinal(ordinal)  # kept as a number: ten times cheaper to store
        return day

    def record_key(self, entry: Entry) -> tuple:
        """What a record contributes to the pages that show it, cheaply, as plain values
        (incremental.fingerprint.key_fingerprint): the record's text and place, and the two days
        from git its status and dates depend on.  Without a digest there is no key (NoKey)."""
        known = self._record_keys.get((entry.digest, entry.source_line))
        if known is not None:
            return known
        key = entry.key
        history = self.history
        made = (*entry_key(entry, self.lines_shown), _ordinal(history.first_seen.get(key)), _ordinal(history.last_changed.get(key)))
        self._record_keys[(entry.digest, entry.source_line)] = made  # entry_key raised for a record without a digest
        return made

    @property
    def lines_shown(self) -> bool:
        """Whether pages show a record's line in its data file (only in the link to the file online)."""
        return bool(self.settings.source_url)

    def latest_update(self, entries: Iterable[Entry]) -> dt.date:
        """The newest update among the records a page gathers (enterprise, law article)."""
        return max((self.updated(e) for e in entries), default=self.as_of)


def entry_key(entry: Entry, line: bool = False) -> tuple:
    """A record's text and file (and its line, where pages show it), for a cheap key (NoKey
    without a digest)."""
    if not entry.digest:
        raise NoKey
    return (entry.digest, entry.source_path, entry.source_line) if line else (entry.digest, entry.source_path)


def _ordinal(day: dt.date | None) -> int:
    return day.toordinal() if day else 0


def crumbs(url: str, *trail: tuple[str, str]) -> tuple[Link, ...]:
    """首页 › section › … ; the last crumb is the page itself (no link)."""
    links = [Link("首页", urls.relative(url, urls.HOME))]
    links += [Link(label, urls.relative(url, to) if to else "") for label, to in trail]
    return tuple(links)


def meta(settings: Settings, url: str, entry: Entry, key: str, updated: dt.date) -> PageMeta:
    copy = urls.relative(url, urls.source_copy(entry.source_path))
    # The line number is the data file's; the site's public copy leaves unpublished fields and
    # records out, so its lines differ and the label then names the file only.
    where = f" 第 {entry.source_line} 行" if settings.source_url else "（公开副本）"
    return PageMeta(
        updated=cn_date(updated),
        source_label=f"{entry.source_path}{where}",
        source_href=source_href(settings, entry.source_path, entry.source_line, copy),
        report_href=report_error_href(settings, key),
    )


def facts(*items: Fact | None) -> tuple[Fact, ...]:
    return tuple(f for f in items if f is not None and f.value)


@dataclass(frozen=True, slots=True)
class Ref:
    """Another page a page links to, as the linking page shows it."""

    label: str
    url: str  # site-root-relative


def cited_laws(ctx: Context, kind: str, key: str) -> tuple[Ref, ...]:
    """The law articles a record cites, labelled with each law's display name."""
    refs = []
    for citation in ctx.index.citations.get((kind, key), []):
        name = ctx.index.law_names[citation.law_key]
        refs.append(Ref(f"《{name}》{article_label(citation.article)}", ctx.index.law(citation).url))
    return tuple(refs)


def law_section(url: str, laws: tuple[Ref, ...]) -> Section:
    links = tuple(Link(ref.label, urls.relative(url, ref.url)) for ref in laws)
    return Section("引用的法律条款", "laws", links=links, empty="未能从依据文本中识别出具体条款。")


def penalty_links(url: str, entries: Sequence[Entry[Penalty]], settings: Settings) -> tuple[Link, ...]:
    return tuple(
        Link(
            e.record.decision_number,
            urls.relative(url, urls.penalty(e.record)),
            f"{cn_date(e.record.decision_date)} · {party_name(e.record, settings)}",
        )
        for e in entries[:RELATED_LIMIT]
    )


@dataclass(frozen=True)
class Related:
    """The newest of a page's related records (as many as it lists) and how many there are."""

    newest: tuple[Entry, ...]
    total: int

    @classmethod
    def of(cls, entries: Sequence[Entry]) -> Related:
        return cls(tuple(entries[:RELATED_LIMIT]), len(entries))


def site_link(page_url: str, link: str | None) -> str:
    """A link from the data: an http(s) address as it is; a path is a path on this site, from its
    root (reports/x.pdf and /reports/x.pdf both mean <site>/reports/x.pdf), made relative to the page."""
    if not link:
        return ""
    if link.lower().startswith(("http://", "https://", "//")):
        return link
    return urls.relative(page_url, link.lstrip("/"))


def count_note(total: int, what: str) -> str:
    if total > RELATED_LIMIT:
        return f"共 {total} 件{what}，此处列出最近 {RELATED_LIMIT} 件。"
    return f"共 {total} 件{what}。" if total else ""


def search_more(url: str, total: int, query: str, label: str) -> Link | None:
    """A link to the search page for the rest of a shortened list (penalties only)."""
    if total <= RELATED_LIMIT or not query:
        return None
    href = urls.relative(url, urls.SEARCH) + "?" + urlencode({"q": query, "kind": "penalty"})
    return Link(label, href)


@dataclass(frozen=True)
class PenaltyInputs:
    """Everything a penalty's page is made from (generator.incremental.fingerprint)."""

    entry: Entry[Penalty]
    status: PenaltyStatus
    power: Ref | None  # the power item it was decided under
    laws: tuple[Ref, ...]
    updated: dt.date


def penalty_inputs(ctx: Context, entry: Entry[Penalty]) -> PenaltyInputs:
    r = entry.record
    power = ctx.index.power_by_code.get(r.power_item_code or "")
    return PenaltyInputs(
        entry,
        ctx.index.publication.penalty(r.key),
        Ref(f"{power.record.name}（{power.record.code}）", urls.power_item(power.record)) if power else None,
        cited_laws(ctx, "penalty", r.key),
        ctx.updated(entry),
    )


def penalty_key(ctx: Context, entry: Entry[Penalty]) -> tuple:
    """The cheap key of a penalty's page: the same for two builds only if `penalty_inputs` is
    (checked by the tests in verification mode, generator.site.page_tasks): the record, and the
    other records' values the page shows — its power item's label and its laws' names."""
    r = entry.record
    power = ctx.index.power_by_code.get(r.power_item_code or "")
    return (ctx.record_key(entry), entry_key(power) if power else None, cited_names_key(ctx))


def cited_names_key(ctx: Context) -> bytes:
    """What other records decide in `cited_laws`: the display names of the laws a record cites
    (its articles and their pages' URLs follow from the record's own text).  Every law's name is
    taken, as one digest, rather than those of the laws the record cites: looking those up costs a
    patch build's plan a third of a second at 100k records, and a name changes only when a longer
    form of it first appears — the pages are then gathered and compared, not all made again."""
    return ctx.index.law_names_key


def penalty_page(ctx: Context, entry: Entry[Penalty]) -> Page:
    return penalty_view(ctx.settings, penalty_inputs(ctx, entry))


def penalty_view(settings: Settings, inputs: PenaltyInputs) -> Page:
    entry, status, power = inputs.entry, inputs.status, inputs.power
    r = entry.record
    url = urls.penalty(r)
    company = penalty_enterprise_url(r)
    main = facts(
        Fact("行政相对人名称", party_name(r, settings), urls.relative(url, company) if company else ""),
        Fact("行政相对人类别", r.party_type),
        Fact("统一社会信用代码", r.credit_code or ""),
        Fact("工商注册号", r.business_reg_no or ""),
        Fact("组织机构代码", r.org_code or ""),
        Fact("税务登记号", r.tax_reg_no or ""),
        Fact("事业单位证书号", r.institution_cert_no or ""),
        Fact("社会组织登记证号", r.social_org_reg_no or ""),
        Fact("行政处罚决定书文号", r.decision_number),
        Fact("违法行为类型", r.violation_type),
        Fact("违法事实", r.violation_facts, long=True),
        Fact("处罚依据", r.basis, long=True),
        Fact("处罚类别", join(r.categories)),
        Fact("处罚内容", r.content, long=True),
        Fact("罚款金额", yuan(r.fine_wan)),
        Fact("没收违法所得、没收非法财物的金额", yuan(r.confiscation_wan)),
        Fact("暂扣或吊销证照名称及编号", r.licence or ""),
        Fact("处罚决定日期", cn_date(r.decision_date)),
        Fact("处罚有效期", r.valid_until if r.valid_until == "长期" else cn_date(_date(r.valid_until))),
        Fact("处罚机关", r.authority),
        Fact("处罚机关统一社会信用代码", r.authority_credit_code),
        Fact("数据来源单位", r.source_unit),
        Fact("数据来源单位统一社会信用代码", r.source_unit_credit_code),
        Fact("失信严重程度", r.severity or ""),
        Fact("权责事项", power.label if power else "", urls.relative(url, power.url) if power else ""),
        Fact("备注", r.remarks or "", long=True),
    )
    publication = facts(
        Fact("公示日期", cn_date(status.published_on)),
        Fact("公示截止期", cn_date(status.period_end)),
        Fact(
            "公示时限",
            f"{cn_date(status.deadline)}前（{settings.publication_working_days}个工作日）"
            if status.deadline
            else "",
        ),
        Fact("是否按时公示", status.timeliness),
        Fact("公示期限依据", status.rule),
    )
    return Page(
        url=url,
        title=r.decision_number,
        record_kind="penalty",
        record_id=r.key,
        breadcrumbs=crumbs(url, ("行政处罚", urls.PENALTIES), (r.decision_number, "")),
        lead=f"{party_name(r, settings)} · {r.violation_type} · {join(r.categories)}",
        facts=main,
        sections=(
            Section("公示信息", "publication", facts=publication),
            law_section(url, inputs.laws),
        ),
        meta=meta(settings, url, entry, r.key, inputs.updated),
        description=f"{r.authority}行政处罚决定 {r.decision_number}：{r.violation_type}",
    )


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


ACCIDENT_PARTS = (
    "一、事故发生单位概况",
    "二、事故发生经过和事故救援情况",
    "三、人员伤亡和直接经济损失",
    "四、事故发生的原因和事故性质",
    "五、事故责任的认定以及对事故责任者的处理建议",
    "六、事故防范和整改措施",
)
MISSING_PART = "调查报告未载明本部分内容。"


@dataclass(frozen=True)
class AccidentInputs:
    entry: Entry[Accident]
    status: AccidentStatus
    laws: tuple[Ref, ...]
    updated: dt.date


def accident_inputs(ctx: Context, entry: Entry[Accident]) -> AccidentInputs:
    key = entry.record.key
    return AccidentInputs(entry, ctx.index.publication.accident(key), cited_laws(ctx, "accident", key), ctx.updated(entry))


def accident_key(ctx: Context, entry: Entry[Accident]) -> tuple:
    """The cheap key of an accident's page (see penalty_key): the record — its status and dates
    follow from its text, its days in git and the as-of date — and the names of the laws it cites."""
    return (ctx.record_key(entry), cited_names_key(ctx))


def accident_page(ctx: Context, entry: Entry[Accident]) -> Page:
    return accident_view(ctx.settings, accident_inputs(ctx, entry))


def accident_view(settings: Settings, inputs: AccidentInputs) -> Page:
    entry, status = inputs.entry, inputs.status
    r = entry.record
    url = urls.accident(r)
    company = accident_enterprise_url(r)
    level = f"{status.level}事故" if status.level else "未认定"
    casualties = (
        f"死亡 {people(r.deaths)}，重伤 {people(r.serious_injuries)}，轻伤 {people(r.minor_injuries)}；"
        f"直接经济损失 {yuan(r.loss_wan) or '未公布'}。"
    )
    cause = "\n\n".join(t for t in (r.causes, f"事故性质：{r.nature}" if r.nature else "") if t)
    texts = (r.unit_overview, r.narrative, casualties, cause, r.responsibility, r.measures)
    parts = tuple(
        Section(heading, f"part-{i}", text=text or "", empty=MISSING_PART)
        for i, (heading, text) in enumerate(zip(ACCIDENT_PARTS, texts, strict=True), start=1)
    )
    main = facts(
        Fact("事故名称", r.name),
        Fact("发生时间", cn_datetime(r.occurred)),
        Fact("发生地点", r.place or ""),
        Fact("所属行业", r.industry or ""),
        Fact("事故类型", r.accident_type or ""),
        Fact("事故等级", level),
        Fact("等级依据", status.level_criterion),
        Fact("死亡人数", people(r.deaths)),
        Fact("重伤人数", people(r.serious_injuries)),
        Fact("轻伤人数", people(r.minor_injuries)),
        Fact("直接经济损失", yuan(r.loss_wan) or "未公布"),
        Fact("事故发生单位", r.unit or "", urls.relative(url, company) if company else ""),
        Fact("统一社会信用代码", r.credit_code or ""),
        Fact("调查组牵头单位", r.lead_unit or ""),
        Fact("批复机关", r.approver or ""),
        Fact("批复日期", cn_date(r.approval_date)),
        Fact("调查报告全文", "查看调查报告" if r.report_url else "", site_link(url, r.report_url)),
    )
    follow_up = facts(
        Fact("调查报告批复期限", f"{cn_date(status.approval_due)}（{status.report_status}）"),
        Fact(
            "整改评估期限",
            f"{cn_date(status.rectification_due)}（{status.rectification_status}）"
            if status.rectification_due
            else "",
        ),
        Fact("整改评估公开日期", cn_date(r.evaluation_date)),
        Fact("整改评估报告", "查看整改评估报告" if r.evaluation_url else "", site_link(url, r.evaluation_url)),
    )
    return Page(
        url=url,
        title=r.name,
        record_kind="accident",
        record_id=r.key,
        breadcrumbs=crumbs(url, ("事故调查", urls.ACCIDENTS), (r.name, "")),
        lead=f"{cn_datetime(r.occurred)} · {level} · {r.accident_type or '事故类型未载明'}",
        facts=main,
        sections=(
            *parts,
            Section("调查与整改进展", "follow-up", facts=follow_up),
            law_section(url, inputs.laws),
        ),
        meta=meta(settings, url, entry, r.key, inputs.updated),
        description=f"{r.name}调查报告：{level}",
    )


@dataclass(frozen=True)
class SubItem:
    name: str
    code: str
    url: str
    penalties: int  # public penalties decided under it


@dataclass(frozen=True)
class PowerItemInputs:
    entry: Entry[PowerItem]
    parent: Ref | None  # label: the parent's name; it is shown with its code
    parent_code: str
    children: tuple[SubItem, ...]
    penalties: Related
    laws: tuple[Ref, ...]
    updated: dt.date


def power_item_inputs(ctx: Context, entry: Entry[PowerItem]) -> PowerItemInputs:
    r = entry.record
    parent = ctx.index.power_by_code.get(r.parent_code or "")
    children = tuple(
        SubItem(c.record.name, c.record.code, urls.power_item(c.record), len(ctx.index.penalties_by_power.get(c.record.code, [])))
        for c in ctx.index.children.get(r.code, [])
    )
    return PowerItemInputs(
        entry,
        Ref(parent.record.name, urls.power_item(parent.record)) if parent else None,
        parent.record.code if parent else "",
        children,
        Related.of(ctx.index.penalties_by_power.get(r.code, [])),
        cited_laws(ctx, "power-item", r.key),
        ctx.updated(entry),
    )


def power_item_key(ctx: Context, entry: Entry[PowerItem]) -> tuple:
    """The cheap key of a power item's page (see penalty_key): the item, its parent, its
    sub-items with their penalty counts, the newest penalties decided under it (those the page
    lists) and their number, its laws' names, and its change-log day (its 最后更新)."""
    r = entry.record
    index = ctx.index
    parent = index.power_by_code.get(r.parent_code or "")
    children = tuple(
        (entry_key(c), len(index.penalties_by_power.get(c.record.code, []))) for c in index.children.get(r.code, [])
    )
    penalties = index.penalties_by_power.get(r.code, [])
    return (
        ctx.record_key(entry), entry_key(parent) if parent else None, children,
        tuple(ctx.record_key(p) for p in penalties[:RELATED_LIMIT]), len(penalties),
        cited_names_key(ctx), _ordinal(ctx.power_changed.get(r.key)),
    )


def power_item_page(ctx: Context, entry: Entry[PowerItem]) -> Page:
    return power_item_view(ctx.settings, power_item_inputs(ctx, entry))


def power_item_view(settings: Settings, inputs: PowerItemInputs) -> Page:
    entry, parent = inputs.entry, inputs.parent
    r = entry.record
    url = urls.power_item(r)
    penalties = inputs.penalties
    main = facts(
        Fact("事项编码", r.code),
        Fact("事项名称", r.name),
        Fact("事项类型", r.item_type),
        Fact(
            "所属父项",
            f"{parent.label}（{inputs.parent_code}）" if parent else "",
            urls.relative(url, parent.url) if parent else "",
        ),
        Fact("实施主体", r.subject or ""),
        Fact("承办机构", r.office or ""),
        Fact("行使层级", r.level or ""),
        Fact("设定依据", r.basis or "", long=True),
        Fact("责任事项", r.responsibilities or "", long=True),
        Fact("追责情形", r.accountability or "", long=True),
        Fact("监督电话", r.phone or ""),
    )
    sub_links = tuple(
        Link(c.name, urls.relative(url, c.url), f"{c.code} · 行政处罚 {c.penalties} 件" if c.penalties else c.code)
        for c in inputs.children
    )
    in_children = sum(c.penalties for c in inputs.children)
    sections = (
        Section("子项", "sub-items", links=sub_links, empty="本事项没有子项。"),
        Section(
            "依据本事项作出的行政处罚",
            "penalties",
            text=count_note(penalties.total, "行政处罚决定")
            + (f"各子项另有 {in_children} 件，见上方子项页面。" if in_children else ""),
            links=penalty_links(url, penalties.newest, settings),
            empty="目前没有公示中的行政处罚决定。",
            more=search_more(url, penalties.total, r.code, f"在搜索中查看全部 {penalties.total} 件"),
        ),
        law_section(url, inputs.laws),
    )
    crumb_trail = [("权责清单", urls.POWER_ITEMS)]
    if parent:
        crumb_trail.append((parent.label, parent.url))
    return Page(
        url=url,
        title=r.name,
        record_kind="power-item",
        record_id=r.key,
        breadcrumbs=crumbs(url, *crumb_trail, (r.name, "")),
        lead=f"{r.item_type} · {r.code}" + (f" · {r.office}" if r.office else ""),
        facts=main,
        sections=sections,
        meta=meta(settings, url, entry, r.key, inputs.updated),
        description=f"权责清单事项 {r.code} {r.name}",
    )
