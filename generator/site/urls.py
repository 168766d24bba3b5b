"""Every URL of the built site, decided in one place.

URLs are ASCII, stable across builds and data edits (they depend only on a record's key, plus its
date for readability), and end in "/" (mkdocs `use_directory_urls`).  Paths here are relative to
the site root without a leading slash ("penalties/2024-17-3f9a2b1c0d/"); pages link to each other
with `relative()`, so a site served under a sub-path (GitHub Pages /repo/) works unchanged.
"""

from __future__ import annotations

import hashlib
import re

from generator.schema.models import Accident, Penalty, PowerItem

HOME = ""
PENALTIES = "penalties/"
ACCIDENTS = "accidents/"
POWER_ITEMS = "power-items/"
ENTERPRISES = "enterprises/"
LAWS = "laws/"
SEARCH = "search/"
DATA = "data/"
ABOUT = "about/"
SOURCE = "source/"  # public-field copies of the data files, when no source_url is configured

_DECISION_NUMBER = re.compile(r"[〔\[(（](\d{4})[〕\])）]\s*第?\s*(\d+)\s*号")
_ASCII_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_CREDIT_CODE = re.compile(r"[0-9A-Z]{18}")


def short_hash(text: str, length: int = 10) -> str:
    # sha1 is used as a stable name, not for security; 10 hex digits keep collisions out of reach
    # for millions of keys, and `first_clash` refuses a build if one ever happened.
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]  # noqa: S324


def penalty(record: Penalty) -> str:
    """云应急罚〔2024〕17号 → penalties/2024-17-<hash>/ (the year and serial keep it readable)."""
    key = (record.decision_number, record.decision_date.year)
    url = _PENALTY_URLS.get(key)
    if url is None:
        url = _PENALTY_URLS[key] = _penalty(*key)
    return url


# Asked for many times per record (pages, listings, downloads, search, the sitemap): made once per
# record and process — or handed over from the build cache's memo (`known_penalty`).
_PENALTY_URLS: dict[tuple[str, int], str] = {}


def known_penalty(record: Penalty, url: str) -> None:
    """The URL `penalty(record)` gives, as an earlier build worked it out."""
    _PENALTY_URLS[(record.decision_number, record.decision_date.year)] = url


def _penalty(decision_number: str, year: int) -> str:
    match = _DECISION_NUMBER.search(decision_number)
    stem = f"{match.group(1)}-{int(match.group(2))}-" if match else f"{year}-"
    return f"{PENALTIES}{stem}{short_hash(decision_number)}/"


def accident(record: Accident) -> str:
    return f"{ACCIDENTS}{record.occurred_date.isoformat()}-{short_hash(record.name)}/"


def power_item(record: PowerItem) -> str:
    return power_item_code(record.code)


# Names under power-items/ that the section itself uses (listing pages and data, the change log).
_RESERVED_POWER_SLUGS = frozenset({"page", "data", "changes"})


def power_item_code(code: str) -> str:
    """A readable slug for plain ASCII codes (yj-cf-001); a hash for anything else, and for a code
    that would take a name the section uses or look like a file (changes, page, index.html)."""
    slug = code.lower()
    if not _ASCII_CODE.fullmatch(code) or "." in code or slug in _RESERVED_POWER_SLUGS:
        slug = f"h-{short_hash(code)}"
    return f"{POWER_ITEMS}{slug}/"


def enterprise(credit_code: str | None, name: str) -> str:
    """One page per 统一社会信用代码; per name (hashed, since names are Chinese) where there is none."""
    if credit_code and _CREDIT_CODE.fullmatch(credit_code):
        return f"{ENTERPRISES}{credit_code}/"
    return f"{ENTERPRISES}n-{short_hash(name)}/"


def law_article(law_key: str, article: int) -> str:
    return f"{LAWS}{short_hash(law_key, 8)}-{article}/"


def listing_page(section: str, number: int) -> str:
    """Page 1 of a listing is the section itself; later pages live under page/N/."""
    return section if number == 1 else f"{section}page/{number}/"


def source_copy(source_path: str) -> str:
    # Only a data-relative path may become a site path: never an absolute path or a "..".
    parts = [p for p in source_path.replace("\\", "/").split("/") if p and p not in (".", "..")]
    return SOURCE + "/".join(parts)


def depth(url: str) -> int:
    """How many directories deep a page is: "" → 0, "penalties/" → 1, "penalties/x/" → 2."""
    return url.count("/")


def relative(from_page: str, to: str) -> str:
    """The link from the page at `from_page` to `to` (a page or a file), relative, never root-absolute."""
    up = "../" * depth(from_page)
    return (up + to) or "./"


def output_file(url: str) -> str:
    """Where a page's HTML is written, relative to the site directory."""
    return f"{url}index.html"


def first_clash(pairs: list[tuple[str, str]]) -> dict[int, tuple[int, str]]:
    """For each pair (key, url) whose url an earlier pair with another key already took:
    its index → (the earlier pair's index, url).  A hash collision or a slug clash (T-001, t-001)."""
    seen: dict[str, int] = {}
    clashes = {}
    for i, (key, url) in enumerate(pairs):
        first = seen.setdefault(url, i)
        if pairs[first][0] != key:
            clashes[i] = (first, url)
    return clashes
