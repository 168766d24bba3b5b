"""Run independent jobs on two cores: this process and one forked helper.

For work whose results are much cheaper to send back than to compute (validated records from data
files); the inputs are not sent at all, the forked helper has them already.  Results come back in job order, so the
outcome is the same as running the jobs one after another.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

# Set before forking: the helper inherits the function and the jobs, and is sent only job numbers.
_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _call(number: int) -> Any:
    assert _WORK is not None
    function, jobs = _WORK
    return function(jobs[number])


def map_on_two_cores(function: Callable[[Job], Result], jobs: Sequence[Job], weights: Sequence[int]) -> list[Result]:
    """[function(job) for job in jobs], the jobs split by weight between this process and a forked
    helper.  Falls back to one process where fork is unavailable or there is nothing to split."""
    if len(jobs) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(job) for job in jobs]
    mine, helpers = _halves(weights)
    global _WORK
    _WORK = (function, jobs)
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            pending = pool.map_async(_call, helpers, chunksize=1)
            results = {i: function(jobs[i]) for i in mine}
            results.update(zip(helpers, pending.get(), strict=True))
    finally:
        _WORK = None
    return [results[i] for i in range(len(jobs))]


def _halves(weights: Sequence[int]) -> tuple[list[int], list[int]]:
    """Job indices in two groups of about equal weight (heaviest first, each to the lighter group);
    ties go to this process, which also has the results to unpickle."""
    groups: tuple[list[int], list[int]] = ([], [])
    totals = [0, 0]
    for i in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        lighter = 0 if totals[0] <= totals[1] else 1
        groups[lighter].append(i)
        totals[lighter] += weights[i]
    return sorted(groups[0]), sorted(groups[1])
