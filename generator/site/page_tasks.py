"""The record, enterprise and law pages: which there are (`page_sources`), and the tasks that make
them — a full build's chunks, and a patch build's plan of which pages to make again.

Every such page is made in two steps: its inputs are gathered from the context, then the page is
made from them alone (record_views, entity_views).  A patch build passes the fingerprints of the
pages the previous build made (`Job.known`): a page whose inputs have the same fingerprint is kept
as it is, unread and unwritten (generator.incremental.fingerprint).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from generator.incremental.fingerprint import fingerprint, key_fingerprint
from generator.publication import WITHDRAWN_REASONS
from generator.search import SearchDoc
from generator.settings import Settings
from generator.site import urls
from generator.site.entity_views import (
    enterprise_inputs,
    enterprise_key,
    enterprise_view,
    law_inputs,
    law_key,
    law_view,
    notice_inputs,
    notice_key,
    notice_view,
)
from generator.site.files import SiteFiles
from generator.site.model import Page
from generator.site.pages import page_html
from generator.site.record_views import (
    Context,
    accident_inputs,
    accident_key,
    accident_view,
    penalty_inputs,
    penalty_key,
    penalty_view,
    power_item_inputs,
    power_item_key,
    power_item_view,
)
from generator.site.search_docs import accident_doc, enterprise_doc, penalty_doc, power_item_doc
from generator.site.tasks import Job, Known, TaskResult, current_job, task_files

NOTICE_REASONS = ("expired", *WITHDRAWN_REASONS)  # records that were public keep their URL


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
    # The day the page's content last changed (its 最后更新, the sitemap's <lastmod>); None for
    # the pages the sitemap leaves out (notices).
    updated: Callable[[Context, Any], dt.date] | None = None


# Set in the tests: a patch build then also gathers the inputs of every page whose key is unchanged
# and stops if a page's inputs changed all the same (a key that misses something the page shows).
VERIFY_KEYS_ENV = "GONGKAI_VERIFY_KEYS"


def page_sources(ctx: Context) -> list[PageSource]:
    pub = ctx.index.publication
    notices = [(e, s) for e, s in pub.not_public_penalties if s.reason in NOTICE_REASONS]
    return [
        PageSource(
            pub.public_penalties, lambda e: urls.penalty(e.record), penalty_inputs, penalty_view, penalty_key, penalty_doc,
            Context.updated,
        ),
        PageSource(
            notices, lambda pair: urls.penalty(pair[0].record), lambda c, pair: notice_inputs(c, *pair), notice_view,
            lambda c, pair: notice_key(c, *pair),
        ),
        PageSource(
            pub.public_accidents, lambda e: urls.accident(e.record), accident_inputs, accident_view, accident_key,
            accident_doc, Context.updated,
        ),
        PageSource(
            pub.public_power_items, lambda e: urls.power_item(e.record), power_item_inputs, power_item_view,
            power_item_key, power_item_doc, Context.updated,
        ),
        PageSource(
            ctx.index.enterprises, lambda e: e.url, enterprise_inputs, enterprise_view, enterprise_key, enterprise_doc,
            lambda c, e: c.latest_update([*e.penalties, *e.accidents]),
        ),
        PageSource(
            list(ctx.index.laws.values()), lambda a: a.url, law_inputs, law_view, law_key,
            updated=lambda c, a: c.latest_update([*a.power_items, *a.penalties, *a.accidents]),
        ),
    ]


def write_chunk(source_number: int, indexes: Sequence[int]) -> TaskResult:
    """The pages of these items of one source (a full build: all of them, in chunks)."""
    job, files = current_job(), task_files()
    source = job.sources[source_number]
    made: dict[str, Known] = {}
    for index in indexes:
        item = source.items[index]
        url = source.url(item)
        made[url] = make_page(job, files, source, item, url, _page_key(job, source, item))
    # Record page URLs are listed for the sitemap from the catalog, not collected here.
    return TaskResult([], files.produced, files.changed, made, made_pages=files.made_pages)


def _page_key(job: Job, source: PageSource, item: Any) -> bytes | None:  # noqa: ANN401
    make = source.key
    return key_fingerprint(lambda: make(job.ctx, item)) if make else None


def make_page(job: Job, files: SiteFiles, source: PageSource, item: Any, url: str, key: bytes | None) -> Known:  # noqa: ANN401
    """Gather the page's inputs; write the page unless the previous build made it from the same."""
    inputs = source.inputs(job.ctx, item)
    digest = fingerprint(inputs, lines=job.ctx.lines_shown)
    if digest is not None and job.known.get(url, (None, None))[1] == digest:
        files.keep(urls.output_file(url))
    else:
        files.write_text(urls.output_file(url), page_html(job.shells, job.renderer, source.view(job.ctx.settings, inputs)))
        files.made_pages += 1
    return (key, digest)


def plan_part(part: int, parts: int) -> TaskResult:
    """`plan_pages` for every `parts`-th item, starting at `part`.  The kept pages travel back as
    URLs only (TaskResult.kept): their output paths and fingerprints the parent has already."""
    job = current_job()
    todo, kept = plan_pages(job, part, parts)
    rekeyed = {url: known for url, known in kept.items() if job.known.get(url) != known}
    return TaskResult(fingerprints=rekeyed, todo=todo, kept="\n".join(kept))


def plan_pages(job: Job, part: int = 0, parts: int = 1) -> tuple[list[tuple[int, list[int]]], dict[str, Known]]:
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
            kept[url] = known
        if indexes:
            todo.append((number, indexes))
    return todo, kept
