"""Deadlines: publishing penalties, accident reports and rectification, withdrawals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from .periods import add_months
from .workdays import WorkCalendar

# 国办发〔2018〕118号: penalty and licence decisions within 7 working days of the decision;
# other enforcement information within 20.
PENALTY_WORKING_DAYS = 7
OTHER_ENFORCEMENT_WORKING_DAYS = 20


@dataclass(frozen=True, slots=True)
class Timeliness:
    deadline: date
    on_time: bool
    late_working_days: int
    label: str  # "按时" or "逾期 N 个工作日"


def publication_deadline(
    decision_date: date, calendar: WorkCalendar, working_days: int = PENALTY_WORKING_DAYS
) -> date:
    """Last day to publish: the N-th working day after the decision (the decision day not counted).

    Raises YearNotCovered when the deadline runs into a year without a holiday schedule.
    """
    return calendar.add_working_days(decision_date, working_days)


def assess_publication(
    decision_date: date,
    published_on: date,
    calendar: WorkCalendar,
    working_days: int = PENALTY_WORKING_DAYS,
) -> Timeliness:
    """Was the decision published within `working_days` working days?

    Raises YearNotCovered (see workdays) and ValueError when published before the decision,
    which is a data error, not a timeliness question.
    """
    if published_on < decision_date:
        raise ValueError(f"公开日期 {published_on.isoformat()} 早于处罚决定日期 {decision_date.isoformat()}")
    deadline = publication_deadline(decision_date, calendar, working_days)
    late = calendar.working_days_after(deadline, published_on)
    label = "按时" if late == 0 else f"逾期 {late} 个工作日"
    return Timeliness(deadline, late == 0, late, label)


# --- accident investigations (国务院令第493号, 安全生产法 art. 86) -------------------------

REPORT_DAYS = 60  # 493号 art. 29: report within 60 days of the accident
REPORT_EXTENSION_DAYS = 60  # extendable, with approval, by at most 60 days
RECTIFICATION_MONTHS = 12  # 安全生产法 art. 86: evaluation within one year of the approval


def report_due(accident_date: date, *, extended: bool = False) -> date:
    """Last day for the investigation report: accident date + 60 days (+ 60 when extended).

    Calendar days; the accident day is not counted (a period in days starts the next day).
    """
    return accident_date + timedelta(days=REPORT_DAYS + (REPORT_EXTENSION_DAYS if extended else 0))


def rectification_due(approval_date: date) -> date:
    """Last day for publishing the rectification evaluation: one year after the approval (批复)."""
    return add_months(approval_date, RECTIFICATION_MONTHS)


Status = Literal["done", "due", "overdue"]
STATUS_LABELS: dict[str, str] = {"done": "已完成", "due": "未到期", "overdue": "已逾期"}


def deadline_status(due: date, done_on: date | None, as_of: date) -> Status:
    """done / due / overdue, as it stood on `as_of`.

    Something done after `as_of` was not done yet on `as_of` (builds with --as-of in the past
    must show what was true then).
    """
    if done_on is not None and done_on <= as_of:
        return "done"
    return "due" if as_of <= due else "overdue"


# --- withdrawal (行政处罚法 2021, art. 48) -------------------------------------------------

WITHDRAWAL_DAYS = 3


def withdrawal_due(changed_on: date) -> date:
    """Last day to withdraw a publication after the decision was changed, revoked or annulled.

    Three calendar days, the day of the change not counted.
    """
    return changed_on + timedelta(days=WITHDRAWAL_DAYS)


def withdrawal_timely(changed_on: date, withdrawn_on: date) -> bool:
    return withdrawn_on <= withdrawal_due(changed_on)
