"""Patch a built index in place after some docs changed: the result is byte for byte what a full
build of the changed docs writes, in a fraction of the time (one changed record: well under a
second at 100k docs, where a full build takes half a minute).

    stats, state = build_index_with_state(docs, out_dir, **options)   # keep `state` in a cache
    ...
    result = patch_index(out_dir, state, [(old_doc, new_doc), ...], **options)
    state = result.state                                              # for the next patch

A change keeps its doc's url and date, so doc ids and their order stay; anything else may change.
What a change touches is found from the old and new doc alone — the grams whose postings,
title postings or positions differ, the identifier entries, facet values, sort values and the
doc's row — and only the files holding those are rewritten, after everything global (meta.json's
counts and `common` list, fold.json, chunks.json, the numbering of files within a shard) has been
recomputed from the state.  Where the exact result would need more than that (the shard count
changes, a new identifier appears in too many docs, the state is not this directory's), the
patcher raises CannotPatch before writing anything, and the caller builds the index afresh.

Every file is replaced atomically (a temporary file in its directory, then os.replace), so a site
that is served meanwhile never sees a torn file; meta.json goes first (see _FIRST).
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import json
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import grams as _grams
from .builder import (
    GramEntry,
    SearchDoc,
    build_options,
    chunk_bytes,
    chunk_ends,
    common_listed,
    content_version,
    cut_hash,
    doc_digest,
    doc_row,
    facet_file,
    facet_keys,
    facet_meta,
    facet_values,
    gram_shard,
    gram_shard_count,
    id_entry,
    id_shard,
    id_shard_count,
    id_table_bytes,
    inline_bytes,
    is_big,
    json_bytes,
    meta_bytes,
    own_positions_file,
    own_postings_file,
    shard_files,
    sort_files,
)
from .encode import BITMAP, decode_posting, decode_varints, parse_table
from .fold import client_fold_table, fold, folded_key, identifier_key
from .grams import doc_grams, doc_posting, position_checkpoints, position_group
from .identifiers import forms_in, has_ascii_digit, identifier_forms
from .state import STATE_VERSION, IndexState

# A new identifier form must be looked for in every doc: the docs holding all its bigrams are
# candidates, checked against their text in the doc store.  More candidates than this, and the
# patch is refused (a full build scans every text in one pass).
FORM_CANDIDATES_MAX = 400
# meta.json is written first: it holds the content version, so once anything has been written
# the old state no longer matches the directory, and an interrupted patch (a crash, a full disk)
# is refused afterwards instead of patched over.  chunks.json and fold.json, which a client reads
# with it, come after the data files.
_FIRST, _LAST = "meta.json", ("chunks.json", "fold.json")


class CannotPatch(Exception):
    """This change needs a full index build (the message says why, in English, for logs)."""


@dataclass(frozen=True)
class PatchResult:
    state: IndexState  # for the next patch (equal to what a full build would return)
    written: frozenset[str]  # paths relative to out_dir
    deleted: frozenset[str]
    seconds: float


@dataclass
class _Edit:
    doc: int
    old: SearchDoc
    new: SearchDoc
    old_title: str  # folded
    old_text: str
    new_title: str
    new_text: str


# --- files ----------------------------------------------------------------------------------


class _Files:
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
        for rel in sorted(writes, key=lambda r: (r != _FIRST, r in _LAST, r)):
            _write_atomic(self.root / rel, writes[rel])
        for rel in deletes:
            (self.root / rel).unlink()
        return frozenset(writes), frozenset(deletes)


def _write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` at once.  The temporary file is opened like any file (not mkstemp, whose
    0600 mode would differ from a full build's files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.patch")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --- entry point ----------------------------------------------------------------------------


def patch_index(
    out_dir: Path,
    state: IndexState,
    changes: Sequence[tuple[SearchDoc, SearchDoc]],
    *,
    base_url_prefix: str = "",
    facet_labels: Mapping[str, str] | None = None,
    kind_labels: Mapping[str, str] | None = None,
    facet_orders: Mapping[str, Sequence[str]] | None = None,
) -> PatchResult:
    """Apply `changes` ((old, new) pairs of docs with the same url and date; every other doc is
    unchanged) to the index that `state` describes in `out_dir`.  Raises CannotPatch, having
    written nothing, when the result could not be exactly what build_index would write."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    files = _Files(out_dir)
    options = build_options(base_url_prefix, facet_labels, kind_labels, facet_orders)
    meta = _check(files, state, options)
    edits = _edits(state, changes)
    if not edits:
        return PatchResult(state, frozenset(), frozenset(), round(time.perf_counter() - started, 3))
    n = len(state.urls)
    store = _DocStore(files, state)
    for e in edits:  # first, so that old docs that are not the index's are told as such
        if store.row(e.doc) != doc_row(e.old, base_url_prefix):
            raise _out_of_sync(f"{e.old.url}: its row in the doc store differs")
    grams = _GramPatch(files, state, meta, edits)
    ids = _patch_ids(files, state, edits, grams, store)
    facets, facet_bytes = _patch_facets(files, meta, edits, options, n)
    sort_state, sorts = _patch_sorts(files, state, meta, edits)
    doc_state = _patch_doc_store(files, state, edits, store, base_url_prefix)
    if grams.present != set(state.present):
        files.put("fold.json", json_bytes(client_fold_table(grams.present)))
    version = int(meta["version"], 16) + sum(
        doc_digest(e.new, doc_row(e.new, base_url_prefix))
        - doc_digest(e.old, doc_row(e.old, base_url_prefix))
        for e in edits
    )
    new_meta = meta_bytes(
        version=content_version(version),
        docs=meta["docs"],
        dated=meta["dated"],
        shards=state.shards,
        common=grams.common,
        id_shards=state.id_shards,
        id_digits=ids["id_keys_without_digit"] == 0,
        options=options,
        facets=facets,
        facet_bytes=facet_bytes,
        sorts=sorts,
    )
    files.put("meta.json", new_meta)
    new_state = dataclasses.replace(
        state,
        meta_digest=hashlib.sha256(new_meta).digest(),
        **grams.state_fields(),
        **ids,
        **sort_state,
        **doc_state,
    )
    written, deleted = files.commit()
    return PatchResult(new_state, written, deleted, round(time.perf_counter() - started, 3))


def _check(files: _Files, state: IndexState, options: tuple) -> dict:
    """meta.json, once it is clear that `state` describes this directory and these options."""
    if not isinstance(state, IndexState) or state.version != STATE_VERSION:
        raise CannotPatch("the state is from another version of the index builder")
    if state.options != options:
        raise CannotPatch(
            "the build options or layout constants differ from the ones the index was built with"
        )
    raw = files.read("meta.json")
    # meta.json holds the version of the docs' content: a state saved before the last patch of
    # this directory (or after a build elsewhere) fails here.
    if raw is None or hashlib.sha256(raw).digest() != state.meta_digest:
        raise CannotPatch("the index directory is not the one the state describes")
    return json.loads(raw)


def _edits(state: IndexState, changes: Sequence[tuple[SearchDoc, SearchDoc]]) -> list[_Edit]:
    wanted = {old.url for old, _new in changes}
    ids = {url: i for i, url in enumerate(state.urls) if url in wanted}
    edits: dict[int, _Edit] = {}
    seen: set[int] = set()
    for old, new in changes:
        if old.url != new.url or old.date != new.date:
            raise CannotPatch(f"{old.url}: a change of url or date moves docs (ids follow the date)")
        doc = ids.get(old.url)
        if doc is None:
            raise CannotPatch(f"{old.url} is not in the index")
        if doc in seen:
            raise CannotPatch(f"{old.url} is changed twice")
        seen.add(doc)
        if old != new:
            titles = fold(old.title), fold(new.title)
            edits[doc] = _Edit(doc, old, new, titles[0], fold(old.text), titles[1], fold(new.text))
    return [edits[doc] for doc in sorted(edits)]


def _out_of_sync(what: str) -> CannotPatch:
    return CannotPatch(f"the index does not hold the old version of a changed doc ({what})")


class _Posting:
    """A doc posting as written, asked for ranks and members without decoding it if it is a
    bitmap (most postings a patch touches are those of common grams: 13 KB bitmaps at 100k docs)."""

    def __init__(self, enc: int, data: bytes, df: int, n_docs: int) -> None:
        self.enc, self.data, self.df, self.n = enc, data, df, n_docs
        self._ids = None if enc == BITMAP else decode_posting(enc, data, n_docs)

    @property
    def ids(self) -> np.ndarray:
        if self._ids is None:
            self._ids = decode_posting(self.enc, self.data, self.n)
        return self._ids

    def rank(self, doc: int) -> int:
        """How many of its docs are below `doc`."""
        if self._ids is not None:
            return int(np.searchsorted(self._ids, doc))
        whole, bits = divmod(doc, 8)
        below = int.from_bytes(self.data[:whole], "little").bit_count()
        return below + ((self.data[whole] & ((1 << bits) - 1)).bit_count() if whole < len(self.data) else 0)

    def has(self, doc: int) -> bool:
        if self._ids is not None:
            at = int(np.searchsorted(self._ids, doc))
            return at < len(self._ids) and int(self._ids[at]) == doc
        return doc >> 3 < len(self.data) and bool(self.data[doc >> 3] >> (doc & 7) & 1)

    def among(self, ids: np.ndarray) -> np.ndarray:
        """Those of `ids` (sorted) that are its docs."""
        if self._ids is not None:
            return ids[np.isin(ids, self._ids, assume_unique=True)]
        raw = np.frombuffer(self.data, dtype=np.uint8)
        return ids[((raw[ids >> 3] >> (ids & 7).astype(np.uint8)) & 1).astype(bool)]


def _apply(ids: np.ndarray, changes: Sequence[tuple[int, bool, bool]]) -> np.ndarray:
    """Doc ids with (doc, was in, is in) applied; a doc that was not where it should be means the
    old docs are not what the index was built from."""
    for doc, was, now in changes:
        at = int(np.searchsorted(ids, doc))
        there = at < len(ids) and ids[at] == doc
        if there != was:
            raise _out_of_sync(f"doc {doc} in a posting")
        if was and not now:
            ids = np.delete(ids, at)
        elif now and not was:
            ids = np.insert(ids, at, doc)
    return ids


# --- gram tables ----------------------------------------------------------------------------


class _Shard:
    """One g/<shard>.bin as it is: entries, where their inline postings and positions are."""

    def __init__(self, files: _Files, shard: int) -> None:
        self.files, self.shard = files, shard
        self.table = files.need(f"g/{shard:x}.bin")
        entries, at = parse_table(self.table)
        self.keys = [k for k, _f in entries]
        self.fields = [f for _k, f in entries]
        self.index = {k: i for i, k in enumerate(self.keys)}
        self.payload_at, self.positions_at, pos = [], [], 0
        for f in self.fields:
            self.payload_at.append(at)
            self.positions_at.append(pos)
            at += 0 if f[2] & 16 else f[3] + f[4]
            pos += 0 if f[2] & 32 else f[5]
        self._inline_positions: bytes | None = None

    def external(self, i: int, positions: bool) -> str | None:
        """The file of entry i's postings (or positions), if they have one."""
        if self.fields[i][2] & (32 if positions else 16):
            return f"{'px' if positions else 'gx'}/{self.shard:x}-{i}.bin"
        return None

    def payload(self, i: int) -> bytes:
        rel = self.external(i, False)
        if rel:
            return self.files.need(rel)
        f = self.fields[i]
        return self.table[self.payload_at[i] : self.payload_at[i] + f[3] + f[4]]

    def positions(self, i: int) -> bytes:
        rel = self.external(i, True)
        if rel:
            return self.files.need(rel)
        if self._inline_positions is None:
            self._inline_positions = self.files.read(f"p/{self.shard:x}.bin") or b""
        return self._inline_positions[self.positions_at[i] : self.positions_at[i] + self.fields[i][5]]

    def posting(self, i: int, n_docs: int) -> _Posting:
        f = self.fields[i]
        return _Posting(f[2] & 3, self.payload(i)[: f[3]], f[0], n_docs)


@dataclass
class _Gram:
    """A gram's data after the patch (df 0: the gram is gone)."""

    key: str
    df: int
    tf: int
    enc: int
    t_enc: int
    d_len: int
    t_len: int
    p_len: int
    payload: bytes
    positions: bytes | None  # None: unchanged, still where the old index has them

    @property
    def size(self) -> int:
        return self.d_len + self.t_len


@dataclass
class _GramEdit:
    doc: int
    body: tuple[bool, bool]  # in the doc's corpus string: before, after
    title: tuple[bool, bool]
    group: tuple[bytes, bytes]  # the doc's position group in a bigram: before, after (b"": none)


def _gram_edits(edits: Sequence[_Edit]) -> dict[str, list[_GramEdit]]:
    """Per gram, the changed docs whose postings, title postings or positions of it differ."""
    touched: dict[str, list[_GramEdit]] = defaultdict(list)
    for e in edits:
        old_uni, old_bi = doc_grams(e.old_title + "\n" + e.old_text)
        new_uni, new_bi = doc_grams(e.new_title + "\n" + e.new_text)
        old_t_uni, old_t_bi = doc_grams(e.old_title)
        new_t_uni, new_t_bi = doc_grams(e.new_title)
        for g in old_uni | new_uni:
            body, title = (g in old_uni, g in new_uni), (g in old_t_uni, g in new_t_uni)
            if body[0] != body[1] or title[0] != title[1]:
                touched[g].append(_GramEdit(e.doc, body, title, (b"", b"")))
        for g in old_bi.keys() | new_bi.keys():
            before, after = old_bi.get(g), new_bi.get(g)
            title = (g in old_t_bi, g in new_t_bi)
            if before != after or title[0] != title[1]:
                group = (position_group(before) if before else b"", position_group(after) if after else b"")
                touched[g].append(_GramEdit(e.doc, (bool(before), bool(after)), title, group))
    return touched


class _GramPatch:
    """The gram tables after the patch: computes every touched gram, then lays out every shard
    holding one (or a gram that enters or leaves meta.json's `common` list) with builder.shard_files."""

    def __init__(self, files: _Files, state: IndexState, meta: dict, edits: Sequence[_Edit]) -> None:
        self.files, self.state, self.n = files, state, len(state.urls)
        self._shards: dict[int, _Shard] = {}
        self.common = dict(meta["common"])
        self.candidates = dict(state.candidates)
        self.checkpoints = dict(state.checkpoints)
        self.present = set(state.present)
        self.grams, self.inline = state.grams, state.inline
        touched = {key: self._patched(key, key_edits) for key, key_edits in _gram_edits(edits).items()}
        self._lay_out(touched)

    def shard(self, shard: int) -> _Shard:
        if shard not in self._shards:
            self._shards[shard] = _Shard(self.files, shard)
        return self._shards[shard]

    def locate(self, key: str) -> tuple[_Shard, int | None]:
        sh = self.shard(gram_shard(key, self.state.shards))
        return sh, sh.index.get(key)

    def old_posting(self, key: str) -> _Posting | None:
        """The docs of a gram before the patch (None if no doc had it)."""
        sh, i = self.locate(key)
        return None if i is None else sh.posting(i, self.n)

    def _patched(self, key: str, edits: list[_GramEdit]) -> _Gram:
        sh, i = self.locate(key)
        f, payload = ((0, 0, 0, 0, 0, 0), b"") if i is None else (sh.fields[i], sh.payload(i))
        enc, t_enc = f[2] & 3, (f[2] >> 2) & 3
        d_part, t_part = payload[: f[3]], payload[f[3] : f[3] + f[4]]
        docs, df, new_ids = _Posting(enc, d_part, f[0], self.n), f[0], None
        body = [(e.doc, *e.body) for e in edits if e.body[0] != e.body[1]]
        if body:
            new_ids = _apply(docs.ids, body)
            enc, d_part = doc_posting(new_ids, self.n)
            df = len(new_ids)
        title = [(e.doc, *e.title) for e in edits if e.title[0] != e.title[1]]
        tf = f[1]
        if title:
            titles = _apply(decode_posting(t_enc, t_part, self.n), title)
            t_enc, t_part = doc_posting(titles, self.n)
            tf = len(titles)
        if tf and not df:
            raise _out_of_sync(f"gram {key!r} in titles only")
        positions, p_len = None, f[5]
        groups = [(e.doc, *e.group) for e in edits if e.group[0] != e.group[1]]
        if groups:
            old_positions = sh.positions(i) if i is not None else b""
            positions, checkpoints = _splice(
                old_positions,
                docs,
                self.checkpoints.get(key),
                groups,
                lambda: docs.ids if new_ids is None else new_ids,
                self.n,
            )
            p_len = len(positions)
            if checkpoints is None:
                self.checkpoints.pop(key, None)
            else:
                self.checkpoints[key] = checkpoints
        return _Gram(key, df, tf, enc, t_enc, len(d_part), len(t_part), p_len, d_part + t_part, positions)

    def _lay_out(self, touched: dict[str, _Gram]) -> None:
        old_listed = set(self.common)
        sizes = {}  # key → (size, p_len) before the patch
        for key, g in touched.items():
            sh, i = self.locate(key)
            sizes[key] = (0, 0) if i is None else (sh.fields[i][3] + sh.fields[i][4], sh.fields[i][5])
            if i is None and g.df:
                self.grams += 1
                if len(key) == 1:
                    self.present.add(key)
            elif i is not None and not g.df:
                self.grams -= 1
                self.present.discard(key)
            if g.df and is_big(g.size, g.p_len):
                self.candidates[key] = g.df
            else:
                self.candidates.pop(key, None)
        listed = common_listed(self.candidates)
        moved = (listed ^ old_listed) - touched.keys()  # same data, now with files of their own or not
        for key in moved:
            sh, i = self.locate(key)
            sizes[key] = (sh.fields[i][3] + sh.fields[i][4], sh.fields[i][5])
        for key, (size, p_len) in sizes.items():
            g = touched.get(key)
            new_size, new_p_len = (g.size, g.p_len) if g else (size, p_len)
            self.inline += int(inline_bytes(new_size, new_p_len, key in listed)) - int(
                inline_bytes(size, p_len, key in old_listed)
            )
        if gram_shard_count(self.inline) != self.state.shards:
            raise CannotPatch("the gram shard count would change")
        by_shard: dict[int, list[str]] = defaultdict(list)
        for key in sizes:
            by_shard[gram_shard(key, self.state.shards)].append(key)
        for shard, shard_keys in sorted(by_shard.items()):
            self._write_shard(self.shard(shard), shard_keys, touched, listed)

    def _write_shard(
        self, sh: _Shard, shard_keys: list[str], touched: dict[str, _Gram], listed: set[str]
    ) -> None:
        entries, olds = [], []  # olds: each entry's index in the old table (None for a new gram)
        for key in sorted(set(sh.keys) | set(shard_keys)):
            g, i = touched.get(key), sh.index.get(key)
            if g is not None and not g.df:
                continue  # no doc has it any more
            own = key in listed
            if g is None:
                f = sh.fields[i]
                payload = None if own_postings_file(f[3] + f[4], own) else sh.payload(i)
                positions = None if own_positions_file(f[5], own) else sh.positions(i)
                entry = GramEntry(
                    key, f[0], f[1], f[2] & 3, (f[2] >> 2) & 3, f[3], f[4], f[5], own, payload, positions
                )
            else:
                positions = g.positions
                if positions is None and not own_positions_file(g.p_len, own):
                    positions = sh.positions(i) if i is not None else b""
                entry = GramEntry(
                    key, g.df, g.tf, g.enc, g.t_enc, g.d_len, g.t_len, g.p_len, own, g.payload, positions
                )
            entries.append(entry)
            olds.append(i)
        files = shard_files(sh.shard, entries)
        self.files.put(f"g/{sh.shard:x}.bin", files.table)
        if files.positions:
            self.files.put(f"p/{sh.shard:x}.bin", files.positions)
        else:
            self.files.delete(f"p/{sh.shard:x}.bin")
        # Files of their own are named by entry number: a gram that comes or goes renames the
        # files of the entries after it.
        old_external = {sh.external(i, pos) for i in range(len(sh.keys)) for pos in (False, True)} - {None}
        new_external = set()
        for rel, j, pos in files.external:
            new_external.add(rel)
            g, i = touched.get(entries[j].key), olds[j]
            data = None if g is None else g.positions if pos else g.payload
            if data is not None:
                self.files.put(rel, data)
            elif sh.external(i, pos) != rel:  # the old data, from wherever it was
                self.files.put(rel, sh.positions(i) if pos else sh.payload(i))
        for rel in old_external - new_external:
            self.files.delete(rel)
        for key in sh.keys:
            self.common.pop(key, None)
        self.common.update(files.common)

    def state_fields(self) -> dict:
        return {
            "inline": self.inline,
            "grams": self.grams,
            "present": "".join(sorted(self.present)),
            "candidates": self.candidates,
            "checkpoints": self.checkpoints,
        }


def _splice(
    old: bytes,
    docs: _Posting,
    checkpoints: bytes | None,
    groups: Sequence[tuple[int, bytes, bytes]],
    new_docs: Callable[[], np.ndarray],
    n_docs: int,
) -> tuple[bytes, bytes | None]:
    """A bigram's positions with the groups of some docs replaced (doc, old group, new group; b""
    for none), and their checkpoints (grams.position_checkpoints) if they keep or get any."""
    cps = np.frombuffer(checkpoints, dtype="<u4").astype(np.int64) if checkpoints is not None else None
    view = memoryview(old)  # slices of a common bigram's positions are large: no copies
    pieces, at, shifts = [], 0, []
    for doc, before, after in groups:
        lo, hi = _group_span(old, docs, cps, doc)
        if view[lo:hi] != before:
            raise _out_of_sync(f"positions of doc {doc}")
        pieces += [view[at:lo], after]
        at = hi
        shifts.append((doc, len(after) - len(before)))
    pieces.append(view[at:])
    new = b"".join(pieces)
    if len(new) <= _grams.CHECKPOINT_MIN:
        return new, None
    if cps is None:
        ids = new_docs()
        return new, position_checkpoints(ids, _group_starts(new, len(ids)), len(new), n_docs)
    # Checkpoint j holds the bytes of the groups of docs below j * CHECKPOINT_DOCS.
    targets = np.arange(1, len(cps) + 1, dtype=np.int64) * _grams.CHECKPOINT_DOCS
    for doc, shift in shifts:
        cps[targets > doc] += shift
    return new, cps.astype("<u4").tobytes()


def _group_span(old: bytes, docs: _Posting, cps: np.ndarray | None, doc: int) -> tuple[int, int]:
    """Byte range of `doc`'s group in a bigram's positions (empty, where it would go, if the doc
    has none): walks the groups from the nearest checkpoint before it."""
    rank, present = docs.rank(doc), docs.has(doc)
    bucket = doc // _grams.CHECKPOINT_DOCS
    base, first, end = 0, 0, len(old)
    if cps is not None:
        if bucket > 0:
            base, first = int(cps[bucket - 1]), docs.rank(bucket * _grams.CHECKPOINT_DOCS)
        if bucket < len(cps):
            end = int(cps[bucket])
    values, ends = decode_varints(np.frombuffer(old, dtype=np.uint8, count=end - base, offset=base))
    vals, idx = values.tolist(), 0
    for _ in range(rank - first):
        idx += 1 + vals[idx]
    lo = base + (int(ends[idx - 1]) if idx else 0)
    return lo, (base + int(ends[idx + vals[idx]]) if present else lo)


def _group_starts(payload: bytes, groups: int) -> np.ndarray:
    values, ends = decode_varints(payload)
    vals, idx, starts = values.tolist(), 0, []
    for _ in range(groups):
        starts.append(int(ends[idx - 1]) if idx else 0)
        idx += 1 + vals[idx]
    return np.array(starts, dtype=np.int64)


# --- doc store ------------------------------------------------------------------------------


class _DocStore:
    """Rows of the doc store as it is."""

    def __init__(self, files: _Files, state: IndexState) -> None:
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


def _patch_doc_store(
    files: _Files, state: IndexState, edits: Sequence[_Edit], store: _DocStore, prefix: str
) -> dict:
    """The changed rows, and the chunks around them: chunk ends are content-defined
    (builder.chunk_ends), so they come back to the old ones within a chunk or two."""
    n = len(state.urls)
    rows = {e.doc: doc_row(e.new, prefix) for e in edits}
    sizes = np.frombuffer(state.row_sizes, dtype="<u4").copy()
    for doc, row in rows.items():
        sizes[doc] = len(row)
    starts = list(state.chunk_starts)
    old_ends = set(starts[1:]) | {n}
    first = bisect.bisect_right(starts, edits[0].doc) - 1
    begin, last = starts[first], edits[-1].doc

    def walk() -> Iterator[tuple[int, int]]:
        for i in range(begin, n):
            yield int(sizes[i]), cut_hash(state.urls[i])

    region = [begin]  # new chunk starts up to the first end the old layout has too, past the edits
    for end in chunk_ends(walk(), begin):
        region.append(end)
        if end > last and end in old_ends:
            break
    resync = region.pop()
    rest = bisect.bisect_left(starts, resync)
    for a, b in zip(region, [*region[1:], resync], strict=True):
        files.put(f"d/{a}.json", chunk_bytes(rows[i] if i in rows else store.row(i) for i in range(a, b)))
    for old in set(starts[first:rest]) - set(region):
        files.delete(f"d/{old}.json")
    new_starts = starts[:first] + region + starts[rest:]
    if new_starts != starts:
        files.put(
            "chunks.json", json_bytes([b - a for a, b in zip(new_starts, [*new_starts[1:], n], strict=True)])
        )
    return {"row_sizes": sizes.astype("<u4").tobytes(), "chunk_starts": tuple(new_starts)}


# --- id tables ------------------------------------------------------------------------------


def _patch_ids(
    files: _Files, state: IndexState, edits: Sequence[_Edit], grams: _GramPatch, store: _DocStore
) -> dict:
    n = len(state.urls)
    forms, holders = list(state.forms), list(state.form_holders)
    delta: dict[str, int] = defaultdict(int)
    for e in edits:
        old, new = identifier_forms(e.old.identifiers), identifier_forms(e.new.identifiers)
        for f in old - new:
            delta[f] -= 1
        for f in new - old:
            delta[f] += 1
    appeared, vanished = set(), set()
    for f, d in sorted(delta.items()):
        at = bisect.bisect_left(forms, f)
        known = at < len(forms) and forms[at] == f
        count = (holders[at] if known else 0) + d
        if count < 0:
            raise _out_of_sync(f"identifier {f}")
        if not known and count:
            forms.insert(at, f)
            holders.insert(at, count)
            appeared.add(f)
        elif known and not count:
            del forms[at], holders[at]
            vanished.add(f)
        elif known:
            holders[at] = count
    # entry name → changes (doc, in docs before/after, in titles before/after); whole lists for new forms
    changes: dict[str, list[tuple[int, tuple[bool, bool], tuple[bool, bool]]]] = defaultdict(list)
    whole: dict[str, tuple[list[int], list[int]]] = {}
    old_forms = state.forms
    found = []
    for e in edits:
        old_t, new_t = forms_in(e.old_title, old_forms), forms_in(e.new_title, forms)
        old_d, new_d = old_t | forms_in(e.old_text, old_forms), new_t | forms_in(e.new_text, forms)
        found.append((e.doc, new_d, new_t))
        for f in (old_d | new_d) - appeared - vanished:
            body, title = (f in old_d, f in new_d), (f in old_t, f in new_t)
            if body[0] != body[1] or title[0] != title[1]:
                changes["c" + f].append((e.doc, body, title))
    for f in sorted(appeared):
        docs, titles = _containing(f, grams, store, {e.doc for e in edits})
        for doc, new_d, new_t in found:
            if f in new_d:
                docs.append(doc)
            if f in new_t:
                titles.append(doc)
        whole["c" + f] = (sorted(docs), sorted(titles))
    for e in edits:
        old_keys = {k for i in e.old.identifiers if (k := identifier_key(i))}
        new_keys = {k for i in e.new.identifiers if (k := identifier_key(i))}
        for k in old_keys ^ new_keys:
            changes["k" + k].append((e.doc, (k in old_keys, k in new_keys), (False, False)))
    names = set(changes) | set(whole) | {"c" + f for f in vanished}
    by_shard: dict[int, set[str]] = defaultdict(set)
    for name in names:
        by_shard[id_shard(name[1:] if name[0] == "k" else folded_key(name[1:]), state.id_shards)].add(name)
    keys, without_digit = state.id_keys, state.id_keys_without_digit
    for shard, shard_names in sorted(by_shard.items()):
        rel = f"id/{shard:x}.bin"
        entries = _id_entries(files.need(rel))
        for name in sorted(shard_names):
            if name in whole:
                if name in entries:
                    raise _out_of_sync(f"identifier {name[1:]} is new but has an entry")
                entries[name] = id_entry(name, *whole[name], n)
            elif name[0] == "c" and name[1:] in vanished:
                if entries.pop(name, None) is None:
                    raise _out_of_sync(f"identifier {name[1:]} has no entry")
            else:
                old = entries.get(name)
                docs, titles = _id_postings(old, n)
                docs = _apply(docs, [(doc, *body) for doc, body, _t in changes[name] if body[0] != body[1]])
                titles = _apply(
                    titles, [(doc, *title) for doc, _b, title in changes[name] if title[0] != title[1]]
                )
                if name[0] == "k" and not len(docs):
                    del entries[name]
                    keys -= 1
                    without_digit -= not has_ascii_digit(name[1:])
                else:
                    if name[0] == "k" and old is None:
                        keys += 1
                        without_digit += not has_ascii_digit(name[1:])
                    entries[name] = id_entry(name, docs.tolist(), titles.tolist(), n)
        files.put(rel, id_table_bytes(entries.values()))
    if id_shard_count(keys + len(forms)) != state.id_shards:
        raise CannotPatch("the id table shard count would change")
    return {
        "id_keys": keys,
        "id_keys_without_digit": without_digit,
        "forms": tuple(forms),
        "form_holders": tuple(holders),
    }


def _id_entries(data: bytes) -> dict[str, tuple]:
    entries, at = parse_table(data)
    out = {}
    for name, f in entries:
        out[name] = (name, f, data[at : at + f[2] + f[5]])
        at += f[2] + f[5]
    return out


def _id_postings(entry: tuple | None, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    if entry is None:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    _name, f, payload = entry
    return decode_posting(f[1], payload[: f[2]], n_docs), decode_posting(f[4], payload[f[2] :], n_docs)


def _containing(
    form: str, grams: _GramPatch, store: _DocStore, skip: set[int]
) -> tuple[list[int], list[int]]:
    """The unchanged docs whose folded title or text contains a new identifier form, and those
    whose title does: the docs holding all its bigrams, checked against their text."""
    postings = []
    for key in sorted({form[i : i + 2] for i in range(len(form) - 1)}):
        posting = grams.old_posting(key)
        if posting is None:
            return [], []
        postings.append(posting)
    postings.sort(key=lambda p: p.df)
    candidates = postings[0].ids
    for posting in postings[1:]:
        candidates = posting.among(candidates)
    found = [d for d in candidates.tolist() if d not in skip]
    if len(found) > FORM_CANDIDATES_MAX:
        raise CannotPatch(f"identifier {form} is new and could be in {len(found)} docs")
    docs, titles = [], []
    for doc in found:
        _url, title, _kind, _date, text, _fields = json.loads(store.row(doc))
        folded_title = fold(title)
        if form in folded_title:
            titles.append(doc)
        if form in folded_title or form in fold(text):
            docs.append(doc)
    return docs, titles


# --- facets and sort columns ----------------------------------------------------------------


def _patch_facets(
    files: _Files, meta: dict, edits: Sequence[_Edit], options: tuple, n: int
) -> tuple[list[dict], int]:
    """meta.json's facets and the bytes of all facet files; rewrites the facet files that change
    (all of them if a facet appears or disappears: that renumbers them)."""
    old_keys = [f["key"] for f in meta["facets"]]
    changes: dict[str, list[tuple[int, set[str], set[str]]]] = defaultdict(list)
    for e in edits:
        old, new = facet_values(e.old), facet_values(e.new)
        for key in old.keys() | new.keys():
            if old.get(key, set()) != new.get(key, set()):
                changes[key].append((e.doc, old.get(key, set()), new.get(key, set())))
    if not changes:
        return meta["facets"], sum(files.size(f["file"]) for f in meta["facets"])
    members = {
        key: _facet_members(files.need(f"f/{j}.bin"), n) for j, key in enumerate(old_keys) if key in changes
    }
    for key, key_changes in changes.items():
        vals = members.setdefault(key, {})
        for doc, before, after in key_changes:
            for v in before - after:
                ids = vals.get(v, [])
                at = bisect.bisect_left(ids, doc)
                if at == len(ids) or ids[at] != doc:
                    raise _out_of_sync(f"facet {key}={v}")
                del ids[at]
                if not ids:
                    del vals[v]
            for v in after - before:
                bisect.insort(vals.setdefault(v, []), doc)
    keys = facet_keys((set(old_keys) | changes.keys()) - {k for k in changes if not members[k]})
    renumbered = keys != old_keys
    out, total = [], 0
    for j, key in enumerate(keys):
        rel = f"f/{j}.bin"
        if key in changes or renumbered:
            if key not in members:
                members[key] = _facet_members(files.need(f"f/{old_keys.index(key)}.bin"), n)
            data = facet_file(members[key], n)
            files.put(rel, data)
            total += len(data)
            out.append(facet_meta(key, j, {v: len(ids) for v, ids in members[key].items()}, options))
        else:
            total += files.size(rel)
            out.append(meta["facets"][j])
    for j in range(len(keys), len(old_keys)):
        files.delete(f"f/{j}.bin")
    return out, total


def _facet_members(data: bytes, n: int) -> dict[str, list[int]]:
    entries, at = parse_table(data)
    out = {}
    for value, (_count, enc, length) in entries:
        out[value] = decode_posting(enc, data[at : at + length], n).tolist()
        at += length
    return out


def _patch_sorts(
    files: _Files, state: IndexState, meta: dict, edits: Sequence[_Edit]
) -> tuple[dict, list[dict]]:
    values = dict(state.sort_values)
    holders = dict(state.sort_holders)
    n, changed = len(state.urls), False
    for e in edits:
        old, new = e.old.sort_keys, e.new.sort_keys
        for key in old.keys() | new.keys():
            if (key in old) == (key in new) and old.get(key) == new.get(key):
                continue
            column = values.get(key, (None,) * n)
            if column[e.doc] != old.get(key):
                raise _out_of_sync(f"sort key {key}")
            holders[key] = holders.get(key, 0) + (key in new) - (key in old)
            values[key] = (*column[: e.doc], new.get(key), *column[e.doc + 1 :])
            changed = True
    if not changed:
        return {}, meta["sorts"]
    for key in [k for k, count in holders.items() if not count]:
        del holders[key], values[key]
    sorts = []
    for rel, data, column_meta in sort_files(values):
        files.put(rel, data)
        sorts.append(column_meta)
    for j in range(len(values), len(meta["sorts"])):
        files.delete(f"s/{j}.bin")
    return {"sort_values": values, "sort_holders": holders}, sorts
