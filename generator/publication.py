"""What is public on the as-of date, and why: the law-as-code rules applied to the whole catalog.

Every public output (pages, listings, search, downloads, feeds, sitemap) asks this module whether a
record is public, so a rule lives in one place.  "Today" is `as_of`, fixed once per build.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from generator.catalog import Catalog, Entry
from generator.incremental.memo import NO_MEMO, Days, Memo
from generator.problem_codes import problem
from generator.problems import Problem
from generator.rules.levels import effective_level
from generator.rules.periods import add_months, is_public_on, publication_end
from generator.rules.timeliness import (
    STATUS_LABELS,
    assess_publication,
    deadline_status,
    rectification_due,
    withdrawal_due,
    withdrawal_timely,
)
from generator.rules.workdays import WorkCalendar, YearNotCovered
from generator.schema.models import Accident, Penalty, PowerItem
from generator.settings import Settings
from generator.validate import policy_from

NOT_PUBLIC_REASONS = {
    "expired": "公示期已满",
    "withdrawn": "处罚决定已撤销，依法撤下公示",
    "changed": "处罚决定已变更，依法撤下原公示",
    "minor": "当事人为未成年人，依法不予公开",
    "not-published": "轻微失信行为，依法不予公示",
    "future": "尚未到公示日期",
}
WITHDRAWN_REASONS = ("withdrawn", "changed")  # a 撤销 or 变更 decision: its notice says so

# 493号 art. 29 and 32: report within 60 days, approval within 15 days of receiving it (30 for 特别重大).
REPORT_DAYS, APPROVAL_DAYS, APPROVAL_DAYS_MAJOR = 60, 15, 30


class PenaltyStatus(NamedTuple):
    """A tuple rather than a frozen dataclass: one per penalty, made again in every build (from the
    build cache's memo in a patch build), where a dataclass costs several times as much."""

    public: bool
    reason: str  # "" when public, else a key of NOT_PUBLIC_REASONS
    period_end: dt.date | None
    rule: str
    timeliness: str  # "按时" / "逾期 N 个工作日" / "" when unknown
    published_on: dt.date | None
    deadline: dt.date | None

    @property
    def reason_text(self) -> str:
        return NOT_PUBLIC_REASONS.get(self.reason, "")


@dataclass(frozen=True)
class AccidentStatus:
    level: str  # the level by 493号 art. 3 (the stated one when the figures are unknown)
    level_criterion: str
    approval_due: dt.date
    report_status: str  # 已完成 / 未到期 / 已逾期 (approval of the investigation report)
    rectification_due: dt.date | None
    rectification_status: str  # 已完成 / 未到期 / 已逾期, "" before approval


@dataclass(frozen=True)
class Withdrawal:
    decision_number: str
    state: str  # 撤销 or 变更
    changed_on: dt.date | None
    reason: str
    withdrawn_on: dt.date | None  # when the change reached the data (git history), if known
    due: dt.date | None
    timely: bool | None  # None when the withdrawal date is unknown


@dataclass(frozen=True)
class BlacklistEntry:
    party: str  # the name as in the data: natural persons are masked by the site layer
    party_type: str
    credit_code: str
    decision_numbers: tuple[str, ...]
    listed_until: dt.date


@dataclass(frozen=True)
class AuthorityTimeliness:
    authority: str
    assessed: int
    on_time: int

    @property
    def rate(self) -> float:
        return self.on_time / self.assessed if self.assessed else 0.0


@dataclass
class Publication:
    as_of: dt.date
    penalty_status: dict[str, PenaltyStatus] = field(default_factory=dict)
    accident_status: dict[str, AccidentStatus] = field(default_factory=dict)
    public_penalties: list[Entry[Penalty]] = field(default_factory=list)
    not_public_penalties: list[tuple[Entry[Penalty], PenaltyStatus]] = field(default_factory=list)
    public_accidents: list[Entry[Accident]] = field(default_factory=list)
    public_power_items: list[Entry[PowerItem]] = field(default_factory=list)
    withdrawals: list[Withdrawal] = field(default_factory=list)
    # The decisions withdrawn (or changed) within their publication period: public but for that.
    withdrawn_in_period: list[Entry[Penalty]] = field(default_factory=list)
    blacklist: list[BlacklistEntry] = field(default_factory=list)
    timeliness_by_authority: list[AuthorityTimeliness] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def penalty(self, key: str) -> PenaltyStatus:
        return self.penalty_status[key]

    def accident(self, key: str) -> AccidentStatus:
        return self.accident_status[key]


def decide(
    catalog: Catalog,
    settings: Settings,
    as_of: dt.date,
    first_seen: Mapping[str, dt.date] | None = None,
    withdrawn_seen: Mapping[str, dt.date] | None = None,
    memo: Memo = NO_MEMO,
) -> Publication:
    """Apply every dated rule.  `first_seen` / `withdrawn_seen`: when a record (or its 撤销/变更
    state) first appeared in the data's git history, by record key.  `memo`: each penalty's status
    from the previous build, for the records that did not change (generator.incremental.memo)."""
    pub = Publication(as_of=as_of)
    calendar = WorkCalendar(catalog.holiday_schedules)
    first_seen = first_seen or {}
    missing_years: dict[int, Entry[Penalty]] = {}
    statuses = memo.table("penalty-status")
    days = Days()
    timeliness_seen: list[tuple[str, str]] = []  # (authority, timeliness) of the public decisions
    for entry in catalog.penalties:
        key = entry.key
        seen = first_seen.get(key)
        # Kept as plain values (dates as day numbers): a hundred thousand dataclasses holding dates
        # take ten times longer to store in the build cache and to read back.
        fields, missing_year = statuses.get(
            entry, lambda e=entry, s=seen: _plain(*_penalty_status(e, settings, as_of, calendar, s)), seen
        )
        public, reason, end, rule, timeliness, published_on, deadline = fields
        # tuple.__new__ rather than the named tuple's own constructor, a Python function: 100k times.
        status = _new_status(PenaltyStatus, (public, reason, days[end], rule, timeliness, days[published_on], days[deadline]))
        if missing_year is not None:
            missing_years.setdefault(missing_year, entry)
        pub.penalty_status[key] = status
        if public:
            pub.public_penalties.append(_as_published(entry, as_of))
            if timeliness:
                timeliness_seen.append((entry.record.authority, timeliness))
        else:
            pub.not_public_penalties.append((entry, status))
    pub.problems += [_calendar_warning(year, entry) for year, entry in sorted(missing_years.items())]
    for entry in catalog.accidents:
        pub.accident_status[entry.key] = _accident_status(entry.record, as_of)
        if entry.record.occurred_date <= as_of:
            pub.public_accidents.append(entry)
    pub.problems += _future_dates(catalog, as_of)
    pub.public_power_items = list(catalog.power_items)
    pub.withdrawals = _withdrawals(pub.not_public_penalties, withdrawn_seen or {})
    pub.withdrawn_in_period = [e for e, status in pub.not_public_penalties if withdrawn_while_public(e.record, status, as_of)]
    pub.blacklist = _blacklist(pub.public_penalties, settings, as_of)
    pub.timeliness_by_authority = _timeliness_by_authority(timeliness_seen)
    return pub


_new_status = tuple.__new__


def _plain(fields: tuple, missing_year: int | None) -> tuple[tuple, int | None]:
    public, reason, end, rule, timeliness, published_on, deadline = fields
    return (public, reason, _ordinal(end), rule, timeliness, _ordinal(published_on), _ordinal(deadline)), missing_year


def _ordinal(day: dt.date | None) -> int:
    return day.toordinal() if day else 0


def _penalty_status(
    entry: Entry[Penalty], settings: Settings, as_of: dt.date, calendar: WorkCalendar, first_seen: dt.date | None
) -> tuple[tuple, int | None]:
    """The status's fields (PenaltyStatus in order), and the year whose holiday schedule was
    missing to judge timeliness (if any)."""
    record = entry.record
    period = publication_end(record.decision_date, record.severity, record.publication_end, policy_from(settings))
    published_on = record.published_on or first_seen
    timeliness, deadline, missing_year = "", None, None
    if published_on and published_on >= record.decision_date:
        try:
            result = assess_publication(
                record.decision_date, published_on, calendar, settings.publication_working_days
            )
            timeliness, deadline = result.label, result.deadline
        except YearNotCovered as exc:
            missing_year = exc.year
    reason = _not_public_reason(record, period.published, period.end, as_of)
    # Interned: a few distinct texts among 100k statuses, which the build cache then stores once.
    rule, timeliness = sys.intern(period.rule), sys.intern(timeliness)
    return (reason == "", reason, period.end, rule, timeliness, published_on, deadline), missing_year


def withdrawn_while_public(record: Penalty, status: PenaltyStatus, as_of: dt.date) -> bool:
    """Whether a decision is off the site only because it was withdrawn or changed: as it stood
    before (正常), it would be public today."""
    if status.reason not in WITHDRAWN_REASONS:
        return False  # a minor's or unpublished decision is never shown, withdrawn or not
    as_it_stood = record.model_copy(update={"state": "正常", "state_date": None})
    return _not_public_reason(as_it_stood, True, status.period_end, as_of) == ""


def state_on(record: Penalty, as_of: dt.date) -> str:
    """The decision's 状态 in effect on as_of: a 撤销/变更 takes effect on its 状态变更日期, and a
    build as of an earlier day still has the decision as it stood (正常)."""
    if record.state != "正常" and record.state_date is not None and record.state_date > as_of:
        return "正常"
    return record.state


def _as_published(entry: Entry[Penalty], as_of: dt.date) -> Entry[Penalty]:
    """The record every public output shows: with a withdrawal still to come, as it stands today
    (its downloads then import back, and nothing announces a withdrawal before it happens)."""
    if state_on(entry.record, as_of) == entry.record.state:
        return entry
    unchanged = entry.record.model_copy(update={"state": "正常", "state_date": None, "state_reason": None})
    return replace(entry, record=unchanged)


def _not_public_reason(record: Penalty, published: bool, end: dt.date | None, as_of: dt.date) -> str:
    # Never shown comes first: a minor's or an unpublished decision that is later withdrawn gets
    # no notice page, which would name it.
    if record.minor:
        return "minor"
    if not published or end is None:
        return "not-published"
    state = state_on(record, as_of)
    if state == "撤销":
        return "withdrawn"
    if state == "变更":
        return "changed"
    if record.decision_date > as_of or (record.published_on is not None and record.published_on > as_of):
        return "future"  # before the decision, or before the 公示日期 the data states
    if not is_public_on(as_of, end):
        return "expired"
    return ""


def _future_dates(catalog: Catalog, as_of: dt.date) -> list[Problem]:
    """A decision or accident dated after today is kept back until that day; a year typed wrong
    (2062 for 2026) would hide it for decades, so each one is pointed out."""
    # The catalog is newest first: the future-dated decisions and accidents lead their lists.
    dated = list(itertools.takewhile(lambda d: d[1] > as_of, ((e, e.record.decision_date, "处罚决定日期") for e in catalog.penalties)))
    dated += [(e, e.record.state_date, "状态变更日期") for e in catalog.penalties if e.record.state_date and e.record.state_date > as_of]
    dated += itertools.takewhile(lambda d: d[1] > as_of, ((e, e.record.occurred_date, "发生时间") for e in catalog.accidents))
    return [
        problem(
            "field.future-date", e.source_path, e.source_line, 1, e.key, header,
            f"日期 {day.isoformat()} 晚于今天（{as_of.isoformat()}）：到那天才会{'撤下' if header == '状态变更日期' else '公开'}；如是笔误请更正",
        )
        for e, day, header in dated
        if day > as_of
    ]


def _calendar_warning(year: int, entry: Entry[Penalty]) -> Problem:
    message = f"{year}年：该年度节假日安排未收录，无法计算公示时限；请在 data/holidays/{year}.yml 中补充放假安排"
    return problem("calendar.year-missing", entry.source_path, entry.source_line, 1, entry.key, "公示日期", message)


def _accident_status(record: Accident, as_of: dt.date) -> AccidentStatus:
    effective = effective_level(record.level, record.deaths, record.serious_injuries, record.loss_wan)
    level, criterion = (effective.level, effective.criterion) if effective else ("", "")
    occurred = record.occurred_date
    approval_window = APPROVAL_DAYS_MAJOR if level == "特别重大" else APPROVAL_DAYS
    approval_due = occurred + dt.timedelta(days=REPORT_DAYS + approval_window)
    report = STATUS_LABELS[deadline_status(approval_due, record.approval_date, as_of)]
    rect_due, rect_status = None, ""
    if record.approval_date and record.approval_date <= as_of:
        rect_due = rectification_due(record.approval_date)
        rect_status = STATUS_LABELS[deadline_status(rect_due, record.evaluation_date, as_of)]
    return AccidentStatus(level, criterion, approval_due, report, rect_due, rect_status)


def _withdrawals(
    not_public: list[tuple[Entry[Penalty], PenaltyStatus]], withdrawn_seen: Mapping[str, dt.date]
) -> list[Withdrawal]:
    """Withdrawn or changed decisions that were publishable: a minor's or an unpublished 轻微
    decision was never shown, so it has nothing to withdraw and is not named here either."""
    out = []
    for entry, status in not_public:
        record = entry.record
        if status.reason not in WITHDRAWN_REASONS:
            continue
        changed_on = record.state_date
        withdrawn_on = withdrawn_seen.get(record.key)
        if withdrawn_on and changed_on and withdrawn_on < changed_on:
            withdrawn_on = changed_on  # entered ahead of its date: the page comes down on that date
        due = withdrawal_due(changed_on) if changed_on else None
        timely = withdrawal_timely(changed_on, withdrawn_on) if changed_on and withdrawn_on else None
        out.append(Withdrawal(record.key, record.state, changed_on, record.state_reason or "", withdrawn_on, due, timely))
    out.sort(key=lambda w: (w.changed_on or dt.date.min, w.decision_number), reverse=True)
    return out


def _blacklist(public: list[Entry[Penalty]], settings: Settings, as_of: dt.date) -> list[BlacklistEntry]:
    """严重失信主体名单: parties with a public 严重 penalty, each listed for blacklist_months."""
    groups: dict[tuple[str, str, str], list[Penalty]] = defaultdict(list)
    for entry in public:
        record = entry.record
        if record.severity != "严重":
            continue
        until = add_months(record.decision_date, settings.blacklist_months)
        if as_of <= until:
            groups[(record.credit_code or "", record.party_name, record.party_type)].append(record)
    out = []
    for (code, name, party_type), records in groups.items():
        until = max(add_months(r.decision_date, settings.blacklist_months) for r in records)
        numbers = tuple(sorted(r.decision_number for r in records))
        out.append(BlacklistEntry(name, party_type, code, numbers, until))
    out.sort(key=lambda b: (b.party, b.credit_code))
    return out


def _timeliness_by_authority(seen: list[tuple[str, str]]) -> list[AuthorityTimeliness]:
    """`seen`: (authority, timeliness) of every public decision whose timeliness is known."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for authority, timeliness in seen:
        counts[authority][0] += 1
        counts[authority][1] += timeliness == "按时"
    return [AuthorityTimeliness(a, n, ok) for a, (n, ok) in sorted(counts.items())]
