"""The record memo tables are saved in shards; a patch build derives them from the shards it read."""

from __future__ import annotations

import copy
import hashlib

from generator.site.build_cache import _MEMO_SHARDS, _shards


def _digest(n: int) -> bytes:
    return hashlib.blake2b(str(n).encode(), digest_size=16).digest()


def _table(numbers: range | list[int]) -> dict:
    table: dict = {}
    for n in numbers:
        table[_digest(n)] = ("status", n)
        if n % 3 == 0:
            table[(_digest(n), "2024-01-01")] = n * 2  # a key with an extra input
    return table


def test_shards_derived_from_the_previous_ones_equal_shards_made_afresh() -> None:
    before = _shards(_table(range(500)), [None] * _MEMO_SHARDS)
    kept = copy.deepcopy(before)
    now = _table([*range(3, 497), 1000, 1001])  # four records gone, two new ones
    derived = _shards(now, before)
    assert derived == _shards(now, [None] * _MEMO_SHARDS)
    assert before == kept  # the shards read are not changed in place
    touched = {n for n in range(_MEMO_SHARDS) if derived[n] is not before[n]}
    assert touched and len(touched) < _MEMO_SHARDS  # the others are passed on as they were
    assert all(derived[n] != before[n] for n in touched)


def test_without_every_previous_shard_the_table_is_sharded_afresh() -> None:
    before = _shards(_table(range(100)), [None] * _MEMO_SHARDS)
    now = _table(range(1, 100))
    partial = [*before[:-1], None]
    assert _shards(now, partial) == _shards(now, [None] * _MEMO_SHARDS)
    assert sum(len(shard) for shard in _shards(now, partial)) == len(now)
