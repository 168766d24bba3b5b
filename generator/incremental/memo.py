"""Values computed from one record, kept from one build to the next by the record's digest.

The dated rules, the citations and the URL of a record are functions of the record's text (and of
the settings and the as-of date, which the build cache's key covers), sometimes with one more
input such as the day the record first appeared in git (`extra`).  A memo answers them for every
record whose digest it has seen, so a patch build computes them only for the records that changed.

What this build asked for is carried to the next one, and so is what the previous build kept for
records the data still has (`tables(live)`): a patch build does not ask for the values of the
pages it keeps, and they stay valid.  Records gone from the data drop out.  Values should be plain
(tuples, strings, numbers): hundreds of thousands of them are stored in the build cache and read
back in every patch build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Set
from typing import Any, TypeVar

from generator.catalog import Entry

T = TypeVar("T")


class Days(dict):
    """Day ordinals (how memos and the build state keep dates: plain ints) → dates, each made once,
    0 → None: a few thousand distinct days among 100k values."""

    def __missing__(self, ordinal: int) -> dt.date | None:
        day = self[ordinal] = dt.date.fromordinal(ordinal) if ordinal else None
        return day


class MemoTable:
    """One kind of value, by record: fetch it once (`Memo.table`) in a loop over many records."""

    __slots__ = ("_previous", "_now")

    def __init__(self, previous: dict[Any, Any], now: dict[Any, Any]) -> None:
        self._previous, self._now = previous, now

    def get(self, entry: Entry, compute: Callable[[], T], extra: Any = None) -> T:  # noqa: ANN401
        """`compute()` for this record, or what it gave in the previous build for the same record
        (and the same `extra`).  A record without a digest is always computed."""
        digest = entry.digest
        if not digest:
            return compute()
        key = digest if extra is None else (digest, extra)
        try:
            value = self._previous[key]
        except KeyError:
            value = compute()
        self._now[key] = value
        return value


class _ForgetfulTable(MemoTable):
    def get(self, entry: Entry, compute: Callable[[], T], extra: Any = None) -> T:  # noqa: ANN401
        return compute()


class Memo:
    def __init__(self, previous: dict[str, dict[Any, Any]] | None = None) -> None:
        self._previous = previous or {}
        self._now: dict[str, dict[Any, Any]] = {}
        self._tables: dict[str, MemoTable] = {}

    def table(self, name: str) -> MemoTable:
        found = self._tables.get(name)
        if found is None:
            found = self._tables[name] = MemoTable(self._previous.get(name, {}), self._now.setdefault(name, {}))
        return found

    def get(self, table: str, entry: Entry, compute: Callable[[], T], extra: Any = None) -> T:  # noqa: ANN401
        return self.table(table).get(entry, compute, extra)

    def tables(self, live: Set[bytes] = frozenset()) -> dict[str, dict[Any, Any]]:
        """What to keep for the next build: the values this build asked for and, of the others the
        previous build kept, those of records still in the data (`live`: their digests)."""
        for name, previous in self._previous.items():
            now = self._now.setdefault(name, {})
            if len(now) >= len(previous):
                # Asked for every record again, the usual case for most tables: not looked through.
                # (Should some have been left out all the same, they are only worked out again.)
                continue
            for key, value in previous.items():
                if key not in now and (key if isinstance(key, bytes) else key[0]) in live:
                    now[key] = value
        return self._now


class _Forgetful(Memo):
    """For callers without a build cache: every value is computed, nothing is kept."""

    def table(self, name: str) -> MemoTable:
        return _ForgetfulTable({}, {})


NO_MEMO: Memo = _Forgetful()
