"""Accident levels, 《生产安全事故报告和调查处理条例》（国务院令第493号）第三条.

"以上" includes the number, "以下" excludes it; the highest level reached by any one
criterion wins. An unknown (None) figure is not a criterion.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

LEVELS = ("一般", "较大", "重大", "特别重大")  # ascending
_RANK = {level: i for i, level in enumerate(LEVELS)}

# Lower bounds of 较大, 重大, 特别重大 per criterion (一般 is everything below 较大).
_DEATHS = (3, 10, 30)
_SERIOUS = (10, 50, 100)
_LOSS_WAN = (Decimal(1000), Decimal(5000), Decimal(10000))


@dataclass(frozen=True, slots=True)
class LevelResult:
    level: str  # one of LEVELS
    criterion: str  # the deciding criterion, in Chinese


def _rank(value: int | Decimal, bounds: tuple) -> int:
    return sum(1 for b in bounds if value >= b)


def _plain(d: Decimal) -> str:
    # 1000.00 → "1000", 999.99 → "999.99"; the "f" format never gives "1E+3".
    return f"{d.normalize():f}"


def _money(wan: Decimal) -> str:
    # The law's own wording: 1000万元, 5000万元, 1亿元.
    if wan >= 10000 and wan % 10000 == 0:
        return f"{_plain(wan / 10000)}亿"
    return f"{_plain(wan)}万"


def _range_text(bounds: tuple, rank: int, fmt) -> str:
    if rank == 0:
        return f"{fmt(bounds[0])}以下"
    if rank == len(bounds):
        return f"{fmt(bounds[-1])}以上"
    return f"{fmt(bounds[rank - 1])}以上{fmt(bounds[rank])}以下"


def _figure(name: str, value: int | Decimal) -> str:
    if name == "deaths":
        return f"死亡{value}人"
    if name == "serious":
        return f"重伤（含急性工业中毒）{value}人"
    return f"直接经济损失{_money(Decimal(value))}元"


def _describe(name: str, value: int | Decimal, rank: int) -> str:
    level = LEVELS[rank] + "事故"
    if name == "deaths":
        span = _range_text(_DEATHS, rank, lambda b: f"{b}人")
    elif name == "serious":
        span = _range_text(_SERIOUS, rank, lambda b: f"{b}人")
    else:
        span = _range_text(_LOSS_WAN, rank, lambda b: _money(b) + "元")
    return f"{_figure(name, value)}（{span}为{level}）"


def _checked(
    deaths: int | None, serious: int | None, loss_wan: Decimal | int | None
) -> list[tuple[str, int | Decimal, int]]:
    known: list[tuple[str, int | Decimal, int]] = []
    for name, value in (("deaths", deaths), ("serious", serious)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"人数应为非负整数，实际为“{value}”")
        known.append((name, value, _rank(value, _DEATHS if name == "deaths" else _SERIOUS)))
    if loss_wan is not None:
        if isinstance(loss_wan, bool) or not isinstance(loss_wan, Decimal | int):
            raise ValueError(f"直接经济损失应为数值（万元），实际为“{loss_wan}”")
        loss = Decimal(loss_wan)
        if not loss.is_finite() or loss < 0:
            raise ValueError(f"直接经济损失应为非负数（万元），实际为“{loss_wan}”")
        known.append(("loss", loss, _rank(loss, _LOSS_WAN)))
    return known


def accident_level(
    deaths: int | None, serious_injuries: int | None, loss_wan: Decimal | int | None
) -> LevelResult | None:
    """The level the known figures reach, and the criterion that decides it.

    None when nothing is known. With equal levels, deaths decide before serious injuries
    before loss (the order of art. 3). With unknown figures the result is a lower bound.
    """
    known = _checked(deaths, serious_injuries, loss_wan)
    if not known:
        return None
    # max() keeps the first of equal ranks: deaths, then serious injuries, then loss.
    name, value, rank = max(known, key=lambda k: k[2])
    return LevelResult(LEVELS[rank], _describe(name, value, rank))


def effective_level(
    stated: str | None, deaths: int | None, serious_injuries: int | None, loss_wan: Decimal | int | None
) -> LevelResult | None:
    """The level the site shows and the deadlines use: the figures' level, unless the report states a
    higher one that unpublished figures may justify (check_stated_level lets only those through)."""
    computed = accident_level(deaths, serious_injuries, loss_wan)
    level = normalize_level(stated) if stated else None
    if level is None:
        return computed
    if computed is None:
        return LevelResult(level, "伤亡和损失未公布，采用报告认定的等级")
    if _RANK[level] > _RANK[computed.level]:
        return LevelResult(level, "部分伤亡或损失数字未公布，采用报告认定的等级")
    return computed


def normalize_level(stated: str) -> str | None:
    """The level without the 事故 suffix ("较大事故" → "较大"); None when not a level."""
    s = stated.strip()
    s = s.removesuffix("事故")
    return s if s in _RANK else None


def check_stated_level(
    stated: str, deaths: int | None, serious_injuries: int | None, loss_wan: Decimal | int | None
) -> str | None:
    """A Chinese message when the stated 事故等级 contradicts the figures, else None.

    Stated too low is always reported (a known figure already reaches higher). Stated too high
    is reported only when all three figures are known: an unpublished loss could justify it.
    """
    level = normalize_level(stated)
    if level is None:
        return f"事故等级应为{'、'.join(x + '事故' for x in LEVELS)}之一，实际为“{stated}”"
    known = _checked(deaths, serious_injuries, loss_wan)
    if not known:
        return None
    result = accident_level(deaths, serious_injuries, loss_wan)
    assert result is not None
    if _RANK[level] < _RANK[result.level]:
        return f"事故等级填写为{level}事故，但{result.criterion}，应为{result.level}事故"
    if _RANK[level] > _RANK[result.level] and len(known) == 3:
        parts = "、".join(_figure(n, v) for n, v, _ in known)
        return f"事故等级填写为{level}事故，但{parts}均未达到{level}事故标准，应为{result.level}事故"
    return None
