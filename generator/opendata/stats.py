"""The numbers behind the statistics pages: tallies (counts and sums) of the counted records.

What is counted (统计口径, stated on the pages too): enforcement activity, not what is on display.
Every penalty decision in the data dated on or before as_of counts, including decisions whose
publication period has ended, 轻微 decisions that are not published and decisions about minors —
as anonymous counts only; no party is ever named here.  Decisions whose state is 撤销 or 变更 are left
out: the original decision no longer stands (a changed decision entered again counts as the new one).
Accidents: every accident that occurred on or before as_of (accident reports are never taken down).
Money is integer 分 throughout, so sums are exact and formatting never shows float artefacts.

Every figure on the pages is a count or a sum (or a maximum), so the records are tallied month by
month and a year's or all years' tally is the sum of its months' (`merged`).  A month's tally is
kept with the digests of the records it counts (`month_tallies`): a patch build tallies again only
the months whose records changed.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from generator.catalog import Catalog, Entry
from generator.incremental.keys import short_digest
from generator.publication import Publication, state_on

from .html import fen_of_wan
from .splice import KEY

if TYPE_CHECKING:
    import pandas as pd

COUNTED_STATES = ("正常",)
# Fine distribution classes in 元 (lower bound inclusive); the last is open-ended.
FINE_EDGES_YUAN = (0, 10_000, 30_000, 50_000, 100_000, 200_000, 500_000)
_FINE_EDGES_FEN = tuple(y * 100 for y in FINE_EDGES_YUAN)
UNSTATED = "未填写"
UNRATED = "未认定"
ON_TIME = "按时"
Items = list[tuple[str, int]]
Month = tuple[int, int]  # (year, month)


def _add(into: dict, key: object, n: int = 1) -> None:
    into[key] = into.get(key, 0) + n


@dataclass
class PenaltyTally:
    """Counts and sums over counted penalty decisions (money in 分)."""

    decisions: int = 0
    fine_sum: int = 0  # every decision's fine (an unfined one counts 0)
    fined: int = 0  # decisions with a fine above 0 …
    fined_total: int = 0  # … their fines' sum
    fine_max: int = 0
    assessed: int = 0  # decisions whose publication date is known
    on_time: int = 0  # … and published in time
    years: dict[int, int] = field(default_factory=dict)
    year_fines: dict[int, int] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)  # "YYYY-MM" → decisions
    categories: dict[str, int] = field(default_factory=dict)  # a decision counts under each of its categories
    violations: dict[str, int] = field(default_factory=dict)
    authorities: dict[str, int] = field(default_factory=dict)
    fine_classes: list[int] = field(default_factory=lambda: [0] * len(FINE_EDGES_YUAN))
    timeliness: dict[str, list[int]] = field(default_factory=dict)  # authority → [assessed, on time]

    def add(self, tally: PenaltyTally) -> None:
        self.decisions += tally.decisions
        self.fine_sum += tally.fine_sum
        self.fined += tally.fined
        self.fined_total += tally.fined_total
        self.fine_max = max(self.fine_max, tally.fine_max)
        self.assessed += tally.assessed
        self.on_time += tally.on_time
        for mine, theirs in (
            (self.years, tally.years),
            (self.year_fines, tally.year_fines),
            (self.months, tally.months),
            (self.categories, tally.categories),
            (self.violations, tally.violations),
            (self.authorities, tally.authorities),
        ):
            for key, n in theirs.items():
                _add(mine, key, n)
        self.fine_classes = [a + b for a, b in zip(self.fine_classes, tally.fine_classes, strict=True)]
        for authority, (assessed, on_time) in tally.timeliness.items():
            counts = self.timeliness.setdefault(authority, [0, 0])
            counts[0] += assessed
            counts[1] += on_time


@dataclass
class AccidentTally:
    """Counts and sums over counted accidents (money in 分)."""

    accidents: int = 0
    deaths: int = 0
    serious: int = 0
    loss: int = 0
    years: dict[int, int] = field(default_factory=dict)
    year_deaths: dict[int, int] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)
    industries: dict[str, int] = field(default_factory=dict)

    def add(self, tally: AccidentTally) -> None:
        self.accidents += tally.accidents
        self.deaths += tally.deaths
        self.serious += tally.serious
        self.loss += tally.loss
        for mine, theirs in (
            (self.years, tally.years),
            (self.year_deaths, tally.year_deaths),
            (self.levels, tally.levels),
            (self.industries, tally.industries),
        ):
            for key, n in theirs.items():
                _add(mine, key, n)


def merged(tallies: Iterable[PenaltyTally | AccidentTally], empty: type) -> PenaltyTally | AccidentTally:  # type: ignore[type-arg]
    out = empty()
    for tally in tallies:
        out.add(tally)
    return out


# --- which records count, month by month -----------------------------------------------------------

_TIMELINESS_CODE = {"": b"\0", ON_TIME: b"\1"}


def counted_penalties(
    catalog: Catalog, publication: Publication, as_of: dt.date
) -> dict[Month, list[tuple[Entry, str]]]:
    """The counted decisions with their timeliness (PenaltyStatus.timeliness), by decision month."""
    out: dict[Month, list[tuple[Entry, str]]] = {}
    statuses = publication.penalty_status
    last_day, rows = None, []
    for entry in catalog.penalties:
        r = entry.record
        day = r.decision_date
        # state_on is the state itself or 正常: a decision whose own state counts always counts.
        if day > as_of or (r.state not in COUNTED_STATES and state_on(r, as_of) not in COUNTED_STATES):
            continue
        if day != last_day:  # the catalog is by date: most records share the one before's
            rows = out.setdefault((day.year, day.month), [])
            last_day = day
        status = statuses.get(r.key)
        rows.append((entry, status.timeliness if status else ""))
    return out


def counted_accidents(catalog: Catalog, as_of: dt.date) -> dict[Month, list[Entry]]:
    out: dict[Month, list[Entry]] = defaultdict(list)
    for entry in catalog.accidents:
        day = entry.record.occurred_date
        if day <= as_of:
            out[(day.year, day.month)].append(entry)
    return out


def penalty_month_key(rows: list[tuple[Entry, str]]) -> bytes | None:
    """What a month's tally is made from: its records (digests) and whether each was published in
    time; None when a record's digest is unknown."""
    digests = b"".join([entry.digest for entry, _ in rows])
    if len(digests) != KEY * len(rows):
        return None
    codes = b"".join([_TIMELINESS_CODE.get(timeliness, b"\2") for _, timeliness in rows])
    return short_digest(digests + codes)


def accident_month_key(entries: list[Entry], publication: Publication) -> bytes | None:
    parts = []
    for entry in entries:
        if not entry.digest:
            return None
        status = publication.accident_status.get(entry.key)
        parts += [entry.digest, (status.level if status else "\0").encode(), b"\0"]
    return short_digest(b"".join(parts))


_FEN: dict[Decimal, int] = {}


def _fen(wan: Decimal | None) -> int:
    if wan is None:
        return 0
    fen = _FEN.get(wan)
    if fen is None:
        fen = _FEN[wan] = fen_of_wan(wan)
    return fen


def tally_penalties(rows: list[tuple[Entry, str]]) -> PenaltyTally:
    t = PenaltyTally()
    months: dict[Month, str] = {}
    edges, classes = _FINE_EDGES_FEN, t.fine_classes
    for entry, timeliness in rows:
        r = entry.record
        day = r.decision_date
        t.decisions += 1
        fen = _fen(r.fine_wan)
        _add(t.years, day.year)
        _add(t.year_fines, day.year, fen)
        month = months.get((day.year, day.month))
        if month is None:
            month = months[(day.year, day.month)] = f"{day:%Y-%m}"
        _add(t.months, month)
        for category in r.categories:
            _add(t.categories, category)
        if r.violation_type is not None:
            _add(t.violations, r.violation_type)
        if r.authority is not None:
            _add(t.authorities, r.authority)
        t.fine_sum += fen
        if fen > 0:
            t.fined += 1
            t.fined_total += fen
            t.fine_max = max(t.fine_max, fen)
            classes[bisect.bisect_right(edges, fen) - 1] += 1
        if timeliness:
            t.assessed += 1
            on_time = timeliness == ON_TIME
            t.on_time += on_time
            if r.authority is not None:
                counts = t.timeliness.setdefault(r.authority, [0, 0])
                counts[0] += 1
                counts[1] += on_time
    return t


def tally_accidents(entries: list[Entry], publication: Publication) -> AccidentTally:
    t = AccidentTally()
    for entry in entries:
        r = entry.record
        year = r.occurred_date.year
        status = publication.accident_status.get(entry.key)
        deaths = r.deaths or 0
        t.accidents += 1
        t.deaths += deaths
        t.serious += r.serious_injuries or 0
        t.loss += _fen(r.loss_wan)
        _add(t.years, year)
        _add(t.year_deaths, year, deaths)
        _add(t.levels, (status.level if status else r.level) or UNRATED)
        _add(t.industries, r.industry or UNSTATED)
    return t


@dataclass(frozen=True)
class MonthTallies:
    """Each month's tally with the key it was made for (kept for the next build)."""

    penalties: dict[Month, tuple[bytes | None, PenaltyTally]]
    accidents: dict[Month, tuple[bytes | None, AccidentTally]]


def month_tallies(
    catalog: Catalog, publication: Publication, as_of: dt.date, previous: MonthTallies | None = None
) -> MonthTallies:
    """Every month's tallies; a month whose key is the one in `previous` (the previous build's) is
    not tallied again."""
    old_p = previous.penalties if previous is not None else {}
    old_a = previous.accidents if previous is not None else {}
    penalties: dict[Month, tuple[bytes | None, PenaltyTally]] = {}
    for month, rows in counted_penalties(catalog, publication, as_of).items():
        key = penalty_month_key(rows)
        kept = old_p.get(month)
        penalties[month] = (
            kept if key is not None and kept is not None and kept[0] == key else (key, tally_penalties(rows))
        )
    accidents: dict[Month, tuple[bytes | None, AccidentTally]] = {}
    for month, entries in counted_accidents(catalog, as_of).items():
        key = accident_month_key(entries, publication)
        kept_a = old_a.get(month)
        accidents[month] = (
            kept_a
            if key is not None and kept_a is not None and kept_a[0] == key
            else (key, tally_accidents(entries, publication))
        )
    return MonthTallies(penalties, accidents)


# --- figures from a tally ------------------------------------------------------------------------------


def ranked(counts: Mapping[object, int]) -> Items:
    """(label, n) by descending n, then label."""
    return sorted(((str(k), int(v)) for k, v in counts.items()), key=lambda p: (-p[1], p[0]))


def by_label(counts: Mapping[object, int]) -> Items:
    """(label, n) by label (time axes)."""
    return sorted((str(k), int(v)) for k, v in counts.items())


def top(items: Items, n: int, other: str = "其他") -> Items:
    if len(items) <= n:
        return items
    return items[:n] + [(other, sum(v for _, v in items[n:]))]


def fine_classes(t: PenaltyTally) -> Items:
    if not t.fined:
        return []
    labels = [
        _class_label(lo, hi) for lo, hi in zip(FINE_EDGES_YUAN, (*FINE_EDGES_YUAN[1:], None), strict=True)
    ]
    return list(zip(labels, t.fine_classes, strict=True))


def _class_label(lo: int, hi: int | None) -> str:
    def wan(y: int) -> str:
        return f"{y // 10_000}万" if y else "0"

    return f"{wan(lo)}元及以上" if hi is None else f"{wan(lo)}–{wan(hi)}元"


@dataclass(frozen=True)
class Timeliness:
    authority: str
    assessed: int
    on_time: int


def timeliness(t: PenaltyTally) -> list[Timeliness]:
    """Per authority: decisions whose publication date is known, and how many were published in time."""
    if not t.assessed:
        return []
    return [Timeliness(a, n, ok) for a, (n, ok) in sorted(t.timeliness.items()) if n]


def years(penalties: PenaltyTally, accidents: AccidentTally) -> list[int]:
    return sorted(set(penalties.years) | set(accidents.years), reverse=True)


# --- the counted records as tables (analysis and tests) ------------------------------------------------


def penalty_frame(catalog: Catalog, publication: Publication, as_of: dt.date) -> pd.DataFrame:
    """One row per counted decision (what the tallies count)."""
    import pandas as pd

    rows = [
        {
            "key": entry.key,
            "year": entry.record.decision_date.year,
            "month": f"{entry.record.decision_date:%Y-%m}",
            "categories": list(entry.record.categories),
            "violation": entry.record.violation_type,
            "authority": entry.record.authority,
            "fine_fen": _fen(entry.record.fine_wan),
            "assessed": bool(timeliness),
            "on_time": timeliness == ON_TIME,
        }
        for month in counted_penalties(catalog, publication, as_of).values()
        for entry, timeliness in month
    ]
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
