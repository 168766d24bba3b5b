"""The charts of the statistics pages: each a static SVG plus its data table (see svg.py)."""

from __future__ import annotations

from generator.schema.headers import ACCIDENT_LEVELS

from . import stats as S
from .html import count, e, money, percent, table
from .svg import Series, bar_chart, column_chart, line_chart


def _months(t: S.PenaltyTally, year: int | None = None) -> S.Items:
    """Counts per month with the empty months filled in, so the time axis is honest."""
    counted = dict(S.by_label(t.months))
    if year is not None:
        span = [f"{year}-{m:02d}" for m in range(1, 13)]
    elif counted:
        span = _month_span(min(counted), max(counted))
    else:
        span = []
    return [(m, counted.get(m, 0)) for m in span]


def _month_span(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` ("YYYY-MM"), both included."""
    year, month = (int(part) for part in first.split("-"))
    span = []
    while True:
        label = f"{year:04d}-{month:02d}"
        span.append(label)
        if label >= last:
            return span
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _years_filled(items: S.Items) -> S.Items:
    if not items:
        return []
    values = dict(items)
    lo, hi = int(min(values)), int(max(values))
    return [(str(y), values.get(str(y), 0)) for y in range(lo, hi + 1)]


def _levels(t: S.AccidentTally) -> S.Items:
    counted = dict(S.ranked(t.levels))
    order = [lvl for lvl in ACCIDENT_LEVELS if lvl in counted] + sorted(
        k for k in counted if k not in ACCIDENT_LEVELS
    )
    return [(f"{k}事故" if k in ACCIDENT_LEVELS else k, counted[k]) for k in order]


def _rate_tenths(t: S.Timeliness) -> int:
    return (t.on_time * 1000 * 2 + t.assessed) // (t.assessed * 2)  # rounded half up, integer only


def _tenths(v: int) -> str:
    return f"{v // 10}.{v % 10}%"


def timeliness_block(chart_id: str, t: S.PenaltyTally, caption: str) -> str:
    rows = S.timeliness(t)
    if not rows:
        return f"<p>{e(caption)}：暂无可评估的公示日期。</p>"
    chart = bar_chart(
        Series(
            chart_id,
            caption,
            f"{caption}，按处罚机关列出按时公示的比例。",
            "处罚机关",
            "按时公示率",
            [(t.authority, _rate_tenths(t)) for t in rows],
            _tenths,
        )
    )
    detail = table(
        f"{caption}（明细）",
        ("处罚机关", "可评估决定数", "按时公示", "按时公示率"),
        ((t.authority, count(t.assessed), count(t.on_time), percent(t.on_time, t.assessed)) for t in rows),
        numeric=(1, 2, 3),
    )
    return chart + detail


def penalty_charts(prefix: str, t: S.PenaltyTally, year: int | None) -> str:
    scope = f"{year}年" if year else "历年"
    parts = []
    if year is None:
        parts.append(
            column_chart(
                Series(
                    f"{prefix}-year",
                    "行政处罚决定数（按年份）",
                    "每年作出的行政处罚决定数。",
                    "年份",
                    "决定数",
                    _years_filled(S.by_label(t.years)),
                )
            )
        )
        fines = S.by_label(t.year_fines)
        parts.append(
            column_chart(
                Series(
                    f"{prefix}-fines",
                    "罚款金额合计（按年份）",
                    "每年罚款金额合计，单位元。",
                    "年份",
                    "罚款金额",
                    _years_filled(fines),
                    money,
                )
            )
        )
    parts += [
        column_chart(
            Series(
                f"{prefix}-month",
                f"{scope}行政处罚决定数（按月份）",
                "每月作出的行政处罚决定数。",
                "月份",
                "决定数",
                _months(t, year),
            )
        ),
        bar_chart(
            Series(
                f"{prefix}-cat",
                f"{scope}行政处罚决定（按处罚类别）",
                "一件决定含多个处罚类别时，在每个类别下各计一次。",
                "处罚类别",
                "决定数",
                S.ranked(t.categories),
            )
        ),
        bar_chart(
            Series(
                f"{prefix}-vio",
                f"{scope}行政处罚决定（按违法行为类型，前 15 类）",
                "按违法行为类型统计的决定数，其余类型合并为“其他”。",
                "违法行为类型",
                "决定数",
                S.top(S.ranked(t.violations), 15),
            )
        ),
        column_chart(
            Series(
                f"{prefix}-dist",
                f"{scope}罚款金额分布",
                "按罚款金额区间统计的决定数（不含未罚款的决定）。",
                "罚款金额区间",
                "决定数",
                S.fine_classes(t),
            )
        ),
    ]
    if year is not None:
        parts.append(
            bar_chart(
                Series(
                    f"{prefix}-auth",
                    f"{year}年行政处罚决定（按处罚机关）",
                    "各处罚机关作出的决定数。",
                    "处罚机关",
                    "决定数",
                    S.ranked(t.authorities),
                )
            )
        )
    parts.append(timeliness_block(f"{prefix}-time", t, f"{scope}按时公示率（按处罚机关）"))
    return "".join(parts)


def accident_charts(prefix: str, t: S.AccidentTally, year: int | None) -> str:
    scope = f"{year}年" if year else "历年"
    parts = [
        bar_chart(
            Series(
                f"{prefix}-level",
                f"{scope}生产安全事故（按事故等级）",
                "按《生产安全事故报告和调查处理条例》第三条认定的等级。",
                "事故等级",
                "事故起数",
                _levels(t),
            )
        ),
        bar_chart(
            Series(
                f"{prefix}-ind",
                f"{scope}生产安全事故（按所属行业）",
                "按事故发生单位所属行业统计的事故起数。",
                "所属行业",
                "事故起数",
                S.ranked(t.industries),
            )
        ),
    ]
    if year is None:
        parts += [
            column_chart(
                Series(
                    f"{prefix}-year",
                    "生产安全事故起数（按年份）",
                    "每年发生的生产安全事故起数。",
                    "年份",
                    "事故起数",
                    _years_filled(S.by_label(t.years)),
                )
            ),
            line_chart(
                Series(
                    f"{prefix}-deaths",
                    "死亡人数（按年份）",
                    "每年生产安全事故死亡（含失踪）人数。",
                    "年份",
                    "死亡人数",
                    _years_filled(S.by_label(t.year_deaths)),
                )
            ),
        ]
    return "".join(parts)
