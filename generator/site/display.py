"""Display strings: the only place that decides how a date, an amount or a count looks to people."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import quote

from generator.rules.orders import ACCIDENT_LEVELS_SEVERE_FIRST
from generator.rules.privacy import published_party_name
from generator.schema.models import Penalty, money_in_yuan
from generator.settings import Settings

NOT_STATED = "未公布"


def cn_date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def cn_datetime(text: str) -> str:
    """'2024-03-05 14:30' → 2024年3月5日 14:30 (发生时间 may carry a time)."""
    day = cn_date(dt.date.fromisoformat(text[:10]))
    return f"{day} {text[11:]}" if len(text) > 10 else day


def yuan(wan: Decimal | None) -> str:
    """An amount stored in 万元 shown in 元: 2.5 → 25,000 元; 0.00015 → 1.50 元."""
    value = money_in_yuan(wan)
    if value is None:
        return ""
    if value == value.to_integral_value():
        return f"{int(value):,} 元"
    return f"{value:,.2f} 元"


def yuan_number(wan: Decimal | None) -> int:
    """The amount in whole 元, for sorting."""
    value = money_in_yuan(wan)
    return int(value) if value is not None else 0


def people(count: int | None) -> str:
    return NOT_STATED if count is None else f"{count} 人"


def party_name(record: Penalty, settings: Settings) -> str:
    """The party as published: a natural person's name is masked, an organisation's is not."""
    return published_party_name(record.party_name, record.party_type, settings.name_mask)


def report_error_href(settings: Settings, key: str) -> str:
    """The configured 报告错误 address with the record key in the subject (mailto or a web form)."""
    subject = quote(f"报告错误：{key}", safe="")
    separator = "&" if "?" in settings.report_error_url else "?"
    return f"{settings.report_error_url}{separator}subject={subject}"


def source_href(settings: Settings, source_path: str, line: int, site_copy_href: str) -> str:
    """The record's data file: online at source_url (with a line anchor) or the site's public copy."""
    if settings.source_url:
        return f"{settings.source_url}{quote(source_path)}#L{line}"
    return site_copy_href


UNRATED = "未认定"
# An accident's level as the listings and search show it, most severe first.
LEVEL_LABELS = (*(f"{level}事故" for level in ACCIDENT_LEVELS_SEVERE_FIRST), UNRATED)


def level_label(level: str | None) -> str:
    """较大 → 较大事故; no level → 未认定."""
    return f"{level}事故" if level else UNRATED


def join(values: tuple[str, ...] | list[str]) -> str:
    return "、".join(values)
