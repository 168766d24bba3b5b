"""The Chinese working-day calendar (法定节假日 and 调休), for deadlines in working days.

Source of truth is the maintained `chinese_calendar` package, never a table written here.
The State Council announces a year's schedule around November of the year before, and the
package may lag: a bureau can supply that year's schedule in a data file until it catches up.
A deadline that needs a year nobody covers raises YearNotCovered ("该年度节假日安排未收录").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import chinese_calendar

NOT_COVERED_MESSAGE = "该年度节假日安排未收录"


class YearNotCovered(LookupError):
    """Neither chinese_calendar nor a bureau-supplied schedule covers `year`."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.message = (
            f"{year}年：{NOT_COVERED_MESSAGE}（请更新 chinese-calendar，或在数据文件中提供该年度放假安排）"
        )
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """One year's announced schedule.

    holidays: days off (a listed range may include weekend days; harmless).
    workdays: make-up working days on a weekend (调休上班).
    year: the announced year, when known (set by parse_year_schedule).
    """

    holidays: frozenset[date]
    workdays: frozenset[date]
    year: int | None = None


def _package_years() -> tuple[int, int]:
    # The package's own notion of coverage (it raises outside min..max of its holiday table).
    keys = chinese_calendar.holidays.keys()
    return min(keys).year, max(keys).year


class WorkCalendar:
    """Working days from chinese_calendar, completed by bureau-supplied years.

    For a year the package covers, the package wins and a supplied schedule for it is ignored
    (see superseded_years(), so the caller can say the file may be removed). The one exception:
    a supplied schedule for a year the package does not cover decides the dates it lists even
    in the previous year, because a notice may move late-December days of that year
    (e.g. a Saturday before 元旦 becomes a working day) after the package was released.
    """

    def __init__(self, supplied: Mapping[int, YearSchedule] | None = None) -> None:
        supplied = dict(supplied or {})
        for year, schedule in supplied.items():
            if schedule.year is not None and schedule.year != year:
                raise ValueError(f"放假安排年份不一致：登记为{year}年，文件内容为{schedule.year}年")
        self._package_min, self._package_max = _package_years()
        self._supplied = {y: s for y, s in supplied.items() if not self._package_covers(y)}
        self._superseded = tuple(sorted(y for y in supplied if self._package_covers(y)))
        # Explicit dates from the supplied (uncovered) years, by date.
        self._explicit: dict[date, bool] = {}
        for s in self._supplied.values():
            for d in s.holidays:
                self._explicit[d] = False
            for d in s.workdays:
                self._explicit[d] = True
        self._cache: dict[date, bool] = {}

    def _package_covers(self, year: int) -> bool:
        return self._package_min <= year <= self._package_max

    def covered_years(self) -> tuple[int, ...]:
        """Every year for which is_workday answers, ascending."""
        years = set(range(self._package_min, self._package_max + 1)) | set(self._supplied)
        return tuple(sorted(years))

    def supplied_years(self) -> tuple[int, ...]:
        """Bureau-supplied years that are in use (the package does not cover them)."""
        return tuple(sorted(self._supplied))

    def superseded_years(self) -> tuple[int, ...]:
        """Bureau-supplied years the package now covers: ignored, the file can go."""
        return self._superseded

    def is_workday(self, d: date) -> bool:
        if isinstance(d, datetime):
            d = d.date()
        cached = self._cache.get(d)
        if cached is not None:
            return cached
        if d in self._explicit:
            result = self._explicit[d]
        elif self._package_covers(d.year):
            result = bool(chinese_calendar.is_workday(d))
        elif d.year in self._supplied:
            result = d.weekday() < 5
        else:
            raise YearNotCovered(d.year)
        self._cache[d] = result
        return result

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start`; `start` itself is not counted (n=0 gives `start`).

        "Within 7 working days of the decision" = on or before add_working_days(decision, 7).
        """
        if n < 0:
            raise ValueError("工作日天数不能为负数")
        d = start
        while n > 0:
            d += timedelta(days=1)
            if self.is_workday(d):
                n -= 1
        return d

    def working_days_after(self, deadline: date, actual: date) -> int:
        """How many working days `actual` is past `deadline`; 0 when on or before it.

        Counted as the working days in (deadline, actual], plus one when `actual` itself is a
        day off after the deadline: publishing on the Saturday after a Friday deadline is late,
        by the same measure as publishing on Monday (the 1st working day after the deadline).
        """
        if actual <= deadline:
            return 0
        late = 0
        d = deadline
        while d < actual:
            d += timedelta(days=1)
            if self.is_workday(d):
                late += 1
        if not self.is_workday(actual):
            late += 1
        return late


# --- the data file of a supplied year ------------------------------------------------------

_KEYS_REQUIRED = ("年份",)
_KEYS_OPTIONAL = ("放假", "调休上班", "依据", "说明")
_RANGE = re.compile(r"^\s*(\S+)\s*\.\.\s*(\S+)\s*$")


def _parse_date(value: Any, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{where}：日期格式应为 YYYY-MM-DD，实际为“{value}”")


def _expand(values: Any, where: str) -> list[date]:
    if values is None:
        return []
    if isinstance(values, str | date) or not isinstance(values, Iterable):
        values = [values]
    out: list[date] = []
    for v in values:
        m = _RANGE.match(v) if isinstance(v, str) else None
        if m:
            first, last = _parse_date(m.group(1), where), _parse_date(m.group(2), where)
            if last < first:
                raise ValueError(f"{where}：日期范围“{v}”的结束日期早于开始日期")
            out.extend(first + timedelta(days=i) for i in range((last - first).days + 1))
        else:
            out.append(_parse_date(v, where))
    return out


def parse_year_schedule(data: Mapping[str, Any]) -> YearSchedule:
    """A bureau-supplied year, e.g.

        年份: 2027
        依据: 国务院办公厅关于2027年部分节假日安排的通知   # optional
        放假: [2027-02-05, "2027-02-06..2027-02-11"]
        调休上班: [2027-02-14]

    Ranges are inclusive ("a..b"). Dates must lie in that year, or in December of the year
    before (a notice may move days before 元旦). 调休上班 days must be Saturdays or Sundays.
    Raises ValueError with a Chinese message.
    """
    if not isinstance(data, Mapping):
        raise ValueError("放假安排应为一个映射（包含“年份”“放假”“调休上班”）")
    unknown = [k for k in data if k not in _KEYS_REQUIRED + _KEYS_OPTIONAL]
    if unknown:
        allowed = "、".join(_KEYS_REQUIRED + _KEYS_OPTIONAL)
        raise ValueError(f"放假安排含未知字段：{'、'.join(map(str, unknown))}（允许：{allowed}）")
    if "年份" not in data:
        raise ValueError("放假安排缺少“年份”")
    raw_year = data["年份"]
    # bool is an int subclass; YAML turns some words into booleans.
    if isinstance(raw_year, bool) or not re.fullmatch(r"\d{4}", str(raw_year).strip()):
        raise ValueError(f"年份应为四位数字，实际为“{raw_year}”")
    year = int(str(raw_year).strip())
    holidays = _expand(data.get("放假"), "放假")
    workdays = _expand(data.get("调休上班"), "调休上班")
    if not holidays and not workdays:
        raise ValueError(f"{year}年放假安排为空：至少应列出“放假”日期")
    earliest = date(year - 1, 12, 1)
    for where, days in (("放假", holidays), ("调休上班", workdays)):
        for d in days:
            if not earliest <= d <= date(year, 12, 31):
                raise ValueError(f"{where}：{d.isoformat()} 不属于{year}年的放假安排")
    for d in workdays:
        if d.weekday() < 5:
            raise ValueError(f"调休上班：{d.isoformat()} 不是周六或周日")
    both = sorted(set(holidays) & set(workdays))
    if both:
        raise ValueError(f"{both[0].isoformat()} 同时列在“放假”和“调休上班”中")
    return YearSchedule(frozenset(holidays), frozenset(workdays), year)
