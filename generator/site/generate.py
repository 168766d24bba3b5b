"""Everything the site adds to mkdocs' output, written after mkdocs has rendered the shells: the
record, enterprise and law pages (page_tasks), the search index (search_task), the open data
(whole_site_task), the listings and the registers, as tasks run side by side (tasks), then the
sitemap.  Each file's bytes depend only on its own inputs, so the result is the same with one
process or many, and a patch build writes only the files whose bytes change.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import timings
from generator.incremental.memo import Days
from generator.site import urls
from generator.site.entity_views import laws_index_body
from generator.site.files import SiteFiles, tree_files
from generator.site.home import home_view
from generator.site.listing_build import write_listing
from generator.site.listing_specs import LISTINGS
from generator.site.page_tasks import VERIFY_KEYS_ENV, PageSource, page_sources, plan_part, write_chunk
from generator.site.pages import (
    BODY,
    HOME,
    SHELL_DIR,
    Renderer,
    fill_rendered,
    load_shells,
    remove_shells,
    write_fragment_page,
)
from generator.site.record_views import Context
from generator.site.registers import register_pages
from generator.site.search_task import write_search
from generator.site.sitemap import sitemap_files
from generator.site.tasks import (
    Job,
    Known,
    TaskResult,
    current_job,
    kept_urls,
    previous_memo,
    run_tasks,
    task_files,
)
from generator.site.theme_assets import UNUSED, localise_theme_assets
from generator.site.whole_site_task import write_whole_site_files


def _write_listing(number: int) -> TaskResult:
    """One listing (penalties, accidents, power items, enterprises): its pages and filter data; in a
    patch build only the pages and data shards whose rows changed (generator.site.listing_build)."""
    job, files, spec = current_job(), task_files(), LISTINGS[number]
    made = write_listing(files, job.shells, job.renderer, job.ctx, spec, previous_memo(spec.name))
    memo = (spec.name, made.memo) if made.memo is not None else None
    return TaskResult(made.pages, files.produced, files.changed, memo=memo)


def _write_section_pages() -> TaskResult:
    """The registers (withdrawals, blacklist) and the index of cited laws."""
    job, files = current_job(), task_files()
    renderer, ctx = job.renderer, job.ctx
    written = []
    for url, title, description, body in register_pages(ctx.index.publication, ctx.settings):
        write_fragment_page(files, job.shells, renderer, url, title, description, body)
        written.append(url)
    laws = laws_index_body(ctx)
    fill_rendered(files, urls.LAWS, BODY, renderer.body(laws), renderer, laws)
    return TaskResult([*written, urls.LAWS], files.produced, files.changed)


TASKS: dict[str, Callable[..., TaskResult]] = {
    "search": write_search,
    "whole-site": write_whole_site_files,
    "listing": _write_listing,
    "sections": _write_section_pages,
    "chunk": write_chunk,
    "plan": plan_part,
}


@dataclass
class Generated:
    """What `generate` made: every file of the site, the files whose bytes changed (patch builds),
    the fingerprints of the record, enterprise and law pages, the tasks' memos and how many pages
    were generated."""

    produced: set[str]
    changed: set[str]
    fingerprints: dict[str, Known]
    memos: dict[str, Any]
    pages: int
    made_pages: int = 0  # of the record, enterprise and law pages, those made rather than kept


def generate(
    files: SiteFiles,
    ctx: Context,
    site_url: str,
    content_urls: list[str],
    workers: int | None = None,
    known: Mapping[str, Known] | None = None,
    memos: Mapping[str, Any] | None = None,
    cache_folder: Path | None = None,
    keep_memo: Callable[[str, Any], Any] | None = None,
) -> Generated:
    """Fill the mkdocs-rendered placeholders and write every generated page.  `known`: the
    fingerprints of the pages the previous build made (a patch build), which are kept when theirs
    are unchanged; `memos`: its tasks' memos."""
    with timings.stage("home page, shells"):
        mkdocs_files = tree_files(files.base)  # before anything is written: what mkdocs made
        renderer = Renderer(site_url)
        # The home page is a content page the search task reads back: it is complete before any task runs.
        fill_rendered(files, urls.HOME, HOME, renderer.render("home.html", home=home_view(ctx)), renderer)
        shells = load_shells(files, renderer)
    job = Job(files, renderer, shells, ctx, page_sources(ctx), known or {}, memos or {}, cache_folder, keep_memo)
    # Longest first, so that the short ones fill the gaps at the end: the open data, the penalties
    # listing (LISTINGS[0], the largest), the registers and laws index, the other listings.
    independent = [
        ("whole-site", site_url), ("listing", 0), ("sections",), *(("listing", n) for n in range(1, len(LISTINGS)))
    ]
    previous_dates = job.memos.get(SITEMAP_DATES)
    with timings.stage("generation tasks (wall)"):
        # The sitemap's dates for the records are the parent's own work meanwhile.
        results, record_urls = run_tasks(
            job, TASKS, independent, workers or min(2, os.cpu_count() or 1), content_urls,
            lambda kept, remade: indexable_record_urls(ctx, job.sources, kept, remade, previous_dates),
        )
    kept = kept_urls(results)  # a patch build's pages kept as they were: the previous build's files
    files.produced.update(map(urls.output_file, kept))
    for result in results:
        files.merge(result.produced, result.changed)
        timings.add(f"  task {result.task}", result.seconds)
        timings.add(f"  task {result.task}, CPU", result.cpu_seconds)
    other_pages = [url for result in results for url in result.pages]
    with timings.stage("sitemap"):
        page_urls = {url: None for url in [*content_urls, *other_pages]} | record_urls
        for name, data in sitemap_files(site_url, page_urls, ctx.as_of).items():
            files.write(name, data)
    with timings.stage("shells, theme assets, mkdocs' files"):
        if not files.patching:
            remove_shells(files.out)
        localise_theme_assets(files)
        _adopt_mkdocs_files(files, mkdocs_files)
    fingerprints = {url: job.known[url] for url in kept}
    fingerprints |= {url: known for result in results for url, known in result.fingerprints.items()}
    new_memos = dict(result.memo for result in results if result.memo is not None)
    new_memos[SITEMAP_DATES] = {url: day.toordinal() for url, day in record_urls.items()}
    records = sum(len(source.items) for source in job.sources)
    made_pages = sum(result.made_pages for result in results)
    return Generated(files.produced, files.changed, fingerprints, new_memos, records + len(other_pages), made_pages)


_NOT_PUBLISHED = (SHELL_DIR, *(f"{name}/" for name in UNUSED))


def _adopt_mkdocs_files(files: SiteFiles, mkdocs_files: list[str]) -> None:
    """mkdocs' own files that generation left as they were (narrative pages, theme assets) are part
    of the site too: a patch build copies each from the cache's copy where it differs."""
    for rel in mkdocs_files:
        if rel in files.produced or rel.startswith(_NOT_PUBLISHED):
            continue
        if files.patching:
            files.write(rel, (files.base / rel).read_bytes())
        else:
            files.keep(rel)


# The memo under which a build keeps its sitemap's page dates (day ordinals by URL) for the next.
SITEMAP_DATES = "sitemap-dates"


def indexable_record_urls(
    ctx: Context,
    sources: Sequence[PageSource],
    kept: Set[str] = frozenset(),
    remade: Sequence[tuple[int, Sequence[int]]] | None = None,
    previous: Mapping[str, int] | None = None,
) -> dict[str, dt.date]:
    """The URL of every indexable record, enterprise and law page, with the day its content last
    changed (the date its page shows as 最后更新).

    In a full build (`remade` None) every page's date is worked out: an enterprise's or a law's
    is the newest of its records', a pass over all of them (a second at 100k).  A patch build
    works out only the dates of the pages it makes again (`remade`: source number, item indexes);
    a page it `kept` was made from the same inputs as before, its date among them, so the
    `previous` build's date stands (all are worked out when its memo is missing or was not
    trusted).  In the tests' key-verification mode every date is worked out as well, and the two
    must agree."""
    if remade is None or previous is None:
        return _all_dates(ctx, sources)
    days = Days()
    dated = {url: days[previous[url]] for url in kept if url in previous}  # notices are not in it
    for number, indexes in remade:
        source = sources[number]
        if source.updated is not None:
            for index in indexes:
                item = source.items[index]
                dated[source.url(item)] = source.updated(ctx, item)
    if os.environ.get(VERIFY_KEYS_ENV):
        every = _all_dates(ctx, sources)
        wrong = sorted(url for url in dated.keys() | every.keys() if dated.get(url) != every.get(url))
        if wrong:
            raise AssertionError(f"{wrong[0]}: the sitemap date from the previous build is not the page's")
    return dated


def _all_dates(ctx: Context, sources: Sequence[PageSource]) -> dict[str, dt.date]:
    return {
        source.url(item): source.updated(ctx, item)
        for source in sources
        if source.updated is not None
        for item in source.items
    }
