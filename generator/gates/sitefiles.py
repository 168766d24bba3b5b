"""Reading a built site: its files, its HTML tags with line numbers, its own URL prefix."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import yaml

HTML_SUFFIXES = (".html", ".htm")


def rel(site: Path, path: Path) -> str:
    return path.relative_to(site).as_posix()


def site_files(site: Path, suffixes: tuple[str, ...] | None = None) -> Iterator[Path]:
    """Every file under `site` in a stable order (sorted), optionally only some suffixes."""
    for path in sorted(site.rglob("*")):
        if path.is_file() and (suffixes is None or path.suffix.lower() in suffixes):
            yield path


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    attrs: dict[str, str]
    line: int


@dataclass
class ParsedPage:
    tags: list[Tag] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    # (line, text) of every <style> body and every inline JavaScript <script> body
    styles: list[tuple[int, str]] = field(default_factory=list)
    scripts: list[tuple[int, str]] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._raw: tuple[str, int, list[str]] | None = None  # inside <style> or <script>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: (v or "") for k, v in attrs}
        line = self.getpos()[0]
        self.page.tags.append(Tag(tag, values, line))
        for key in ("id", "name"):
            # name= anchors (<a name>) are fragment targets too, as browsers still honour them
            if values.get(key) and (key == "id" or tag == "a"):
                self.page.ids.add(values[key])
        if tag == "style" or (tag == "script" and not values.get("src") and _is_js(values.get("type", ""))):
            self._raw = (tag, line, [])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw is not None:
            self._raw[2].append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._raw is not None and tag == self._raw[0]:
            kind, line, parts = self._raw
            (self.page.styles if kind == "style" else self.page.scripts).append((line, "".join(parts)))
            self._raw = None


def _is_js(script_type: str) -> bool:
    # JSON and template blocks (<script type="application/json">) are data, never executed
    return script_type.strip().lower() in ("", "text/javascript", "application/javascript", "module")


def parse_html(text: str) -> ParsedPage:
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return collector.page


def read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


@dataclass(frozen=True, slots=True)
class SiteUrl:
    """Where the site is served: its host (may be empty) and its path prefix ("/" or "/repo/")."""

    host: str = ""
    prefix: str = "/"

    @classmethod
    def parse(cls, site_url: str | None) -> SiteUrl:
        if not site_url:
            return cls()
        parts = urlsplit(site_url)
        prefix = parts.path or "/"
        if not prefix.endswith("/"):
            prefix += "/"
        return cls(parts.hostname or "", prefix)


def site_url_from_config(config: Path) -> SiteUrl:
    """`site_url` of site_config.yml (mkdocs), tolerating mkdocs' custom tags; default "/"."""
    if not config.is_file():
        return SiteUrl()
    loader = type("_Loader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", lambda _loader, _suffix, _node: None)
    loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda _loader, _suffix, _node: None)
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - SafeLoader subclass
    value = data.get("site_url") if isinstance(data, dict) else None
    return SiteUrl.parse(value if isinstance(value, str) else None)


def email_domains_from_config(config: Path) -> tuple[str, ...]:
    """The e-mail domains the bureau allows to be published (gongkai plugin setting)."""
    if config.is_file():
        from generator.settings import load_settings

        settings, _ = load_settings(config)
        if settings is not None:
            return tuple(settings.email_allowed_domains)
    return ("gov.cn",)


ROOT = SiteUrl()  # served at the root of its host, host unknown
