"""How the generation tasks run: in worker processes forked from the parent (they inherit the
job — catalog, shells, renderer — so nothing is pickled), or one after another in this process.

Each task writes files nobody else writes, through its own view of the output (`task_files`), and
reports what it made in its TaskResult; the parent merges the results.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.site.files import SiteFiles
from generator.site.pages import Renderer
from generator.site.record_views import Context

if TYPE_CHECKING:
    from generator.site.page_tasks import PageSource

PARALLEL_FROM = 3000  # below this many record pages, starting processes costs more than it saves
CHUNK = 400  # record pages per task in a full build
PLAN_PARTS_PER_WORKER = 4  # a patch build's plan, in this many parts per worker (`_patch_tasks`)

Known = tuple[bytes | None, bytes | None]  # (key fingerprint, inputs fingerprint) of one page
# The parent's own work while the workers run (`run_tasks`): given the pages kept and the pages to
# make, (source number, item indexes), or None when every page is made.
Meanwhile = Callable[[Set[str], list[tuple[int, list[int]]] | None], Any]


@dataclass
class Job:
    """What every task reads: set in the parent before the workers fork, so nothing is pickled."""

    files: SiteFiles
    renderer: Renderer
    shells: dict
    ctx: Context
    sources: list[PageSource]
    known: Mapping[str, Known]  # URL → the key and fingerprint of the page the previous build made
    # Each task's memo from the previous build (see TaskResult.memo), by task name: a patch build only.
    memos: Mapping[str, Any] = field(default_factory=dict)
    cache_folder: Path | None = None  # the build cache's folder for this site (search documents)
    # Puts a task's memo into the build cache from the process that made it, returning what stands
    # for it in the task's result (generator.site.build_cache.BuildCache.keep_memo): a 12 MB search
    # memo then neither travels to the parent nor waits there to be written.  None without a cache.
    keep_memo: Callable[[str, Any], Any] | None = None


# Set in the parent before forking, read by the workers: the job and the task table.
_ACTIVE: tuple[Job, Mapping[str, Callable[..., TaskResult]]] | None = None


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
    seconds: float = 0.0  # wall time
    cpu_seconds: float = 0.0  # its process's CPU time meanwhile: on two busy cores, wall time overstates a task
    todo: list[tuple[int, list[int]]] = field(default_factory=list)  # a plan task's pages to make
    # A plan task's pages kept as they were, one URL per line: one string, because 65k URLs (and the
    # fingerprints and output paths the parent derives from them) cross the process boundary
    # as one copy, not 200k pickled objects.  `fingerprints` then holds only the kept pages whose
    # key changed (their inputs did not).
    kept: str = ""
    made_pages: int = 0  # record, enterprise and law pages made (not kept)


def kept_urls(results: list[TaskResult]) -> list[str]:
    """The pages the plan tasks among `results` kept as they were."""
    return [url for result in results if result.kept for url in result.kept.split("\n")]


def current_job() -> Job:
    """The job of the tasks being run (in the parent, or in a worker forked from it)."""
    assert _ACTIVE is not None, "only a task run by run_tasks has a job"
    return _ACTIVE[0]


def previous_memo(name: str) -> Any:  # noqa: ANN401 - each task's own memo type
    """The memo the task `name` returned in the previous build (None in a full build)."""
    return current_job().memos.get(name)


def task_files() -> SiteFiles:
    """This task's own view of the output: what it made is reported in its result."""
    return current_job().files.child()


def _run(task: tuple) -> TaskResult:
    name, *args = task
    assert _ACTIVE is not None
    started, cpu_started = time.perf_counter(), time.process_time()
    job, table = _ACTIVE
    result = table[name](*args)
    if result.memo is not None and job.keep_memo is not None:
        memo_name, value = result.memo
        result.memo = (memo_name, job.keep_memo(memo_name, value))
    result.task, result.seconds = name, time.perf_counter() - started
    result.cpu_seconds = time.process_time() - cpu_started
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
    job: Job,
    tasks: Mapping[str, Callable[..., TaskResult]],
    independent: list[tuple],
    workers: int,
    content_urls: list[str],
    meanwhile: Meanwhile | None = None,
) -> tuple[list[TaskResult], Any]:
    """Every page and file after mkdocs' own, and what `meanwhile` returns (work of the parent's
    own, done while the workers run; it is given the URLs of the pages a patch build's plan kept
    as they were and the pages it makes again, by source number and item index — in a full build
    no URL and None: every page is made).  Every task writes files nobody else writes and reads only
    files written before the tasks start (mkdocs' pages, the home page), so the order they run in
    does not matter.

    `tasks`: every task by name; a task is (name, *arguments).  Besides the `independent` ones
    (which need no plan) there are always "plan" (part, parts), "chunk" (source number, item
    indexes) and "search" (content URLs, the pages made in a patch build or None).

    A full build makes every page, in chunks beside the other tasks.  A patch build first finds
    which pages to make (`plan_pages`, on both cores, beside the listings, open data and
    registers, which need no plan), then makes those pages and patches the search index with
    their documents."""
    global _ACTIVE
    total = sum(len(source.items) for source in job.sources)
    forking = workers > 1 and "fork" in multiprocessing.get_all_start_methods()
    _ACTIVE = (job, tasks)
    try:
        if job.files.patching:
            if forking:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    return _patch_tasks(pool, workers, independent, content_urls, meanwhile)
            return _patch_tasks(_Serial(), 1, independent, content_urls, meanwhile)
        everything = [(n, list(range(len(source.items)))) for n, source in enumerate(job.sources)]
        # The longest single tasks first, so that they overlap with the many small page chunks.
        queue = [("search", content_urls, None), *independent, *_chunks(everything)]
        if forking and total >= PARALLEL_FROM:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                pending = pool.map_async(_run, queue, chunksize=1)
                extra = meanwhile(frozenset(), None) if meanwhile else None
                return pending.get(), extra
        results = [_run(t) for t in queue]
        return results, meanwhile(frozenset(), None) if meanwhile else None
    finally:
        _ACTIVE = None


def _chunks(pages: list[tuple[int, list[int]]]) -> list[tuple]:
    return [
        ("chunk", number, indexes[start : start + CHUNK])
        for number, indexes in pages
        for start in range(0, len(indexes), CHUNK)
    ]


def _patch_tasks(
    pool: Any, parts: int, independent: list[tuple], content_urls: list[str],  # noqa: ANN401
    meanwhile: Meanwhile | None,
) -> tuple[list[TaskResult], Any]:
    # The plan first, on every core: the search index and the pages to make wait for it, and the
    # search task (the longest when documents move) starts as soon as it is done.  The plan is cut
    # finer than one part per core because the pages of a changed record are the costly ones (a
    # law cited by thousands of decisions): they fall into one part, and the worker done with its
    # others takes the next part, then the open data (the longest task that needs no plan), rather
    # than wait.  The other tasks needing no plan queue behind the search task.
    cut = parts * PLAN_PARTS_PER_WORKER if parts > 1 else 1
    plans = [pool.apply_async(_run, (("plan", part, cut),)) for part in range(cut)]
    first = [pool.apply_async(_run, (task,)) for task in independent[:1]] if parts > 1 else []
    rest = independent[len(first):]
    planned = [plan.get() for plan in plans]
    todo: dict[int, set[int]] = {}
    for plan in planned:
        for number, indexes in plan.todo:
            todo.setdefault(number, set()).update(indexes)
    pages = [(number, sorted(todo[number])) for number in sorted(todo)]
    later = [pool.apply_async(_run, (task,)) for task in [("search", content_urls, pages), *_chunks(pages), *rest]]
    extra = meanwhile(frozenset(kept_urls(planned)), pages) if meanwhile else None
    return [*planned, *(task.get() for task in [*first, *later])], extra


