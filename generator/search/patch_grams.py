"""The gram tables of a patch (patch.py): the postings, title postings and positions of every
gram that a changed doc has or had, or that a doc whose id shifts has, laid out again in the
shards holding them with builder.shard_files."""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import grams as _grams
from .builder import (
    GramEntry,
    common_listed,
    gram_inline_bytes,
    gram_shard,
    gram_shard_count,
    is_big,
    own_positions_file,
    own_postings_file,
    shard_files,
)
from .encode import decode_posting, decode_varints, parse_table
from .grams import doc_grams, position_checkpoints, position_group
from .patch_plan import CannotPatch, Change, Files, OldPosting, Plan, before_old_doc, out_of_sync, repost
from .state import IndexState


class Shard:
    """One g/<shard>.bin as it is: entries, where their inline postings and positions are."""

    def __init__(self, files: Files, shard: int) -> None:
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

    def posting(self, i: int) -> OldPosting:
        f = self.fields[i]
        return OldPosting(f[2] & 3, self.payload(i)[: f[3]], f[0])


@dataclass
class Gram:
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
class GramEdit:
    change: Change
    body: tuple[bool, bool]  # in the doc's corpus string: before, after
    title: tuple[bool, bool]
    group: tuple[bytes, bytes]  # the doc's position group in a bigram: before, after (b"": none)


def gram_edits(changes: Sequence[Change]) -> dict[str, list[GramEdit]]:
    """Per gram, the changed docs whose postings, title postings or positions of it differ (a
    removed doc had all its grams, an added one has all of its own); in the order of the changes."""
    touched: dict[str, list[GramEdit]] = defaultdict(list)
    for c in changes:
        old_uni, old_bi = doc_grams(c.old_title + "\n" + c.old_text) if c.old else (set(), {})
        new_uni, new_bi = doc_grams(c.new_title + "\n" + c.new_text) if c.new else (set(), {})
        old_t_uni, old_t_bi = doc_grams(c.old_title)
        new_t_uni, new_t_bi = doc_grams(c.new_title)
        for g in old_uni | new_uni:
            body, title = (g in old_uni, g in new_uni), (g in old_t_uni, g in new_t_uni)
            if body[0] != body[1] or title[0] != title[1]:
                touched[g].append(GramEdit(c, body, title, (b"", b"")))
        for g in old_bi.keys() | new_bi.keys():
            before, after = old_bi.get(g), new_bi.get(g)
            title = (g in old_t_bi, g in new_t_bi)
            if before != after or title[0] != title[1]:
                group = (position_group(before) if before else b"", position_group(after) if after else b"")
                touched[g].append(GramEdit(c, (bool(before), bool(after)), title, group))
    return touched


class GramPatch:
    """The gram tables after the patch: computes every touched gram (`moving`: the grams of the
    docs whose ids shift, besides those of the changed docs, with the old ids of those docs that
    hold each; `moving_titles` the same for their titles), then lays out every shard holding
    one (or a gram that enters or leaves meta.json's `common` list)."""

    def __init__(
        self,
        files: Files,
        state: IndexState,
        meta: dict,
        p: Plan,
        moving: Mapping[str, np.ndarray],
        moving_titles: Mapping[str, np.ndarray],
    ) -> None:
        self.files, self.state, self.plan = files, state, p
        self._shards: dict[int, Shard] = {}
        self.common = dict(meta["common"])
        self.candidates = dict(state.candidates)
        self.checkpoints = dict(state.checkpoints)
        self.present = set(state.present)
        self.grams, self.inline = state.grams, state.inline
        self.at_docs = state.checkpoint_docs
        self.new_at_docs = _new_checkpoint_docs(state, p)
        self.checkpoints_move = len(p.checkpoints) != len(self.at_docs) or any(c for _j, c in p.checkpoints)
        self.moving, self.moving_titles = moving, moving_titles
        # Which of the docs from p.first on hold a gram is known only where they all shift (else the
        # docs past the moved ones hold it too, unmoved): then only a posting's last gaps are read.
        self.movers_to_end = p.movers_to_end
        edits = gram_edits(p.changes)
        touched = {key: self._patched(key, edits.get(key, [])) for key in sorted(edits.keys() | moving)}
        if self.checkpoints_move:
            # A new checkpoint doc among movers that stop short of the end (a placeholder for a
            # withdrawn doc): a gram none of whose docs moves may hold docs after it, whose group
            # is its checkpoint — found the general way.  Else (_still) it holds none after it.
            among_movers = not self.movers_to_end and any(c is not None for _j, c in p.checkpoints)
            for key in sorted(self.checkpoints.keys() - touched.keys()):
                if among_movers:
                    touched[key] = self._patched(key, [])
                else:
                    self.checkpoints[key] = self._still(key)
        self._lay_out(touched)

    def shard(self, shard: int) -> Shard:
        if shard not in self._shards:
            self._shards[shard] = Shard(self.files, shard)
        return self._shards[shard]

    def locate(self, key: str) -> tuple[Shard, int | None]:
        sh = self.shard(gram_shard(key, self.state.shards))
        return sh, sh.index.get(key)

    def old_posting(self, key: str) -> OldPosting | None:
        """The docs of a gram before the patch (None if no doc had it)."""
        sh, i = self.locate(key)
        return None if i is None else sh.posting(i)

    def _patched(self, key: str, edits: list[GramEdit]) -> Gram:
        sh, i = self.locate(key)
        f, payload = ((0, 0, 0, 0, 0, 0), b"") if i is None else (sh.fields[i], sh.payload(i))
        enc, t_enc = f[2] & 3, (f[2] >> 2) & 3
        d_part, t_part = payload[: f[3]], payload[f[3] : f[3] + f[4]]
        docs = OldPosting(enc, d_part, f[0])
        df, tf = f[0], f[1]
        body = [(e.change, *e.body) for e in edits if e.body[0] != e.body[1]]
        nobody = np.zeros(0, dtype=np.int64)
        to_end = self.movers_to_end
        if body or self.plan.moves:
            enc, d_part, df = repost(enc, d_part, body, self.plan, self.moving.get(key, nobody) if to_end else None)
        title = [(e.change, *e.title) for e in edits if e.title[0] != e.title[1]]
        if title or (self.plan.moves and t_part):
            moving_titles = self.moving_titles.get(key, nobody) if to_end else None
            t_enc, t_part, tf = repost(t_enc, t_part, title, self.plan, moving_titles)
        if tf and not df:
            raise out_of_sync(f"gram {key!r} in titles only")
        groups = sorted((e for e in edits if e.group[0] != e.group[1]), key=lambda e: e.change.rank)
        old_cps = self.checkpoints.get(key)
        positions, p_len = None, f[5]
        if groups or (old_cps is not None and self.checkpoints_move):

            def old_positions() -> bytes:
                return sh.positions(i) if i is not None else b""

            cps = None if old_cps is None else np.frombuffer(old_cps, dtype="<u4").astype(np.int64)
            marks: list[tuple[tuple[int, int, int], int]] = []
            if groups:
                positions, marks = self._splice(old_positions(), docs, cps, groups)
                p_len = len(positions)
            new = (enc, d_part)
            new_cps = self._new_checkpoints(docs, cps, marks, old_positions, positions, p_len, new)
            if new_cps is None:
                self.checkpoints.pop(key, None)
            else:
                self.checkpoints[key] = new_cps
        return Gram(key, df, tf, enc, t_enc, len(d_part), len(t_part), p_len, d_part + t_part, positions)

    def _splice(
        self, old: bytes, docs: OldPosting, cps: np.ndarray | None, groups: Sequence[GramEdit]
    ) -> tuple[bytes, list[tuple[tuple[int, int, int], int]]]:
        """A bigram's positions with the groups of the changed docs replaced, put in or taken out;
        and per change: (its rank, how many bytes it adds)."""
        view = memoryview(old)  # slices of a common bigram's positions are large: no copies
        pieces, at, marks = [], 0, []
        for e in groups:
            c = e.change
            lo, hi = group_span(old, docs, cps, self.at_docs, c.at)
            if c.old is None:
                hi = lo  # an addition goes in just before the group of old doc `at`, if it has one
            before, after = e.group
            if view[lo:hi] != before:
                raise out_of_sync(f"positions of doc {c.at}")
            pieces += [view[at:lo], after]
            at = hi
            marks.append((c.rank, len(after) - len(before)))
        pieces.append(view[at:])
        return b"".join(pieces), marks

    def _new_checkpoints(
        self,
        docs: OldPosting,
        cps: np.ndarray | None,
        marks: Sequence[tuple[tuple[int, int, int], int]],
        old_positions: Callable[[], bytes],
        positions: bytes | None,
        p_len: int,
        new: tuple[int, bytes],
    ) -> bytes | None:
        """grams.position_checkpoints of the patched positions (`new`: the patched doc posting):
        a checkpoint doc's group moves by the bytes of the changes before it; a new checkpoint
        doc's is where the groups after its place start."""
        if p_len <= _grams.CHECKPOINT_MIN:
            return None
        if cps is None:  # newly big enough: from scratch (its positions were small)
            ids = decode_posting(*new, _grams.MAX_DOCS)
            data = positions if positions is not None else old_positions()
            return position_checkpoints(ids, group_starts(data, len(ids)), p_len, self.new_at_docs)
        ranks = [m[0] for m in marks]
        added = [0, *itertools.accumulate(m[1] for m in marks)]
        out = []
        for j, change in self.plan.checkpoints:
            if change is None:
                out.append(int(cps[j]) + added[bisect.bisect_left(ranks, before_old_doc(self.at_docs[j]))])
            else:
                lo = _first_group_at(old_positions, docs, cps, self.at_docs, change.at)
                out.append(lo + added[bisect.bisect_left(ranks, change.rank)])
        out.append(p_len)
        return np.array(out, dtype="<u4").tobytes()

    def _still(self, key: str) -> bytes:
        """The checkpoints of a gram the patch does not touch, after checkpoint docs came or went
        and every doc past the first change moved: none of its docs is past it, so a new
        checkpoint doc's group is at its end."""
        cps = np.frombuffer(self.checkpoints[key], dtype="<u4")
        p_len = int(cps[-1])
        out = [int(cps[j]) if change is None else p_len for j, change in self.plan.checkpoints]
        return np.array([*out, p_len], dtype="<u4").tobytes()

    def _lay_out(self, touched: dict[str, Gram]) -> None:
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
            self.inline += gram_inline_bytes(new_size, new_p_len, key in listed) - gram_inline_bytes(
                size, p_len, key in old_listed
            )
        if gram_shard_count(self.inline) != self.state.shards:
            raise CannotPatch("the gram shard count would change")
        by_shard: dict[int, list[str]] = defaultdict(list)
        for key in sizes:
            by_shard[gram_shard(key, self.state.shards)].append(key)
        for shard, shard_keys in sorted(by_shard.items()):
            self._write_shard(self.shard(shard), shard_keys, touched, listed)

    def _write_shard(self, sh: Shard, shard_keys: list[str], touched: dict[str, Gram], listed: set[str]) -> None:
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


def _new_checkpoint_docs(state: IndexState, p: Plan) -> np.ndarray:
    old = np.array(state.checkpoint_docs, dtype=np.int64)
    ids = [int(p.new_ids(old[j : j + 1])[0]) if c is None else c.new_id for j, c in p.checkpoints]
    return np.array(ids, dtype=np.int64)


def _first_group_at(
    old_positions: Callable[[], bytes], docs: OldPosting, cps: np.ndarray, at_docs: Sequence[int], doc: int
) -> int:
    """The old offset of the first group of a doc at or after `doc` (the end if there is none)."""
    if docs.rank(doc) == docs.df:
        return int(cps[-1])
    return group_span(old_positions(), docs, cps, at_docs, doc)[0]


def group_span(
    old: bytes, docs: OldPosting, cps: np.ndarray | None, at_docs: Sequence[int], doc: int
) -> tuple[int, int]:
    """Byte range of `doc`'s group in a bigram's positions (empty, where it would go, if the doc
    has none): walks the groups from the checkpoint doc before it."""
    rank, present = docs.rank(doc), docs.has(doc)
    base, first, end = 0, 0, len(old)
    if cps is not None:
        j = bisect.bisect_right(at_docs, doc) - 1
        if j >= 0:
            base, first = int(cps[j]), docs.rank(at_docs[j])
        end = int(cps[j + 1])
    values, ends = decode_varints(np.frombuffer(old, dtype=np.uint8, count=end - base, offset=base))
    vals, idx = values.tolist(), 0
    for _ in range(rank - first):
        idx += 1 + vals[idx]
    lo = base + (int(ends[idx - 1]) if idx else 0)
    return lo, (base + int(ends[idx + vals[idx]]) if present else lo)


def group_starts(payload: bytes, groups: int) -> np.ndarray:
    values, ends = decode_varints(payload)
    vals, idx, starts = values.tolist(), 0, []
    for _ in range(groups):
        starts.append(int(ends[idx - 1]) if idx else 0)
        idx += 1 + vals[idx]
    return np.array(starts, dtype=np.int64)
