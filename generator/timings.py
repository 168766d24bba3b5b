"""Where a build's time goes, for people running national-scale sites: with GONGKAI_TIMINGS set,
each stage's wall time (and the generation tasks' times, summed by task) is printed to stderr at
the end of the build.  Off by default: it costs nothing then."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterator

ENV = "GONGKAI_TIMINGS"
_stages: dict[str, float] = defaultdict(float)
_STARTED = time.perf_counter()  # at start-up: the stages' sum falls short of it by what no stage covers


def enabled() -> bool:
    return bool(os.environ.get(ENV))


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        if enabled():
            _stages[name] += time.perf_counter() - started


def add(name: str, seconds: float) -> None:
    if enabled():
        _stages[name] += seconds


def report() -> None:
    if not enabled() or not _stages:
        return
    width = max(len(n) for n in _stages)
    for name, seconds in _stages.items():
        print(f"gongkai timings: {name:<{width}}  {seconds:8.2f} s", file=sys.stderr)
    print(f"gongkai timings: {'since start-up':<{width}}  {time.perf_counter() - _STARTED:8.2f} s", file=sys.stderr)
    _stages.clear()
