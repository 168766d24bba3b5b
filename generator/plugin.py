"""The `gongkai` mkdocs plugin: mkdocs hooks only; the work is done in generator.site.

site_config.yml is the mkdocs config; this plugin's options are Gongkai's settings, validated by
`generator.settings` (unknown keys are errors).  The plugin adds the generated section pages and
the page shells (one per directory depth) to mkdocs' files.  `gongkai build` runs mkdocs for those
alone (`run_mkdocs`, shells-only mode) and writes the records from the shells itself (see
generator/site/build.py and pages.py); when mkdocs runs on its own (`mkdocs build`), the plugin
checks the data and writes the records after mkdocs' pages.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.config.base import ConfigErrors, ConfigWarnings
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.problems import render
from generator.settings import Settings, parse_settings
from generator.site import pages, urls
from generator.site.build import Prepared, prepare
from generator.site.files import SiteFiles
from generator.site.generate import generate

TEMPLATE = "gongkai-generated.html"
GENERATED_PAGES = {  # src_uri → title; listings and the law index are filled in after the build
    "penalties/index.md": "行政处罚决定",
    "accidents/index.md": "生产安全事故调查",
    "power-items/index.md": "权责清单",
    "enterprises/index.md": "单位信息",
    "laws/index.md": "法律依据",
    # Open-data pages that belong in the nav; their bodies come from generator.opendata.
    "statistics/index.md": "统计分析",
    "data-dictionary/index.md": "数据字典",
    "privacy/index.md": "个人信息保护说明",
    "search/index.md": "搜索",
    **{f"{url}index.md": pages.TITLE for url in pages.SHELL_URLS.values()},
}


class GongkaiPlugin(BasePlugin):
    def __init__(self) -> None:
        super().__init__()
        self.settings: Settings | None = None
        self.prepared: Prepared | None = None  # prepared here only when mkdocs runs on its own
        self.shells_only_mode = False  # set by run_mkdocs: gongkai build writes the records itself
        self.content_urls: list[str] = []

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[ConfigErrors, ConfigWarnings]:
        self.config_file_path = config_file_path
        self.settings, messages = parse_settings(options)
        return [("gongkai", m) for m in messages], []  # type: ignore[list-item]

    def shells_only(self) -> None:
        """mkdocs renders its own pages and the shells; the records come later (build_site)."""
        self.shells_only_mode = True

    def on_config(self, config: Any) -> Any:
        if not self.shells_only_mode:  # mkdocs serve / mkdocs build run directly: check the data ourselves
            assert self.settings is not None
            root = Path(config.config_file_path).parent
            as_of = dt.date.fromisoformat(os.environ.get("GONGKAI_AS_OF") or dt.date.today().isoformat())
            self.prepared, problems = prepare(root, self.settings, as_of)
            if self.prepared is None:
                raise PluginError("数据检查未通过：\n" + render(problems, "text"))
        return config

    def on_files(self, files: Files, *, config: Any) -> Files:
        self.content_urls = [f.url for f in files.documentation_pages() if f.src_uri not in GENERATED_PAGES]
        for src_uri, title in GENERATED_PAGES.items():
            text = f'---\ntemplate: {TEMPLATE}\ntitle: "{title}"\nhide:\n  - toc\n---\n'
            files.append(File.generated(config, src_uri, content=text))
        return files

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        assert self.settings is not None
        server.watch(str(Path(config.config_file_path).parent / self.settings.data_dir))
        return server

    def on_post_build(self, *, config: Any) -> None:
        if self.shells_only_mode:
            return
        assert self.prepared is not None
        generate(SiteFiles(Path(config.site_dir)), self.prepared.ctx, config.site_url or "", self.content_urls)


@contextmanager
def _source_date(as_of: dt.date):
    """mkdocs stamps sitemaps with the build date; SOURCE_DATE_EPOCH makes that the as-of date."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(
        int(dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC).timestamp())
    )
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


@dataclass(frozen=True)
class MkdocsPart:
    site_url: str
    content_urls: list[str]  # the URLs of the narrative pages
    config_error: str = ""  # mkdocs refused site_config.yml: its own words, for a problem line


class _Said(logging.Handler):
    """Collects what mkdocs logs as errors while it reads its configuration (it logs the reasons, then
    raises a bare Abort)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(config_file: Path, site_dir: Path, as_of: dt.date) -> MkdocsPart:
    """mkdocs' own part of a build (narrative pages, theme assets, page shells) into site_dir:
    no record is needed for it."""
    with _source_date(as_of):
        said, logger = _Said(), logging.getLogger("mkdocs")
        logger.addHandler(said)
        try:
            config = load_mkdocs_config(config_file=str(config_file), site_dir=str(site_dir))
        except (Abort, ConfigurationError) as exc:
            return MkdocsPart("", [], "；".join(said.messages) or str(exc))
        finally:
            logger.removeHandler(said)
        plugin = config.plugins["gongkai"]
        assert isinstance(plugin, GongkaiPlugin)
        plugin.shells_only()
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    return MkdocsPart(config.site_url or "", plugin.content_urls)


__all__ = ["GongkaiPlugin", "run_mkdocs", "urls"]
