"""Static SVG charts rendered at build time: readable without JavaScript, no external host.

Each chart is a <figure> holding an <svg role="img"> with <title>/<desc> (aria-labelledby) and text
labels, followed by a <table> with the same numbers for screen readers and for copying.  The SVG
scales with its container (viewBox, width 100%); text uses the system CJK font stack.  Coordinates are
formatted with fixed decimals, so the output does not depend on float repr.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .html import e, table

FONT = (
    "-apple-system, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', "
    "'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif"
)
BAR = "#1f5fa8"
WIDTH = 480
STYLE = "display:block;width:100%;height:auto;max-width:36rem"


@dataclass(frozen=True)
class Series:
    chart_id: str  # unique on the page, ASCII
    title: str
    description: str
    label_header: str
    value_header: str
    items: Sequence[tuple[str, int]]  # (label, value); values are non-negative integers
    fmt: Callable[[int], str] = lambda n: f"{n:,}"


def _f(x: float) -> str:
    return f"{x:.1f}"


def _short(label: str, limit: int = 11) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _left(s: Series) -> int:
    """Left margin wide enough for the largest axis label (CJK glyphs are about twice as wide)."""
    label = s.fmt(max((v for _, v in s.items), default=0))
    width = sum(13 if ord(ch) > 0x2E80 else 8 for ch in label)
    return max(56, width + 14)


def _text(x: float, y: float, content: str, anchor: str = "middle") -> str:
    return f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}" fill="currentColor">{e(content)}</text>'


def _open(s: Series, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {_f(height)}" width="100%" '
        f'style="{STYLE}" aria-labelledby="{s.chart_id}-t {s.chart_id}-d" '
        f'font-family="{e(FONT)}" font-size="14">'
        f'<title id="{s.chart_id}-t">{e(s.title)}</title><desc id="{s.chart_id}-d">{e(s.description)}</desc>'
    )


def _figure(s: Series, svg: str) -> str:
    data = table(
        f"{s.title}（数据表）",
        (s.label_header, s.value_header),
        ((lbl, s.fmt(v)) for lbl, v in s.items),
        numeric=(1,),
    )
    # The visible caption is for sighted readers; the SVG names itself via <title>/<desc>.
    caption = f'<figcaption class="gk-chart-title" aria-hidden="true">{e(s.title)}</figcaption>'
    return f'<figure class="gk-chart" id="{s.chart_id}">{caption}{svg}{data}</figure>'


def _empty(s: Series) -> str:
    return f'<figure class="gk-chart" id="{s.chart_id}"><p>{e(s.title)}：暂无数据。</p></figure>'


def bar_chart(s: Series) -> str:
    """Horizontal bars: long Chinese category labels stay readable."""
    if not s.items:
        return _empty(s)
    left, right, row, top = 170, 110, 26, 8
    height = top * 2 + row * len(s.items)
    peak = max(v for _, v in s.items) or 1
    span = WIDTH - left - right
    parts = [_open(s, height)]
    for i, (label, value) in enumerate(s.items):
        y = top + i * row
        w = span * value / peak
        parts.append(
            f"<g><title>{e(label)}：{e(s.fmt(value))}</title>"
            f'<text x="{left - 8}" y="{_f(y + 17)}" text-anchor="end" fill="currentColor">'
            f"{e(_short(label))}</text>"
            f'<rect x="{left}" y="{_f(y + 4)}" width="{_f(max(w, 1))}" height="{row - 8}" fill="{BAR}"/>'
            f'<text x="{_f(left + w + 6)}" y="{_f(y + 17)}" fill="currentColor">{e(s.fmt(value))}</text></g>'
        )
    parts.append("</svg>")
    return _figure(s, "".join(parts))


def column_chart(s: Series) -> str:
    """Vertical columns for a time axis (years, months); every k-th label shown when crowded."""
    if not s.items:
        return _empty(s)
    left, right, top, bottom, height = _left(s), 12, 22, 40, 260
    plot_h, plot_w = height - top - bottom, WIDTH - left - right
    peak = max(v for _, v in s.items) or 1
    slot = plot_w / len(s.items)
    step = max(1, math.ceil(len(s.items) * 56 / plot_w))  # about one label per 56 px, never overlapping
    parts = [_open(s, height), _axis(left, top, plot_w, plot_h, peak, s.fmt)]
    for i, (label, value) in enumerate(s.items):
        h = plot_h * value / peak
        x = left + i * slot
        parts.append(
            f"<g><title>{e(label)}：{e(s.fmt(value))}</title>"
            f'<rect x="{_f(x + slot * 0.15)}" y="{_f(top + plot_h - h)}" width="{_f(slot * 0.7)}" '
            f'height="{_f(h)}" fill="{BAR}"/></g>'
        )
        if i % step == 0:
            parts.append(
                f'<text x="{_f(x + slot / 2)}" y="{height - bottom + 18}" text-anchor="middle" '
                f'fill="currentColor">{e(label)}</text>'
            )
    parts.append("</svg>")
    return _figure(s, "".join(parts))


def line_chart(s: Series) -> str:
    """A line with labelled points, e.g. deaths per year."""
    if not s.items:
        return _empty(s)
    left, right, top, bottom, height = _left(s), 24, 22, 40, 260
    plot_h, plot_w = height - top - bottom, WIDTH - left - right
    peak = max(v for _, v in s.items) or 1
    n = len(s.items)

    def xy(i: int, v: int) -> tuple[float, float]:
        x = left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        return x, top + plot_h - plot_h * v / peak

    points = " ".join(f"{_f(x)},{_f(y)}" for x, y in (xy(i, v) for i, (_, v) in enumerate(s.items)))
    parts = [
        _open(s, height),
        _axis(left, top, plot_w, plot_h, peak, s.fmt),
        f'<polyline points="{points}" fill="none" stroke="{BAR}" stroke-width="2.5"/>',
    ]
    for i, (label, value) in enumerate(s.items):
        x, y = xy(i, value)
        parts.append(
            f'<g><title>{e(label)}：{e(s.fmt(value))}</title><circle cx="{_f(x)}" cy="{_f(y)}" r="4" '
            f'fill="{BAR}"/>{_text(x, y - 8, s.fmt(value))}{_text(x, height - bottom + 18, label)}</g>'
        )
    parts.append("</svg>")
    return _figure(s, "".join(parts))


def _axis(left: int, top: int, plot_w: float, plot_h: float, peak: int, fmt: Callable[[int], str]) -> str:
    base = top + plot_h
    return (
        f'<line x1="{left}" y1="{_f(base)}" x2="{_f(left + plot_w)}" y2="{_f(base)}" stroke="currentColor" '
        f'stroke-opacity="0.5"/>{_text(left - 6, top + 4, fmt(peak), "end")}'
        f"{_text(left - 6, base + 4, '0', 'end')}"
    )
