"""Working-day arithmetic for synthetic dates, precomputed once per dataset.

Years the pinned chinese-calendar covers use the official schedule (holidays and 调休 make-up
days); other years fall back to Monday–Friday, which is good enough for synthetic data.
"""

from __future__ import annotations

import bisect
from datetime import date, timedelta

try:  # the project depends on it, but synthetic data must not break if it is missing
    import chinese_calendar as _cc
except ImportError:  # pragma: no cover
    _cc = None


def _is_workday(d: date) -> bool:
    if _cc is not None:
        try:
            return bool(_cc.is_workday(d))
        except (NotImplementedError, ValueError):
            pass
    return d.weekday() < 5


class WorkCalendar:
    """Working days from `start` to `end` (inclusive), indexable."""

    def __init__(self, start: date, end: date):
        self.start = start
        self.days: list[date] = []
        d = start
        one = timedelta(days=1)
        while d <= end:
            if _is_workday(d):
                self.days.append(d)
            d += one
        self._ordinals = [x.toordinal() for x in self.days]

    def index_on_or_before(self, d: date) -> int:
        """Index of the last working day ≤ d (0 if none)."""
        return max(bisect.bisect_right(self._ordinals, d.toordinal()) - 1, 0)

    def add(self, index: int, n: int) -> date:
        return self.days[min(index + n, len(self.days) - 1)]


def add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, m, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
