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
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import timings
from generator.incremental.fingerprint import fingerprint, key_fingerprint
from generator.search import SearchDoc
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
from generator.site.listing_build import write_listing
from generator.site.listing_specs import LISTINGS
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
from generator.site.search_docs import accident_doc, enterprise_doc, penalty_doc, power_item_doc
from generator.site.sitemap import sitemap_files
from generator.site.source_copies import source_copy_files
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
    doc: Callable[[Context, Any], SearchDoc] | None = None  # its search document (made from the same inputs)


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
    cache_folder: Path | None = None  # the build cache's folder for this site (search documents)


_JOB: _Job | None = None  # set in the parent before forking; read by the workers


Known = tuple[bytes | None, bytes | None]  # (key fingerprint, inputs fingerprint) of one page


def page_sources(ctx: Context) -> list[PageSource]:
    pub = ctx.index.publication
    notices = [(e, s) for e, s in pub.not_public_penalties if s.reason in NOTICE_REASONS]
    return [
        PageSource(
            pub.public_penalties, lambda e: urls.penalty(e.record), penalty_inputs, penalty_view, penalty_key, penalty_doc
        ),
        PageSource(
            notices, lambda pair: urls.penalty(pair[0].record), lambda c, pair: notice_inputs(c, *pair), notice_view,
            lambda c, pair: notice_key(c, *pair),
        ),
        PageSource(
            pub.public_accidents, lambda e: urls.accident(e.record), accident_inputs, accident_view, doc=accident_doc
        ),
        PageSource(
            pub.public_power_items, lambda e: urls.power_item(e.record), power_item_inputs, power_item_view,
            doc=power_item_doc,
        ),
        PageSource(
            ctx.index.enterprises, lambda e: e.url, enterprise_inputs, enterprise_view, enterprise_key, enterprise_doc
        ),
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
    task: str = ""  # which task, and how long it took (generator.timings)
    seconds: float = 0.0
    todo: list[tuple[int, list[int]]] = field(default_factory=list)  # a plan task's pages to make
    made_pages: int = 0  # record, enterprise and law pages made (not kept)


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
        made[url] = make_page(job, files, source, item, url, _page_key(job, source, item))
    # Record page URLs are listed for the sitemap from the catalog, not collected here.
    return TaskResult([], files.produced, files.changed, made, made_pages=files.made_pages)


def _page_key(job: _Job, source: PageSource, item: Any) -> bytes | None:  # noqa: ANN401
    make = source.key
    return key_fingerprint(lambda: make(job.ctx, item)) if make else None


def make_page(job: _Job, files: SiteFiles, source: PageSource, item: Any, url: str, key: bytes | None) -> Known:  # noqa: ANN401
    """Gather the page's inputs; write the page unless the previous build made it from the same."""
    inputs = source.inputs(job.ctx, item)
    digest = fingerprint(inputs, lines=job.ctx.lines_shown)
    if digest is not None and job.known.get(url, (None, None))[1] == digest:
        files.keep(urls.output_file(url))
    else:
        files.write_text(urls.output_file(url), page_html(job.shells, job.renderer, source.view(job.ctx.settings, inputs)))
        files.made_pages += 1
    return (key, digest)


def _plan(part: int, parts: int) -> TaskResult:
    """`plan_pages` for every `parts`-th item, starting at `part`."""
    assert _JOB is not None
    files = _files()
    todo, kept = plan_pages(_JOB, files, part, parts)
    return TaskResult([], files.produced, files.changed, kept, todo=todo)


def plan_pages(
    job: _Job, files: SiteFiles, part: int = 0, parts: int = 1
) -> tuple[list[tuple[int, list[int]]], dict[str, Known]]:
    """A patch build's pages: a page whose key is the one the previous build recorded is kept
    without a look at its inputs; for the others the inputs are gathered, and those whose
    fingerprint differs from the previous build's are listed (by source) to be made again."""
    verify = bool(os.environ.get(VERIFY_KEYS_ENV))
    todo: list[tuple[int, list[int]]] = []
    kept: dict[str, Known] = {}
    for number, source in enumerate(job.sources):
        indexes = []
        for index in range(part, len(source.items), parts):
            item = source.items[index]
            url = source.url(item)
            key = _page_key(job, source, item)
            known = job.known.get(url)
            if key is not None and known is not None and known[0] == key:
                if verify and fingerprint(source.inputs(job.ctx, item), lines=job.ctx.lines_shown) != known[1]:
                    raise AssertionError(f"{url}: the page's key is unchanged but its inputs changed (a key misses an input)")
            else:
                digest = fingerprint(source.inputs(job.ctx, item), lines=job.ctx.lines_shown)
                if digest is None or known is None or known[1] != digest:
                    indexes.append(index)
                    continue
                known = (key, digest)
            files.keep(urls.output_file(url))
            kept[url] = known
        if indexes:
            todo.append((number, indexes))
    return todo, kept


def _write_whole_site_files(site_url: str) -> TaskResult:
    """The outputs derived from the whole catalog (source copies, downloads, feeds, statistics …):
    one task that runs beside the record-page chunks.  In a patch build, with the previous build's
    memo, only the records that changed are written out again (generator.opendata.splice)."""
    from generator.opendata import WholeSiteMemo

    assert _JOB is not None
    files = _files()
    memo = previous_memo("whole-site") if files.patching else None
    if not isinstance(memo, WholeSiteMemo) or memo.site_url != site_url:
        memo = None
    kept = WholeSiteMemo(site_url, {}, None, {})
    write_source_copies(files, _JOB.ctx, memo, kept)
    pages = write_open_data(files, _JOB.shells, _JOB.renderer, _JOB.ctx, site_url, memo, kept)
    return TaskResult(pages, files.produced, files.changed, memo=("whole-site", kept))


def _write_search(content_urls: list[str], changed: list[tuple[int, list[int]]] | None) -> TaskResult:
    """The search index over every public record and narrative page (issue 4), and its assets.
    A patch build is given the pages that changed (`changed`): the index is patched with their
    documents when it can be, else built again."""
    assert _JOB is not None
    from generator.opendata import reference_pages
    from generator.search import copy_assets
    from generator.site.search_docs import fragment_doc, page_docs

    job, files = _JOB, _files()
    ctx = job.ctx
    references = reference_pages(ctx.index.publication, ctx.settings, ctx.power_days)
    others = [*page_docs(files, content_urls), *(fragment_doc(page.url, page.body_html) for page in references)]
    memo = previous_memo("search")
    patched = None
    if files.patching and changed is not None and memo is not None and job.cache_folder is not None:
        patched = _patch_search(job, files, changed, others, *memo)
    new_memo = patched if patched is not None else _build_search(job, files, others)
    if files.patching:
        with tempfile.TemporaryDirectory(dir=files.out.parent) as aside:
            _copy_into(files, Path(aside), SEARCH_ASSETS_DIR, copy_assets(Path(aside)))
    else:
        for path in copy_assets(files.out / SEARCH_ASSETS_DIR):
            files.keep(f"{SEARCH_ASSETS_DIR}/{path.name}")
    fill_search_page(files, job.renderer)
    return TaskResult([], files.produced, files.changed, memo=("search", new_memo) if new_memo else None)


def _all_docs(job: _Job, others: list) -> list:
    from generator.site.search_docs import enterprise_docs, record_docs

    return [*record_docs(job.ctx), *enterprise_docs(job.ctx), *others]


def _build_search(job: _Job, files: SiteFiles, others: list) -> tuple[str, Any] | None:
    """The whole index; returns the memo of a later patch build: (document store token, state)."""
    from generator.search.builder import build_index_with_state
    from generator.site.search_docs import FACET_ORDERS
    from generator.site.search_store import DocStore

    docs = _all_docs(job, others)
    if files.patching:  # built aside, then only the files that differ replace the live ones
        with tempfile.TemporaryDirectory(dir=files.out.parent) as aside:
            _, state = build_index_with_state(docs, Path(aside) / "index", facet_orders=FACET_ORDERS)
            index = Path(aside) / "index"
            _copy_into(files, index, SEARCH_INDEX_DIR, sorted(p for p in index.rglob("*") if p.is_file()))
    else:
        _, state = build_index_with_state(docs, files.out / SEARCH_INDEX_DIR, facet_orders=FACET_ORDERS)
        _list_into(files, files.out / SEARCH_INDEX_DIR, SEARCH_INDEX_DIR)
    if job.cache_folder is None:
        return None
    token, store = DocStore.fresh(job.cache_folder)
    try:
        store.put(docs)
    finally:
        store.close()
    return (token, state)


def _patch_search(
    job: _Job, files: SiteFiles, changed: list[tuple[int, list[int]]], others: list, token: str, state: Any  # noqa: ANN401
) -> tuple[str, Any] | None:
    """Patch the live index with the changed documents, and those that came or went (a new
    decision, a withdrawn one); None when it cannot be patched (the patcher says so, or the store
    or state is not usable)."""
    from generator.search.patch import CannotPatch, patch_index
    from generator.site.search_docs import FACET_ORDERS
    from generator.site.search_store import DocStore, StoreDamaged

    store = DocStore.existing(job.cache_folder, token) if job.cache_folder else None
    if store is None:
        return None
    try:
        ctx = job.ctx
        # Every document's URL now, and where its item is (a new URL's document is made from it).
        items = {s.url(item): (s, item) for s in job.sources if s.doc is not None for item in s.items}
        urls_now = set(items) | {d.url for d in others}
        stored = store.urls()
        new_urls, gone_urls = urls_now - stored, sorted(stored - urls_now)
        added = [items[url][0].doc(ctx, items[url][1]) for url in sorted(new_urls & items.keys())]  # type: ignore[misc]
        added += [d for d in others if d.url in new_urls]
        removed = list(store.get(gone_urls).values())  # the versions the index holds
        fresh = [
            job.sources[number].doc(ctx, job.sources[number].items[i])  # type: ignore[misc]
            for number, indexes in changed
            if job.sources[number].doc is not None
            for i in indexes
        ]
        fresh = [d for d in fresh if d.url not in new_urls]  # a new page's document is among `added`
        stored_others = store.get(d.url for d in others if d.url not in new_urls)
        fresh += [d for d in others if d.url not in new_urls and stored_others[d.url] != d]
        old = store.get(d.url for d in fresh)
        pairs = [(old[d.url], d) for d in fresh if old[d.url] != d]
        index_dir = files.out / SEARCH_INDEX_DIR
        result = None
        if pairs or added or removed:
            result = patch_index(index_dir, state, pairs, added=added, removed=removed, facet_orders=FACET_ORDERS)
        store.put([*(new for _, new in pairs), *added])
        store.remove(gone_urls)
    except (CannotPatch, StoreDamaged):
        return None
    finally:
        store.close()
    _list_into(files, index_dir, SEARCH_INDEX_DIR)
    if result is not None:
        files.changed |= {f"{SEARCH_INDEX_DIR}/{rel}" for rel in result.written | result.deleted}
    return (token, result.state if result is not None else state)


def _copy_into(files: SiteFiles, folder: Path, prefix: str, paths: Sequence[Path]) -> None:
    for path in paths:
        files.write(f"{prefix}/{path.relative_to(folder).as_posix()}", path.read_bytes())


def _list_into(files: SiteFiles, folder: Path, prefix: str) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            files.keep(f"{prefix}/{path.relative_to(folder).as_posix()}")


def _write_listing(number: int) -> TaskResult:
    """One listing (penalties, accidents, power items, enterprises): its pages and filter data; in a
    patch build only the pages and data shards whose rows changed (generator.site.listing_build)."""
    assert _JOB is not None
    files, spec = _files(), LISTINGS[number]
    made = write_listing(files, _JOB.shells, _JOB.renderer, _JOB.ctx, spec, previous_memo(spec.name))
    memo = (spec.name, made.memo) if made.memo is not None else None
    return TaskResult(made.pages, files.produced, files.changed, memo=memo)


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
    "plan": _plan,
}


def _run(task: tuple) -> TaskResult:
    name, *args = task
    started = time.perf_counter()
    result = _TASKS[name](*args)
    result.task, result.seconds = name, time.perf_counter() - started
    return result


@dataclass
class _Done:
    value: Any

    def get(self) -> Any:  # noqa: ANN401 - mirrors AsyncResult.get
        return self.value


class _Serial:
    """The pool's interface, in this process (one worker, or no fork): each task runs when given."""

    def apply_async(self, fn: Callable, args: tuple) -> _Done:
        return _Done(fn(*args))


def run_tasks(
    job: _Job, workers: int, site_url: str, content_urls: list[str], meanwhile: Callable[[], Any] | None = None
) -> tuple[list[TaskResult], Any]:
    """Every page and file after mkdocs' own, and what `meanwhile` returns (work of the parent's
    own, done while the workers run).  Every task writes files nobody else writes and reads only
    files written before the tasks start (mkdocs' pages, the home page), so the order they run in
    does not matter.

    A full build makes every page, in chunks beside the other tasks.  A patch build first finds
    which pages to make (`plan_pages`, on both cores, beside the listings, open data and
    registers, which need no plan), then makes those pages and patches the search index with
    their documents."""
    global _JOB
    independent: list[tuple] = [("whole-site", site_url), *(("listing", n) for n in range(len(LISTINGS))), ("sections",)]
    total = sum(len(source.items) for source in job.sources)
    forking = workers > 1 and "fork" in multiprocessing.get_all_start_methods()
    _JOB = job
    try:
        if job.files.patching:
            if forking:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    return _patch_tasks(pool, workers, independent, content_urls, meanwhile)
            return _patch_tasks(_Serial(), 1, independent, content_urls, meanwhile)
        everything = [(n, list(range(len(source.items)))) for n, source in enumerate(job.sources)]
        # The longest single tasks first, so that they overlap with the many small page chunks.
        tasks = [("search", content_urls, None), *independent, *_chunks(everything)]
        if forking and total >= PARALLEL_FROM:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                pending = pool.map_async(_run, tasks, chunksize=1)
                extra = meanwhile() if meanwhile else None
                return pending.get(), extra
        results = [_run(t) for t in tasks]
        return results, meanwhile() if meanwhile else None
    finally:
        _JOB = None


def _chunks(pages: list[tuple[int, list[int]]]) -> list[tuple]:
    return [
        ("chunk", number, indexes[start : start + CHUNK])
        for number, indexes in pages
        for start in range(0, len(indexes), CHUNK)
    ]


def _patch_tasks(
    pool: Any, parts: int, independent: list[tuple], content_urls: list[str], meanwhile: Callable[[], Any] | None  # noqa: ANN401
) -> tuple[list[TaskResult], Any]:
    plans = [pool.apply_async(_run, (("plan", part, parts),)) for part in range(parts)]
    others = [pool.apply_async(_run, (task,)) for task in independent]
    planned = [plan.get() for plan in plans]
    todo: dict[int, set[int]] = {}
    for plan in planned:
        for number, indexes in plan.todo:
            todo.setdefault(number, set()).update(indexes)
    pages = [(number, sorted(todo[number])) for number in sorted(todo)]
    later = [pool.apply_async(_run, (task,)) for task in [("search", content_urls, pages), *_chunks(pages)]]
    extra = meanwhile() if meanwhile else None
    return [*planned, *(task.get() for task in [*others, *later])], extra


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
) -> Generated:
    """Fill the mkdocs-rendered placeholders and write every generated page.  `known`: the
    fingerprints of the pages the previous build made (a patch build), which are kept when theirs
    are unchanged; `memos`: its tasks' memos."""
    mkdocs_files = _tree(files.base)  # before anything is written: what mkdocs made
    renderer = Renderer(site_url)
    # The home page is a content page the search task reads back: it is complete before any task runs.
    fill_rendered(files, urls.HOME, HOME, renderer.render("home.html", home=home_view(ctx)), renderer)
    job = _Job(files, renderer, load_shells(files, renderer), ctx, page_sources(ctx), known or {}, memos or {}, cache_folder)
    with timings.stage("generation tasks (wall)"):
        # The sitemap's dates for the records are the parent's own work meanwhile.
        results, record_urls = run_tasks(
            job, workers or min(2, os.cpu_count() or 1), site_url, content_urls, lambda: indexable_record_urls(ctx)
        )
    for result in results:
        files.merge(result.produced, result.changed)
        timings.add(f"  task {result.task}", result.seconds)
    other_pages = [url for result in results for url in result.pages]
    with timings.stage("sitemap"):
        page_urls = {url: None for url in [*content_urls, *other_pages]} | record_urls
        for name, data in sitemap_files(site_url, page_urls, ctx.as_of).items():
            files.write(name, data)
    if not files.patching:
        remove_shells(files.out)
    localise_theme_assets(files)
    _adopt_mkdocs_files(files, mkdocs_files)
    fingerprints = {url: known for result in results for url, known in result.fingerprints.items()}
    new_memos = dict(result.memo for result in results if result.memo is not None)
    records = sum(len(source.items) for source in job.sources)
    made_pages = sum(result.made_pages for result in results)
    return Generated(files.produced, files.changed, fingerprints, new_memos, records + len(other_pages), made_pages)


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
