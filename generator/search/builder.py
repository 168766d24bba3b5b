"""Write the static search index for a set of SearchDocs (layout in the package docstring).

Every layout decision — which gram gets files of its own, meta.json's `common` list, the shard of
a gram or identifier, the bytes of each table, the doc-store chunks, meta.json itself — is a
function here that patch.py calls too, so that a patched index is byte for byte a full build's."""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
import time
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np

from . import grams as _grams
from . import stand_ins
from .encode import best_posting, fnv1a, table_bytes
from .fold import client_fold_table, fold, folded_key, identifier_key
from .grams import (
    MAX_DOCS,
    Corpus,
    Posting,
    bigram_doc_postings,
    bigram_postings,
    checkpoint_docs,
    unigram_postings,
)
from .identifiers import IdentifierScan, has_ascii_digit, identifier_forms
from .order import ordered as ordered_values
from .state import STATE_VERSION, IndexState

FORMAT = "gongkai-search/1"
# Facet counts need every value's postings; above this many bytes of facet files the /search/
# page shows the overall counts only (a new query would otherwise pay for them).
FACET_COUNT_BYTES = 120_000
# A gram whose postings exceed this many bytes gets a file of its own, so that looking up a rare
# gram never drags a common gram's postings along with it.
EXTERNAL_MIN = 1536
SHARD_TARGET = 6000  # bytes of inline payload per shard file, on average
# Doc-store chunks have content-defined ends, so that a patched doc moves only the ends near it:
# once a chunk holds CHUNK_MIN bytes it ends after a doc whose url hash hits, with a probability of
# (the doc's bytes / CHUNK_GAP), so that every byte is as likely to end a chunk whatever the kind
# of record (an enterprise row is a tenth of an accident's); or once it holds CHUNK_MAX bytes.
# A minimum small next to the gap lets the ends after an edit fall back on the old ones at once
# (at 100k docs, a doc grown by 3 KB rewrites 1.4 chunks on average, 4 at most in 300 trials;
# with a minimum of 20 KB and a gap of 6 KB, up to 21).  The chunk a hit is read from holds about
# 25 KB on average, as with the former fixed 24 KB target (chunks themselves average 19 KB).
# Each is named after its first doc id, so a chunk that appears or disappears renames no other.
CHUNK_MIN = 8000
CHUNK_GAP = 12000
CHUNK_MAX = 64000
# Exact phrase checks download bigram positions; above this many raw bytes per query the client
# shows a first page from candidates checked against their text, with an estimated total ("约";
# measured in BENCHMARKS.md).
POSITION_BUDGET = 400_000  # raw; positions gzip to about 0.4 of that
# Once that first page shows, the /search/ page downloads the positions after all, up to this many
# raw bytes, to turn the estimate into the exact total (at 100k: 安全生产 1.45 MB raw).
EXACT_BUDGET = 3_000_000
# The most frequent grams whose postings or positions are too big to share a shard file are listed
# in meta.json (fields and file name), this many at most, and both their postings and positions get
# files of their own: the client fetches them at once, without first fetching their shard's table —
# a common phrase is answered a round of downloads sooner.
COMMON_LISTED = 2048

DEFAULT_KIND_LABELS = {
    "penalty": "行政处罚",
    "accident": "事故调查",
    "power-item": "权责清单",
    "enterprise": "单位",
    "page": "页面",
}
DEFAULT_FACET_LABELS = {
    "kind": "类型",
    "year": "年份",
    "category": "处罚类别",
    "level": "事故等级",
    "industry": "所属行业",
    "authority": "机关",
    "party": "相对人类别",
}


@dataclass(frozen=True)
class SearchDoc:
    url: str  # site-relative, e.g. "penalties/xxx/"; resolved against data-site-root in the browser
    title: str
    kind: str  # penalty | accident | power-item | page; "" for a placeholder only
    date: str = ""  # ISO date or ""
    text: str = ""  # visible text, plain (no HTML)
    identifiers: tuple[str, ...] = ()  # 文书号, 统一社会信用代码 … exact matches rank first
    facets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sort_keys: Mapping[str, float | str] = field(default_factory=dict)
    fields: Mapping[str, str] = field(default_factory=dict)  # short display strings for listings


# Read only by a query without words (every doc, less these), so not in meta.json, which every
# query reads: a thousand placeholders would add 5 KB to it.
BLANK_FILE = "blank.json"


def placeholders(dates: Iterable[str] = (), standing_for: Iterable[tuple[str, str]] = ()) -> list[SearchDoc]:
    """Empty docs standing in for docs that went (stand_ins): one per (url, date) of
    `standing_for`, in that doc's very slot; and one anonymous one per date of `dates` (a date
    given twice: two), numbered within its date, so that one more on a day leaves the day's
    others as they were."""
    counts = Counter(dates)
    anonymous = [
        SearchDoc(url=stand_ins.anonymous_url(date, n), title="", kind="", date=date)
        for date in sorted(counts)
        for n in range(counts[date])
    ]
    named = [SearchDoc(url=stand_ins.stand_in_url(url), title="", kind="", date=date) for url, date in sorted(standing_for)]
    return anonymous + named


def placeholder_ids(urls: Iterable[str]) -> list[int]:
    """The ids of the placeholders among docs in id order (BLANK_FILE's list)."""
    return [i for i, url in enumerate(urls) if stand_ins.is_placeholder(url)]


@dataclass(frozen=True)
class IndexStats:
    docs: int
    grams: int
    gram_shards: int
    files: int
    bytes: int
    seconds: float


def _order(docs: list[SearchDoc]) -> list[SearchDoc]:
    """Doc ids follow date, oldest first, so that id order *is* date order, and a new decision (or
    a withdrawn recent one) moves only the few docs after it: patch.py shifts their ids.  Docs of
    one date go by url descending (a placeholder by the url it stands for, so that it takes that
    doc's slot: stand_ins), so that newest first — id order reversed, what a visitor sees — lists
    them by url.  Undated docs (the power list, narrative pages: they seldom come or go) come
    first, by url: there no dated doc ever moves them, and the visitor sees them after the dated
    ones either way (search.js)."""
    urls = [d.url for d in docs]
    if len(set(urls)) != len(urls):
        dup = sorted({u for u in urls if urls.count(u) > 1})[:3]
        raise ValueError(f"duplicate search doc urls: {dup}")
    dated = sorted((d for d in docs if d.date), key=lambda d: stand_ins.dated_order(d.url), reverse=True)
    dated.sort(key=lambda d: d.date)
    return sorted((d for d in docs if not d.date), key=lambda d: d.url) + dated


def date_counts(docs: Sequence[SearchDoc]) -> tuple[tuple[str, int], ...]:
    """(date, how many docs have it) for the dated docs, in id order: where a new doc goes."""
    counts = Counter(d.date for d in docs if d.date)
    return tuple(sorted(counts.items()))


def doc_keys(doc: SearchDoc) -> tuple[str, ...]:
    """The identifier keys of a doc ("k" entries of the id tables), sorted."""
    return tuple(sorted({k for ident in doc.identifiers if (k := identifier_key(ident))}))


def _pow2_at_least(x: float, lo: int, hi: int) -> int:
    return max(lo, min(hi, 1 << max(0, math.ceil(math.log2(max(x, 1))))))


class _Writer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = 0
        self.bytes = 0
        self._dirs: set[Path] = set()

    def write(self, rel: str, data: bytes) -> None:
        path = self.root / rel
        if path.parent not in self._dirs:  # tens of thousands of files in a handful of folders
            path.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(path.parent)
        path.write_bytes(data)
        self.files += 1
        self.bytes += len(data)


def json_bytes(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _prepare(out_dir: Path) -> None:
    """Start from an empty directory, but never wipe one this builder did not write."""
    if out_dir.exists() and any(out_dir.iterdir()):
        meta = out_dir / "meta.json"
        if not meta.is_file() or FORMAT not in meta.read_text(encoding="utf-8"):
            raise ValueError(f"{out_dir} is not empty and holds no search index; refusing to overwrite")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)


def build_options(
    base_url_prefix: str,
    facet_labels: Mapping[str, str] | None,
    kind_labels: Mapping[str, str] | None,
    facet_orders: Mapping[str, Sequence[str]] | None,
) -> tuple:
    """The options and layout constants an index depends on, normalised (kept in the state, so
    that a patch with other options, or after a constant changed, is refused)."""
    kinds = {**DEFAULT_KIND_LABELS, **(kind_labels or {})}
    return (
        base_url_prefix,
        tuple(sorted({**DEFAULT_FACET_LABELS, **(facet_labels or {})}.items())),
        tuple(kinds.items()),  # in order: the kind facet lists its values in this order
        tuple(sorted((k, tuple(v)) for k, v in (facet_orders or {}).items())),
        (FORMAT, EXTERNAL_MIN, SHARD_TARGET, COMMON_LISTED, POSITION_BUDGET, EXACT_BUDGET, FACET_COUNT_BYTES),
        (CHUNK_MIN, CHUNK_GAP, CHUNK_MAX, _grams.CHECKPOINT_DOCS, _grams.CHECKPOINT_MIN),
    )


# --- gram tables: layout shared with patch.py ----------------------------------------------


class GramEntry(NamedTuple):
    """One gram of a shard table.  payload (doc postings, then title postings) and positions may be
    None where they go to files of their own and the caller has them elsewhere (patch.py)."""

    key: str
    df: int
    tf: int
    enc: int
    t_enc: int
    d_len: int
    t_len: int
    p_len: int
    listed: bool
    payload: bytes | None
    positions: bytes | None


@dataclass
class ShardFiles:
    table: bytes  # g/<shard>.bin
    positions: bytes  # p/<shard>.bin, written only if not empty
    external: list[tuple[str, int, bool]]  # (gx/ or px/ path, entry index, True for positions)
    common: dict[str, list]  # meta.json's entries for the listed grams of the shard


def gram_shard_count(inline: int) -> int:
    return _pow2_at_least(inline / SHARD_TARGET, 8, 4096)


def gram_shard(key: str, shards: int) -> int:
    return fnv1a(key) & (shards - 1)


def is_big(size, p_len):  # noqa: ANN001, ANN201 - ints or arrays alike
    """Whether a gram's postings (docs and titles: `size` bytes) or positions are too big to share
    a shard file: such grams compete for meta.json's `common` list."""
    return (size > EXTERNAL_MIN) | (p_len > EXTERNAL_MIN)


def inline_bytes(size, p_len, listed):  # noqa: ANN001, ANN201 - ints or arrays alike
    """Bytes a gram puts into its shard's files; their total decides the shard count."""
    kept = np.logical_not(listed)
    return np.where(kept & (size <= EXTERNAL_MIN), size, 0) + np.where(
        kept & (p_len <= EXTERNAL_MIN), p_len, 0
    )


def gram_inline_bytes(size: int, p_len: int, listed: bool) -> int:
    """inline_bytes of one gram, without numpy (a patch adds up thousands, one at a time)."""
    if listed:
        return 0
    return (size if size <= EXTERNAL_MIN else 0) + (p_len if p_len <= EXTERNAL_MIN else 0)


def common_listed(candidates: Mapping[str, int]) -> set[str]:
    """meta.json's `common` grams: the COMMON_LISTED most frequent big ones, ties by key."""
    return set(sorted(candidates, key=lambda k: (-candidates[k], k))[:COMMON_LISTED])


def own_postings_file(size: int, listed: bool) -> bool:
    """Whether a gram's postings (docs and titles: `size` bytes) go to a gx/ file of their own."""
    return size > EXTERNAL_MIN or listed


def own_positions_file(p_len: int, listed: bool) -> bool:
    return p_len > EXTERNAL_MIN or bool(listed and p_len)


def shard_files(shard: int, entries: Sequence[GramEntry]) -> ShardFiles:
    """A shard's table and inline positions, and which entries get files of their own (their
    names number the entries within the shard).  Entries must be sorted by key."""
    rows, positions, external, common = [], [], [], {}
    for i, e in enumerate(entries):
        flags = e.enc | (e.t_enc << 2)
        payload = e.payload
        if own_postings_file(e.d_len + e.t_len, e.listed):
            external.append((f"gx/{shard:x}-{i}.bin", i, False))
            flags |= 16
            payload = b""
        if own_positions_file(e.p_len, e.listed):
            external.append((f"px/{shard:x}-{i}.bin", i, True))
            flags |= 32
        elif e.p_len:
            positions.append(e.positions)
        fields = (e.df, e.tf, flags, e.d_len, e.t_len, e.p_len)
        if e.listed:
            common[e.key] = [*fields, f"{shard:x}-{i}"]
        rows.append((e.key, fields, payload))
    return ShardFiles(table_bytes(rows, 6), b"".join(positions), external, common)


class _Grams:
    """Postings held compactly until written: fixed-width columns per gram (key as an int that
    sorts like the key string), payloads up to EXTERNAL_MIN bytes in one bytearray and longer
    ones in an unlinked temporary file next to the index.  Millions of distinct grams as Posting
    objects would cost hundreds of bytes each; here they cost tens."""

    def __init__(self, spill) -> None:
        self.spill = spill
        self.mem = bytearray()
        self.key, self.hash = array("Q"), array("I")
        self.df, self.enc = array("I"), array("B")
        self.docs_ref, self.docs_len = array("q"), array("I")
        self.pos_ref, self.pos_len = array("q"), array("I")
        self.checkpoints: dict[str, bytes] = {}

    def _put(self, data: bytes) -> int:
        if len(data) <= EXTERNAL_MIN:
            self.mem += data
            return len(self.mem) - len(data)
        ref = -1 - self.spill.tell()
        self.spill.write(data)
        return ref

    def get(self, ref: int, length: int) -> bytes:
        if ref >= 0:
            return self.view[ref : ref + length].tobytes()
        return os.pread(self.spill.fileno(), length, -1 - ref) if length else b""

    def add(self, postings: Iterable[Posting], *, hashed: bool) -> None:
        for p in postings:
            k = p.key
            self.key.append(ord(k[0]) << 22 | (ord(k[1]) + 1 if len(k) == 2 else 0))
            if hashed:
                self.hash.append(fnv1a(k))
            self.df.append(p.df)
            self.enc.append(p.enc)
            self.docs_ref.append(self._put(p.docs))
            self.docs_len.append(len(p.docs))
            self.pos_ref.append(self._put(p.positions))
            self.pos_len.append(len(p.positions))
            if p.checkpoints is not None:
                self.checkpoints[k] = p.checkpoints

    def freeze(self) -> None:
        self.view = memoryview(self.mem)  # no more appends from here on

    def columns(self) -> dict[str, np.ndarray]:
        return {
            name: np.frombuffer(getattr(self, name), dtype=getattr(self, name).typecode)
            for name in ("key", "hash", "df", "enc", "docs_ref", "docs_len", "pos_ref", "pos_len")
        }


def _key_str(code: int) -> str:
    return chr(code >> 22) + (chr((code & 0x3FFFFF) - 1) if code & 0x3FFFFF else "")


@dataclass
class _GramLayer:
    shards: int
    grams: int
    inline: int
    present: set[str]
    common: dict[str, list]
    candidates: dict[str, int]
    checkpoints: dict[str, bytes]


def _gram_tables(w: _Writer, docs: list[SearchDoc], scan: IdentifierScan, at_docs: np.ndarray) -> _GramLayer:
    with tempfile.TemporaryFile(dir=w.root) as spill:
        folded_titles = [fold(d.title) for d in docs]
        titles = _Grams(spill)
        titles_corpus = Corpus(folded_titles)
        titles.add(unigram_postings(titles_corpus), hashed=False)
        titles.add(bigram_doc_postings(titles_corpus), hashed=False)
        del titles_corpus
        # Bodies are folded straight into the corpus's code point chunks: the folded strings are
        # never all held at once (they would cost more than the code points).  The identifier scan
        # reads each one on its way.
        corpus = Corpus(
            scan.scan(i, t, fold(d.text)) for i, (t, d) in enumerate(zip(folded_titles, docs, strict=True))
        )
        del folded_titles
        body = _Grams(spill)
        body.add(unigram_postings(corpus), hashed=True)
        body.add(bigram_postings(corpus, at_docs), hashed=True)
        del corpus
        spill.flush()
        body.freeze()
        titles.freeze()
        b, t = body.columns(), titles.columns()
        # Every title gram is a body gram (a body starts with its title); match them by key.
        t_order = np.argsort(t["key"], kind="stable")
        t_keys = t["key"][t_order]
        at = np.minimum(np.searchsorted(t_keys, b["key"]), max(len(t_keys) - 1, 0))
        has_t = (t_keys[at] == b["key"]) if len(t_keys) else np.zeros(len(b["key"]), dtype=bool)
        t_idx = np.where(has_t, t_order[at] if len(t_keys) else 0, -1)
        del t_order, t_keys, at, has_t
        t_len = np.where(t_idx >= 0, t["docs_len"][np.maximum(t_idx, 0)] if len(t["key"]) else 0, 0)
        size = b["docs_len"].astype(np.int64) + t_len
        pos_len = b["pos_len"].astype(np.int64)
        big = np.flatnonzero(is_big(size, pos_len))
        candidates = {
            _key_str(c): df for c, df in zip(b["key"][big].tolist(), b["df"][big].tolist(), strict=True)
        }
        listed_keys = common_listed(candidates)
        listed = np.zeros(len(size), dtype=bool)
        listed[big] = [k in listed_keys for k in candidates]  # the dict is in the order of `big`
        inline = int(inline_bytes(size, pos_len, listed).sum())
        del size, pos_len, t_len
        shards = gram_shard_count(inline)
        shard_of = b["hash"] & np.uint32(shards - 1)
        order = np.lexsort((b["key"], shard_of))
        bounds = np.searchsorted(shard_of[order], np.arange(shards + 1))
        t_cols = {name: t[name].tolist() for name in ("enc", "df", "docs_ref", "docs_len")}
        common: dict[str, list] = {}
        for shard in range(shards):
            sel = order[bounds[shard] : bounds[shard + 1]]
            cols = zip(
                *(
                    b[name][sel].tolist()
                    for name in ("key", "df", "enc", "docs_ref", "docs_len", "pos_ref", "pos_len")
                ),
                t_idx[sel].tolist(),
                listed[sel].tolist(),
                strict=True,
            )
            entries = []
            for code, df, enc, d_ref, d_len, p_ref, p_len, ti, own_files in cols:
                if ti >= 0:
                    t_enc, tf = t_cols["enc"][ti], t_cols["df"][ti]
                    t_docs = titles.get(t_cols["docs_ref"][ti], t_cols["docs_len"][ti])
                else:
                    t_enc, t_docs, tf = 0, b"", 0
                payload = body.get(d_ref, d_len) + t_docs
                positions = body.get(p_ref, p_len)
                entries.append(
                    GramEntry(
                        _key_str(code),
                        df,
                        tf,
                        enc,
                        t_enc,
                        d_len,
                        len(t_docs),
                        p_len,
                        own_files,
                        payload,
                        positions,
                    )
                )
            files = shard_files(shard, entries)
            _write_shard(w, shard, files, entries)
            common.update(files.common)
        unigrams = b["key"][(b["key"] & np.uint64(0x3FFFFF)) == 0]
        present = {chr(int(k) >> 22) for k in unigrams.tolist()}
        return _GramLayer(shards, len(b["key"]), inline, present, common, candidates, body.checkpoints)


def _write_shard(w: _Writer, shard: int, files: ShardFiles, entries: Sequence[GramEntry]) -> None:
    w.write(f"g/{shard:x}.bin", files.table)
    if files.positions:
        w.write(f"p/{shard:x}.bin", files.positions)
    for rel, i, positions in files.external:
        w.write(rel, entries[i].positions if positions else entries[i].payload)


# --- id tables ------------------------------------------------------------------------------


def id_shard_count(n_entries: int) -> int:
    return _pow2_at_least(n_entries / 256, 1, 1024)  # a few KB per file at any size


def id_shard(key: str, shards: int) -> int:
    """The id table of an identifier key; a "c" entry goes with the key of its form."""
    return fnv1a(key) & (shards - 1)


def id_entry(name: str, docs: Sequence[int], titles: Sequence[int]) -> tuple:
    """An id-table entry: name, fields (count, encoding, payload length, for the docs and then for
    the titles), payload."""
    enc, payload = best_posting(docs) if len(docs) else (0, b"")
    t_enc, t_payload = best_posting(titles) if len(titles) else (0, b"")
    return name, (len(docs), enc, len(payload), len(titles), t_enc, len(t_payload)), payload + t_payload


def id_table_bytes(entries: Iterable[tuple]) -> bytes:
    return table_bytes(sorted(entries), 6)


@dataclass
class _IdLayer:
    shards: int
    keys: int
    keys_without_digit: int


def _id_tables(w: _Writer, docs: list[SearchDoc], scan: IdentifierScan, keys: Sequence[tuple[str, ...]]) -> _IdLayer:
    """Two kinds of entry, both in the shard of the identifier's key (letters and digits only), so
    that one file answers a typed identifier: "k" + key → the docs that have this identifier, and
    "c" + folded form → the docs whose title or text contains the form, and those whose title does.
    Every key holding an ASCII digit (the usual case) spares a query without one the id table."""
    keyed: dict[str, list[int]] = defaultdict(list)
    for i, doc_key_list in enumerate(keys):
        for key in doc_key_list:
            keyed[key].append(i)
    by_key: dict[str, list] = defaultdict(list)  # identifier key → its entries (they share a shard)
    for key in sorted(keyed):
        by_key[key].append(id_entry("k" + key, keyed[key], []))
    for form, containing, in_title in scan.containing():
        by_key[folded_key(form)].append(id_entry("c" + form, containing, in_title))
    shards = id_shard_count(sum(len(e) for e in by_key.values()))
    tables: dict[int, list] = defaultdict(list)
    for key, key_entries in by_key.items():
        tables[id_shard(key, shards)] += key_entries
    for shard in range(shards):
        w.write(f"id/{shard:x}.bin", id_table_bytes(tables.get(shard, [])))
    return _IdLayer(shards, len(keyed), sum(1 for key in keyed if not has_ascii_digit(key)))


# --- facets ---------------------------------------------------------------------------------


def facet_values(doc: SearchDoc) -> dict[str, set[str]]:
    """A doc's facet values (empty values dropped; kind and year from the doc itself, none for a
    placeholder, which has no kind)."""
    values = {"kind": (doc.kind,)}
    if doc.date and doc.kind:
        values["year"] = (doc.date[:4],)
    values.update({k: tuple(v) for k, v in doc.facets.items()})
    return {key: kept for key, vals in values.items() if (kept := {v for v in vals if v})}


def facet_keys(keys: Iterable[str]) -> list[str]:
    """Facets in the order meta.json lists them (which numbers their files)."""
    keys = set(keys)
    return [k for k in DEFAULT_FACET_LABELS if k in keys] + sorted(keys - set(DEFAULT_FACET_LABELS))


def facet_file(members: Mapping[str, Sequence[int]]) -> bytes:
    entries = []
    for v in sorted(members):
        enc, payload = best_posting(np.asarray(members[v]))
        entries.append((v, (len(members[v]), enc, len(payload)), payload))
    return table_bytes(entries, 3)


def facet_meta(key: str, j: int, counts: Mapping[str, int], options: tuple) -> dict:
    """meta.json's entry for facet `key` (file f/<j>.bin) with value counts `counts`."""
    labels, kinds, orders = dict(options[1]), dict(options[2]), dict(options[3])
    # Years newest first, kinds as the site's sections, values with a meaning's order in it
    # (orders: 特别重大 before 一般), the rest most common first.
    known = sorted(counts, reverse=True) if key == "year" else list(kinds) if key == "kind" else ()
    shown = ordered_values(counts, orders.get(key, known))
    value_labels = {v: kinds.get(v, v) for v in shown} if key == "kind" else {}
    return {
        "key": key,
        "label": labels.get(key, key),
        "file": f"f/{j}.bin",
        "values": [[v, counts[v], value_labels.get(v, v)] for v in shown],
    }


def _facets(w: _Writer, docs: list[SearchDoc], options: tuple) -> tuple[list[dict], int]:
    """meta.json's facets, and the bytes of all facet files."""
    members: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, d in enumerate(docs):
        for key, vals in facet_values(d).items():
            for v in vals:
                members[key][v].append(i)
    meta, total = [], 0
    for j, key in enumerate(facet_keys(members)):
        data = facet_file(members[key])
        w.write(f"f/{j}.bin", data)
        total += len(data)
        meta.append(facet_meta(key, j, {v: len(ids) for v, ids in members[key].items()}, options))
    return meta, total


# --- sort columns ---------------------------------------------------------------------------


def sort_values(docs: Sequence[SearchDoc]) -> tuple[dict[str, list], dict[str, int]]:
    """Per sort key: each doc's value (None if it has none), and how many docs have the key."""
    holders = Counter(k for d in docs for k in d.sort_keys)
    return {key: [d.sort_keys.get(key) for d in docs] for key in sorted(holders)}, dict(holders)


def sort_files(values: Mapping[str, Sequence]) -> list[tuple[str, bytes, dict]]:
    """Per sort key, each doc's dense rank among the key's distinct values (0 = no value):
    a column of 1–4 bytes per doc, fetched only when a listing sorts by that key."""
    out = []
    for j, key in enumerate(sorted(values)):
        raw = values[key]
        distinct = sorted({v for v in raw if v is not None}, key=lambda v: (isinstance(v, str), v))
        rank = {v: r + 1 for r, v in enumerate(distinct)}
        width = 1 if len(distinct) < 0xFF else 2 if len(distinct) < 0xFFFF else 4
        col = np.array([rank.get(v, 0) if v is not None else 0 for v in raw], dtype=f"<u{width}")
        out.append((f"s/{j}.bin", col.tobytes(), {"key": key, "file": f"s/{j}.bin", "width": width}))
    return out


# --- doc store ------------------------------------------------------------------------------


def doc_row(doc: SearchDoc, prefix: str) -> bytes:
    row = [prefix + doc.url, doc.title, doc.kind, doc.date, doc.text, dict(sorted(doc.fields.items()))]
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode()


def doc_digest(doc: SearchDoc, row: bytes) -> int:
    """64 bits of all that the index holds of a doc: its doc-store row, its identifiers, facets and
    sort keys.  meta.json's `version` is their sum, so a patch can update it, and a state that
    describes another set of docs than the index's is told by meta.json (patch._check)."""
    extra = f"{doc.identifiers}{sorted(doc.facets.items())}{sorted(doc.sort_keys.items())}"
    return zlib.crc32(row) << 32 | zlib.crc32(extra.encode())


def content_version(total: int) -> str:
    return f"{total % (1 << 64):016x}"


def cut_hash(url: str) -> int:
    return zlib.crc32(url.encode())


def chunk_ends(rows: Iterable[tuple[int, int]], begin: int = 0) -> Iterator[int]:
    """The end (exclusive doc id) of every chunk from doc `begin` on, a chunk starting there;
    rows: (row bytes, cut_hash of the url) of each doc from `begin` on, read lazily."""
    held, i = 0, begin
    for i, (size, url_hash) in enumerate(rows, begin):
        held += size
        if held >= CHUNK_MAX or (held >= CHUNK_MIN and url_hash % CHUNK_GAP < size):
            yield i + 1
            held = 0
    if held:
        yield i + 1


def chunk_bytes(rows: Iterable[bytes]) -> bytes:
    return b"[" + b",".join(rows) + b"]"


def _doc_store(w: _Writer, docs: list[SearchDoc], prefix: str) -> tuple[list[int], list[int], int]:
    """Writes the chunks and chunks.json; returns the row sizes, the chunks' first doc ids and the
    sum of the docs' doc_digest."""
    sizes: list[int] = []
    pending: list[bytes] = []  # rows read by chunk_ends but not yet written
    digests = 0

    def rows() -> Iterator[tuple[int, int]]:
        nonlocal digests
        for d in docs:
            row = doc_row(d, prefix)
            pending.append(row)
            sizes.append(len(row))
            digests += doc_digest(d, row)
            yield len(row), cut_hash(d.url)

    starts = [0]
    for end in chunk_ends(rows()):
        w.write(f"d/{starts[-1]}.json", chunk_bytes(pending))
        pending.clear()
        starts.append(end)
    counts = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    w.write("chunks.json", json_bytes(counts))
    return sizes, starts[:-1], digests


# --- meta.json ------------------------------------------------------------------------------


def meta_bytes(
    *,
    version: str,
    docs: int,
    dated: int,
    shards: int,
    common: Mapping[str, list],
    id_shards: int,
    id_digits: bool,
    options: tuple,
    facets: list[dict],
    facet_bytes: int,
    sorts: list[dict],
    blank: int,
) -> bytes:
    return json_bytes(
        {
            "format": FORMAT,
            "version": version,  # of the docs' content (doc_digest): changes whenever a doc does
            "docs": docs,
            "dated": dated,
            "shards": shards,
            "common": dict(common),
            "idShards": id_shards,
            "idDigits": id_digits,
            "positionBudget": POSITION_BUDGET,
            "exactBudget": EXACT_BUDGET,
            "kinds": dict(sorted(options[2])),
            "facets": facets,
            "facetCounts": facet_bytes <= FACET_COUNT_BYTES,
            "sorts": sorts,
            "blank": blank,  # how many placeholders BLANK_FILE lists (a query without words leaves them out)
        }
    )


def build_index(
    docs: Iterable[SearchDoc],
    out_dir: Path,
    *,
    base_url_prefix: str = "",
    facet_labels: Mapping[str, str] | None = None,
    kind_labels: Mapping[str, str] | None = None,
    facet_orders: Mapping[str, Sequence[str]] | None = None,
) -> IndexStats:
    """Write the index for `docs` into `out_dir` (emptied first if it holds an older index).

    Same input, same bytes: docs are ordered by date (_order), every table is sorted, and
    nothing time- or machine-dependent is written."""
    stats, _state = build_index_with_state(
        docs,
        out_dir,
        base_url_prefix=base_url_prefix,
        facet_labels=facet_labels,
        kind_labels=kind_labels,
        facet_orders=facet_orders,
    )
    return stats


def build_index_with_state(
    docs: Iterable[SearchDoc],
    out_dir: Path,
    *,
    base_url_prefix: str = "",
    facet_labels: Mapping[str, str] | None = None,
    kind_labels: Mapping[str, str] | None = None,
    facet_orders: Mapping[str, Sequence[str]] | None = None,
) -> tuple[IndexStats, IndexState]:
    """build_index, plus the state that patch.patch_index needs to patch `out_dir` later."""
    started = time.perf_counter()
    ordered = _order(list(docs))
    if len(ordered) >= MAX_DOCS:
        raise ValueError(f"at most {MAX_DOCS - 1} search docs are supported")
    out_dir = Path(out_dir)
    _prepare(out_dir)
    w = _Writer(out_dir)
    options = build_options(base_url_prefix, facet_labels, kind_labels, facet_orders)
    scan = IdentifierScan(ident for d in ordered for ident in d.identifiers)
    at_docs = checkpoint_docs([d.url for d in ordered])
    grams = _gram_tables(w, ordered, scan, at_docs)
    keys = [doc_keys(d) for d in ordered]
    ids = _id_tables(w, ordered, scan, keys)
    facets, facet_bytes = _facets(w, ordered, options)
    values, holders = sort_values(ordered)
    sorts = []
    for rel, data, meta in sort_files(values):
        w.write(rel, data)
        sorts.append(meta)
    sizes, starts, digests = _doc_store(w, ordered, base_url_prefix)
    w.write("fold.json", json_bytes(client_fold_table(grams.present)))
    blank = placeholder_ids(d.url for d in ordered)
    meta = meta_bytes(
        version=content_version(digests),
        docs=len(ordered),
        dated=sum(1 for d in ordered if d.date),
        shards=grams.shards,
        common=grams.common,
        id_shards=ids.shards,
        id_digits=ids.keys_without_digit == 0,
        options=options,
        facets=facets,
        facet_bytes=facet_bytes,
        sorts=sorts,
        blank=len(blank),
    )
    w.write(BLANK_FILE, json_bytes(blank))
    w.write("meta.json", meta)
    form_holders = Counter(form for d in ordered for form in identifier_forms(d.identifiers))
    state = IndexState(
        version=STATE_VERSION,
        options=options,
        meta_digest=hashlib.sha256(meta).digest(),
        urls=tuple(d.url for d in ordered),
        date_counts=date_counts(ordered),
        checkpoint_docs=tuple(at_docs.tolist()),
        shards=grams.shards,
        inline=grams.inline,
        grams=grams.grams,
        present="".join(sorted(grams.present)),
        candidates=grams.candidates,
        checkpoints=grams.checkpoints,
        id_shards=ids.shards,
        id_keys=ids.keys,
        id_keys_without_digit=ids.keys_without_digit,
        doc_keys=tuple(keys),
        forms=tuple(scan.forms),
        form_holders=tuple(form_holders[f] for f in scan.forms),
        sort_values={key: tuple(v) for key, v in values.items()},
        sort_holders=holders,
        row_sizes=np.asarray(sizes, dtype="<u4").tobytes(),
        chunk_starts=tuple(starts),
    )
    stats = IndexStats(
        len(ordered), grams.grams, grams.shards, w.files, w.bytes, round(time.perf_counter() - started, 3)
    )
    return stats, state
