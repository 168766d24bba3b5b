"""Personal data in published free text (domain.md §5), and masking of natural persons' names.

Publishing an ID number is a legal incident, so the detector errs towards reporting, but it
must not stop a build on amounts, dates, credit codes or decision numbers, which appear in
every penalty text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .identifiers import is_valid_credit_code, is_valid_id_number, looks_like_id_number, luhn_ok

KINDS = ("id-number", "mobile", "bank-card", "email")


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str  # one of KINDS
    start: int  # offsets into the text as given (not the normalised one)
    end: int
    text: str  # text[start:end], as given


_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# Digits written as Chinese numerals, one character a digit (一一〇一〇五…, 壹叁玖…): people write ID
# and phone numbers so to slip past a filter.  Counting words (十, 百, 万 …) are not digits, so
# ordinary numerals (二〇二四年, 一万二千元) never become a run long enough to matter.
_CHINESE_DIGITS = {c: str(i % 10) for i, c in enumerate("〇一二三四五六七八九零壹贰叁肆伍陆柒捌玖")}


def _fold_char(ch: str) -> str:
    """One character to one character, so that offsets survive: full-width ASCII to ASCII,
    decimal digits of any script and Chinese numerals to 0-9, any space to ' ', any dash to '-'.

    Deliberately not full NFKC: NFKC turns ① into 1 and ㈠ into (一), which would glue list
    markers onto numbers and shift offsets.
    """
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:
        return chr(o - 0xFEE0)
    if ch in _DASHES:
        return "-"
    if ch in _CHINESE_DIGITS:
        return _CHINESE_DIGITS[ch]
    if ch.isascii():
        return ch
    cat = unicodedata.category(ch)
    if cat == "Nd":
        return str(unicodedata.decimal(ch))
    if cat == "Zs":
        return " "
    return ch


class _FoldTable(dict[int, str]):
    """str.translate table filled on first sight of each character (texts are mostly CJK)."""

    def __missing__(self, codepoint: int) -> str:
        folded = self[codepoint] = _fold_char(chr(codepoint))
        return folded


_FOLD_TABLE = _FoldTable()


def _fold(text: str) -> str:
    return text if text.isascii() else text.translate(_FOLD_TABLE)


# Characters that hide inside a number without showing: format characters (zero-width space,
# soft hyphen, joiners, BOM) and line breaks.  Detection runs on the text without them.
_LINE_BREAKS = "\r\n\u2028\u2029\x0b\x0c\x85"


# Every format (Cf) character and line break, for a quick test before the per-character pass.
_INVISIBLE = re.compile(
    "[\r\n\u2028\u2029\x0b\x0c\x85\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def _visible(text: str, *, keep_breaks: bool) -> tuple[str, list[int] | None]:
    """`text` without invisible format characters, and for each kept character its offset in `text`
    (None when nothing was removed, the usual case).  Line breaks are kept (a number at the end of a
    line is not glued to the next line's “2.”) or removed too (a number broken over two lines)."""
    if not _INVISIBLE.search(text):
        return text, None
    kept = [
        i for i, c in enumerate(text)
        if (keep_breaks if c in _LINE_BREAKS else unicodedata.category(c) != "Cf")
    ]
    if len(kept) == len(text):
        return text, None
    return "".join(text[i] for i in kept), kept


# Boundaries: a number is personal data only as a whole run; a run inside a longer run of
# digits or letters is some other code, and digits after/before a decimal point are an amount.
_L = r"(?<![0-9A-Za-z])(?<![0-9]\.)"
_R = r"(?![0-9A-Za-z])(?!\.[0-9])"
# Grouped forms ("6222 0212 …") must not be one group of a longer grouped number.
_LG = _L + r"(?<![0-9][ -])"
_RG = _R + r"(?![ -][0-9])"

# Separators people put inside an ID or mobile number: space, tab, dash, dot, slash, underscore.
_SEP = r"[ \t./_-]"
_SEPS = re.compile(_SEP)
# 18-digit ID numbers in any grouping with single separators (6-8-4, 6-4-4-4, 3-3-4-4-4 …): the
# region, date and check digit make a false match of glued numbers very unlikely.
_ID18 = re.compile(_L + r"[1-9](?:" + _SEP + r"?[0-9]){16}" + _SEP + r"?[0-9Xx]" + _R)
# The old 15-digit form has no check digit, so only its own grouping (6-6-3) counts as one number:
# runs of small numbers (SVG path data, tables of counts) must not add up to one.
_ID15 = re.compile(_LG + r"[1-9][0-9]{5}(?P<s>" + _SEP + r")?[0-9]{6}(?(s)(?P=s))[0-9]{3}" + _RG)
# Bank cards: 16-19 digits. Leading 3-6 (ISO 7812 banking/financial, UnionPay 62) or 9
# (old domestic cards such as 9558…); this keeps year-led case numbers (2024…) out.
_CARD = re.compile(_L + r"[3-69][0-9]{15,18}" + _R)
_CARD_GROUPED = re.compile(
    _LG + r"[3-69][0-9]{3}(?P<s>[ -])[0-9]{4}(?P=s)[0-9]{4}(?P=s)[0-9]{4}(?:(?P=s)[0-9]{1,3})?" + _RG
)
# Mobile numbers: 11 digits, ungrouped or in up to three groups of at least three digits
# with one kind of separator (138 0013 8000, 138 001 38000, 1380013 8000); looser groupings would
# glue unrelated numbers.
_MOBILE = re.compile(
    _L
    + r"(?:(?:\+|00)86[ -]?|\(\+?86\)[ -]?|86[ -]?)?"
    + r"(?P<number>1" + _SEP + r"?[3-9](?:" + _SEP + r"?[0-9]){9})(?!" + _SEP + r"[0-9])"
    + _R
)
_MOBILE_GROUPS = re.compile(r"[0-9]{3,}(?:(?P<s>" + _SEP + r")[0-9]{3,}(?:(?P=s)[0-9]{3,})?)?")  # one kind of separator
# …or every digit on its own, one kind of separator throughout (1 3 8 0 0 1 3 8 0 0 0).
_MOBILE_SPACED = re.compile(r"[0-9](?P<s>" + _SEP + r")[0-9](?:(?P=s)[0-9]){9}")
# The local part must not follow a mask character: z***g@qq.com is already masked.
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-*×])[A-Za-z0-9][A-Za-z0-9._%+\-]*"
    r"@(?P<domain>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,})(?![A-Za-z0-9-])"
)
# A 15-digit 工商注册号 looks exactly like an old ID number; when the text labels it as a
# registration number, it is not reported.
_REGISTRATION_LABEL = re.compile(r"(注册号|注册码|注册编号)[^0-9]{0,6}$")


def _domain_allowed(domain: str, allowed: tuple[str, ...]) -> bool:
    domain = domain.lower()
    for a in allowed:
        a = a.lower().lstrip(".")
        if domain == a or domain.endswith("." + a):
            return True
    return False


def find_personal_data(text: str, *, allowed_email_domains: tuple[str, ...] = ("gov.cn",)) -> list[Finding]:
    """Every ID number, mobile number, bank-card number and non-official e-mail address in `text`.

    Full-width and other-script digits are found too; offsets refer to `text` as given.
    Masked values (139****5678, 110105********002X, z***g@qq.com) are not reported.
    """
    taken: list[tuple[int, int]] = []
    found: list[Finding] = []
    base = _LABELS.sub(lambda m: " " * len(m.group()), _fold(text))
    folded, where = _visible(base, keep_breaks=True)
    _scan(folded, where, text, allowed_email_domains, taken, found)
    if _SPLIT_NUMBER.search(base):  # a line break or format character between two digits
        folded, where = _visible(base, keep_breaks=False)
        _scan(folded, where, text, allowed_email_domains, taken, found)
    found.sort(key=lambda f: (f.start, f.end))
    return found


# Where the second reading (line breaks removed) can find more: a break or a format character
# between a digit and a digit or X, perhaps beside a separator (138-⏎0013-8000).
_SPLIT_NUMBER = re.compile(r"[0-9][ \t./_-]?" + _INVISIBLE.pattern + r"+[ \t./_-]?[0-9Xx]")

# Latin labels glued to a number (ID110105…, TEL138…) read as spaces, so the number stands alone.
_LABELS = re.compile(r"(?i)(?:ID|NO|TEL|PHONE|MOBILE|CARD|ACCOUNT)(?=[0-9])")


def _scan(
    folded: str, where: list[int] | None, text: str, allowed_email_domains: tuple[str, ...],
    taken: list[tuple[int, int]], found: list[Finding],
) -> None:
    def add(kind: str, start: int, end: int) -> None:
        if where is not None:  # back to offsets in the text as given
            start, end = where[start], where[end - 1] + 1
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(Finding(kind, start, end, text[start:end]))

    for m in _ID18.finditer(folded):
        number = _SEPS.sub("", m.group())
        if is_valid_id_number(number) or (looks_like_id_number(number) and not is_valid_credit_code(number)):
            add("id-number", m.start(), m.end())
    for m in _ID15.finditer(folded):
        if is_valid_id_number(_SEPS.sub("", m.group())) and not _REGISTRATION_LABEL.search(
            folded[max(0, m.start() - 12) : m.start()]
        ):
            add("id-number", m.start(), m.end())
    for pattern in (_CARD, _CARD_GROUPED):
        for m in pattern.finditer(folded):
            digits = re.sub(r"[ -]", "", m.group())
            # An all-digit credit code (e.g. 12…, 事业单位) can pass Luhn by chance.
            if luhn_ok(digits) and not (len(digits) == 18 and is_valid_credit_code(digits)):
                add("bank-card", m.start(), m.end())
    for m in _MOBILE.finditer(folded):
        number = m.group("number")
        if _MOBILE_GROUPS.fullmatch(number) or _MOBILE_SPACED.fullmatch(number):
            add("mobile", m.start(), m.end())
    for m in _EMAIL.finditer(folded):
        if not _domain_allowed(m.group("domain"), allowed_email_domains):
            add("email", m.start(), m.end())


# Every number find_personal_data looks for has 11 or more digits (of any script, or Chinese
# numerals), and an e-mail address an @.
_DIGIT_LIKE = re.compile(r"[\d" + "".join(_CHINESE_DIGITS) + "]")


def may_hold_personal_data(text: str) -> bool:
    """A cheap necessary condition for find_personal_data, true for few values: callers skip the
    detector's searches on the others."""
    return "@" in text or "＠" in text or len(_DIGIT_LIKE.findall(text)) >= 11


# --- names -------------------------------------------------------------------------------

MASK_STYLES = ("张某某", "张某", "张*", "某某")

# Common two-character surnames (复姓), simplified and traditional. A name that is exactly
# one of these is read as single surname + given name (nobody is called just 欧阳).
_COMPOUND_SURNAMES_TEXT = """
    欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 申屠
    太史 独孤 南宫 万俟 闻人 公羊 赫连 澹台 宗政 濮阳 公冶 太叔 仲孙 钟离 鲜于 司空
    闾丘 子车 亓官 司寇 巫马 公西 颛孙 壤驷 公良 漆雕 乐正 宰父 谷梁 拓跋 夹谷 轩辕
    段干 百里 呼延 东郭 南门 羊舌 微生 梁丘 左丘 西门 第五 公乘 南荣 东里 即墨 达奚
    褚师 淳于
    歐陽 司馬 諸葛 東方 尉遲 公孫 長孫 慕容 令狐 端木 皇甫 鍾離 聞人 軒轅 夏侯 申屠
    司徒 宇文 上官 獨孤 南宮 呼延 澹臺 濮陽 單于
"""
COMPOUND_SURNAMES = frozenset(_COMPOUND_SURNAMES_TEXT.split())

_MASK_MARKS = ("某", "*", "＊", "×")


def split_surname(name: str) -> tuple[str, str]:
    """(surname, given name). Compound surnames are recognised; otherwise the first character."""
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def mask_person_name(name: str, style: str = "张某某") -> str:
    """A natural person's name masked in one of MASK_STYLES.

    张某某: surname + 某某 (always two, so the length of the given name is not revealed);
    张某: surname + one 某 per given-name character; 张*: the same with *; 某某: fully masked.
    A name already containing 某, * or × is returned unchanged.
    """
    if style not in MASK_STYLES:
        raise ValueError(f"未知的姓名脱敏方式“{style}”，可选：{'、'.join(MASK_STYLES)}")
    name = name.strip()
    if not name:
        raise ValueError("姓名为空，无法脱敏")
    if any(mark in name for mark in _MASK_MARKS):
        return name
    if style == "某某":
        return "某某"
    surname, given = split_surname(name)
    # At least one mask character even for a one-character name, or nothing would be hidden
    # about the fact that only the surname is shown.
    n = max(1, len(given))
    if style == "张某某":
        return surname + "某某"
    if style == "张某":
        return surname + "某" * n
    return surname + "*" * n


NATURAL_PERSON = "自然人"


def published_party_name(name: str, party_type: str, style: str = "张某某") -> str:
    """The party's name as every public output shows it: a natural person masked, others as they are."""
    return mask_person_name(name, style) if party_type == NATURAL_PERSON else name
