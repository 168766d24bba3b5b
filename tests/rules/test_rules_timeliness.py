from datetime import date

import pytest

from generator.rules.timeliness import (
    STATUS_LABELS,
    assess_publication,
    deadline_status,
    publication_deadline,
    rectification_due,
    report_due,
    withdrawal_due,
    withdrawal_timely,
)
from generator.rules.workdays import WorkCalendar, YearNotCovered, parse_year_schedule

D = date.fromisoformat


@pytest.fixture(scope="module")
def cal():
    return WorkCalendar()


class TestPenaltyPublication:
    def test_deadline_ordinary_week(self, cal):
        assert publication_deadline(D("2025-03-03"), cal) == D("2025-03-12")

    def test_on_deadline_is_on_time(self, cal):
        t = assess_publication(D("2025-03-03"), D("2025-03-12"), cal)
        assert (t.deadline, t.on_time, t.late_working_days, t.label) == (D("2025-03-12"), True, 0, "按时")

    def test_same_day(self, cal):
        assert assess_publication(D("2025-03-03"), D("2025-03-03"), cal).on_time

    def test_day_after_deadline(self, cal):
        t = assess_publication(D("2025-03-03"), D("2025-03-13"), cal)
        assert (t.on_time, t.late_working_days, t.label) == (False, 1, "逾期 1 个工作日")

    def test_across_spring_festival_2025(self, cal):
        # Decision Fri 2025-01-24: deadline 02-10 (two 调休 weekend days count).
        assert assess_publication(D("2025-01-24"), D("2025-02-10"), cal).on_time
        t = assess_publication(D("2025-01-24"), D("2025-02-12"), cal)
        assert t.deadline == D("2025-02-10") and t.label == "逾期 2 个工作日"

    def test_configurable_working_days(self, cal):
        # 20 working days (other enforcement information) from Mon 2025-03-03: Mon 03-31.
        t = assess_publication(D("2025-03-03"), D("2025-03-31"), cal, working_days=20)
        assert t.deadline == D("2025-03-31") and t.on_time

    def test_propagates_year_not_covered(self, cal):
        with pytest.raises(YearNotCovered):
            assess_publication(D("2026-12-28"), D("2027-01-04"), cal)

    def test_supplied_year(self):
        sched = parse_year_schedule({"年份": 2027, "放假": ["2027-01-01"]})
        t = assess_publication(D("2026-12-28"), D("2027-01-07"), WorkCalendar({2027: sched}))
        # 29(1) 30(2) 31(3) | 01-01 off | 04(4) 05(5) 06(6) 07(7)
        assert t.deadline == D("2027-01-07") and t.on_time

    def test_published_before_decision(self, cal):
        with pytest.raises(ValueError, match="早于处罚决定日期"):
            assess_publication(D("2025-03-03"), D("2025-03-02"), cal)


class TestAccidentDeadlines:
    def test_report_due(self):
        assert report_due(D("2025-01-10")) == D("2025-03-11")
        assert report_due(D("2025-01-10"), extended=True) == D("2025-05-10")
        assert report_due(D("2024-12-31")) == D("2025-03-01")

    def test_rectification_due(self):
        assert rectification_due(D("2025-06-15")) == D("2026-06-15")
        assert rectification_due(D("2024-02-29")) == D("2025-02-28")

    @pytest.mark.parametrize(
        "done_on, as_of, expected",
        [
            (None, "2025-03-10", "due"),
            (None, "2025-03-11", "due"),  # the due day itself
            (None, "2025-03-12", "overdue"),
            ("2025-03-01", "2025-03-12", "done"),
            ("2025-04-01", "2025-04-02", "done"),  # done late is still done
            ("2025-03-20", "2025-03-12", "overdue"),  # not yet done on as_of
            ("2025-03-20", "2025-03-05", "due"),
        ],
    )
    def test_deadline_status(self, done_on, as_of, expected):
        due = D("2025-03-11")
        assert deadline_status(due, D(done_on) if done_on else None, D(as_of)) == expected

    def test_labels(self):
        assert STATUS_LABELS == {"done": "已完成", "due": "未到期", "overdue": "已逾期"}


class TestWithdrawal:
    def test_three_calendar_days(self):
        changed = D("2025-01-27")  # over the 春节 holiday: calendar days, not working days
        assert withdrawal_due(changed) == D("2025-01-30")
        assert withdrawal_timely(changed, D("2025-01-27"))
        assert withdrawal_timely(changed, D("2025-01-30"))
        assert not withdrawal_timely(changed, D("2025-01-31"))
