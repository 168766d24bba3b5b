"""The outputs derived from the whole catalog: the public copies of the data files, downloads,
feeds, manifest, statistics and the other open-data pages (issue 6).  One task, beside the record
pages; in a patch build it splices the previous build's files (generator.opendata.splice).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from generator.site import urls
from generator.site.files import SiteFiles
from generator.site.pages import BODY, Renderer, fill_rendered, write_fragment_page
from generator.site.record_views import Context
from generator.site.source_copies import source_copy_files
from generator.site.tasks import TaskResult, current_job, previous_memo, task_files


def write_whole_site_files(site_url: str) -> TaskResult:
    """The outputs derived from the whole catalog (source copies, downloads, feeds, statistics …):
    one task that runs beside the record-page chunks.  In a patch build, with the previous build's
    memo, only the records that changed are written out again (generator.opendata.splice)."""
    from generator.opendata import WholeSiteMemo

    job, files = current_job(), task_files()
    memo = previous_memo("whole-site") if files.patching else None
    if not isinstance(memo, WholeSiteMemo) or memo.site_url != site_url:
        memo = None
    kept = WholeSiteMemo(site_url, {}, None, {})
    write_source_copies(files, job.ctx, memo, kept)
    pages = write_open_data(files, job.shells, job.renderer, job.ctx, site_url, memo, kept)
    return TaskResult(pages, files.produced, files.changed, memo=("whole-site", kept))


def write_source_copies(files: SiteFiles, ctx: Context, memo: Any = None, kept: Any = None) -> None:  # noqa: ANN401
    """The public copies of the data files.  `memo`: the previous build's WholeSiteMemo (a patch
    build), whose layouts let unchanged records be copied from the live files; `kept`: this
    build's WholeSiteMemo, which receives the copies' layouts."""
    pub = ctx.index.publication
    copies = source_copy_files(
        {
            "penalties": pub.public_penalties,
            "accidents": pub.public_accidents,
            "power-items": pub.public_power_items,
        },
        ctx.settings,
        _previous_files(files, memo),
    )
    _write_made(files, copies, kept)


def _previous_files(files: SiteFiles, memo: Any) -> Any:  # noqa: ANN401 - opendata.splice.Previous
    """The previous build's spliced files (generator.opendata.splice), read from the live site."""
    from generator.opendata.splice import Previous

    if memo is None or not files.patching:
        return None

    def read(rel: str) -> Any:  # noqa: ANN401 - the file mapped (reading it into memory would copy it twice)
        import mmap

        try:
            with open(files.out / rel, "rb") as handle:
                if os.fstat(handle.fileno()).st_size == 0:
                    return b""
                flags = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
                return mmap.mmap(handle.fileno(), 0, flags=flags, prot=mmap.PROT_READ)
        except (OSError, ValueError):
            return None

    def size(rel: str) -> int | None:
        try:
            return os.path.getsize(files.out / rel)
        except OSError:
            return None

    return Previous(memo.layouts, read, size)


def _write_made(files: SiteFiles, made: Sequence[Any], kept: Any) -> None:  # noqa: ANN401
    for item in made:
        if item.content is None:  # exactly the previous build's file
            files.keep(item.path)
        else:
            files.write(item.path, item.content)
        if kept is not None and item.layout is not None:
            kept.layouts[item.path] = item.layout


def write_open_data(
    files: SiteFiles, shells: dict, renderer: Renderer, ctx: Context, site_url: str, memo: Any = None, kept: Any = None  # noqa: ANN401
) -> list[str]:
    """Downloads, feeds, manifest, statistics, data dictionary, privacy notice, change log (issue 6).
    `memo`: the previous build's WholeSiteMemo (a patch build): files are spliced from the live
    ones and a page whose key is unchanged is kept; `kept`: this build's, filled in here."""
    from generator.opendata import open_data, page_key

    made = open_data(
        ctx.index.catalog, ctx.index.publication, ctx.settings, ctx.as_of, ctx.history, site_url,
        ctx.power_days, _previous_files(files, memo), memo.months if memo is not None else None,
    )
    _write_made(files, made.files, kept)
    if kept is not None:
        kept.months = made.months
    for page in made.pages:
        rel = urls.output_file(page.url)
        key, body = page.key, None
        if key is None:
            body = page.body()
            key = page_key(page.url, page.title, page.description, body)
        if kept is not None:
            kept.pages[page.url] = key
        if memo is not None and memo.pages.get(page.url) == key:
            files.keep(rel)  # made from the same inputs as the previous build's page
            continue
        body = page.body() if body is None else body
        if files.exists(rel):  # a nav page the plugin registered: keep mkdocs' nav state
            fill_rendered(files, page.url, BODY, f'<article class="gk-page">{body}</article>', renderer, description=page.description)
        else:
            write_fragment_page(files, shells, renderer, page.url, page.title, page.description, body)
    return [page.url for page in made.pages]
