"""Open data: downloads, manifest, feeds, calendar, statistics, data dictionary, privacy notice and
the power-list change log (issue 6).

One entry point, `open_data`, returns files (written as they are) and pages (HTML fragments for the
site's page shell); `open_data_outputs` is the same as plain files and pages.  Everything is derived
from the catalog, the publication decision, the git history and as_of — never the wall clock — so
the same inputs give the same bytes.  A patch build (issue 8) hands `open_data` what the previous
build left, and only what the changed records touch is made again (generator.opendata.splice,
stats.month_tallies), with the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from generator.catalog import Catalog, Entry
from generator.history import History
from generator.incremental.keys import digest_bytes
from generator.publication import Publication
from generator.settings import Settings
from generator.site import urls

from .changelog import DayChange
from .splice import Layout, Made, Previous, bulk
from .stats import MonthTallies


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
    made = open_data(catalog, publication, settings, as_of, history, site_url, power_days)
    files = [GeneratedFile(f.path, f.content) for f in made.files]  # type: ignore[arg-type]
    return files, [GeneratedPage(p.url, p.title, p.body(), p.description) for p in made.pages]


@dataclass(frozen=True)
class OpenDataPage:
    """A page of the open-data section, its body made when asked for."""

    url: str
    title: str
    description: str
    key: bytes | None  # what the page is made from, when known without making it (else None)
    body: Callable[[], str]


@dataclass(frozen=True)
class OpenData:
    """What `open_data` made: the files (a file whose content is None is exactly the previous
    build's; each file's layout is for the next build), the pages, and the statistics' month
    tallies (for the next build too)."""

    files: list[Made]
    pages: list[OpenDataPage]
    months: MonthTallies


@dataclass
class WholeSiteMemo:
    """What the whole-site task (generator.site.whole_site_task) keeps for the next build: the layouts of
    the files it splices, the statistics' month tallies and the key of every page it wrote."""

    site_url: str
    layouts: dict[str, Layout]
    months: MonthTallies | None
    pages: dict[str, bytes]


def page_key(url: str, title: str, description: str, body: str) -> bytes:
    """A page's key when only its body can tell (the shell it is poured into is the build's)."""
    return digest_bytes(repr((url, title, description)), body)


def open_data(
    catalog: Catalog,
    publication: Publication,
    settings: Settings,
    as_of: dt.date,
    history: History,
    site_url: str,
    power_days: list[DayChange] | None,
    previous: Previous | None = None,
    months: MonthTallies | None = None,
) -> OpenData:
    """Every open-data file and page.  A patch build passes what the previous build left: its files'
    layouts and bytes (`previous`, generator.opendata.splice) and its statistics' month tallies
    (`months`); only the records that changed are then written out again, and the bytes are the
    same as without them.  The caller sees to it that the previous build had the same settings,
    as-of date and site_url."""
    with bulk():
        return _open_data(
            catalog, publication, settings, as_of, history, site_url, power_days, previous, months
        )


def _open_data(
    catalog: Catalog,
    publication: Publication,
    settings: Settings,
    as_of: dt.date,
    history: History,
    site_url: str,
    power_days: list[DayChange] | None,
    previous: Previous | None,
    months: MonthTallies | None,
) -> OpenData:
    from .assets import SCRIPT_PATH, filtered_download_js
    from .changelog import last_changed
    from .dates import record_dates
    from .downloads import csv_file, json_file, manifest_file
    from .feeds import atom_xml, base_url, newest_entries
    from .ical import ics_file
    from .records import KIND_ORDER, KindRows
    from .stats_pages import statistics

    files: list[Made] = []
    kinds = {name: KindRows(publication, settings, name) for name in KIND_ORDER}
    for name in KIND_ORDER:
        files.append(csv_file(f"data/{name}.csv", kinds[name], previous))
        files.append(json_file(f"data/{name}.json", kinds[name], previous))
    files.append(manifest_file("data/manifest.json", kinds, publication, history, as_of, previous))
    script = filtered_download_js()
    files.append(Made(SCRIPT_PATH, script, None))

    changed = last_changed(power_days)
    items = [(kinds[name].kind, e) for name in KIND_ORDER for e in kinds[name].entries]
    dates = [day for name in KIND_ORDER for day in record_dates(kinds[name], history, as_of, changed)]
    feeds = [("feed.xml", f"{settings.bureau}：新增和更新的公开信息", 0, len(items))]
    start = 0
    for name in KIND_ORDER:
        rows = kinds[name]
        label = rows.kind.label if len(rows) else name
        feeds.append((f"feeds/{name}.xml", f"{settings.bureau}：{label}", start, start + len(rows)))
        start += len(rows)
    for path, title, first, stop in feeds:
        part = items[first:stop]
        entries = newest_entries(
            part, dates[first:stop], settings, lambda i, part=part: record_url(part[i][0].name, part[i][1])
        )
        files.append(Made(path, atom_xml(title, path, entries, site_url, settings.bureau, as_of), None))

    base = base_url(site_url)
    files.append(
        ics_file(
            "calendar.ics",
            kinds,
            publication,
            settings,
            as_of,
            lambda n, e: base + record_url(n, e),
            previous,
        )
    )

    stats, new_months = statistics(catalog, publication, settings, as_of, months)
    pages = [OpenDataPage(p.url, p.title, p.description, p.key, p.body) for p in stats]
    pages += [
        OpenDataPage(p.url, p.title, p.description, None, lambda body=p.body_html: body)
        for p in reference_pages(publication, settings, power_days)
    ]
    return OpenData(files, pages, new_months)


def reference_pages(
    publication: Publication, settings: Settings, power_days: list[DayChange] | None
) -> list[GeneratedPage]:
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
        GeneratedPage(
            CHANGES_URL,
            "权责清单调整记录",
            changes_body(power_days, present),
            "权责清单按日期的新增、取消和调整事项。",
        ),
    ]
