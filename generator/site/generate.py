"""Everything the site adds to mkdocs' output, written after mkdocs has rendered the shells.

Record pages are independent of each other, so with many of them the work is split over worker
processes (fork: they inherit the catalog, nothing is pickled).  Each file's bytes depend only on
its own inputs, so the result is the same with one process or many.

Every record, enterprise and law page is made in two steps: its inputs are gathered from the
context, then the page is made from them alone (record_views, entity_views).  A patch build passes
the fingerprints of the pages the previous build made (`known`): a page whose inputs have the same
fingerprint is kept as it is, unread and unwritten (generator.incremental.fingerprint).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.incremental.fingerprint import fingerprint
from generator.settings import Settings
from generator.site import urls
from generator.site.entity_views import (
    enterprise_inputs,
    enterprise_key,
    enterprise_view,
    law_inputs,
    law_view,
    laws_index_body,
    notice_inputs,
    notice_key,
    notice_view,
)
from generator.site.files import SiteFiles
from generator.site.home import home_view
from generator.site.listing_specs import LISTINGS
from generator.site.listings import listing_data, listing_pages
from generator.site.model import Page
from generator.site.pages import (
    BODY,
    HOME,
    SHELL_DIR,
    Renderer,
    fill_rendered,
    load_shells,
    page_html,
    remove_shells,
    write_fragment_page,
    write_page,
)
from generator.site.record_views import (
    Context,
    accident_inputs,
    accident_view,
    penalty_inputs,
    penalty_key,
    penalty_view,
    power_item_inputs,
    power_item_view,
)
from generator.site.registers import register_pages
from generator.site.sitemap import sitemap_files
from generator.site.source_copies import source_copies
from generator.site.theme_assets import UNUSED, localise_theme_assets

NOTICE_REASONS = ("expired", "withdrawn", "changed")  # records that were public keep their URL
PARALLEL_FROM = 3000  # below this many record pages, starting processes costs more than it saves
CHUNK = 400


@dataclass(frozen=True)
class PageSource:
    """One kind of generated page: the items it is made for, each item's page URL, how its
    inputs are gathered from the context, the page made from the inputs alone — and, for the
    kinds with many pages, a cheap key that changes whenever the inputs do, so that a patch build
    need not even gather the inputs of a page whose key is unchanged."""

    items: Sequence[Any]
    url: Callable[[Any], str]
    inputs: Callable[[Context, Any], Any]
    view: Callable[[Settings, Any], Page]
    key: Callable[[Context, Any], Any] | None = None


# Set in the tests: a patch build then also gathers the inputs of every page whose key is unchanged
# and stops if a page's inputs changed all the same (a key that misses something the page shows).
VERIFY_KEYS_ENV = "GONGKAI_VERIFY_KEYS"


@dataclass
class _Job:
    files: SiteFiles
    renderer: Renderer
    shells: dict
    ctx: Context
    sources: list[PageSource]
    known: Mapping[str, Known]  # URL → the key and fingerprint of the page the previous build made
    # Each task's memo from the previous build (see TaskResult.memo), by task name: a patch build only.
    memos: Mapping[str, Any] = field(default_factory=dict)


_JOB: _Job | None = None  # set in the parent before forking; read by the workers


Known = tuple[bytes | None, bytes | None]  # (key fingerprint, inputs fingerprint) of one page


def page_sources(ctx: Context) -> list[PageSource]:
    pub = ctx.index.publication
    notices = [(e, s) for e, s in pub.not_public_penalties if s.reason in NOTICE_REASONS]
    return [
        PageSource(pub.public_penalties, lambda e: urls.penalty(e.record), penalty_inputs, penalty_view, penalty_key),
        PageSource(
            notices, lambda pair: urls.penalty(pair[0].record), lambda c, pair: notice_inputs(c, *pair), notice_view,
            lambda c, pair: notice_key(c, *pair),
        ),
        PageSource(pub.public_accidents, lambda e: urls.accident(e.record), accident_inputs, accident_view),
        PageSource(pub.public_power_items, lambda e: urls.power_item(e.record), power_item_inputs, power_item_view),
        PageSource(ctx.index.enterprises, lambda e: e.url, enterprise_inputs, enterprise_view, enterprise_key),
        PageSource(list(ctx.index.laws.values()), lambda a: a.url, law_inputs, law_view),
    ]


@dataclass
class TaskResult:
    """What one task made: the non-record pages (for the sitemap), every file it made and the
    files whose bytes changed (generator.site.files), and the fingerprints of the pages it made.

    `memo`: whatever lets the same task in the next (patch) build skip work, handed back to it
    there as `previous_memo(name)`; it is kept in the build cache, so it should be small.  A task
    must make the same bytes whether it is handed its memo or not."""

    pages: list[str] = field(default_factory=list)
    produced: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    fingerprints: dict[str, Known] = field(default_factory=dict)
    memo: tuple[str, Any] | None = None  # (task name, memo)


def previous_memo(name: str) -> Any:  # noqa: ANN401 - each task's own memo type
    """The memo the task `name` returned in the previous build (None in a full build)."""
    assert _JOB is not None
    return _JOB.memos.get(name)


def _files() -> SiteFiles:
    """This task's own view of the output: what it made is reported in its result."""
    assert _JOB is not None
    return _JOB.files.child()


def _write_chunk(source_number: int, indexes: Sequence[int]) -> TaskResult:
    """The pages of these items of one source (a full build: all of them, in chunks)."""
    assert _JOB is not None
    job, files = _JOB, _files()
    source = job.sources[source_number]
    made: dict[str, Known] = {}
    for index in indexes:
        item = source.items[index]
        url = source.url(item)
        key = fingerprint(source.key(job.ctx, item)) if source.key else None
        made[url] = make_page(job, files, source, item, url, key)
    # Record page URLs are listed for the sitemap from the catalog, not collected here.
    return TaskResult([], files.produced, files.changed, made)


def make_page(job: _Job, files: SiteFiles, source: PageSource, item: Any, url: str, key: bytes | None) -> Known:  # noqa: ANN401
    """Gather the page's inputs; write the page unless the previous build made it from the same."""
    inputs = source.inputs(job.ctx, item)
    digest = fingerprint(inputs)
    if digest is not None and job.known.get(url, (None, None))[1] == digest:
        files.keep(urls.output_file(url))
    else:
        files.write_text(urls.output_file(url), page_html(job.shells, job.renderer, source.view(job.ctx.settings, inputs)))
    return (key, digest)


def plan_pages(job: _Job, files: SiteFiles) -> tuple[list[tuple[int, list[int]]], dict[str, Known]]:
    """A patch build's pages: those whose key is the one the previous build recorded are kept
    without a look at their inputs; the others are listed (by source) for `_write_chunk`."""
    verify = bool(os.environ.get(VERIFY_KEYS_ENV))
    todo: list[tuple[int, list[int]]] = []
    kept: dict[str, Known] = {}
    for number, source in enumerate(job.sources):
        indexes = []
        for index, item in enumerate(source.items):
            url = source.url(item)
            key = fingerprint(source.key(job.ctx, item)) if source.key else None
            known = job.known.get(url)
            if key is None or known is None or known[0] != key:
                indexes.append(index)
                continue
            if verify and fingerprint(source.inputs(job.ctx, item)) != known[1]:
                raise AssertionError(f"{url}: the page's key is unchanged but its inputs changed (a key misses an input)")
            files.keep(urls.output_file(url))
            kept[url] = known
        if indexes:
            todo.append((number, indexes))
    return todo, kept


def _write_whole_site_files(site_url: str) -> TaskResult:
    """The outputs derived from the whole catalog (source copies, downloads, feeds, statistics …):
    one task that runs beside the record-page chunks."""
    assert _JOB is not None
    files = _files()
    write_source_copies(files, _JOB.ctx)
    pages = write_open_data(files, _JOB.shells, _JOB.renderer, _JOB.ctx, site_url)
    return TaskResult(pages, files.produced, files.changed)


def _write_search(content_urls: list[str]) -> TaskResult:
    """The search index over every public record and narrative page (issue 4), and its assets."""
    assert _JOB is not None
    from generator.opendata import reference_pages
    from generator.search import build_index, copy_assets
    from generator.site.search_docs import FACET_ORDERS, enterprise_docs, fragment_doc, page_docs, record_docs

    ctx, files = _JOB.ctx, _files()
    references = reference_pages(ctx.index.publication, ctx.settings, ctx.power_days)
    docs = [
        *record_docs(ctx),
        *enterprise_docs(ctx),
        *page_docs(files, content_urls),
        *(fragment_doc(page.url, page.body_html) for page in references),
    ]
    if files.patching:  # built aside, then only the files that differ replace the live ones
        import tempfile

        with tempfile.TemporaryDirectory(dir=files.out.parent) as aside:
            build_index(docs, Path(aside) / "index", facet_orders=FACET_ORDERS)
            copy_assets(Path(aside) / "assets")
            _copy_into(files, Path(aside) / "index", SEARCH_INDEX_DIR)
            _copy_into(files, Path(aside) / "assets", SEARCH_ASSETS_DIR)
    else:
        build_index(docs, files.out / SEARCH_INDEX_DIR, facet_orders=FACET_ORDERS)
        for path in copy_assets(files.out / SEARCH_ASSETS_DIR):
            files.keep(f"{SEARCH_ASSETS_DIR}/{path.name}")
        _list_into(files, files.out / SEARCH_INDEX_DIR, SEARCH_INDEX_DIR)
    fill_search_page(files, _JOB.renderer)
    return TaskResult([], files.produced, files.changed)


def _copy_into(files: SiteFiles, folder: Path, prefix: str) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            files.write(f"{prefix}/{path.relative_to(folder).as_posix()}", path.read_bytes())


def _list_into(files: SiteFiles, folder: Path, prefix: str) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            files.keep(f"{prefix}/{path.relative_to(folder).as_posix()}")


def _write_listing(number: int) -> TaskResult:
    """One listing (penalties, accidents, power items, enterprises): its pages and filter data."""
    assert _JOB is not None
    files, renderer = _files(), _JOB.renderer
    listing = LISTINGS[number](_JOB.ctx)
    pages = listing_pages(listing)
    fill_rendered(files, listing.section, BODY, renderer.body(pages[0]), renderer, pages[0])
    for page in pages[1:]:
        write_page(files, _JOB.shells, renderer, page)
    for path, text in listing_data(listing).items():
        files.write_text(path, text)
    return TaskResult([p.url for p in pages], files.produced, files.changed)


def _write_section_pages() -> TaskResult:
    """The registers (withdrawals, blacklist) and the index of cited laws."""
    assert _JOB is not None
    files, renderer, ctx = _files(), _JOB.renderer, _JOB.ctx
    written = []
    for url, title, description, body in register_pages(ctx.index.publication, ctx.settings):
        write_fragment_page(files, _JOB.shells, renderer, url, title, description, body)
        written.append(url)
    laws = laws_index_body(ctx)
    fill_rendered(files, urls.LAWS, BODY, renderer.body(laws), renderer, laws)
    return TaskResult([*written, urls.LAWS], files.produced, files.changed)


_TASKS: dict[str, Callable[..., TaskResult]] = {
    "search": _write_search,
    "whole-site": _write_whole_site_files,
    "listing": _write_listing,
    "sections": _write_section_pages,
    "chunk": _write_chunk,
}


def _run(task: tuple) -> TaskResult:
    name, *args = task
    return _TASKS[name](*args)


def run_tasks(
    job: _Job, workers: int, site_url: str, content_urls: list[str], pages: list[tuple[int, list[int]]]
) -> list[TaskResult]:
    """Every page and file after mkdocs' own, in a fixed order.  Every task writes files nobody
    else writes and reads only files written before the tasks start (mkdocs' pages, the home
    page), so the order they run in does not matter."""
    global _JOB
    # The longest single tasks first, so that they overlap with the many small page chunks.
    tasks: list[tuple] = [("search", content_urls), ("whole-site", site_url)]
    tasks += [("listing", n) for n in range(len(LISTINGS))]
    tasks.append(("sections",))
    tasks += [
        ("chunk", number, indexes[start : start + CHUNK])
        for number, indexes in pages
        for start in range(0, len(indexes), CHUNK)
    ]
    total = sum(len(indexes) for _, indexes in pages)
    _JOB = job
    try:
        if workers > 1 and total >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.map(_run, tasks, chunksize=1)
        else:
            results = [_run(t) for t in tasks]
    finally:
        _JOB = None
    return results


SEARCH_INDEX_DIR = "search/index"
SEARCH_ASSETS_DIR = "assets/search"


def fill_search_page(files: SiteFiles, renderer: Renderer) -> None:
    from generator.search import render_search_page

    body = render_search_page(index_url="index/", site_root="../")
    head = (
        f'<link rel="stylesheet" href="../{SEARCH_ASSETS_DIR}/search.css">'
        f'<script defer src="../{SEARCH_ASSETS_DIR}/search.js"></script>'
    )
    fill_rendered(files, "search/", BODY, body, renderer, description="搜索本站公开的行政处罚决定、事故调查报告、权责清单和栏目页面", head_extra=head)


def write_source_copies(files: SiteFiles, ctx: Context) -> None:
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
        files.write_text(path, text)


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


def generate(
    files: SiteFiles,
    ctx: Context,
    site_url: str,
    content_urls: list[str],
    workers: int | None = None,
    known: Mapping[str, Known] | None = None,
    memos: Mapping[str, Any] | None = None,
) -> Generated:
    """Fill the mkdocs-rendered placeholders and write every generated page.  `known`: the
    fingerprints of the pages the previous build made (a patch build), which are kept when theirs
    are unchanged; `memos`: its tasks' memos."""
    mkdocs_files = _tree(files.base)  # before anything is written: what mkdocs made
    renderer = Renderer(site_url)
    # The home page is a content page the search task reads back: it is complete before any task runs.
    fill_rendered(files, urls.HOME, HOME, renderer.render("home.html", home=home_view(ctx)), renderer)
    job = _Job(files, renderer, load_shells(files, renderer), ctx, page_sources(ctx), known or {}, memos or {})
    if files.patching:
        pages, kept = plan_pages(job, files)
    else:
        pages, kept = [(n, list(range(len(source.items)))) for n, source in enumerate(job.sources)], {}
    results = run_tasks(job, workers or min(2, os.cpu_count() or 1), site_url, content_urls, pages)
    for result in results:
        files.merge(result.produced, result.changed)
    other_pages = [url for result in results for url in result.pages]
    page_urls = {url: None for url in [*content_urls, *other_pages]} | indexable_record_urls(ctx)
    for name, data in sitemap_files(site_url, page_urls, ctx.as_of).items():
        files.write(name, data)
    if not files.patching:
        remove_shells(files.out)
    localise_theme_assets(files)
    _adopt_mkdocs_files(files, mkdocs_files)
    fingerprints = kept | {url: known for result in results for url, known in result.fingerprints.items()}
    new_memos = dict(result.memo for result in results if result.memo is not None)
    records = sum(len(source.items) for source in job.sources)
    return Generated(files.produced, files.changed, fingerprints, new_memos, records + len(other_pages))


def _tree(folder: Path) -> list[str]:
    out = []
    for top, _dirs, names in os.walk(folder):
        rel = os.path.relpath(top, folder)
        out += [name if rel == "." else f"{rel}/{name}".replace(os.sep, "/") for name in names]
    return sorted(out)


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


def write_open_data(files: SiteFiles, shells: dict, renderer: Renderer, ctx: Context, site_url: str) -> list[str]:
    """Downloads, feeds, manifest, statistics, data dictionary, privacy notice, change log (issue 6)."""
    from generator.opendata import open_data_outputs

    generated, pages = open_data_outputs(
        ctx.index.catalog, ctx.index.publication, ctx.settings, ctx.as_of, ctx.history, site_url,
        ctx.power_days,
    )
    for item in generated:
        files.write(item.path, item.content)
    for page in pages:
        rel = urls.output_file(page.url)
        if files.exists(rel):  # a nav page the plugin registered: keep mkdocs' nav state
            body = f'<article class="gk-page">{page.body_html}</article>'
            fill_rendered(files, page.url, BODY, body, renderer, description=page.description)
        else:
            write_fragment_page(files, shells, renderer, page.url, page.title, page.description, page.body_html)
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
