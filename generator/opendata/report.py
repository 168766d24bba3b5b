"""The narrative sentences of the annual enforcement report, generated from the year's numbers."""

from __future__ import annotations

from . import stats as S
from .html import avg_fen, count, money, percent


def annual_numbers(pen: S.PenaltyTally, acc: S.AccidentTally) -> dict[str, int]:
    """The headline figures (also what the tests recompute independently)."""
    return {
        "decisions": pen.decisions,
        "fined": pen.fined,
        "fine_total_fen": pen.fined_total,
        "fine_max_fen": pen.fine_max,
        "assessed": pen.assessed,
        "on_time": pen.on_time,
        "accidents": acc.accidents,
        "deaths": acc.deaths,
        "serious": acc.serious,
        "loss_fen": acc.loss,
    }


def _top_text(items: S.Items, total: int, n: int = 3) -> str:
    return "、".join(f"“{label}”{count(v)}件（占{percent(v, total)}）" for label, v in items[:n])


def annual_narrative(bureau: str, year: int, pen: S.PenaltyTally, acc: S.AccidentTally) -> list[str]:
    n = annual_numbers(pen, acc)
    out = []
    if n["decisions"]:
        out.append(
            f"{year}年，{bureau}及有关执法机关共作出行政处罚决定 {count(n['decisions'])} 件，"
            f"其中处以罚款的 {count(n['fined'])} 件，罚款合计 {money(n['fine_total_fen'])}，"
            f"平均每件 {money(avg_fen(n['fine_total_fen'], n['fined']))}，"
            f"单件最高 {money(n['fine_max_fen'])}。"
        )
        out.append(f"按处罚类别，居前的是{_top_text(S.ranked(pen.categories), n['decisions'])}。")
        out.append(f"按违法行为类型，居前的是{_top_text(S.ranked(pen.violations), n['decisions'])}。")
        if n["assessed"]:
            out.append(
                f"公示日期可评估的 {count(n['assessed'])} 件决定中，"
                f"{count(n['on_time'])} 件在法定时限内公示，"
                f"按时公示率 {percent(n['on_time'], n['assessed'])}。"
            )
    else:
        out.append(f"{year}年没有作出行政处罚决定的记录。")
    if n["accidents"]:
        levels = "、".join(
            f"{lbl}事故{count(v)}起" if lbl != "未认定" else f"等级未认定{count(v)}起"
            for lbl, v in S.ranked(acc.levels)
        )
        out.append(
            f"全年发生生产安全事故 {count(n['accidents'])} 起（{levels}），死亡 {count(n['deaths'])} 人，"
            f"重伤 {count(n['serious'])} 人，直接经济损失 {money(n['loss_fen'])}。"
        )
    else:
        out.append(f"{year}年没有生产安全事故调查的记录。")
    return out
