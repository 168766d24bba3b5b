"""Field types shared by the record schemas.

Each type is a pydantic `Annotated` type whose before-validator receives the raw value (a string, a
list of strings, or None) and either returns the typed value or raises `PydanticCustomError` whose
type is a problem code from `generator.problem_codes` and whose message is the Chinese explanation
of what was expected and what was found.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from generator.rules.identifiers import is_valid_credit_code


def fail(code: str, message: str) -> PydanticCustomError:
    # pydantic formats {name} placeholders from the context; with no context the text stays as is,
    # so record text containing braces is safe here.
    return PydanticCustomError(code, message)


def describe(value: Any) -> str:
    """How a found value is quoted in a message: short, and saying what kind of thing it was."""
    if isinstance(value, list):
        return f"列表 [{', '.join(describe(v) for v in value[:3])}{', …' if len(value) > 3 else ''}]"
    text = str(value).replace("\r", "\\r").replace("\n", "\\n")
    if len(text) > 40:
        text = text[:40] + "…"
    return f"'{text}'"


# Control characters (other than tab and line breaks) and non-characters: invisible in a table,
# invalid in HTML and XML, so never published.
# C0/C1 controls, and the invisible format characters that come with copied text (zero-width spaces
# and joiners, bidirectional overrides that make text display in another order than it is stored, the
# soft hyphen, BOMs in the middle of text).
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufffe\uffff]"
)


def _text(value: Any, code: str = "field.type") -> str:
    if value is None:  # an empty cell, or YAML ~ / null: no value (never the text "None")
        return ""
    if isinstance(value, list):
        raise fail(code, f"应为一段文本；实际为{describe(value)}")
    text = str(value)
    control = None if text.isprintable() else _CONTROL.search(text)  # isprintable: the fast, common case
    if "\r" in text:  # line breaks are LF, whatever wrote them (CRLF, or a lone CR of old Mac files)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if control:
        raise fail("field.control-char", f"含有不可见的控制字符（U+{ord(control.group()):04X}）；请删除后重新提交")
    return text.strip()


# --- text -----------------------------------------------------------------------------------------


def _parse_text(value: Any) -> str | None:
    text = _text(value)
    return text or None


Text = Annotated[str, BeforeValidator(_parse_text)]
OptionalText = Annotated[str | None, BeforeValidator(_parse_text)]

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def _parse_url(value: Any) -> str | None:
    """A link the site will publish as an href: http(s) or a path on this site; never javascript:,
    data: or any other scheme a browser would run or open."""
    text = _text(value, "field.url")
    if not text:
        return None
    scheme = _SCHEME.match(text)
    if (
        (scheme and scheme.group(1).lower() not in ("http", "https"))
        or any(c.isspace() or unicodedata.category(c) == "Cc" for c in text)
        or (not scheme and ".." in text.split("?")[0].split("/"))  # a site path never climbs out of the site
    ):
        raise fail("field.url", f"应为以 http:// 或 https:// 开头的网址（或本站的相对路径），不含空格；实际为 {describe(text)}")
    return text


OptionalUrl = Annotated[str | None, BeforeValidator(_parse_url)]

_MULTI_SPLIT = re.compile(r"[;；]")


def _parse_multi(value: Any) -> tuple[str, ...] | None:
    """Several values in one cell, separated by ; or ；, or a YAML list.  None when there is none,
    so that a required field left empty is reported as missing."""
    parts = value if isinstance(value, list) else _MULTI_SPLIT.split(_text(value))
    values = tuple(p.strip() for p in parts if p and p.strip())
    return values or None


MultiText = Annotated[tuple[str, ...], BeforeValidator(_parse_multi)]


# --- dates ------------------------------------------------------------------------------------------

_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]"),
    re.compile(r"(\d{4})(\d{2})(\d{2})(?!\d)"),  # 20240305, as some case systems export
)
# 发生时间 may carry a time of day after the date: "2024-03-05 14:30", "2024年3月5日14时30分".
_TIME_SUFFIX = re.compile(r"(?:[ T]?(\d{1,2})(?::|时)(\d{1,2})(?:分)?(?::\d{1,2})?)?")
# A spreadsheet's date cell exported to CSV carries midnight: "2024/3/5 0:00", "2024-03-05 00:00:00".
_MIDNIGHT = re.compile(r"[ T]0{1,2}:00(?::00)?")

# Decision documents date themselves in Chinese numerals: 二〇二四年三月五日.
_CHINESE_DATE = re.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})([日号])")
_CHINESE_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}


def _chinese_number(text: str) -> int | None:
    """一 … 九, 十, 十一 … 十九, 二十 … 三十一 (the numbers of months and days)."""
    tens, _, ones = text.rpartition("十")
    if "十" not in text:
        return _CHINESE_DIGIT.get(text) if len(text) == 1 else None
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CHINESE_DIGIT.get(tens, 0) if tens else 1) * 10 + (_CHINESE_DIGIT.get(ones, 0) if ones else 0)


def _arabic_date(text: str) -> str:
    match = _CHINESE_DATE.match(text)
    if not match:
        return text
    year = "".join(str(_CHINESE_DIGIT[c]) for c in match.group(1))
    month, day = _chinese_number(match.group(2)), _chinese_number(match.group(3))
    if month is None or day is None:
        return text
    return f"{year}年{month}月{day}{match.group(4)}{text[match.end():]}"


def parse_date_text(text: str, *, allow_time: bool = False) -> tuple[dt.date, str] | None:
    """(date, "HH:MM" or "") from any of the accepted formats, or None."""
    text = _arabic_date(unicodedata.normalize("NFKC", text).strip())
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        rest = text[match.end() :]
        time = ""
        if rest and _MIDNIGHT.fullmatch(rest):  # a date cell saved with midnight: a date, not 00:00
            rest = ""
        if rest:
            if not allow_time:
                return None
            tmatch = _TIME_SUFFIX.fullmatch(rest)
            if not tmatch or not tmatch.group(1):
                return None
            hour, minute = int(tmatch.group(1)), int(tmatch.group(2))
            if hour > 23 or minute > 59:
                return None
            time = f"{hour:02d}:{minute:02d}"
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))), time
        except ValueError:
            return None
    return None


_DATE_HELP = "应为日期，如 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日"
# Years a disclosure can plausibly carry; outside them a date is a typo (9999, 0204), and date
# arithmetic on it (publication periods, deadlines) would leave the calendar.
FIRST_YEAR, LAST_YEAR = 1900, 2099


def _plausible(parsed: tuple[dt.date, str] | None, text: str) -> tuple[dt.date, str] | None:
    if parsed is not None and not FIRST_YEAR <= parsed[0].year <= LAST_YEAR:
        raise fail("field.date", f"日期超出合理范围（{FIRST_YEAR}—{LAST_YEAR} 年）；实际为 {describe(text)}")
    return parsed


def _parse_date(value: Any) -> dt.date | None:
    text = _text(value, "field.date")
    if not text:
        return None
    parsed = _plausible(parse_date_text(text), text)
    if parsed is None:
        raise fail("field.date", f"{_DATE_HELP}；实际为 {describe(text)}")
    return parsed[0]


Date = Annotated[dt.date, BeforeValidator(_parse_date)]
OptionalDate = Annotated[dt.date | None, BeforeValidator(_parse_date)]


def _parse_datetime_text(value: Any) -> str | None:
    """A date with an optional time, normalised to 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM'."""
    text = _text(value, "field.date")
    if not text:
        return None
    parsed = _plausible(parse_date_text(text, allow_time=True), text)
    if parsed is None:
        raise fail("field.date", f"{_DATE_HELP}（可在日期后加时间 14:30）；实际为 {describe(text)}")
    day, time = parsed
    return f"{day.isoformat()} {time}" if time else day.isoformat()


DateTimeText = Annotated[str, BeforeValidator(_parse_datetime_text)]

# 处罚有效期 is a date, or 长期 (the standard writes 2099-12-31 for "no end").
LONG_TERM = "长期"


def _parse_validity(value: Any) -> str | None:
    text = _text(value, "field.date")
    if not text:
        return None
    if text == LONG_TERM:
        return LONG_TERM
    parsed = _plausible(parse_date_text(text), text)
    if parsed is None:
        raise fail("field.date", f"{_DATE_HELP}，或“长期”；实际为 {describe(text)}")
    return parsed[0].isoformat()


ValidityText = Annotated[str | None, BeforeValidator(_parse_validity)]


# --- numbers --------------------------------------------------------------------------------------

_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def _decimal_in_wan(code: str, what: str) -> Callable[[Any], Decimal | None]:
    def parse(value: Any) -> Decimal | None:
        text = unicodedata.normalize("NFKC", _text(value, code))
        if not text:
            return None
        number = _WAN_UNIT.sub("", text)  # “12.5万元” says the column's own unit
        if number.startswith("-") and _NUMBER.fullmatch(number[1:]):
            if Decimal(number[1:].replace(",", "")) == 0:  # -0 is zero, written with a stray sign
                raise fail(code, f"应为不小于 0 的数字（单位：万元）；请去掉负号：{describe(text)}")
            raise fail(code, f"应为不小于 0 的数字（单位：万元）；实际为负数 {describe(text)}")
        if not _NUMBER.fullmatch(number):
            in_yuan = _YUAN_UNIT.fullmatch(text)
            if in_yuan and _NUMBER.fullmatch(in_yuan.group(1)):
                wan = Decimal(in_yuan.group(1).replace(",", "")) / 10000
                raise fail(code, f"单位应为万元：{describe(text)} 即 {_plain(wan)} 万元，请填 {_plain(wan)}")
            kind = "文本" if not any(ch.isdigit() for ch in text) else "含有非数字字符"
            raise fail(code, f"应为不小于 0 的{what}数字（单位：万元）；实际为 {describe(text)}（{kind}）")
        try:
            amount = Decimal(number.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only valid decimals
            raise fail(code, f"无法解析数字 {describe(text)}") from exc
        if amount > MAX_WAN:
            raise fail(code, f"金额过大：超过 {MAX_WAN:,} 万元，多半是单位或小数点写错了；实际为 {describe(text)}")
        if -amount.as_tuple().exponent > MAX_WAN_DECIMALS:  # type: ignore[operator]
            raise fail(code, f"小数位过多：以万元为单位最多 {MAX_WAN_DECIMALS} 位小数（即精确到分）；实际为 {describe(text)}")
        return amount

    return parse


_WAN_UNIT = re.compile(r"\s*万元?$")
_YUAN_UNIT = re.compile(r"(.+?)\s*元")


def _plain(amount: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 0.5, 1250.5, 3."""
    return format(amount.normalize(), "f")


# Sanity bounds for sums in 万元: a trillion yuan is beyond any penalty or accident loss, and six
# decimals in 万元 are one 分; anything beyond is a typo, and would overflow the figures shown.
MAX_WAN = Decimal(100_000_000)
MAX_WAN_DECIMALS = 6


Amount = Annotated[Decimal | None, BeforeValidator(_decimal_in_wan("penalty.amount", ""))]
Loss = Annotated[Decimal | None, BeforeValidator(_decimal_in_wan("accident.loss", ""))]


def _parse_count(value: Any) -> int | None:
    text = unicodedata.normalize("NFKC", _text(value, "accident.count"))
    if not text:
        return None
    if text.endswith("人"):
        text = text[:-1]
    if text.startswith("-") and text[1:].isdigit():
        raise fail("accident.count", f"人数不能为负数；实际为 {describe(text)}")
    if not text.isascii() or not text.isdigit():
        raise fail("accident.count", f"应为不小于 0 的整数（未公布可留空）；实际为 {describe(text)}")
    if int(text) > MAX_PEOPLE:
        raise fail("accident.count", f"人数过大：超过 {MAX_PEOPLE:,} 人，多半是写错了；实际为 {describe(text)}")
    return int(text)


MAX_PEOPLE = 100_000  # beyond any accident on record (the worst industrial disasters count thousands)


Count = Annotated[int | None, BeforeValidator(_parse_count)]


# --- codes and enumerations -------------------------------------------------------------------------


def _parse_credit_code(value: Any) -> str | None:
    text = "".join(unicodedata.normalize("NFKC", _text(value, "field.credit-code")).split()).upper()
    if not text:
        return None
    message = _credit_code_message(text)
    if message:
        raise fail("field.credit-code", message)
    return text


@functools.lru_cache(maxsize=65536)  # the authority's own code repeats in every record
def _credit_code_message(text: str) -> str:
    if len(text) != 18:
        return f"统一社会信用代码应为 18 位；实际为 {len(text)} 位 {describe(text)}"
    if not is_valid_credit_code(text):
        return f"统一社会信用代码 {describe(text)} 的校验码不正确（GB 32100-2015）"
    return ""


CreditCode = Annotated[str | None, BeforeValidator(_parse_credit_code)]


def enum_of(values: Sequence[str], *, default: str | None = None, suffix: str = "") -> Callable[[Any], str | None]:
    """One of `values`; `suffix` may follow a value and is dropped (较大事故 → 较大)."""
    allowed = tuple(values)

    def parse(value: Any) -> str | None:
        text = _text(value, "field.enum")
        if not text:
            return default
        if suffix and text.removesuffix(suffix) in allowed:
            return text.removesuffix(suffix)
        if text not in allowed:
            raise fail("field.enum", f"应为 {'、'.join(allowed)} 之一；实际为 {describe(text)}")
        return text

    return parse


def _parse_yes_no(value: Any) -> bool:
    text = _text(value, "field.enum")
    if text in ("", "否", "N", "n", "no", "No", "false", "False", "0"):
        return False
    if text in ("是", "Y", "y", "yes", "Yes", "true", "True", "1"):
        return True
    raise fail("field.enum", f"应为 是 或 否；实际为 {describe(text)}")


YesNo = Annotated[bool, BeforeValidator(_parse_yes_no)]
