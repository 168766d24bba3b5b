"""What a patch (patch.py) does to doc ids, and the pieces every part of the patcher shares: the
index files as they are and will be, the changed docs, and postings rewritten under new ids.

Doc ids follow date, oldest first (builder._order).  A doc that comes or goes, or whose date
changes (it goes from its old place and comes at its new one), shifts the ids of the docs after
it by one; docs before the first such place keep theirs.  So a patch knows, for every id of the
index as it is, the id of the same doc afterwards (Plan.new_ids), and rewrites each posting from
the first id that changes on: the bytes before it stay.
"""

from __future__ import annotations

import bisect
import itertools
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import stand_ins
from .builder import SearchDoc
from .encode import (
    BITMAP,
    DELTA,
    bitmap,
    bitmap_size,
    decode_posting,
    decode_varints,
    delta_ids,
    varint_bytes,
    varint_lengths,
)
from .fold import fold
from .grams import MAX_DOCS, is_checkpoint_doc, use_bitmap
from .grams import _varints as varints
from .state import IndexState

# A patch rewrites every posting that holds a doc whose id shifts, so its cost grows with the
# number of docs from the first change to the end of the index.  Beyond this many, a full build is
# asked for instead.  CPU time at 107k docs (a full build: 28 s): about 2 s for the first 1,000
# docs that move (that many already touch most files), then 0.2 s more per 1,000 — 2.5 s for a
# new doc dated a week before the newest (3,100 docs move), 3.8 s for 8,000, 6–8 s for 20,000, 9 s
# for 32,000; and the texts of the moving docs are held and scanned at once.  Past a fifth of the
# index, a patch would cost a third of a full build and more memory than the patch is worth.
MOVED_MAX = 20000
# meta.json is written first: it holds the content version, so once anything has been written
# the old state no longer matches the directory, and an interrupted patch (a crash, a full disk)
# is refused afterwards instead of patched over.  chunks.json and fold.json, which a client reads
# with it, come after the data files.
_FIRST, _LAST = "meta.json", ("chunks.json", "fold.json")


class CannotPatch(Exception):
    """This change needs a full index build (the message says why, in English, for logs)."""


def out_of_sync(what: str) -> CannotPatch:
    return CannotPatch(f"the index does not hold the old version of a changed doc ({what})")


# --- files ----------------------------------------------------------------------------------


class Files:
    """The index as it is (reads, cached) and as it will be (writes and deletions, held in memory
    until commit, so that CannotPatch leaves the directory untouched)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[str, bytes | None] = {}
        self.planned: dict[str, bytes | None] = {}  # None: delete

    def read(self, rel: str) -> bytes | None:
        if rel not in self._cache:
            try:
                self._cache[rel] = (self.root / rel).read_bytes()
            except FileNotFoundError:
                self._cache[rel] = None
        return self._cache[rel]

    def need(self, rel: str) -> bytes:
        data = self.read(rel)
        if data is None:
            raise CannotPatch(f"{rel} is missing from the index")
        return data

    def size(self, rel: str) -> int:
        if rel in self.planned:
            return len(self.planned[rel] or b"")
        if rel in self._cache:
            return len(self._cache[rel] or b"")
        return (self.root / rel).stat().st_size

    def put(self, rel: str, data: bytes) -> None:
        self.planned[rel] = data

    def delete(self, rel: str) -> None:
        self.planned[rel] = None

    def _unchanged(self, rel: str, data: bytes) -> bool:
        if rel not in self._cache:
            try:
                if (self.root / rel).stat().st_size != len(data):
                    return False
            except FileNotFoundError:
                return False
        return self.read(rel) == data

    def commit(self) -> tuple[frozenset[str], frozenset[str]]:
        writes = {rel: d for rel, d in self.planned.items() if d is not None and not self._unchanged(rel, d)}
        deletes = [rel for rel, d in self.planned.items() if d is None and (self.root / rel).exists()]
        for rel in {str(Path(rel).parent) for rel in writes}:
            (self.root / rel).mkdir(parents=True, exist_ok=True)
        for rel in sorted(writes, key=lambda r: (r != _FIRST, r in _LAST, r)):
            write_atomic(self.root / rel, writes[rel])
        for rel in deletes:
            (self.root / rel).unlink()
        return frozenset(writes), frozenset(deletes)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` at once (its folder exists).  The temporary file is opened like any file
    (not mkstemp, whose 0600 mode would differ from a full build's files)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.patch")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class DocRows:
    """Rows of the doc store as it is (d/<first doc id>.json, as builder._doc_store writes them)."""

    def __init__(self, files: Files, state: IndexState) -> None:
        self.files, self.starts = files, state.chunk_starts
        self.sizes = np.frombuffer(state.row_sizes, dtype="<u4")
        self._offsets: dict[int, list[int]] = {}

    def row(self, doc: int) -> bytes:
        c = bisect.bisect_right(self.starts, doc) - 1
        chunk = self.starts[c]
        data = self.files.need(f"d/{chunk}.json")
        if chunk not in self._offsets:
            end = self.starts[c + 1] if c + 1 < len(self.starts) else len(self.sizes)
            sizes = self.sizes[chunk:end].astype(np.int64) + 1  # each row and its "," (or the "]")
            self._offsets[chunk] = np.concatenate(([1], 1 + np.cumsum(sizes))).tolist()
        at = self._offsets[chunk][doc - chunk]
        return data[at : at + int(self.sizes[doc])]


# --- the plan -------------------------------------------------------------------------------


@dataclass
class Change:
    """One doc's change: an edit (old and new, same url and date), a removal (no new) or an
    addition (no old).  old_id is its id in the index as it is, new_id in the patched one; `at`
    is where in the old ids it happens (an addition goes just before the old doc of that id)."""

    old: SearchDoc | None
    new: SearchDoc | None
    old_id: int | None
    new_id: int | None
    at: int
    old_title: str = ""  # folded
    old_text: str = ""
    new_title: str = ""
    new_text: str = ""

    @property
    def rank(self) -> tuple[int, int, int]:
        """The order of changes along the old ids: at one place, additions (by new id) come
        before the edit or removal of the old doc there."""
        return (self.at, 0, self.new_id) if self.old is None else (self.at, 1, -1)


def before_old_doc(doc: int) -> tuple[int, int, int]:
    """A rank between the additions just before old doc `doc` and the change of `doc` itself."""
    return (doc, 1, -2)


@dataclass
class Plan:
    """The changes, and how doc ids move: docs below `first` keep their ids; removed docs leave,
    added docs come in before the old doc of id `inserted[i]`; every other doc shifts."""

    n_old: int
    n_new: int
    changes: list[Change]  # by rank
    removed: np.ndarray  # old ids of the docs that leave, sorted
    inserted: np.ndarray  # per added doc (in new id order): the old id it goes before
    first: int  # the first old id whose doc leaves or moves (n_old if none does)
    urls: tuple[str, ...]  # after the patch
    date_counts: tuple[tuple[str, int], ...]
    checkpoints: list[tuple[int, Change | None]] = field(default_factory=list)  # see checkpoint_plan
    _lists: tuple[list[int], list[int]] | None = None

    @property
    def moves(self) -> bool:
        return bool(len(self.removed) or len(self.inserted))

    @property
    def added(self) -> list[Change]:
        return [c for c in self.changes if c.old is None]

    @property
    def shift(self) -> int:
        """How far the docs after the last change move."""
        return self.n_new - self.n_old

    def new_ids(self, old: np.ndarray) -> np.ndarray:
        """The new ids of kept docs, from their old ids (sorted or not)."""
        if not self.moves or not len(old):
            return old
        return old - np.searchsorted(self.removed, old) + np.searchsorted(self.inserted, old, side="right")

    def new_id(self, old: int) -> int:
        """new_ids of one doc, without numpy (the small postings are most postings)."""
        if old < self.first:
            return old
        if self._lists is None:
            self._lists = (self.removed.tolist(), self.inserted.tolist())
        removed, inserted = self._lists
        return old - bisect.bisect_left(removed, old) + bisect.bisect_right(inserted, old)

    def merge(self, old: Sequence, added: Sequence) -> list:
        """A per-doc sequence in old id order → the same in new id order: the removed docs' items
        dropped, the added docs' items (in new id order) put in."""
        out = list(old[: self.first])
        gone = set(self.removed.tolist())
        inserted = self.inserted.tolist()
        j = 0
        for i in range(self.first, self.n_old):
            while j < len(inserted) and inserted[j] <= i:
                out.append(added[j])
                j += 1
            if i not in gone:
                out.append(old[i])
        out.extend(added[j:])
        return out

    @property
    def moved_end(self) -> int:
        """The end of the old ids that (may) shift, from `first` on: the end of the index, or, when
        as many docs come as go (a withdrawn doc's placeholder, a doc that changes its url within
        its date), the place past every doc that comes or goes: the docs from there on keep their
        ids (an edited one among them keeps its place), and every posting its bytes there."""
        if not self.moves:
            return self.first
        if self.shift:
            return self.n_old
        return max(c.at if c.old is None else c.at + 1 for c in self.changes if c.old is None or c.new is None)

    @property
    def movers_to_end(self) -> bool:
        """Whether every doc from `first` to the end of the index shifts (see moved_end)."""
        return self.moved_end == self.n_old


def _place(state: IndexState, starts: list[int], dates: list[str], doc: SearchDoc) -> int:
    """How many docs of the index come before `doc` in builder._order: where it goes."""
    undated = starts[0] if starts else len(state.urls)
    if not doc.date:
        return bisect.bisect_left(state.urls, doc.url, 0, undated)
    k = bisect.bisect_left(dates, doc.date)
    if k == len(dates) or dates[k] != doc.date:
        return starts[k] if k < len(starts) else len(state.urls)
    lo, hi = starts[k], starts[k + 1] if k + 1 < len(starts) else len(state.urls)
    # Urls descend within a date: the docs before it are those placed by a greater url.
    key = stand_ins.dated_order(doc.url)
    return bisect.bisect_left(state.urls, True, lo, hi, key=lambda url: stand_ins.dated_order(url) < key)


def _folded(change: Change) -> Change:
    if change.old is not None:
        change.old_title, change.old_text = fold(change.old.title), fold(change.old.text)
    if change.new is not None:
        change.new_title, change.new_text = fold(change.new.title), fold(change.new.text)
    return change


def plan(
    state: IndexState,
    changes: Iterable[tuple[SearchDoc, SearchDoc]],
    added: Iterable[SearchDoc],
    removed: Iterable[SearchDoc],
) -> Plan:
    """The plan of a patch; CannotPatch if it is inconsistent with the index or moves too much."""
    pairs, added, removed = list(changes), list(added), list(removed)
    touched = [d.url for d in removed] + [old.url for old, _new in pairs]
    wanted = {*touched, *(d.url for d in added), *(new.url for _old, new in pairs)}
    ids = {url: i for i, url in enumerate(state.urls) if url in wanted}
    for url in touched:
        if url not in ids:
            raise CannotPatch(f"{url} is not in the index")
    if len(set(touched)) != len(touched):
        raise CannotPatch(f"{Counter(touched).most_common(1)[0][0]} is changed twice")
    edits: list[tuple[SearchDoc, SearchDoc]] = []
    for old, new in pairs:
        if old.url != new.url or old.date != new.date:  # a move: it leaves its place, comes at another
            removed.append(old)
            added.append(new)
        elif old != new:
            edits.append((old, new))
    gone = {d.url for d in removed}
    coming = [d.url for d in added]
    if len(set(coming)) != len(coming) or any(u in ids and u not in gone for u in coming):
        raise CannotPatch("an added doc is in the index already, or added twice")
    n_old = len(state.urls)
    n_new = n_old - len(removed) + len(added)
    if not 0 < n_new < MAX_DOCS:
        raise CannotPatch(f"{n_new} docs: a full build decides")
    starts = list(itertools.accumulate((n for _d, n in state.date_counts), initial=n_old - _dated(state)))[:-1]
    dates = [d for d, _n in state.date_counts]
    out = [Change(old, None, ids[old.url], None, ids[old.url]) for old in removed]
    out += [Change(old, new, ids[old.url], None, ids[old.url]) for old, new in edits]
    additions = sorted(
        (Change(None, new, None, None, _place(state, starts, dates, new)) for new in added),
        key=lambda c: (c.at, _order_key(c.new)),
    )
    gone_ids = np.array(sorted(ids[d.url] for d in removed), dtype=np.int64)
    inserted = np.array([c.at for c in additions], dtype=np.int64)
    for i, c in enumerate(additions):
        c.new_id = c.at - int(np.searchsorted(gone_ids, c.at)) + i
    first = min([*gone_ids.tolist(), *inserted.tolist(), n_old])
    result = Plan(n_old, n_new, [], gone_ids, inserted, first, (), ())
    for c in out:
        if c.new is not None:
            c.new_id = int(result.new_ids(np.array([c.old_id]))[0])
    result.changes = sorted(out + additions, key=lambda c: c.rank)
    if result.moved_end - first > MOVED_MAX:
        raise CannotPatch(f"the change would move the ids of {result.moved_end - first} docs (at most {MOVED_MAX})")
    for c in result.changes:
        _folded(c)
    kept_urls = state.urls if not result.moves else result.merge(state.urls, [c.new.url for c in additions])
    result.urls = tuple(kept_urls)
    result.date_counts = _new_date_counts(state, removed, added)
    result.checkpoints = checkpoint_plan(state, result)
    return result


def _dated(state: IndexState) -> int:
    return sum(n for _d, n in state.date_counts)


def _order_key(doc: SearchDoc) -> tuple:
    """builder._order as a sort key: undated docs by url, then by date, each part of
    stand_ins.dated_order descending (the code points negated; the end of a url sorts after them,
    so that "a/b/" comes before "a/")."""
    if not doc.date:
        return (0, doc.url)
    return (1, doc.date, *((*(-ord(c) for c in part), 1) for part in stand_ins.dated_order(doc.url)))


def _new_date_counts(
    state: IndexState, removed: Sequence[SearchDoc], added: Sequence[SearchDoc]
) -> tuple[tuple[str, int], ...]:
    counts = Counter(dict(state.date_counts))
    counts.subtract(d.date for d in removed if d.date)
    counts.update(d.date for d in added if d.date)
    if any(n < 0 for n in counts.values()):
        raise out_of_sync("dates")
    return tuple(sorted((d, n) for d, n in counts.items() if n))


def checkpoint_plan(state: IndexState, p: Plan) -> list[tuple[int, Change | None]]:
    """The checkpoint docs after the patch (grams.CHECKPOINT_DOCS), each as (index among the old
    checkpoint docs, None) if it was one, or (-1, its addition)."""
    old = np.array(state.checkpoint_docs, dtype=np.int64)
    kept = [(j, None) for j, doc in enumerate(old.tolist()) if not _has(p.removed, doc)]
    new_ids = p.new_ids(old[[j for j, _c in kept]]) if kept else np.zeros(0, dtype=np.int64)
    added = [(c.new_id, (-1, c)) for c in p.added if is_checkpoint_doc(c.new.url)]
    merged = sorted([*zip(new_ids.tolist(), kept, strict=True), *added], key=lambda x: x[0])
    return [entry for _id, entry in merged]


def _has(ids: np.ndarray, doc: int) -> bool:
    at = int(np.searchsorted(ids, doc))
    return at < len(ids) and int(ids[at]) == doc


# --- postings -------------------------------------------------------------------------------


class OldPosting:
    """A doc posting as written, asked for ranks and members without decoding it if it is a
    bitmap (most postings a patch touches are those of common grams: 13 KB bitmaps at 100k docs)."""

    def __init__(self, enc: int, data: bytes, df: int) -> None:
        self.enc, self.data, self.df = enc, data, df
        self._ids: np.ndarray | None = None  # decoded when asked for

    @property
    def ids(self) -> np.ndarray:
        if self._ids is None:
            self._ids = decode_posting(self.enc, self.data, MAX_DOCS)
        return self._ids

    def rank(self, doc: int) -> int:
        """How many of its docs are below `doc`."""
        if self.enc != BITMAP:
            return int(np.searchsorted(self.ids, doc))
        whole, bits = divmod(doc, 8)
        below = int.from_bytes(self.data[:whole], "little").bit_count()
        return below + ((self.data[whole] & ((1 << bits) - 1)).bit_count() if whole < len(self.data) else 0)

    def has(self, doc: int) -> bool:
        if self.enc != BITMAP:
            return _has(self.ids, doc)
        return doc >> 3 < len(self.data) and bool(self.data[doc >> 3] >> (doc & 7) & 1)

    def among(self, ids: np.ndarray) -> np.ndarray:
        """Those of `ids` (sorted) that are its docs."""
        if self.enc != BITMAP:
            return ids[np.isin(ids, self.ids, assume_unique=True)]
        ids = ids[ids < 8 * len(self.data)]  # a bitmap ends at its last doc
        raw = np.frombuffer(self.data, dtype=np.uint8)
        return ids[((raw[ids >> 3] >> (ids & 7).astype(np.uint8)) & 1).astype(bool)]


Op = tuple[Change, bool, bool]  # a change of one posting: the doc was in it, is in it


def remap(ids: np.ndarray, ops: Sequence[Op], p: Plan) -> np.ndarray:
    """Sorted old doc ids of a posting → its sorted new ids, with ops (only those whose doc was
    or is in it, was != is) applied and checked against the old ids."""
    leave, join = [], []
    for change, was, now in ops:
        if change.old_id is not None:
            at = int(np.searchsorted(ids, change.old_id))
            if (at < len(ids) and int(ids[at]) == change.old_id) != was:
                raise out_of_sync(f"doc {change.old_id} in a posting")
            if was:
                leave.append(at)
        if now:
            join.append(change.new_id)
    kept = np.delete(ids, leave) if leave else ids
    moved = p.new_ids(kept) if p.moves else kept
    if not join:
        return moved
    return np.sort(np.concatenate((moved, np.array(join, dtype=np.int64))))


def repost(
    enc: int, payload: bytes, ops: Sequence[Op], p: Plan, moving: np.ndarray | None = None
) -> tuple[int, bytes, int]:
    """A doc posting after the patch: (encoding, payload, doc count).  Ids below the first
    changed one are the same before and after, and so are the bytes that hold them: only the
    rest is decoded, remapped and encoded again (a common gram's posting holds most docs).
    `moving`: which of the docs whose ids shift hold it (old ids), if known."""
    q = min([p.first, *(c.old_id for c, _was, _now in ops if c.old_id is not None)])
    if enc == BITMAP:
        return _repost_bitmap(payload, ops, p, q)
    if len(payload) <= _SMALL:
        return _repost_small(payload, ops, p)
    if moving is not None and q == p.first:
        was = [c.old_id for c, had, _now in ops if had]
        old_tail = np.union1d(moving, np.array(was, dtype=np.int64)) if was else moving
        if len(old_tail):  # else the last id, which a new doc's gap starts from, is not known
            return _repost_tail(payload, ops, p, old_tail)
    values, ends = decode_varints(payload)
    ids = np.cumsum(values)
    k = int(np.searchsorted(ids, q))
    head, tail = ids[:k], ids[k:]
    head_delta = int(ends[k - 1]) if k else 0
    return _delta_with_tail(payload, head_delta, len(head), int(head[-1]) if len(head) else 0, remap(tail, ops, p))


def _delta_with_tail(payload: bytes, split: int, head_count: int, prev: int, tail: np.ndarray) -> tuple[int, bytes, int]:
    """A DELTA posting whose first `split` bytes (`head_count` ids, the last `prev`) stay, and
    whose later ids are `tail`; a bitmap if that is smaller."""
    count = head_count + len(tail)
    if not count:
        return DELTA, b"", 0
    tail_data = _gap_bytes(tail, prev)
    last = int(tail[-1]) if len(tail) else prev
    if use_bitmap(split + len(tail_data), last):
        head = decode_posting(DELTA, payload[:split], MAX_DOCS)
        return BITMAP, bitmap(np.concatenate((head, tail))), count
    return DELTA, payload[:split] + tail_data, count


def _gap_bytes(ids: np.ndarray, prev: int) -> bytes:
    if len(ids) < 64:  # numpy's per-call overhead dominates on short lists
        plain = ids.tolist()
        return varint_bytes(b - a for a, b in zip([prev, *plain], plain, strict=False))
    data, _starts = varints(np.diff(ids, prepend=prev))
    return data.tobytes()


def _repost_tail(payload: bytes, ops: Sequence[Op], p: Plan, old_tail: np.ndarray) -> tuple[int, bytes, int]:
    """repost of a DELTA posting whose ids from p.first on are known (`old_tail`: those of the
    docs that move, and of the changed docs that had it): only their gaps, the last ones of the
    payload, are read — and checked against them."""
    m = len(old_tail)
    raw = np.frombuffer(payload, dtype=np.uint8)
    split, gaps = _last_varints(payload, m) if m < 64 else _last_varints_np(raw, m)
    prev = int(old_tail[0]) - int(gaps[0])
    if (prev if not split else not 0 <= prev < p.first) or np.diff(old_tail).tolist() != gaps[1:]:
        raise out_of_sync("a posting's last docs are not the ones that move")
    head_count = int(np.count_nonzero(raw[:split] < 0x80))
    return _delta_with_tail(payload, split, head_count, prev, remap(old_tail, ops, p))


def _last_varints(payload: bytes, m: int) -> tuple[int, list[int]]:
    """Where the last m varints of a payload start, and their values."""
    seen, split = 0, len(payload)
    while split:
        if payload[split - 1] < 0x80:  # the end of a varint
            if seen == m:
                break
            seen += 1
        split -= 1
    if seen != m:
        raise out_of_sync("a posting holds fewer docs than it should")
    values, value, shift = [], 0, 0
    for byte in payload[split:]:
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            values.append(value)
            value, shift = 0, 0
    return split, values


def _last_varints_np(raw: np.ndarray, m: int) -> tuple[int, list[int]]:
    window = raw[max(0, len(raw) - 5 * (m + 1)) :]  # a gap below 2**32 takes at most 5 bytes
    ends = np.flatnonzero(window < 0x80)
    if len(ends) < m or (len(ends) == m and len(window) < len(raw)):
        raise out_of_sync("a posting holds fewer docs than it should")
    split = len(raw) - len(window) + (int(ends[-m - 1]) + 1 if len(ends) > m else 0)
    return split, decode_varints(raw[split:])[0].tolist()


_SMALL = 48  # bytes of a DELTA posting below which plain Python beats numpy's per-call overhead


def _repost_small(payload: bytes, ops: Sequence[Op], p: Plan) -> tuple[int, bytes, int]:
    ids = delta_ids(payload)
    leave, join = set(), []
    for change, was, now in ops:
        if change.old_id is not None:
            at = bisect.bisect_left(ids, change.old_id)
            if (at < len(ids) and ids[at] == change.old_id) != was:
                raise out_of_sync(f"doc {change.old_id} in a posting")
            if was:
                leave.add(change.old_id)
        if now:
            join.append(change.new_id)
    new = sorted([p.new_id(d) for d in ids if d not in leave] + join)
    if not new:
        return DELTA, b"", 0
    data = varint_bytes(b - a for a, b in zip([0, *new], new, strict=False))
    if use_bitmap(len(data), new[-1]):
        return BITMAP, bitmap(new), len(new)
    return DELTA, data, len(new)


def _repost_bitmap(payload: bytes, ops: Sequence[Op], p: Plan, q: int) -> tuple[int, bytes, int]:
    """repost of a bitmap: its bytes below doc q stay; it stays a bitmap unless its gaps would
    take no more bytes, which they cannot while it holds more docs than it has bytes."""
    cut = q >> 3
    raw = np.frombuffer(payload, dtype=np.uint8)
    tail = np.flatnonzero(np.unpackbits(raw[cut:], bitorder="little")) + 8 * cut
    new_tail = remap(tail, ops, p)
    head_count = int.from_bytes(payload[:cut], "little").bit_count()
    count = head_count + len(new_tail)
    if not count:
        return DELTA, b"", 0
    head = None
    if len(new_tail):
        last = int(new_tail[-1])
    else:
        head = np.flatnonzero(np.unpackbits(raw[:cut], bitorder="little"))
        last = int(head[-1])
    if count <= bitmap_size(last):  # it might be DELTA again: count the bytes of its gaps
        head = np.flatnonzero(np.unpackbits(raw[:cut], bitorder="little")) if head is None else head
        ids = np.concatenate((head, new_tail))
        gaps = int(varint_lengths(np.diff(ids, prepend=0)).sum())
        if not use_bitmap(gaps, last):
            data, _starts = varints(np.diff(ids, prepend=0))
            return DELTA, data.tobytes(), count
    return BITMAP, _bitmap_with_tail(payload[:cut], cut, new_tail, last), count


def _bitmap_with_tail(head: bytes, cut: int, tail: np.ndarray, last: int) -> bytes:
    """A bitmap whose first `cut` bytes are `head`'s and whose ids from 8 * cut on are `tail`."""
    size = bitmap_size(last)
    if size <= cut:
        return head[:size]
    bits = np.zeros(8 * (size - cut), dtype=bool)
    bits[tail - 8 * cut] = True
    return head.ljust(cut, b"\0") + np.packbits(bits, bitorder="little").tobytes()
