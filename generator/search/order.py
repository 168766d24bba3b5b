"""The order of the choices in a filter (search facets, listing dropdowns)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def ordered(counts: Mapping[str, int], known: Sequence[str] = ()) -> list[str]:
    """The values of `counts` (value → how many records have it): the known ones in the order of
    `known` (the meaning's order: 特别重大 before 一般), then the others most common first, then by
    code point, which only breaks ties."""
    rank = {value: i for i, value in enumerate(known)}
    return sorted(counts, key=lambda v: (rank.get(v, len(rank)), -counts[v], v))
