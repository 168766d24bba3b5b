"""How long a penalty decision stays public (公示期), domain.md §2.

Two regimes, chosen by the decision date:
- "2019": 发改办财金〔2019〕527号: 一般失信 3 months to 1 year, 严重失信 6 months to 3 years.
- "2026": the credit-repair measures in force from 2026-04-01: 轻微 in principle not published
  (at most 3 months), 一般 3 months to 1 year, 严重 1 to 3 years.
Periods count from the decision date; at the maximum the record stops being public by itself.
A bureau's local rules may lengthen the minimums (PeriodPolicy.minimum_months).
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Regime = Literal["2019", "2026"]
SEVERITIES = ("轻微", "一般", "严重")
REGIME_2026_START = date(2026, 4, 1)

# Source names used in the user-facing rule text. [?] exact titles not verified against the
# gazette; they are kept here, in one place, to be corrected.
_SOURCE = {
    "2019": "《关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知》"
    "（发改办财金〔2019〕527号）",
    "2026": "《失信行为纠正后的信用信息修复管理办法》（2026年4月1日起）",
}

# (minimum, maximum) in months, per regime and severity.
# Decision: the 2019 regime has no 轻微 category; a 轻微 record decided before 2026-04-01 is
# treated like 一般 (3 months to 1 year) and is published, whatever publish_minor says.
LEGAL_BOUNDS: dict[str, dict[str, tuple[int, int]]] = {
    "2019": {"轻微": (3, 12), "一般": (3, 12), "严重": (6, 36)},
    "2026": {"轻微": (0, 3), "一般": (3, 12), "严重": (12, 36)},
}


@functools.lru_cache(maxsize=1 << 16)  # a few thousand distinct days, asked for per record
def add_months(d: date, n: int) -> date:
    """`d` moved by n months (n may be negative); the day is clamped to the target month's end."""
    month0 = d.month - 1 + n
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def period_last_day(start: date, months: int) -> date:
    """Last day of a period of `months` months counted from `start` (民法典 arts. 201–202).

    Art. 201: the day the period starts (the decision day) is not counted; it runs from the next day.
    Art. 202: a period in months or years ends on the corresponding day of the final month, or on
    that month's last day when it has no corresponding day.  So 2026-04-01 + 1 year → 2027-04-01,
    2025-11-30 + 3 months → 2026-02-28; this matches how credit portals fill 公示截止期.
    """
    return add_months(start, months)


def regime_for(decision_date: date) -> Regime:
    """The regime of a decision: "2026" from 2026-04-01 inclusive, else "2019".

    Also "2019" for decisions before 2019: the earliest regime this code knows.
    """
    return "2026" if decision_date >= REGIME_2026_START else "2019"


@dataclass(frozen=True)
class PeriodPolicy:
    """The bureau's settings.

    publish_minor: publish 轻微 records (2026 regime; at most 3 months) instead of not at all.
    minimum_months: local minimum per severity, lengthening the legal minimum, e.g. {"一般": 6}.
    default_severity: used when a record does not say.
    """

    publish_minor: bool = False
    minimum_months: dict[str, int] = field(default_factory=dict)
    default_severity: str = "一般"

    def __post_init__(self) -> None:
        if self.default_severity not in SEVERITIES:
            raise ValueError(
                f"默认失信严重程度应为{'、'.join(SEVERITIES)}之一，实际为“{self.default_severity}”"
            )
        for severity, months in self.minimum_months.items():
            if severity not in SEVERITIES:
                raise ValueError(f"本地最短公示期：未知的失信严重程度“{severity}”")
            if isinstance(months, bool) or not isinstance(months, int) or months < 0:
                raise ValueError(f"本地最短公示期（{severity}）应为非负整数月，实际为“{months}”")
            # A local minimum above a legal maximum cannot be satisfied in any regime.
            cap = min(bounds[severity][1] for bounds in LEGAL_BOUNDS.values())
            if months > cap:
                raise ValueError(
                    f"本地最短公示期（{severity}）{months}个月超过法定最长公示期{_months_zh(cap)}"
                )


@dataclass(frozen=True, slots=True)
class PeriodResult:
    end: date | None  # last public day, inclusive; None when not published
    regime: Regime
    rule: str  # which rule produced `end`, in Chinese, for the notice on an expired record
    published: bool
    problem: str | None = None  # the stated end was outside the allowed range
    earliest_end: date | None = None  # allowed range of the last public day
    latest_end: date | None = None


def _months_zh(months: int) -> str:
    if months and months % 12 == 0:
        return f"{months // 12}年"
    return f"{months}个月"


def publication_end(
    decision_date: date,
    severity: str | None,
    stated_end: date | None,
    policy: PeriodPolicy | None = None,
) -> PeriodResult:
    """The last day a penalty is public, and which rule says so.

    No stated end: the maximum (the record then disappears by itself).
    A stated end (公示截止期) inside the allowed range is kept. Outside it, `problem` says so
    and `end` is clamped into the range: past the maximum the law ends publication anyway,
    before the minimum the record must stay up (early removal is 信用修复, which the stated
    end cannot anticipate).
    """
    policy = policy or PeriodPolicy()
    severity = severity or policy.default_severity
    if severity not in SEVERITIES:
        raise ValueError(f"失信严重程度应为{'、'.join(SEVERITIES)}之一，实际为“{severity}”")
    regime = regime_for(decision_date)
    source = _SOURCE[regime]

    if regime == "2026" and severity == "轻微" and not policy.publish_minor:
        return PeriodResult(None, regime, f"{source}：轻微失信行为原则上不予公示", published=False)

    legal_min, legal_max = LEGAL_BOUNDS[regime][severity]
    local_min = policy.minimum_months.get(severity, 0)
    minimum = max(legal_min, local_min)
    rule = f"{source}：{severity}失信行为公示期"
    rule += (
        f"最短{_months_zh(legal_min)}、最长{_months_zh(legal_max)}"
        if legal_min
        else f"最长{_months_zh(legal_max)}"
    )
    if local_min > legal_min:
        rule += f"；本地规定最短{_months_zh(local_min)}"

    earliest = period_last_day(decision_date, minimum)
    latest = period_last_day(decision_date, legal_max)
    if stated_end is None:
        return PeriodResult(latest, regime, rule, True, None, earliest, latest)

    if earliest <= stated_end <= latest:
        return PeriodResult(stated_end, regime, rule, True, None, earliest, latest)
    kind = "短于最短公示期" if stated_end < earliest else "超过最长公示期"
    problem = (
        f"公示截止期{kind}：应在 {earliest.isoformat()} 至 {latest.isoformat()} 之间"
        f"（{rule}，自处罚决定日期 {decision_date.isoformat()} 起算），实际为 {stated_end.isoformat()}"
    )
    end = earliest if stated_end < earliest else latest
    return PeriodResult(end, regime, rule, True, problem, earliest, latest)


def is_public_on(as_of: date, end: date) -> bool:
    """Public through `end` inclusive; gone from the day after."""
    return as_of <= end
