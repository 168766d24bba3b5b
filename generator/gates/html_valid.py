"""HTML validity: the Nu Html Checker (vnu-jar from npm, run with the machine's Java) on one or two
pages of every page type, errors only. No message is ignored unless listed in IGNORED with why.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.gates import tools
from generator.gates.findings import Finding
from generator.gates.sitefiles import HTML_SUFFIXES, rel, site_files

GATE = "html"


@dataclass(frozen=True, slots=True)
class Ignored:
    """One vnu message that is accepted, matched by its text and by the markup it was found in."""

    message: re.Pattern[str]
    extract: re.Pattern[str]
    reason: str


# Each entry needs a reason a reviewer accepts; everything else is an error.
IGNORED: tuple[Ignored, ...] = (
    Ignored(
        re.compile(r"^Attribute “autocomplete” is only allowed when the input type is"),
        re.compile(
            r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"'
            r'[^>]*autocomplete="off"'
        ),
        "mkdocs-material's hidden drawer/search toggles: autocomplete=off stops Firefox from restoring an "
        "open drawer or search overlay on back-navigation; browsers ignore it elsewhere, no user sees it",
    ),
)

_NOINDEX = re.compile(r"""<meta[^>]+name=["']?robots["']?[^>]+noindex""", re.I)


def page_type(path: str, text: str) -> str:
    """A page's type from its URL pattern: penalties/<any>/ and penalties/page/<n>/ are types, as are
    the home page and each top-level page; a noindex page (expired, withdrawn) is a type of its own."""
    parts = path.split("/")[:-1] if path.endswith("/index.html") or path == "index.html" else path.split("/")
    if not parts:
        key = "home"
    else:
        pattern = [parts[0]]
        for i, part in enumerate(parts[1:], start=1):
            pattern.append(part if part == "page" and i == 1 else "*")
        key = "/".join(pattern)
    return key + (" noindex" if _NOINDEX.search(text) else "")


def sample_pages(site: Path, per_type: int = 2) -> list[Path]:
    """The first and last page (in path order) of each page type: a page type is one template,
    and its first and last pages differ most (oldest/newest record, shortest/longest listing)."""
    groups: dict[str, list[Path]] = defaultdict(list)
    for file in site_files(site, HTML_SUFFIXES):
        text = file.read_bytes()[:20000].decode("utf-8", errors="replace")
        groups[page_type(rel(site, file), text)].append(file)
    chosen: list[Path] = []
    for key in sorted(groups):
        pages = groups[key]
        picks = pages if len(pages) <= per_type else [pages[0], pages[-1]] + pages[1 : per_type - 1]
        chosen += picks
    return sorted(set(chosen))


def run_vnu(files: list[Path]) -> list[dict]:
    """vnu's JSON messages for `files` (errors only)."""
    if not files:
        return []
    command = [
        tools.java(),
        "-Xss4m",
        "-jar",
        str(tools.vnu_jar()),
        "--errors-only",
        "--format",
        "json",
        "--exit-zero-always",
        *map(str, files),
    ]
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=False)
    try:
        return json.loads(done.stderr or done.stdout)["messages"]
    except (ValueError, KeyError) as exc:
        raise tools.GateUnavailable(
            f"Nu Html Checker 输出无法解析：{(done.stderr or done.stdout)[:500]}"
        ) from exc


def ignored_reason(msg: dict) -> str | None:
    for rule in IGNORED:
        if rule.message.search(msg.get("message", "")) and rule.extract.search(msg.get("extract", "")):
            return rule.reason
    return None


def check_html(site: Path, files: list[Path] | None = None) -> list[Finding]:
    site = site.resolve()
    pages = sample_pages(site) if files is None else files
    findings = []
    for msg in run_vnu(pages):
        if msg.get("type") not in ("error", "non-document-error") or ignored_reason(msg):
            continue
        path = Path(unquote(urlsplit(msg.get("url", "")).path))
        where = rel(site, path) if path.is_relative_to(site) else str(path)
        findings.append(Finding(GATE, where, int(msg.get("lastLine", 0)), msg.get("message", "")))
    return findings
