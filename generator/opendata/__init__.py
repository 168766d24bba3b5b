"""Open data: downloads, manifest, feeds, calendar, statistics, data dictionary, privacy notice and
the power-list change log (issue 6).

One entry point, `open_data_outputs`, returns files (written as they are) and pages (HTML fragments
for the site's page shell).  Everything is derived from the catalog, the publication decision, the
git history and as_of — never the wall clock — so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.catalog import Catalog, Entry
from generator.history import History
from generator.publication import Publication
from generator.settings import Settings
from generator.site import urls

from .changelog import DayChange


@dataclass(frozen=True)
class GeneratedFile:
    path: str  # site-relative, e.g. "data/penalties.csv"
    content: bytes


@dataclass(frozen=True)
class GeneratedPage:
    url: str  # site-relative directory URL, e.g. "statistics/"
    title: str
    body_html: str  # escaped fragment for the page shell's main content, starting with <h1>
    description: str


def record_url(kind_name: str, entry: Entry) -> str:
    """The record page's site-relative URL (decided by generator.site.urls)."""
    if kind_name == "penalties":
        return urls.penalty(entry.record)
    if kind_name == "accidents":
        return urls.accident(entry.record)
    return urls.power_item(entry.record)


def open_data_outputs(
    catalog: Catalog,
    publication: Publication,
    settings: Settings,
    as_of: dt.date,
    history: History,
    site_url: str,
    power_days: list[DayChange] | None,
) -> tuple[list[GeneratedFile], list[GeneratedPage]]:
    """Every open-data file and page.  `power_days`: the git history of data/power-items, day by day
    (changelog.power_item_changes), which feeds the change log and the power items' feed dates.
    The sitemap is the site's (generator.site.sitemap): it lists every page, not only these."""
    from .assets import SCRIPT_PATH, filtered_download_js
    from .changelog import last_changed
    from .downloads import csv_bytes, json_bytes, manifest_bytes
    from .feeds import atom_xml, base_url, feed_entries
    from .ical import calendar_events, ics_bytes
    from .records import KIND_ORDER, public_rows
    from .stats_pages import statistics_pages

    files: list[GeneratedFile] = []
    rows = {name: public_rows(publication, settings, name) for name in KIND_ORDER}
    every_row = [row for name in KIND_ORDER for row in rows[name]]
    for name in KIND_ORDER:
        files.append(GeneratedFile(f"data/{name}.csv", csv_bytes(name, rows[name])))
        files.append(GeneratedFile(f"data/{name}.json", json_bytes(rows[name])))
    files.append(GeneratedFile("data/manifest.json", manifest_bytes(every_row, publication, history, as_of)))
    files.append(GeneratedFile(SCRIPT_PATH, filtered_download_js()))

    changed = last_changed(power_days)

    def page_of(row) -> str:  # noqa: ANN001 - a PublicRow
        return record_url(row.kind.name, row.entry)

    feeds = [("feed.xml", f"{settings.bureau}：新增和更新的公开信息", every_row)]
    feeds += [
        (f"feeds/{n}.xml", f"{settings.bureau}：{rows[n][0].kind.label if rows[n] else n}", rows[n])
        for n in KIND_ORDER
    ]
    for path, title, feed_rows in feeds:
        entries = feed_entries(feed_rows, publication, settings, history, as_of, page_of, changed)
        files.append(GeneratedFile(path, atom_xml(title, path, entries, site_url, settings.bureau, as_of)))

    base = base_url(site_url)
    events = calendar_events(publication, settings, as_of, lambda n, e: base + record_url(n, e))
    files.append(GeneratedFile("calendar.ics", ics_bytes(events, settings.bureau, as_of)))

    pages = [
        GeneratedPage(u, t, b, d) for u, t, b, d in statistics_pages(catalog, publication, settings, as_of)
    ]
    pages += reference_pages(publication, settings, power_days)
    return files, pages


def reference_pages(publication: Publication, settings: Settings, power_days: list[DayChange] | None) -> list[GeneratedPage]:
    """The data dictionary, the privacy notice and the power list's change log: pages of the menu that
    the search index holds too (it asks for them here, not from the files another task writes)."""
    from .changelog_page import CHANGES_URL, changes_body
    from .dictionary import DICTIONARY_URL, PRIVACY_URL, dictionary_body, privacy_body

    present = {e.key for e in publication.public_power_items}
    return [
        GeneratedPage(
            DICTIONARY_URL,
            "数据字典",
            dictionary_body(),
            "公开数据各字段的含义、类型、是否公开，数据文件的组织方式，以及全部问题代码。",
        ),
        GeneratedPage(
            PRIVACY_URL,
            "个人信息保护说明",
            privacy_body(settings),
            "本网站对个人信息的处理：姓名遮蔽、永不公开的字段、自动检查和公示期限。",
        ),
        GeneratedPage(CHANGES_URL, "权责清单调整记录", changes_body(power_days, present), "权责清单按日期的新增、取消和调整事项。"),
    ]
