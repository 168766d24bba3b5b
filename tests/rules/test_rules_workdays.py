from datetime import date, timedelta

import chinese_calendar
import pytest

from generator.rules.workdays import (
    NOT_COVERED_MESSAGE,
    WorkCalendar,
    YearNotCovered,
    YearSchedule,
    parse_year_schedule,
)

D = date.fromisoformat

SCHEDULE_2027 = {
    "年份": 2027,
    "放假": ["2027-01-01", "2027-02-05..2027-02-11"],
    "调休上班": ["2027-02-14", "2027-02-20"],
}


@pytest.fixture(scope="module")
def cal():
    return WorkCalendar()


@pytest.fixture(scope="module")
def cal2027():
    return WorkCalendar({2027: parse_year_schedule(SCHEDULE_2027)})


class TestPackageFacts:
    """The dates below were read from chinese_calendar 1.11.0, not guessed."""

    @pytest.mark.parametrize(
        "day, workday",
        [
            ("2025-01-24", True),  # Friday before 春节
            ("2025-01-26", True),  # Sunday, 调休上班
            ("2025-01-27", True),
            ("2025-01-28", False),  # 除夕 (2025 first time a holiday)
            ("2025-02-04", False),
            ("2025-02-05", True),
            ("2025-02-08", True),  # Saturday, 调休上班
            ("2025-02-09", False),  # ordinary Sunday
            ("2026-02-14", True),  # Saturday, 调休上班
            ("2026-02-15", False),
            ("2026-02-23", False),
            ("2026-02-24", True),
            ("2026-02-28", True),  # Saturday, 调休上班
            ("2026-03-01", False),
        ],
    )
    def test_is_workday(self, cal, day, workday):
        assert cal.is_workday(D(day)) is workday
        assert chinese_calendar.is_workday(D(day)) is workday  # the test data itself is right

    def test_datetime_accepted(self, cal):
        from datetime import datetime

        assert cal.is_workday(datetime(2025, 1, 26, 9, 30)) is True


class TestAddWorkingDays:
    def test_start_not_counted(self, cal):
        assert cal.add_working_days(D("2025-03-03"), 1) == D("2025-03-04")  # Mon → Tue

    def test_zero(self, cal):
        assert cal.add_working_days(D("2025-03-08"), 0) == D("2025-03-08")

    def test_ordinary_week(self, cal):
        # Monday + 7 working days: Tue..Fri (4), Mon..Wed (3).
        assert cal.add_working_days(D("2025-03-03"), 7) == D("2025-03-12")

    def test_across_spring_festival_2025(self, cal):
        # Fri 01-24: 01-26 Sun(1) 01-27(2) | 01-28..02-04 off | 02-05(3) 06(4) 07(5) 02-08 Sat(6) 02-10(7)
        assert cal.add_working_days(D("2025-01-24"), 7) == D("2025-02-10")
        assert cal.add_working_days(D("2025-01-24"), 1) == D("2025-01-26")
        assert cal.add_working_days(D("2025-01-24"), 3) == D("2025-02-05")
        assert cal.add_working_days(D("2025-01-24"), 6) == D("2025-02-08")

    def test_across_spring_festival_2026(self, cal):
        # Thu 02-12: 13(1) 14 Sat(2) | 15..23 off | 24(3) 25(4) 26(5) 27(6) 28 Sat(7)
        assert cal.add_working_days(D("2026-02-12"), 7) == D("2026-02-28")

    def test_negative(self, cal):
        with pytest.raises(ValueError):
            cal.add_working_days(D("2025-03-03"), -1)

    def test_runs_into_uncovered_year(self, cal):
        with pytest.raises(YearNotCovered) as e:
            cal.add_working_days(D("2026-12-24"), 7)
        assert e.value.year == 2027
        assert NOT_COVERED_MESSAGE in str(e.value)
        assert "2027" in e.value.message

    def test_within_covered_year_end(self, cal):
        # 2026-12-18 Fri + 7 = 12-29 Tue; never touches 2027.
        assert cal.add_working_days(D("2026-12-18"), 7) == D("2026-12-29")


class TestWorkingDaysAfter:
    def test_on_time(self, cal):
        assert cal.working_days_after(D("2025-02-10"), D("2025-02-10")) == 0
        assert cal.working_days_after(D("2025-02-10"), D("2025-01-30")) == 0

    def test_one_day_late(self, cal):
        assert cal.working_days_after(D("2025-02-10"), D("2025-02-11")) == 1

    def test_weekend_after_deadline_counts_as_one(self, cal):
        # Deadline Fri 2025-03-07, published Sat/Sun or Mon: all 1 working day late.
        for day in ("2025-03-08", "2025-03-09", "2025-03-10"):
            assert cal.working_days_after(D("2025-03-07"), D(day)) == 1
        assert cal.working_days_after(D("2025-03-07"), D("2025-03-11")) == 2

    def test_holidays_not_counted(self, cal):
        # Deadline Mon 2025-01-27; published Wed 02-05: only 02-05 is a working day in between.
        assert cal.working_days_after(D("2025-01-27"), D("2025-02-05")) == 1
        # Published during the holiday: late, by one.
        assert cal.working_days_after(D("2025-01-27"), D("2025-01-30")) == 1

    def test_make_up_saturday_counts(self, cal):
        # 02-07 Fri deadline, 02-08 is a 调休 Saturday: publishing then is 1 late, 02-10 is 2.
        assert cal.working_days_after(D("2025-02-07"), D("2025-02-08")) == 1
        assert cal.working_days_after(D("2025-02-07"), D("2025-02-10")) == 2


class TestSuppliedYear:
    def test_uncovered_without_schedule(self, cal):
        assert 2027 not in cal.covered_years()
        with pytest.raises(YearNotCovered):
            cal.is_workday(D("2027-03-01"))
        with pytest.raises(YearNotCovered):
            cal.is_workday(D("2003-12-31"))

    def test_covered_years(self, cal, cal2027):
        assert cal.covered_years()[0] == 2004 and cal.covered_years()[-1] == 2026
        assert cal2027.covered_years()[-1] == 2027
        assert cal2027.supplied_years() == (2027,)

    @pytest.mark.parametrize(
        "day, workday",
        [
            ("2027-01-01", False),  # listed holiday, a Friday
            ("2027-01-04", True),  # ordinary Monday
            ("2027-02-05", False),
            ("2027-02-06", False),  # Saturday inside the range
            ("2027-02-11", False),
            ("2027-02-12", True),
            ("2027-02-13", False),  # ordinary Saturday
            ("2027-02-14", True),  # 调休 Sunday
            ("2027-02-20", True),  # 调休 Saturday
        ],
    )
    def test_supplied_days(self, cal2027, day, workday):
        assert cal2027.is_workday(D(day)) is workday

    def test_deadline_across_year_end_with_supplied_year(self, cal2027):
        # 2026-12-24 Thu: 25(1) 28(2) 29(3) 30(4) 31(5) | 2027-01-01 off | 01-04(6) 01-05(7)
        assert cal2027.add_working_days(D("2026-12-24"), 7) == D("2027-01-05")

    def test_deadline_across_supplied_spring_festival(self, cal2027):
        # Thu 02-04: 02-05..11 off, 12(1), 14 Sun(2), 15..19(3..7)
        assert cal2027.add_working_days(D("2027-02-04"), 7) == D("2027-02-19")

    def test_still_uncovered_after_supplied(self, cal2027):
        with pytest.raises(YearNotCovered) as e:
            cal2027.is_workday(D("2028-01-03"))
        assert e.value.year == 2028

    def test_package_wins_for_covered_year(self):
        bogus = YearSchedule(frozenset({D("2025-03-03")}), frozenset(), 2025)
        c = WorkCalendar({2025: bogus})
        assert c.is_workday(D("2025-03-03")) is True
        assert c.superseded_years() == (2025,)
        assert c.supplied_years() == ()

    def test_supplied_year_may_move_late_december_of_previous_year(self):
        # A 2027 notice making Sat 2026-12-26 a working day overrides the package's 2026.
        assert chinese_calendar.is_workday(D("2026-12-26")) is False
        sched = parse_year_schedule({"年份": 2027, "放假": ["2027-01-01"], "调休上班": ["2026-12-26"]})
        assert WorkCalendar({2027: sched}).is_workday(D("2026-12-26")) is True

    def test_year_mismatch(self):
        with pytest.raises(ValueError, match="年份不一致"):
            WorkCalendar({2028: parse_year_schedule(SCHEDULE_2027)})


class TestParseYearSchedule:
    def test_parse(self):
        s = parse_year_schedule(SCHEDULE_2027)
        assert s.year == 2027
        assert s.holidays == frozenset({D("2027-01-01")} | {D("2027-02-05") + timedelta(i) for i in range(7)})
        assert s.workdays == frozenset({D("2027-02-14"), D("2027-02-20")})

    def test_year_as_string_and_date_objects_from_yaml(self):
        s = parse_year_schedule(
            {"年份": "2027", "放假": [D("2027-01-01")], "调休上班": D("2027-02-14"), "依据": "国办发明电"}
        )
        assert s.holidays == frozenset({D("2027-01-01")}) and s.workdays == frozenset({D("2027-02-14")})

    def test_range_with_spaces_and_single_string(self):
        s = parse_year_schedule({"年份": 2027, "放假": "2027-10-01 .. 2027-10-07"})
        assert len(s.holidays) == 7 and s.workdays == frozenset()

    @pytest.mark.parametrize(
        "data, fragment",
        [
            ({"放假": ["2027-01-01"]}, "缺少“年份”"),
            ({"年份": "二〇二七", "放假": ["2027-01-01"]}, "年份应为四位数字"),
            ({"年份": True, "放假": ["2027-01-01"]}, "年份应为四位数字"),
            ({"年份": 2027}, "为空"),
            ({"年份": 2027, "放假": ["2027/01/01"]}, "日期格式"),
            ({"年份": 2027, "放假": ["2027-02-30"]}, "日期格式"),
            ({"年份": 2027, "放假": ["2027-02-11..2027-02-05"]}, "结束日期早于开始日期"),
            ({"年份": 2027, "放假": ["2028-01-01"]}, "不属于2027年"),
            ({"年份": 2027, "放假": ["2026-11-30"]}, "不属于2027年"),
            ({"年份": 2027, "放假": ["2027-01-01"], "调休上班": ["2027-02-15"]}, "不是周六或周日"),
            ({"年份": 2027, "放假": ["2027-02-06..2027-02-14"], "调休上班": ["2027-02-14"]}, "同时列在"),
            ({"年份": 2027, "放假": ["2027-01-01"], "holidays": []}, "未知字段"),
            (["2027-01-01"], "映射"),
        ],
    )
    def test_bad_input(self, data, fragment):
        with pytest.raises(ValueError) as e:
            parse_year_schedule(data)
        assert fragment in str(e.value)
