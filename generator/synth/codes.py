"""Identifiers for synthetic records: 统一社会信用代码 (GB 32100-2015) with its 组织机构代码 body
(GB 11714-1997), computed locally so the generator has no dependency on the rules package."""

from __future__ import annotations

import random

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_INDEX = {c: i for i, c in enumerate(CREDIT_ALPHABET)}
CREDIT_WEIGHTS = tuple(3**i % 31 for i in range(17))
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Body characters of the organisation code: digits and the letters the credit alphabet allows.
_ORG_BODY = CREDIT_ALPHABET
_LETTERS = "ABCDEFGHJKLMNPQRTUWXY"


def credit_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 for its first 17 characters."""
    total = sum(_CREDIT_INDEX[c] * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_is_valid(code: str) -> bool:
    if len(code) != 18 or any(c not in _CREDIT_INDEX for c in code):
        return False
    return credit_check_char(code[:17]) == code[17]


def _org_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - 55  # A=10 … Z=35


def org_check_char(body8: str) -> str:
    """GB 11714 check character of an 8-character organisation-code body."""
    c = 11 - sum(_org_value(ch) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True)) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def make_credit_code(rng: random.Random, prefix2: str, region6: str) -> str:
    """A valid code: 登记管理部门码+机构类别码 (prefix2), 行政区划码, 组织机构代码 (own check), check.

    The body always starts with a letter so that no code contains a long run of digits that a
    privacy scan could mistake for an ID-card or bank-card number.
    """
    body = rng.choice("MN") + rng.choice(_LETTERS) + "".join(rng.choice(_ORG_BODY) for _ in range(6))
    first17 = prefix2 + region6 + body + org_check_char(body)
    return first17 + credit_check_char(first17)


def org_code_of(credit_code: str) -> str:
    """The 组织机构代码 embedded in a credit code, written the traditional way (XXXXXXXX-X)."""
    return credit_code[8:16] + "-" + credit_code[16]
