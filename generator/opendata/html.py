"""Small HTML and number-formatting helpers for the generated pages (escaped, deterministic)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from html import escape


def e(text: object) -> str:
    return escape(str(text), quote=True)


def count(n: int) -> str:
    return f"{n:,}"


def fen_of_wan(wan: Decimal | None) -> int:
    """万元 → 分 as an exact integer (the standard allows amounts to 0.000001 万元 = 1 分)."""
    if wan is None:
        return 0
    return int((wan * 1_000_000).to_integral_value(rounding=ROUND_HALF_UP))


def money(fen: int) -> str:
    """Integer 分 → "12,345 元" or "12,345.60 元"."""
    yuan, cents = divmod(int(fen), 100)
    return f"{yuan:,} 元" if cents == 0 else f"{yuan:,}.{cents:02d} 元"


def percent(part: int, whole: int) -> str:
    """Exact decimal percentage with one digit, no float repr involved."""
    if not whole:
        return "—"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}%"


def avg_fen(total: int, n: int) -> int:
    return int((Decimal(total) / Decimal(n)).to_integral_value(rounding=ROUND_HALF_UP)) if n else 0


def table(
    caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()
) -> str:
    """A data table; `numeric` columns are right-aligned (class gk-num) for comparison."""
    head = "".join(f'<th scope="col"{_num(i, numeric)}>{e(h)}</th>' for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = [f'<th scope="row">{e(row[0])}</th>'] + [
            f"<td{_num(i, numeric)}>{e(c)}</td>" for i, c in enumerate(row[1:], start=1)
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (  # the wrapper scrolls a wide table sideways on a phone; it is focusable and named for that
        f'<div class="gk-table-wrap" role="region" aria-label="{e(caption)}" tabindex="0">'
        f'<table class="gk-data-table"><caption>{e(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _num(index: int, numeric: Sequence[int]) -> str:
    return ' class="gk-num"' if index in numeric else ""


def paragraphs(texts: Iterable[str]) -> str:
    return "".join(f"<p>{e(t)}</p>" for t in texts if t)


def link(href: str, text: str) -> str:
    return f'<a href="{e(href)}">{e(text)}</a>'
