"""Check characters of Chinese identifiers: 统一社会信用代码, 居民身份证号码, bank cards (Luhn).

Pure functions on strings. They validate form and check character only; whether an
identifier was actually issued cannot be known offline.
"""

from __future__ import annotations

from datetime import date

# GB 32100-2015 §4: 31 characters, the letters I, O, Z, S, V are left out (easily misread).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_CODE_ALPHABET)}
# Weight of position i (0-based) is 3^i mod 31.
_CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# GB 11643-1999 / ISO 7064 MOD 11-2: weight of position i is 2^(17-i) mod 11.
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"  # index = weighted sum mod 11

# Birth years accepted in an ID number. No "today" here (rules are pure), so the upper
# bound is loose; the lower bound keeps random digit runs from passing as IDs.
_ID_MIN_YEAR = 1900
_ID_MAX_YEAR = 2099


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 whose first 17 characters are `first17`."""
    if len(first17) != 17:
        raise ValueError(f"统一社会信用代码前17位应为17个字符，实际为{len(first17)}个")
    total = 0
    for ch, weight in zip(first17, _CREDIT_WEIGHTS, strict=True):
        if ch not in _CREDIT_VALUE:
            raise ValueError(f"统一社会信用代码含不允许的字符“{ch}”")
        total += _CREDIT_VALUE[ch] * weight
    check = 31 - total % 31
    return CREDIT_CODE_ALPHABET[0 if check == 31 else check]


def make_credit_code(first17: str) -> str:
    """`first17` plus its check character; for synthetic data and tests."""
    return first17 + credit_code_check_char(first17)


def credit_code_problem(code: str) -> str | None:
    """None when `code` is a well-formed 统一社会信用代码, else a Chinese message saying why.

    Strict: lower-case letters are rejected (the standard uses capitals only), so that the
    published value is the canonical one; the message says so.
    """
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    for ch in code:
        if ch not in _CREDIT_VALUE:
            if ch.upper() in _CREDIT_VALUE:
                return f"统一社会信用代码应使用大写字母，发现“{ch}”"
            return f"统一社会信用代码含不允许的字符“{ch}”（不使用 I、O、Z、S、V）"
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位应为“{expected}”，实际为“{code[17]}”"
    return None


def is_valid_credit_code(code: str) -> bool:
    """True when `code` has 18 characters of the GB 32100 alphabet and a correct check character."""
    return credit_code_problem(code) is None


def id_check_char(first17: str) -> str:
    """The 18th character of a resident ID number (ISO 7064 MOD 11-2)."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("身份证号码前17位应为17位数字")
    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


# The province part (first two digits) of a 居民身份证号码's area code (GB/T 2260, and 81–83 for the
# residence permits of Hong Kong, Macao and Taiwan residents).
_PROVINCES = frozenset(
    [*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55), *range(61, 66), 71, 81, 82, 83]
)


def _valid_birth_date(year: int, month: int, day: int) -> bool:
    if not _ID_MIN_YEAR <= year <= _ID_MAX_YEAR:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def is_valid_id_number(s: str) -> bool:
    """A 居民身份证号码: 18 characters (GB 11643) or the old 15-digit form.

    18: 6-digit area (first digit non-zero), YYYYMMDD birth date that exists, 3-digit
    sequence, check character (0-9 or X, x accepted). 15: 6-digit area, YYMMDD birth date
    in the 1900s that exists, 3-digit sequence, no check digit.
    """
    if not s.isascii():
        return False
    if len(s) == 18:
        body, check = s[:17], s[17].upper()
        if not body.isdigit() or body[0] == "0":
            return False
        if not _valid_birth_date(int(body[6:10]), int(body[10:12]), int(body[12:14])):
            return False
        return id_check_char(body) == check
    if len(s) == 15:
        if not s.isdigit() or int(s[:2]) not in _PROVINCES:
            return False
        return _valid_birth_date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]))
    return False


def looks_like_id_number(s: str) -> bool:
    """An 18-character number built like a 居民身份证号码 (a province's area code, a birth date that
    exists) whatever its check character: a number with one digit mistyped is still somebody's."""
    if len(s) != 18 or not s.isascii() or not s[:17].isdigit() or s[17] not in "0123456789Xx":
        return False
    return int(s[:2]) in _PROVINCES and _valid_birth_date(int(s[6:10]), int(s[10:12]), int(s[12:14]))


def luhn_ok(digits: str) -> bool:
    """Luhn (ISO/IEC 7812) check over a non-empty string of ASCII digits."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    # Double every second digit counted from the right, check digit excluded.
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0
