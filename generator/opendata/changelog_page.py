"""The page power-items/changes/ (权责清单调整记录)."""

from __future__ import annotations

import datetime as dt

from generator.site import urls

from .changelog import DayChange
from .html import e

CHANGES_URL = "power-items/changes/"


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _item(code: str, name: str, present: set[str]) -> str:
    label = f"{e(name)}（{e(code)}）"
    if code in present:
        return f'<a href="{e(urls.relative(CHANGES_URL, urls.power_item_code(code)))}">{label}</a>'
    return label


def changes_body(days: list[DayChange] | None, present: set[str]) -> str:
    head = (
        "<h1>权责清单调整记录</h1>"
        "<p>权责清单实行动态调整。本页根据数据文件的版本历史自动生成，按日期列出新增、取消和调整的事项；"
        "调整的事项列出发生变化的字段。</p>"
    )
    if days is None:
        return head + "<p>本网站的数据不在版本库中，暂无调整历史可供显示。</p>"
    if not days:
        return head + "<p>权责清单自发布以来尚无调整。</p>"
    parts = [head]
    for day in days:
        parts.append(
            f'<section class="gk-change" id="d-{day.day.isoformat()}">'
            f'<h2><time datetime="{day.day.isoformat()}">{_cn(day.day)}</time></h2>'
        )
        summary = []
        if day.added:
            summary.append(f"新增 {len(day.added)} 项")
        if day.removed:
            summary.append(f"取消 {len(day.removed)} 项")
        if day.changed:
            summary.append(f"调整 {len(day.changed)} 项")
        parts.append(f"<p>{'，'.join(summary)}。</p>")
        if day.added:
            lis = "".join(f"<li>{_item(c, n, present)}</li>" for c, n in day.added)
            parts.append(f'<h3>新增事项</h3><ul data-change="added">{lis}</ul>')
        if day.removed:
            lis = "".join(f"<li>{e(n)}（{e(c)}）</li>" for c, n in day.removed)
            parts.append(f'<h3>取消事项</h3><ul data-change="removed">{lis}</ul>')
        if day.changed:
            lis = "".join(
                f"<li>{_item(c, n, present)}：调整了{e('、'.join(fields))}</li>"
                for c, n, fields in day.changed
            )
            parts.append(f'<h3>调整事项</h3><ul data-change="changed">{lis}</ul>')
        parts.append("</section>")
    return "".join(parts)
