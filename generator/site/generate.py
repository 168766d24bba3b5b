"""Everything the site adds to mkdocs' output, written after mkdocs has rendered the shells.

Record pages are independent of each other, so with many of them the work is split over worker
processes (fork: they inherit the catalog, nothing is pickled).  Each file's bytes depend only on
its own inputs, so the result is the same with one process or many.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.site import urls
from generator.site.entity_views import enterprise_page, law_page, laws_index_body, notice_page
from generator.site.home import home_view
from generator.site.listing_specs import LISTINGS
from generator.site.listings import listing_data, listing_pages
from generator.site.pages import (
    BODY,
    HOME,
    Renderer,
    fill_rendered,
    load_shells,
    remove_shells,
    write_fragment_page,
    write_page,
    write_text,
)
from generator.site.record_views import Context, accident_page, penalty_page, power_item_page
from generator.site.registers import register_pages
from generator.site.sitemap import sitemap_files
from generator.site.source_copies import source_copies
from generator.site.theme_assets import localise_theme_assets

NOTICE_REASONS = ("expired", "withdrawn", "changed")  # records that were public keep their URL
PARALLEL_FROM = 3000  # below this many record pages, starting processes costs more than it saves
CHUNK = 400


@dataclass
class _Job:
    site_dir: Path
    renderer: Renderer
    shells: dict
    ctx: Context
    sources: list[tuple[Sequence[Any], Callable[[Context, Any], Any]]]


_JOB: _Job | None = None  # set in the parent before forking; read by the workers


def record_sources(ctx: Context) -> list[tuple[Sequence[Any], Callable[[Context, Any], Any]]]:
    pub = ctx.index.publication
    notices = [(e, s) for e, s in pub.not_public_penalties if s.reason in NOTICE_REASONS]
    return [
        (pub.public_penalties, penalty_page),
        (notices, lambda c, pair: notice_page(c, *pair)),
        (pub.public_accidents, accident_page),
        (pub.public_power_items, power_item_page),
        (ctx.index.enterprises, enterprise_page),
        (list(ctx.index.laws.values()), law_page),
    ]


def _write_chunk(source: int, start: int, stop: int) -> list[str]:
    assert _JOB is not None
    items, build = _JOB.sources[source]
    for item in items[start:stop]:
        write_page(_JOB.site_dir, _JOB.shells, _JOB.renderer, build(_JOB.ctx, item))
    return []  # record page URLs are listed for the sitemap from the catalog, not collected here


def _write_whole_site_files(site_url: str) -> list[str]:
    """The outputs derived from the whole catalog (source copies, downloads, feeds, statistics …):
    one task that runs beside the record-page chunks.  Returns the URLs of the pages it wrote."""
    assert _JOB is not None
    write_source_copies(_JOB.site_dir, _JOB.ctx)
    return write_open_data(_JOB.site_dir, _JOB.shells, _JOB.renderer, _JOB.ctx, site_url)


def _write_search(content_urls: list[str]) -> list[str]:
    """The search index over every public record and narrative page (issue 4), and its assets."""
    assert _JOB is not None
    from generator.opendata import reference_pages
    from generator.search import build_index, copy_assets
    from generator.site.search_docs import FACET_ORDERS, enterprise_docs, fragment_doc, page_docs, record_docs

    ctx = _JOB.ctx
    references = reference_pages(ctx.index.publication, ctx.settings, ctx.power_days)
    docs = [
        *record_docs(ctx),
        *enterprise_docs(ctx),
        *page_docs(_JOB.site_dir, content_urls),
        *(fragment_doc(page.url, page.body_html) for page in references),
    ]
    build_index(docs, _JOB.site_dir / SEARCH_INDEX_DIR, facet_orders=FACET_ORDERS)
    copy_assets(_JOB.site_dir / SEARCH_ASSETS_DIR)
    fill_search_page(_JOB.site_dir, _JOB.renderer)
    return []


def _write_listing(number: int) -> list[str]:
    """One listing (penalties, accidents, power items, enterprises): its pages and filter data."""
    assert _JOB is not None
    listing = LISTINGS[number](_JOB.ctx)
    pages = listing_pages(listing)
    site_dir, renderer = _JOB.site_dir, _JOB.renderer
    fill_rendered(site_dir, listing.section, BODY, renderer.body(pages[0]), renderer, pages[0])
    for page in pages[1:]:
        write_page(site_dir, _JOB.shells, renderer, page)
    for path, text in listing_data(listing).items():
        write_text(site_dir / path, text)
    return [p.url for p in pages]


def _write_section_pages() -> list[str]:
    """The registers (withdrawals, blacklist) and the index of cited laws."""
    assert _JOB is not None
    site_dir, renderer, ctx = _JOB.site_dir, _JOB.renderer, _JOB.ctx
    written = []
    for url, title, description, body in register_pages(ctx.index.publication, ctx.settings):
        write_fragment_page(site_dir, _JOB.shells, renderer, url, title, description, body)
        written.append(url)
    laws = laws_index_body(ctx)
    fill_rendered(site_dir, urls.LAWS, BODY, renderer.body(laws), renderer, laws)
    return [*written, urls.LAWS]


_TASKS: dict[str, Callable[..., list[str]]] = {
    "search": _write_search,
    "whole-site": _write_whole_site_files,
    "listing": _write_listing,
    "sections": _write_section_pages,
    "chunk": _write_chunk,
}


def _run(task: tuple) -> list[str]:
    name, *args = task
    return _TASKS[name](*args)


def run_tasks(job: _Job, workers: int, site_url: str, content_urls: list[str]) -> list[str]:
    """Every page and file after mkdocs' own: the URLs of the non-record pages written, in a fixed
    order.  Every task writes files nobody else writes and reads only files written before the
    tasks start (mkdocs' pages, the home page), so the order they run in does not matter."""
    global _JOB
    # The longest single tasks first, so that they overlap with the many small page chunks.
    tasks: list[tuple] = [("search", content_urls), ("whole-site", site_url)]
    tasks += [("listing", n) for n in range(len(LISTINGS))]
    tasks.append(("sections",))
    tasks += [
        ("chunk", i, s, min(s + CHUNK, len(items)))
        for i, (items, _) in enumerate(job.sources)
        for s in range(0, len(items), CHUNK)
    ]
    total = sum(len(items) for items, _ in job.sources)
    _JOB = job
    try:
        if workers > 1 and total >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.map(_run, tasks, chunksize=1)
        else:
            results = [_run(t) for t in tasks]
    finally:
        _JOB = None
    return [url for urls_written in results for url in urls_written]


SEARCH_INDEX_DIR = "search/index"
SEARCH_ASSETS_DIR = "assets/search"


def fill_search_page(site_dir: Path, renderer: Renderer) -> None:
    from generator.search import render_search_page

    body = render_search_page(index_url="index/", site_root="../")
    head = (
        f'<link rel="stylesheet" href="../{SEARCH_ASSETS_DIR}/search.css">'
        f'<script defer src="../{SEARCH_ASSETS_DIR}/search.js"></script>'
    )
    fill_rendered(site_dir, "search/", BODY, body, renderer, description="搜索本站公开的行政处罚决定、事故调查报告、权责清单和栏目页面", head_extra=head)


def write_source_copies(site_dir: Path, ctx: Context) -> None:
    pub = ctx.index.publication
    copies = source_copies(
        {
            "penalties": pub.public_penalties,
            "accidents": pub.public_accidents,
            "power-items": pub.public_power_items,
        },
        ctx.settings,
    )
    for path, text in copies.items():
        write_text(site_dir / path, text)


def generate(
    site_dir: Path, ctx: Context, site_url: str, content_urls: list[str], workers: int | None = None
) -> int:
    """Fill the mkdocs-rendered placeholders and write every generated page; returns how many pages
    were generated (record pages and the other generated pages; mkdocs' own pages not counted)."""
    renderer = Renderer(site_url)
    # The home page is a content page the search task reads back: it is complete before any task runs.
    fill_rendered(site_dir, urls.HOME, HOME, renderer.render("home.html", home=home_view(ctx)), renderer)
    job = _Job(site_dir, renderer, load_shells(site_dir, renderer), ctx, record_sources(ctx))
    other_pages = run_tasks(job, workers or min(2, os.cpu_count() or 1), site_url, content_urls)
    page_urls = {url: None for url in [*content_urls, *other_pages]} | indexable_record_urls(ctx)
    for name, data in sitemap_files(site_url, page_urls, ctx.as_of).items():
        (site_dir / name).write_bytes(data)
    remove_shells(site_dir)
    localise_theme_assets(site_dir)
    records = sum(len(items) for items, _ in job.sources)
    return records + len(other_pages)


def write_open_data(site_dir: Path, shells: dict, renderer: Renderer, ctx: Context, site_url: str) -> list[str]:
    """Downloads, feeds, manifest, statistics, data dictionary, privacy notice, change log (issue 6)."""
    from generator.opendata import open_data_outputs

    files, pages = open_data_outputs(
        ctx.index.catalog, ctx.index.publication, ctx.settings, ctx.as_of, ctx.history, site_url,
        ctx.power_days,
    )
    for generated in files:
        target = site_dir / generated.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(generated.content)
    for page in pages:
        rendered_by_mkdocs = site_dir / urls.output_file(page.url)
        if rendered_by_mkdocs.exists():  # a nav page the plugin registered: keep mkdocs' nav state
            body = f'<article class="gk-page">{page.body_html}</article>'
            fill_rendered(site_dir, page.url, BODY, body, renderer, description=page.description)
        else:
            write_fragment_page(site_dir, shells, renderer, page.url, page.title, page.description, page.body_html)
    return [page.url for page in pages]


def indexable_record_urls(ctx: Context) -> dict[str, dt.date]:
    """The URL of every indexable record, enterprise and law page, with the day its content last
    changed (the date its page shows as 最后更新)."""
    pub = ctx.index.publication
    dated = {urls.penalty(e.record): ctx.updated(e) for e in pub.public_penalties}
    dated |= {urls.accident(e.record): ctx.updated(e) for e in pub.public_accidents}
    dated |= {urls.power_item(e.record): ctx.updated(e) for e in pub.public_power_items}
    dated |= {e.url: ctx.latest_update([*e.penalties, *e.accidents]) for e in ctx.index.enterprises}
    dated |= {
        a.url: ctx.latest_update([*a.power_items, *a.penalties, *a.accidents]) for a in ctx.index.laws.values()
    }
    return dated
