"""Ending the `gongkai` process without freeing a large build piece by piece.

A build at 100k records leaves millions of objects (the records, the page fingerprints, the build
state); dropping them one by one as the build's functions return took 0.4 s of a 10 s patch build,
for memory the process gives back at once when it ends.  So when the command line runs (`run`),
the build hands what it made to `hold`, and the process ends with `os._exit` once its output is
flushed.  Anywhere else (the tests, a build called as a library) `hold` keeps nothing.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import NoReturn

_held: list[object] | None = None  # a list only in a process that ends with `end`


def enable() -> None:
    global _held
    if _held is None:
        _held = []


def hold(*objects: object) -> None:
    """Keep `objects` alive until the process ends (when enabled), so they are never freed."""
    if _held is not None:
        _held.extend(objects)


def end(code: int) -> NoReturn:
    """End the process with `code`; without freeing anything when something is held."""
    if not _held:
        sys.exit(code)
    logging.shutdown()  # mkdocs logs to stderr through logging handlers
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
