"""Patch a built index in place after some docs changed, came or went: the result is byte for
byte what a full build of the new set of docs writes, in a fraction of the time (at 100k docs,
where a full build takes half a minute: an edit or a new doc dated after all others in well
under a second, a new doc a week older than the newest in about a second and a half).

    stats, state = build_index_with_state(docs, out_dir, **options)   # keep `state` in a cache
    ...
    result = patch_index(out_dir, state, [(old_doc, new_doc), ...],
                         added=[doc, ...], removed=[old_doc, ...], **options)
    state = result.state                                              # for the next patch

* `changes`: (old, new) versions of a doc that stays.  If its date (or url) changes, it moves: it
  is removed from its place and added at its new one.
* `added`: docs that are not in the index; `removed`: the versions the index holds of docs that
  leave it (checked against the doc store, like the old side of a change).

Doc ids follow date, oldest first (builder._order), so a new recent doc, or a withdrawn one,
shifts the ids of the few docs after it (patch_plan.py); the ids before the first change stay,
and so do the bytes of every posting that holds them.  What a change touches is found from the
changed docs, and from the docs whose ids shift (their text from the doc store, their identifier
keys from the state): the grams whose postings, title postings or positions differ, the
identifier entries, the facet values, the sort columns and the doc-store chunks after the first
change; only the files holding those are rewritten, after everything global (meta.json's counts
and `common` list, fold.json, chunks.json, the numbering of files within a shard) has been
recomputed from the state.  Where the exact result would need more than that (the ids of more
than patch_plan.MOVED_MAX docs shift: an undated doc, or a doc older than the newest few
thousand, comes or goes; the shard count changes; a new identifier appears in too many docs; the
state is not this directory's), the patcher raises CannotPatch before writing anything, and the
caller builds the index afresh.

Every file is replaced atomically (a temporary file in its directory, then os.replace), so a site
that is served meanwhile never sees a torn file; meta.json goes first (patch_plan.Files).
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .builder import (
    BLANK_FILE,
    SearchDoc,
    build_options,
    chunk_bytes,
    chunk_ends,
    content_version,
    cut_hash,
    doc_digest,
    doc_row,
    facet_file,
    facet_keys,
    facet_meta,
    facet_values,
    json_bytes,
    meta_bytes,
    placeholder_ids,
    sort_files,
)
from .encode import decode_posting, parse_table
from .fold import client_fold_table, fold
from .grams import MAX_DOCS, gram_docs
from .patch_grams import GramPatch
from .patch_ids import moving_names, patch_ids
from .patch_plan import CannotPatch, Change, DocRows, Files, Plan, out_of_sync, plan, remap
from .state import STATE_VERSION, IndexState

__all__ = ["CannotPatch", "PatchResult", "patch_index"]


@dataclass(frozen=True)
class PatchResult:
    state: IndexState  # for the next patch (equal to what a full build would return)
    written: frozenset[str]  # paths relative to out_dir
    deleted: frozenset[str]
    seconds: float


def patch_index(
    out_dir: Path,
    state: IndexState,
    changes: Sequence[tuple[SearchDoc, SearchDoc]] = (),
    *,
    added: Iterable[SearchDoc] = (),
    removed: Iterable[SearchDoc] = (),
    base_url_prefix: str = "",
    facet_labels: Mapping[str, str] | None = None,
    kind_labels: Mapping[str, str] | None = None,
    facet_orders: Mapping[str, Sequence[str]] | None = None,
) -> PatchResult:
    """Apply `changes` ((old, new) versions of docs that stay), `added` and `removed` (every other
    doc is unchanged) to the index that `state` describes in `out_dir`.  Raises CannotPatch,
    having written nothing, when the result could not be exactly what build_index would write —
    also when a file of the index cannot be read as the state says it is (cut short, altered by
    hand): the caller then builds the index afresh, which repairs it."""
    started = time.perf_counter()
    files = Files(Path(out_dir))
    options = build_options(base_url_prefix, facet_labels, kind_labels, facet_orders)
    try:
        new_state = _patched_state(files, state, changes, added, removed, options, base_url_prefix)
    except CannotPatch:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a damaged file makes the decoders raise
        raise CannotPatch(f"a file of the index is not as the state describes it ({type(exc).__name__}: {exc})") from exc
    if new_state is None:
        return PatchResult(state, frozenset(), frozenset(), round(time.perf_counter() - started, 3))
    written, deleted = files.commit()
    return PatchResult(new_state, written, deleted, round(time.perf_counter() - started, 3))


def _patched_state(
    files: Files,
    state: IndexState,
    changes: Sequence[tuple[SearchDoc, SearchDoc]],
    added: Iterable[SearchDoc],
    removed: Iterable[SearchDoc],
    options: tuple,
    base_url_prefix: str,
) -> IndexState | None:
    """The state after the patch, its files planned in `files` (nothing written yet); None when
    nothing changes."""
    meta = _check(files, state, options)
    p = plan(state, changes, added, removed)
    if not p.changes:
        return None
    store = DocRows(files, state)
    for c in p.changes:  # first, so that old docs that are not the index's are told as such
        if c.old is not None and store.row(c.old_id) != doc_row(c.old, base_url_prefix):
            raise out_of_sync(f"{c.old.url}: its row in the doc store differs")
    movers = _movers(p, store)
    ids_of = np.array([doc for doc, _t, _x in movers], dtype=np.int64)
    moving = {key: ids_of[at] for key, at in gram_docs([t + "\n" + x for _d, t, x in movers]).items()}
    moving_titles = {key: ids_of[at] for key, at in gram_docs([t for _d, t, _x in movers]).items()}
    grams = GramPatch(files, state, meta, p, moving, moving_titles)
    ids = patch_ids(files, state, p, grams, store, moving_names(state, movers) if p.moves else set())
    facets, facet_bytes = _patch_facets(files, meta, p, options)
    sort_state, sorts = _patch_sorts(files, state, meta, p)
    doc_state = _patch_doc_store(files, state, p, store, base_url_prefix)
    if grams.present != set(state.present):
        files.put("fold.json", json_bytes(client_fold_table(grams.present)))
    version = int(meta["version"], 16)
    for c in p.changes:
        if c.new is not None:
            version += doc_digest(c.new, doc_row(c.new, base_url_prefix))
        if c.old is not None:
            version -= doc_digest(c.old, doc_row(c.old, base_url_prefix))
    blank = placeholder_ids(p.urls)
    new_meta = meta_bytes(
        version=content_version(version),
        docs=p.n_new,
        dated=sum(n for _date, n in p.date_counts),
        shards=state.shards,
        common=grams.common,
        id_shards=state.id_shards,
        id_digits=ids["id_keys_without_digit"] == 0,
        options=options,
        facets=facets,
        facet_bytes=facet_bytes,
        sorts=sorts,
        blank=len(blank),
    )
    files.put(BLANK_FILE, json_bytes(blank))
    files.put("meta.json", new_meta)
    return dataclasses.replace(
        state,
        meta_digest=hashlib.sha256(new_meta).digest(),
        urls=p.urls,
        date_counts=p.date_counts,
        checkpoint_docs=tuple(grams.new_at_docs.tolist()),
        **grams.state_fields(),
        **ids,
        **sort_state,
        **doc_state,
    )


def _check(files: Files, state: IndexState, options: tuple) -> dict:
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


def _movers(p: Plan, store: DocRows) -> list[tuple[int, str, str]]:
    """The kept docs whose ids shift: (old id, folded title, folded text) as the index holds them."""
    changed = {c.old_id: c for c in p.changes if c.old is not None}
    out = []
    for doc in range(p.first, p.moved_end):
        c = changed.get(doc)
        if c is None:
            _url, title, _kind, _date, text, _fields = json.loads(store.row(doc))
            out.append((doc, fold(title), fold(text)))
        elif c.new is not None:  # an edited doc moves with the grams it had
            out.append((doc, c.old_title, c.old_text))
    return out


# --- doc store ------------------------------------------------------------------------------


def _patch_doc_store(files: Files, state: IndexState, p: Plan, store: DocRows, prefix: str) -> dict:
    """The changed rows, and the chunks around them: chunk ends are content-defined
    (builder.chunk_ends), so they come back to the old ones within a chunk or two past a change;
    the chunks from there to the next change hold the same rows as before, under their first
    doc's new id (the same id between changes that leave the ids as they were: a placeholder for
    a withdrawn doc, an edit), and are not read at all."""
    n = p.n_new
    rows = {c.new_id: doc_row(c.new, prefix) for c in p.changes if c.new is not None}
    sizes = np.frombuffer(state.row_sizes, dtype="<u4")
    if p.moves:
        added = [len(rows[c.new_id]) for c in p.added]
        sizes = np.insert(np.delete(sizes, p.removed), p.inserted - np.searchsorted(p.removed, p.inserted), added)
    sizes = sizes.astype("<u4")  # a copy
    source = _sources(p)
    for doc, row in rows.items():
        sizes[doc] = len(row)
    starts = list(state.chunk_starts)
    # Every old chunk start (and the index's end) → where it falls in the new ids: after the docs
    # before it that stay and the docs added before it (not those added just before its doc,
    # which start its chunk).
    bounds = np.array([*starts, p.n_old], dtype=np.int64)
    at_new = (bounds - np.searchsorted(p.removed, bounds) + np.searchsorted(p.inserted, bounds)).tolist()
    at_new[-1] = n  # the index's end: after the docs added at the end too
    boundary_at = {pos: k for k, pos in enumerate(at_new)}  # the last of equal ones: chunks all gone
    # The old chunks each change falls in (an addition: the chunk of the doc it goes before).
    touched = sorted({bisect.bisect_right(starts, c.at if c.old is None else c.old_id) - 1 for c in p.changes})
    new_starts = starts[: touched[0]]
    walked: list[tuple[int, int]] = []  # new chunks made afresh: (first new id, end)
    k, pending = touched[0], 0  # the old chunk to walk from; the first of `touched` not walked past
    while k < len(starts):
        pending = bisect.bisect_left(touched, k, pending)
        if pending == len(touched) or touched[pending] > k:  # chunks up to the next change: as they were
            stop = touched[pending] if pending < len(touched) else len(starts)
            shift = at_new[k] - starts[k]
            for old in starts[k:stop]:
                if shift:
                    files.put(f"d/{old + shift}.json", files.need(f"d/{old}.json"))
                new_starts.append(old + shift)
            k = stop
            continue
        # Walk from this chunk's start until a new end falls on an old boundary (there the old
        # chunks take over again, up to the next change); the index's end is one.
        begin, k = at_new[k], len(starts)
        for end in chunk_ends(((int(sizes[i]), cut_hash(p.urls[i])) for i in range(begin, n)), begin):
            walked.append((begin, end))
            new_starts.append(begin)
            begin = end
            if end in boundary_at:
                k = boundary_at[end]
                break
    for a, b in walked:
        files.put(f"d/{a}.json", chunk_bytes(rows[i] if i in rows else store.row(source(i)) for i in range(a, b)))
    for old in set(starts) - set(new_starts):
        files.delete(f"d/{old}.json")
    files.put("chunks.json", json_bytes([b - a for a, b in zip(new_starts, [*new_starts[1:], n], strict=True)]))
    return {"row_sizes": sizes.tobytes(), "chunk_starts": tuple(new_starts)}


def _sources(p: Plan):  # noqa: ANN202 - a closure
    """new id → old id of a kept doc."""
    if not p.moves:
        return lambda doc: doc
    kept = np.delete(np.arange(p.first, p.n_old), p.removed - p.first)
    moved = dict(zip(p.new_ids(kept).tolist(), kept.tolist(), strict=True))
    return lambda doc: doc if doc < p.first else moved[doc]


# --- facets and sort columns ----------------------------------------------------------------


def _patch_facets(files: Files, meta: dict, p: Plan, options: tuple) -> tuple[list[dict], int]:
    """meta.json's facets and the bytes of all facet files; rewrites the facet files that change
    (all of them if a facet appears or disappears, which renumbers them, or if doc ids shift)."""
    old_keys = [f["key"] for f in meta["facets"]]
    changes: dict[str, list[tuple[Change, set[str], set[str]]]] = defaultdict(list)
    for c in p.changes:
        old = facet_values(c.old) if c.old is not None else {}
        new = facet_values(c.new) if c.new is not None else {}
        for key in old.keys() | new.keys():
            if old.get(key, set()) != new.get(key, set()):
                changes[key].append((c, old.get(key, set()), new.get(key, set())))
    if not changes and not p.moves:
        return meta["facets"], sum(files.size(f["file"]) for f in meta["facets"])
    redo = set(old_keys) | changes.keys() if p.moves else changes.keys()
    members = {key: _facet_members(files.need(f"f/{j}.bin")) for j, key in enumerate(old_keys) if key in redo}
    for key in redo:
        vals = members.setdefault(key, {})
        key_changes = changes.get(key, [])
        for v in set(vals) | {v for _c, before, after in key_changes for v in before | after}:
            ops = [(c, v in before, v in after) for c, before, after in key_changes if (v in before) != (v in after)]
            ids = remap(vals.get(v, np.zeros(0, dtype=np.int64)), ops, p)
            if len(ids):
                vals[v] = ids
            else:
                vals.pop(v, None)
    keys = facet_keys((set(old_keys) | changes.keys()) - {k for k in redo if not members[k]})
    renumbered = keys != old_keys
    out, total = [], 0
    for j, key in enumerate(keys):
        rel = f"f/{j}.bin"
        if key in redo or renumbered:
            if key not in members:
                members[key] = _facet_members(files.need(f"f/{old_keys.index(key)}.bin"))
            data = facet_file(members[key])
            files.put(rel, data)
            total += len(data)
            out.append(facet_meta(key, j, {v: len(ids) for v, ids in members[key].items()}, options))
        else:
            total += files.size(rel)
            out.append(meta["facets"][j])
    for j in range(len(keys), len(old_keys)):
        files.delete(f"f/{j}.bin")
    return out, total


def _facet_members(data: bytes) -> dict[str, np.ndarray]:
    entries, at = parse_table(data)
    out = {}
    for value, (_count, enc, length) in entries:
        out[value] = decode_posting(enc, data[at : at + length], MAX_DOCS)
        at += length
    return out


def _patch_sorts(files: Files, state: IndexState, meta: dict, p: Plan) -> tuple[dict, list[dict]]:
    values = dict(state.sort_values)
    holders = dict(state.sort_holders)
    keys = set(values)
    for c in p.changes:
        keys |= set(c.old.sort_keys if c.old is not None else ()) | set(c.new.sort_keys if c.new is not None else ())
    changed = p.moves
    for key in sorted(keys):
        column = values.get(key, (None,) * p.n_old)
        for c in p.changes:
            if c.old is not None and column[c.old_id] != c.old.sort_keys.get(key):
                raise out_of_sync(f"sort key {key}")
        column = p.merge(column, [c.new.sort_keys.get(key) for c in p.added])
        for c in p.changes:
            old = c.old.sort_keys if c.old is not None else {}
            new = c.new.sort_keys if c.new is not None else {}
            holders[key] = holders.get(key, 0) + (key in new) - (key in old)
            if c.new is not None and c.old is not None:
                changed |= (key in old) != (key in new) or old.get(key) != new.get(key)
                column[c.new_id] = new.get(key)
        values[key] = tuple(column)
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
