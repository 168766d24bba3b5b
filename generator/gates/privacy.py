"""Privacy scan of the whole output: the detectors of generator.rules.privacy applied to every file.

Validation already refuses personal data in the input; this gate checks the *output*, whatever
put it there (a template, a search index, a CSV column that should be empty, an encoding that
hid a number from the validator). Each file is read as text in every form a reader could decode:
as stored, with HTML entities, JSON \\u escapes and percent-encoding undone, and gzip unpacked.
Findings print the number masked, so that the CI log does not publish it a second time.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import html
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from generator.gates.findings import Finding
from generator.gates.sitefiles import line_at, rel, site_files
from generator.rules.privacy import find_personal_data

GATE = "privacy"

KIND_NAMES = {
    "id-number": "身份证号码",
    "mobile": "手机号码",
    "bank-card": "银行卡号",
    "email": "个人电子邮箱",
}

# Addresses that are not anybody's personal data in the sense of the law: authors' addresses in the
# licence headers of third-party files that mkdocs-material copies into every site. Only e-mail
# addresses can be listed here, never ID, mobile or bank-card numbers; each with why.
ALLOWED_EMAILS: dict[str, str] = {
    "martin.donath@squidfunk.com": "mkdocs-material's author, in the licence headers inside its source maps",
    "martin@squidfunk.com": "mkdocs-material's author, in the licence header of its bundles",
    "taku@chasen.org": "TinySegmenter's author, in its licence header (lunr/tinyseg.js of mkdocs-material)",
}

_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _json_unescape(text: str) -> str:
    return _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _all_decoded(text: str) -> str:
    return html.unescape(_json_unescape(unquote(text)))


# The forms each file is read in; a number hidden by one layer of encoding shows in one of them.
VARIANTS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("", lambda t: t),
    ("HTML 实体解码后", html.unescape),
    ("JSON 转义解码后", _json_unescape),
    ("百分号编码解码后", unquote),
    ("全部解码后", _all_decoded),
)


def decode_bytes(data: bytes) -> str:
    """Text of a file in whatever encoding it is most likely in; never fails."""
    if data[:2] == b"\x1f\x8b":  # gzip (sitemap.xml.gz, pre-compressed assets)
        with contextlib.suppress(OSError, EOFError):
            data = gzip.decompress(data)
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    for codec in ("utf-8", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    # Binary files: undecodable bytes become U+FFFD, which also separates digit runs.
    return data.decode("utf-8", errors="replace")


def mask(value: str) -> str:
    """Enough of a number to find it again, not enough to publish it."""
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    keep = 3 if len(value) > 8 else 1
    return value[:keep] + "*" * (len(value) - keep - 2) + value[-2:]


def scan_text(
    text: str, allowed_email_domains: tuple[str, ...] = ("gov.cn",)
) -> list[tuple[int, str, str, str]]:
    """(line, kind, value, variant name) of every distinct finding in any variant."""
    seen: set[tuple[str, str]] = set()
    found = []
    for name, decode in VARIANTS:
        variant = decode(text)
        if name and variant == text:
            continue
        for f in find_personal_data(variant, allowed_email_domains=allowed_email_domains):
            key = (f.kind, re.sub(r"[^0-9A-Za-z@.]", "", f.text).upper())
            if f.kind == "email" and f.text.lower() in ALLOWED_EMAILS:
                continue
            if key not in seen:
                seen.add(key)
                found.append((line_at(variant, f.start), f.kind, f.text, name))
    return found


def check_privacy(site: Path, allowed_email_domains: tuple[str, ...] = ("gov.cn",)) -> list[Finding]:
    findings = []
    for file in site_files(site):
        text = decode_bytes(file.read_bytes())
        for line, kind, value, variant in scan_text(text, allowed_email_domains):
            how = f"（{variant}）" if variant else ""
            message = f"含{KIND_NAMES[kind]} {mask(value)}{how}；个人信息不得公开，请从数据中删除或脱敏"
            findings.append(Finding(GATE, rel(site, file), line, message))
    return findings
