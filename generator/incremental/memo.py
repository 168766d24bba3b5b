"""Values computed from one record, kept from one build to the next by the record's digest.

The dated rules, the citations and the URL of a record are functions of the record's text (and of
the settings and the as-of date, which the build cache's key covers), sometimes with one more
input such as the day the record first appeared in git (`extra`).  A memo answers them for every
record whose digest it has seen, so a patch build computes them only for the records that changed.

Only what this build asked for is carried to the next one: records gone from the data drop out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from generator.catalog import Entry

T = TypeVar("T")


class Memo:
    def __init__(self, previous: dict[str, dict[Any, Any]] | None = None) -> None:
        self._previous = previous or {}
        self._now: dict[str, dict[Any, Any]] = {}

    def get(self, table: str, entry: Entry, compute: Callable[[], T], extra: Any = None) -> T:  # noqa: ANN401
        """`compute()` for this record, or what it gave in the previous build for the same record
        (and the same `extra`).  A record without a digest is always computed."""
        if not entry.digest:
            return compute()
        key = (entry.digest, extra) if extra is not None else entry.digest
        now = self._now.get(table)
        if now is None:
            now = self._now[table] = {}
        try:
            value = now[key] = self._previous[table][key]
        except KeyError:
            value = now[key] = compute()
        return value

    def tables(self) -> dict[str, dict[Any, Any]]:
        """What to keep for the next build."""
        return self._now


class _Forgetful(Memo):
    """For callers without a build cache: every value is computed, nothing is kept."""

    def get(self, table: str, entry: Entry, compute: Callable[[], T], extra: Any = None) -> T:  # noqa: ANN401
        return compute()


NO_MEMO: Memo = _Forgetful()
