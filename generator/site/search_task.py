"""The search task: the index over every public record and narrative page (issue 4), its assets and
the /search/ page.  A full build writes the index and keeps its documents and state in the build
cache; a patch build patches the live index with the documents that changed, came or went
(generator.search.patch), or builds it again when that cannot be done.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.site.files import SiteFiles, tree_files
from generator.site.pages import BODY, Renderer, fill_rendered
from generator.site.tasks import Job, TaskResult, current_job, previous_memo, task_files

SEARCH_INDEX_DIR = "search/index"
SEARCH_ASSETS_DIR = "assets/search"


def write_search(content_urls: list[str], changed: list[tuple[int, list[int]]] | None) -> TaskResult:
    """The search index over every public record and narrative page (issue 4), and its assets.
    A patch build is given the pages that changed (`changed`): the index is patched with their
    documents when it can be, else built again."""
    from generator.opendata import reference_pages
    from generator.search import copy_assets
    from generator.site.search_docs import fragment_doc, page_docs, placeholder_docs

    job, files = current_job(), task_files()
    ctx = job.ctx
    references = reference_pages(ctx.index.publication, ctx.settings, ctx.power_days)
    others = [
        *page_docs(files, content_urls),
        *(fragment_doc(page.url, page.body_html) for page in references),
        *placeholder_docs(ctx),  # made afresh every build, like the pages': compared with the stored ones
    ]
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


def _all_docs(job: Job, others: list) -> list:
    from generator.site.search_docs import enterprise_docs, record_docs

    return [*record_docs(job.ctx), *enterprise_docs(job.ctx), *others]


def _build_search(job: Job, files: SiteFiles, others: list) -> tuple[str, Any] | None:
    """The whole index; returns the memo of a later patch build: (document store token, state)."""
    from generator.search.builder import build_index_with_state
    from generator.site.search_docs import FACET_ORDERS
    from generator.site.search_store import DocStore, StoreDamaged, drop_other_stores

    docs = _all_docs(job, others)
    if files.patching:  # built aside, then only the files that differ replace the live ones
        with tempfile.TemporaryDirectory(dir=files.out.parent) as aside:
            _, state = build_index_with_state(docs, Path(aside) / "index", facet_orders=FACET_ORDERS)
            index = Path(aside) / "index"
            _copy_into(files, index, SEARCH_INDEX_DIR, [index / rel for rel in tree_files(index)])
    else:
        _, state = build_index_with_state(docs, files.out / SEARCH_INDEX_DIR, facet_orders=FACET_ORDERS)
        _list_into(files, files.out / SEARCH_INDEX_DIR, SEARCH_INDEX_DIR)
    if job.cache_folder is None:
        return None
    try:
        token, store = DocStore.fresh(job.cache_folder)
    except (OSError, StoreDamaged):  # no room or no right to keep it: the next build makes the index again
        return None
    try:
        store.put(docs)
    except StoreDamaged:
        store.close()
        with contextlib.suppress(OSError):
            store.path.unlink()
        return None
    store.close()
    # The earlier builds' stores go now: should this build not finish, the state on disk names a
    # store that is gone, and the next build, finding none, builds the index afresh.
    drop_other_stores(job.cache_folder, token)
    return (token, state)


def _patch_search(
    job: Job, files: SiteFiles, changed: list[tuple[int, list[int]]], others: list, token: str, state: Any  # noqa: ANN401
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
            # At once: should the store fail below, the index is built again over what the patch
            # wrote (to the same bytes, so writing nothing), and these files did change.
            files.changed |= {f"{SEARCH_INDEX_DIR}/{rel}" for rel in result.written | result.deleted}
        store.put([*(new for _, new in pairs), *added])
        store.remove(gone_urls)
    except (CannotPatch, StoreDamaged):
        return None
    finally:
        store.close()
    _list_into(files, index_dir, SEARCH_INDEX_DIR)
    return (token, result.state if result is not None else state)


def _copy_into(files: SiteFiles, folder: Path, prefix: str, paths: Sequence[Path]) -> None:
    for path in paths:
        files.write(f"{prefix}/{path.relative_to(folder).as_posix()}", path.read_bytes())


def _list_into(files: SiteFiles, folder: Path, prefix: str) -> None:
    for rel in tree_files(folder):
        files.keep(f"{prefix}/{rel}")


def fill_search_page(files: SiteFiles, renderer: Renderer) -> None:
    from generator.search import render_search_page

    body = render_search_page(index_url="index/", site_root="../")
    head = (
        f'<link rel="stylesheet" href="../{SEARCH_ASSETS_DIR}/search.css">'
        f'<script defer src="../{SEARCH_ASSETS_DIR}/search.js"></script>'
    )
    fill_rendered(files, "search/", BODY, body, renderer, description="搜索本站公开的行政处罚决定、事故调查报告、权责清单和栏目页面", head_extra=head)
