"""Fingerprints: a digest of everything a page (or any output) is made from.

A view is split in two: a cheap *gathering* of its inputs from the build's context, and a pure
function of those inputs (plus the settings and the date, which are part of the cache's key).  The
fingerprint digests the gathered inputs, so two builds whose inputs for a page agree make the same
page, and the page need not be made again — whatever the inputs are, as long as the pure part reads
nothing else.

Inputs are digested as their pickle, with each record entry replaced by its content digest and
place (`Entry.digest`, path, line): pickling runs in C, and a record is never serialised whole.
An entry without a digest, or a record outside an entry, has no fingerprint (None): such a page is
always made afresh.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from typing import Any

from pydantic import BaseModel

from generator.catalog import Entry


class _Unknown(Exception):
    pass


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> Any:  # noqa: ANN401 - pickle's own signature
        if isinstance(obj, Entry):
            if not obj.digest:
                raise _Unknown
            return (obj.digest, obj.source_path, obj.source_line)
        if isinstance(obj, BaseModel):
            raise _Unknown  # a record (or settings) outside an entry: not digested whole
        return None


def fingerprint(inputs: Any) -> bytes | None:  # noqa: ANN401 - any gathered inputs
    """16 bytes naming `inputs`, or None when they hold something without a known digest."""
    buffer = io.BytesIO()
    pickler = _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    # No memo: otherwise a value that occurs twice pickles differently when both occurrences are
    # one object than when they are two equal ones, and equal inputs would look different.
    pickler.fast = True
    try:
        pickler.dump(inputs)
    except _Unknown:
        return None
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).digest()
