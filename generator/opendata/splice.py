"""Files made of one piece per row, which a patch build splices from the previous build's file.

The big open-data files (data/penalties.json is 117 MB at 100k records), the calendar and the source
copies are each a head, one piece per row and a tail — `head + sep.join(pieces) + tail` — where a
row's piece is a pure function of the row's *key*: the record's content digest (Entry.digest),
with whatever else the piece is made from (a date from the git history …).  Settings, the as-of
date and the site's address are the same in a build and the patch build after it (the build
cache's key; the site address is checked by the caller).

Each build records every such file's `Layout`: the rows' keys in file order and their pieces'
lengths (a few bytes a row, never the text).  The next build makes the file again from the previous
file's bytes: a row whose key the previous file holds takes its piece from there, only the other
rows are made, and in the new order.  When every key is what it was, the file is the previous one
and is not read at all.  Either way the bytes are those of making every piece afresh.
A row without a key (b"": its record's digest is unknown) is always made afresh.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.incremental.keys import digest_bytes

KEY = 16  # bytes of Entry.digest
Buffer = Any  # bytes, or an mmap.mmap of the file (what Previous.read gives)


@dataclass(frozen=True)
class Layout:
    """Where each row's piece lies in a file a build wrote (what the next build splices from)."""

    width: int  # bytes per key
    keys: bytes  # the rows' keys in file order, `width` bytes each (zeros: no key)
    lengths: bytes  # array("I") of the pieces' lengths in bytes, in file order
    frame: bytes  # digest of the head, separator and tail
    size: int  # the whole file's length


@dataclass(frozen=True)
class Previous:
    """The previous build's layouts, and a reader of the files it left (the live site's)."""

    layouts: Mapping[str, Layout]
    # site path → the file's bytes (None when missing): bytes, or a read-only mmap of the file
    read: Callable[[str], Buffer | None]
    size: Callable[[str], int | None]  # site path → the file's length, without reading it


@dataclass(frozen=True)
class Made:
    """One spliced file: its bytes, or None when they are exactly the previous build's file."""

    path: str
    content: bytes | None
    layout: Layout | None  # None for a file with no rows (nothing to splice)
    fresh: int = (
        -1
    )  # how many rows' pieces were made (the others came from the previous file); -1: not spliced


@contextlib.contextmanager
def bulk() -> Iterator[None]:
    """Around making lists of a hundred thousand rows: the cycle collector would otherwise run again
    and again as they grow (it counts allocations), and each run walks the new rows and every record
    they point to, which triples the time.  Rows hold no reference cycles; collection resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def key_with_day(digest: bytes, ordinal: int) -> bytes:
    """A key for a piece made from a record and one date (b"" when the record's digest is unknown)."""
    return digest + ordinal.to_bytes(4, "little") if digest else b""


def keys_blob(keys: Sequence[bytes], width: int = KEY) -> bytes:
    """The keys one after the other (zeros for a row without a key), as a Layout holds them."""
    blank = bytes(width)
    return b"".join([k or blank for k in keys])


def _frame(head: bytes, sep: bytes, tail: bytes, width: int) -> bytes:
    return digest_bytes(head, sep, tail, str(width))


def spliced(
    path: str,
    keys: Sequence[bytes],
    piece: Callable[[int], bytes],
    head: bytes,
    tail: bytes = b"",
    sep: bytes = b"",
    *,
    width: int = KEY,
    previous: Previous | None = None,
    blob: bytes | None = None,
) -> Made:
    """The file `head + sep.join(piece(i) …) + tail`, with row i's piece taken from the previous
    build's file when that held a row with key `keys[i]` (every key `width` bytes, or b"").
    `blob`: keys_blob(keys, width), when the caller has it (files with the same rows share it, and
    the build cache then stores it once)."""
    blob = keys_blob(keys, width) if blob is None else blob
    if len(blob) != width * len(keys):
        raise ValueError(f"{path}: keys must be {width} bytes long")
    frame = _frame(head, sep, tail, width)
    old = previous.layouts.get(path) if previous is not None else None
    if old is not None and (old.frame != frame or old.width != width or not all(keys)):
        old = None  # (a row without a key is rare: no build cache, so no previous build either)
    if old is not None and old.keys == blob and previous.size(path) == old.size:  # type: ignore[union-attr]
        return Made(path, None, old, 0)
    data = previous.read(path) if old is not None else None  # type: ignore[union-attr]
    if old is None or data is None or len(data) != old.size:
        fresh = len(keys)
        pieces = [piece(i) for i in range(fresh)]
        lengths = array("I", map(len, pieces))
        parts = _framed(head, pieces, sep, tail)
    else:
        parts, lengths, fresh = _splice(old, blob, data, piece, head, tail, sep)
    content = b"".join(parts)
    layout = Layout(width, blob, lengths.tobytes(), frame, len(content))
    if data is not None and _same(content, data):
        return Made(path, None, layout, fresh)  # made again, and the same
    return Made(path, content, layout, fresh)


def _same(content: bytes, data: Buffer) -> bool:
    if isinstance(data, bytes):
        return content == data
    if len(content) != len(data):  # type: ignore[arg-type]
        return False
    step = 1 << 23  # a mapped file compares piecewise: slicing it copies
    return all(content[i : i + step] == data[i : i + step] for i in range(0, len(content), step))  # type: ignore[index]


def _common_rows(one: bytes, other: bytes, width: int, most: int, *, tail: bool = False) -> int:
    """How many whole keys `one` and `other` share at their start (or end), at most `most`."""
    lo, hi = 0, most
    while lo < hi:  # binary search on slice equality: each comparison runs in C
        mid = (lo + hi + 1) // 2
        n = mid * width
        if (one[-n:] == other[-n:]) if tail else (one[:n] == other[:n]):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _splice(
    old: Layout,
    blob: bytes,
    data: Buffer,
    piece: Callable[[int], bytes],
    head: bytes,
    tail: bytes,
    sep: bytes,
) -> tuple[list, array, int]:
    """The new file's parts (to be joined), its rows' lengths and how many rows were made.  The rows the old and the new key
    lists share at their start and end are taken as two runs of the old file; in between each key
    is looked up among the old rows there, and rows that follow each other in both files are
    taken as one run too."""
    width = old.width
    n_new, n_old = len(blob) // width, len(old.keys) // width
    old_lengths = array("I")
    old_lengths.frombytes(old.lengths)
    first = _common_rows(blob, old.keys, width, min(n_new, n_old))
    last = _common_rows(blob, old.keys, width, min(n_new, n_old) - first, tail=True)
    step = len(sep)
    view = memoryview(data)
    # Old rows first … n_old - last - 1 form the middle: where each starts in the old file.
    start = len(head) + sum(old_lengths[:first]) + first * step
    starts = list(itertools.accumulate((n + step for n in old_lengths[first : n_old - last]), initial=start))
    middle = {old.keys[j * width : (j + 1) * width]: j for j in range(first, n_old - last)}
    runs: list = []  # parts of the rows (without the separators between parts)
    if first:
        runs.append(view[len(head) : start - step])
    lengths = old_lengths[:first]
    run_from = run_to = -1  # the old rows of the run being gathered (first, last + 1)
    fresh = 0
    for i in range(first, n_new - last):
        j = middle.get(blob[i * width : (i + 1) * width])
        if j is not None and j == run_to:
            run_to += 1
        else:
            if run_from >= 0:
                runs.append(view[starts[run_from - first] : starts[run_to - first] - step])
                run_from = run_to = -1
            if j is None:
                fresh += 1
                made = piece(i)
                runs.append(made)
                lengths.append(len(made))
                continue
            run_from, run_to = j, j + 1
        lengths.append(old_lengths[j])
    if run_from >= 0:
        runs.append(view[starts[run_from - first] : starts[run_to - first] - step])
    if last:
        begin = starts[-1]
        runs.append(view[begin : begin + sum(old_lengths[n_old - last :]) + (last - 1) * step])
        lengths.extend(old_lengths[n_old - last :])
    return _framed(head, runs, sep, tail), lengths, fresh


def _framed(head: bytes, pieces: list, sep: bytes, tail: bytes) -> list:
    """head, the pieces with `sep` between them, tail: the parts of a file, to be joined once."""
    parts: list = [head]
    for piece in pieces:
        parts += (piece, sep)
    if pieces:
        parts.pop()
    parts.append(tail)
    return parts
