"""The numbers behind the statistics pages, computed with pandas.

What is counted (统计口径, stated on the pages too): enforcement activity, not what is on display.
Every penalty decision in the data dated on or before as_of counts, including decisions whose
publication period has ended, 轻微 decisions that are not published and decisions about minors —
as anonymous counts only; no party is ever named here.  Decisions whose state is 撤销 or 变更 are left
out: the original decision no longer stands (a changed decision entered again counts as the new one).
Accidents: every accident that occurred on or before as_of (accident reports are never taken down).
Money is integer 分 throughout, so sums are exact and formatting never shows float artefacts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from generator.catalog import Catalog
from generator.publication import Publication, state_on

from .html import fen_of_wan

COUNTED_STATES = ("正常",)
# Fine distribution classes in 元 (lower bound inclusive); the last is open-ended.
FINE_EDGES_YUAN = (0, 10_000, 30_000, 50_000, 100_000, 200_000, 500_000)
UNSTATED = "未填写"
Items = list[tuple[str, int]]


def penalty_frame(catalog: Catalog, publication: Publication, as_of: dt.date) -> pd.DataFrame:
    rows = []
    for entry in catalog.penalties:
        r = entry.record
        if r.decision_date > as_of or state_on(r, as_of) not in COUNTED_STATES:
            continue
        status = publication.penalty_status.get(entry.key)
        timeliness = status.timeliness if status else ""
        rows.append(
            {
                "key": entry.key,
                "year": r.decision_date.year,
                "month": f"{r.decision_date:%Y-%m}",
                "categories": list(r.categories),
                "violation": r.violation_type,
                "authority": r.authority,
                "fine_fen": fen_of_wan(r.fine_wan),
                "assessed": bool(timeliness),
                "on_time": timeliness == "按时",
            }
        )
    columns = [
        "key",
        "year",
        "month",
        "categories",
        "violation",
        "authority",
        "fine_fen",
        "assessed",
        "on_time",
    ]
    return pd.DataFrame(rows, columns=columns)


def accident_frame(catalog: Catalog, publication: Publication, as_of: dt.date) -> pd.DataFrame:
    rows = []
    for entry in catalog.accidents:
        r = entry.record
        if r.occurred_date > as_of:
            continue
        status = publication.accident_status.get(entry.key)
        rows.append(
            {
                "key": entry.key,
                "year": r.occurred_date.year,
                "level": (status.level if status else r.level) or "未认定",
                "industry": r.industry or UNSTATED,
                "type": r.accident_type or UNSTATED,
                "deaths": r.deaths or 0,
                "serious": r.serious_injuries or 0,
                "loss_fen": fen_of_wan(r.loss_wan),
            }
        )
    columns = ["key", "year", "level", "industry", "type", "deaths", "serious", "loss_fen"]
    return pd.DataFrame(rows, columns=columns)


def _items(series: pd.Series, *, by_value: bool) -> Items:
    """(label, int) pairs: by descending value then label, or by label (time axes)."""
    pairs = [(str(k), int(v)) for k, v in series.items()]
    return sorted(pairs, key=lambda p: (-p[1], p[0])) if by_value else sorted(pairs)


def count_by(df: pd.DataFrame, column: str, *, by_value: bool = True) -> Items:
    if df.empty:
        return []
    return _items(df.groupby(column).size(), by_value=by_value)


def sum_by(df: pd.DataFrame, column: str, value: str, *, by_value: bool = False) -> Items:
    if df.empty:
        return []
    return _items(df.groupby(column)[value].sum(), by_value=by_value)


def categories(df: pd.DataFrame) -> Items:
    """处罚类别: a decision with 警告 and 罚款 counts once under each."""
    if df.empty:
        return []
    return _items(df.explode("categories").groupby("categories").size(), by_value=True)


def top(items: Items, n: int, other: str = "其他") -> Items:
    if len(items) <= n:
        return items
    return items[:n] + [(other, sum(v for _, v in items[n:]))]


def fine_classes(df: pd.DataFrame) -> Items:
    labels = [
        _class_label(lo, hi) for lo, hi in zip(FINE_EDGES_YUAN, (*FINE_EDGES_YUAN[1:], None), strict=True)
    ]
    fined = df[df["fine_fen"] > 0] if not df.empty else df
    if fined.empty:
        return []
    edges = [y * 100 for y in FINE_EDGES_YUAN] + [float("inf")]
    binned = pd.cut(fined["fine_fen"], bins=edges, right=False, labels=labels)
    counts = binned.value_counts(sort=False)
    return [(str(label), int(counts.get(label, 0))) for label in labels]


def _class_label(lo: int, hi: int | None) -> str:
    def wan(y: int) -> str:
        return f"{y // 10_000}万" if y else "0"

    return f"{wan(lo)}元及以上" if hi is None else f"{wan(lo)}–{wan(hi)}元"


@dataclass(frozen=True)
class Timeliness:
    authority: str
    assessed: int
    on_time: int


def timeliness(df: pd.DataFrame) -> list[Timeliness]:
    """Per authority: decisions whose publication date is known, and how many were published in time."""
    if df.empty or not df["assessed"].any():
        return []
    grouped = (
        df[df["assessed"]].groupby("authority").agg(assessed=("key", "size"), on_time=("on_time", "sum"))
    )
    return [
        Timeliness(str(a), int(row.assessed), int(row.on_time)) for a, row in grouped.sort_index().iterrows()
    ]


def years(penalties: pd.DataFrame, accidents: pd.DataFrame) -> list[int]:
    found = set(penalties["year"].tolist()) | set(accidents["year"].tolist())
    return sorted((int(y) for y in found), reverse=True)
