"""Fingerprints: a digest of everything a page (or any output) is made from.

A view is split in two: a cheap *gathering* of its inputs from the build's context, and a pure
function of those inputs (plus the settings and the date, which are part of the cache's key).  The
fingerprint digests the gathered inputs, so two builds whose inputs for a page agree make the same
page, and the page need not be made again — whatever the inputs are, as long as the pure part reads
nothing else.

Inputs are digested as their pickle, with each record entry replaced by its content digest and
place (`Entry.digest`, path, line): pickling runs in C, and a record is never serialised whole.
An entry without a digest, or a record (or the settings) outside an entry, has no fingerprint
(None): such a page is always made afresh.
"""

from __future__ import annotations

import io
import marshal
import pickle
from collections.abc import Callable
from typing import Any

from generator.catalog import Entry
from generator.incremental.keys import short_digest
from generator.schema.models import Accident, Penalty, PowerItem
from generator.settings import Settings

RECORD_MODELS = (Penalty, Accident, PowerItem)


class _Unknown(Exception):
    pass


def _entry(entry: Entry) -> tuple:
    if not entry.digest:
        raise _Unknown
    return (tuple, ((entry.digest, entry.source_path, entry.source_line),))


def _entry_without_line(entry: Entry) -> tuple:
    if not entry.digest:
        raise _Unknown
    return (tuple, ((entry.digest, entry.source_path),))


def _refuse(_obj: object) -> tuple:
    raise _Unknown  # a record or the settings outside an entry: never digested whole


def _dispatch(entry: Any) -> dict[type, Any]:  # noqa: ANN401 - a reduction function
    """Reductions by exact type, looked up by the C pickler: only these objects cost a call into
    Python (a persistent_id hook would be called for every object pickled, ten times slower)."""
    table: dict[type, Any] = {Entry: entry}
    for model in (*RECORD_MODELS, Settings):
        table[model] = _refuse
    return table


_DISPATCH = {True: _dispatch(_entry), False: _dispatch(_entry_without_line)}


def fingerprint(inputs: Any, *, lines: bool = True) -> bytes | None:  # noqa: ANN401 - any gathered inputs
    """16 bytes naming `inputs`, or None when they hold something without a known digest.

    `lines`: whether a record's line in its file counts.  It reaches the site only in the link to
    the data file online (settings.source_url); without that link, a record that merely moved
    down because the one above it grew makes the same pages, and should not make them again."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH[lines]
    # No memo: otherwise a value that occurs twice pickles differently when both occurrences are
    # one object than when they are two equal ones, and equal inputs would look different.
    pickler.fast = True
    try:
        pickler.dump(inputs)
    except _Unknown:
        return None
    return short_digest(buffer.getvalue())


# Version 2, the last before marshal wrote back-references (3): from version 3 on, an object met
# twice is written once and then referred to when it is one object with other references, and an
# interned string is flagged as such — so equal keys marshal differently by which strings they
# share and which were interned.  A full build's worker and a patch build share differently, and
# every first patch build after a full one found thousands of page keys "changed" (issue 8).
# Version 2 writes values only, as fast for these keys.
KEY_MARSHAL_VERSION = 2


class NoKey(Exception):
    """A cheap key cannot be made: a record it would name has no digest."""


def key_fingerprint(make_key: Callable[[], Any]) -> bytes | None:
    """16 bytes naming the cheap key `make_key()` makes, None when it has none (it raised NoKey).
    A key holds plain values only — strings, bytes, numbers (days as ordinals), None, tuples — so
    it is digested through marshal, several times faster than a pickle that looks at each object."""
    try:
        key = make_key()
    except NoKey:
        return None
    return short_digest(marshal.dumps(key, KEY_MARSHAL_VERSION))
