"""Write the static search index for a set of SearchDocs (layout in the package docstring)."""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import time
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .encode import best_posting, fnv1a, table_bytes
from .fold import client_fold_table, fold, folded_key, identifier_key
from .grams import MAX_DOCS, Corpus, Posting, bigram_doc_postings, bigram_postings, unigram_postings
from .identifiers import IdentifierScan, has_ascii_digit
from .order import ordered as ordered_values

FORMAT = "gongkai-search/1"
# Facet counts need every value's postings; above this many bytes of facet files the /search/
# page shows the overall counts only (a new query would otherwise pay for them).
FACET_COUNT_BYTES = 120_000
# A gram whose postings exceed this many bytes gets a file of its own, so that looking up a rare
# gram never drags a common gram's postings along with it.
EXTERNAL_MIN = 1536
SHARD_TARGET = 6000  # bytes of inline payload per shard file, on average
CHUNK_TARGET = 24000  # bytes of doc-store JSON per chunk file
# Exact phrase checks download bigram positions; above this many raw bytes per query the client
# switches to candidate counting ("约") instead (measured in BENCHMARKS.md).
POSITION_BUDGET = 400_000  # raw; positions gzip to about 0.4 of that
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
    kind: str  # penalty | accident | power-item | page
    date: str = ""  # ISO date or ""
    text: str = ""  # visible text, plain (no HTML)
    identifiers: tuple[str, ...] = ()  # 文书号, 统一社会信用代码 … exact matches rank first
    facets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sort_keys: Mapping[str, float | str] = field(default_factory=dict)
    fields: Mapping[str, str] = field(default_factory=dict)  # short display strings for listings


@dataclass(frozen=True)
class IndexStats:
    docs: int
    grams: int
    gram_shards: int
    files: int
    bytes: int
    seconds: float


def _order(docs: list[SearchDoc]) -> list[SearchDoc]:
    """Doc ids follow date, newest first (undated last), so that id order *is* date order."""
    urls = [d.url for d in docs]
    if len(set(urls)) != len(urls):
        dup = sorted({u for u in urls if urls.count(u) > 1})[:3]
        raise ValueError(f"duplicate search doc urls: {dup}")
    dated = sorted((d for d in docs if d.date), key=lambda d: d.url)
    dated.sort(key=lambda d: d.date, reverse=True)
    return dated + sorted((d for d in docs if not d.date), key=lambda d: d.url)


def _pow2_at_least(x: float, lo: int, hi: int) -> int:
    return max(lo, min(hi, 1 << max(0, math.ceil(math.log2(max(x, 1))))))


class _Writer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = 0
        self.bytes = 0

    def write(self, rel: str, data: bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files += 1
        self.bytes += len(data)

    def json(self, rel: str, obj: object) -> None:
        self.write(rel, json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode())


def _prepare(out_dir: Path) -> None:
    """Start from an empty directory, but never wipe one this builder did not write."""
    if out_dir.exists() and any(out_dir.iterdir()):
        meta = out_dir / "meta.json"
        if not meta.is_file() or FORMAT not in meta.read_text(encoding="utf-8"):
            raise ValueError(f"{out_dir} is not empty and holds no search index; refusing to overwrite")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)


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

    def freeze(self) -> None:
        self.view = memoryview(self.mem)  # no more appends from here on

    def columns(self) -> dict[str, np.ndarray]:
        return {
            name: np.frombuffer(getattr(self, name), dtype=getattr(self, name).typecode)
            for name in ("key", "hash", "df", "enc", "docs_ref", "docs_len", "pos_ref", "pos_len")
        }


def _key_str(code: int) -> str:
    return chr(code >> 22) + (chr((code & 0x3FFFFF) - 1) if code & 0x3FFFFF else "")


def _gram_tables(w: _Writer, docs: list[SearchDoc], scan: IdentifierScan) -> tuple:
    n = len(docs)
    with tempfile.TemporaryFile(dir=w.root) as spill:
        folded_titles = [fold(d.title) for d in docs]
        titles = _Grams(spill)
        titles_corpus = Corpus(folded_titles)
        titles.add(unigram_postings(titles_corpus, n), hashed=False)
        titles.add(bigram_doc_postings(titles_corpus, n), hashed=False)
        del titles_corpus
        # Bodies are folded straight into the corpus's code point chunks: the folded strings are
        # never all held at once (they would cost more than the code points).  The identifier scan
        # reads each one on its way.
        corpus = Corpus(
            scan.scan(i, t, fold(d.text)) for i, (t, d) in enumerate(zip(folded_titles, docs, strict=True))
        )
        del folded_titles
        body = _Grams(spill)
        body.add(unigram_postings(corpus, n), hashed=True)
        body.add(bigram_postings(corpus, n), hashed=True)
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
        listed = _most_common(b["df"], b["key"], (size > EXTERNAL_MIN) | (pos_len > EXTERNAL_MIN))
        inline = int(
            np.where((size <= EXTERNAL_MIN) & ~listed, size, 0).sum()
            + np.where((pos_len <= EXTERNAL_MIN) & ~listed, pos_len, 0).sum()
        )
        del size, pos_len, t_len
        shards = _pow2_at_least(inline / SHARD_TARGET, 8, 4096)
        shard_of = b["hash"] & np.uint32(shards - 1)
        order = np.lexsort((b["key"], shard_of))
        bounds = np.searchsorted(shard_of[order], np.arange(shards + 1))
        t_cols = {name: t[name].tolist() for name in ("enc", "df", "docs_ref", "docs_len")}
        common: list[tuple[str, list]] = []
        for shard in range(shards):
            entries, positions = [], []
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
            for i, (code, df, enc, d_ref, d_len, p_ref, p_len, ti, own_files) in enumerate(cols):
                p_docs = body.get(d_ref, d_len)
                p_pos = body.get(p_ref, p_len)
                if ti >= 0:
                    t_enc, tf = t_cols["enc"][ti], t_cols["df"][ti]
                    t_docs = titles.get(t_cols["docs_ref"][ti], t_cols["docs_len"][ti])
                else:
                    t_enc, t_docs, tf = 0, b"", 0
                payload = p_docs + t_docs
                flags = enc | (t_enc << 2)
                if len(payload) > EXTERNAL_MIN or own_files:
                    w.write(f"gx/{shard:x}-{i}.bin", payload)
                    flags |= 16
                    payload = b""
                if p_len > EXTERNAL_MIN or (own_files and p_len):
                    w.write(f"px/{shard:x}-{i}.bin", p_pos)
                    flags |= 32
                else:
                    positions.append(p_pos)
                fields = (df, tf, flags, d_len, len(t_docs), p_len)
                if own_files:
                    common.append((_key_str(code), [*fields, f"{shard:x}-{i}"]))
                entries.append((_key_str(code), fields, payload))
            w.write(f"g/{shard:x}.bin", table_bytes(entries, 6))
            if any(positions):
                w.write(f"p/{shard:x}.bin", b"".join(positions))
        unigrams = b["key"][(b["key"] & np.uint64(0x3FFFFF)) == 0]
        present = {chr(int(k) >> 22) for k in unigrams.tolist()}
        return shards, len(b["key"]), present, dict(sorted(common))


def _most_common(df: np.ndarray, keys: np.ndarray, big: np.ndarray) -> np.ndarray:
    """Which grams meta.json lists: the COMMON_LISTED most frequent of the big ones (ties by key)."""
    candidates = np.flatnonzero(big)
    chosen = candidates[np.lexsort((keys[candidates], -df[candidates].astype(np.int64)))[:COMMON_LISTED]]
    listed = np.zeros(len(df), dtype=bool)
    listed[chosen] = True
    return listed


def _id_tables(w: _Writer, docs: list[SearchDoc], scan: IdentifierScan) -> tuple[int, bool]:
    """Two kinds of entry, both in the shard of the identifier's key (letters and digits only), so
    that one file answers a typed identifier: "k" + key → the docs that have this identifier, and
    "c" + folded form → the docs whose title or text contains the form, and those whose title does.
    Fields: count, encoding, payload length, for the docs and then for the titles.
    Returns the shard count, and whether every key holds an ASCII digit (then a query without one
    needs no id table at all)."""
    keyed: dict[str, set[int]] = defaultdict(set)
    for i, d in enumerate(docs):
        for ident in d.identifiers:
            key = identifier_key(ident)
            if key:
                keyed[key].add(i)
    by_key: dict[str, list] = defaultdict(list)  # identifier key → its entries (they share a shard)
    for key in sorted(keyed):
        by_key[key].append(("k" + key, *_postings(sorted(keyed[key]), [], len(docs))))
    for form, containing, in_title in scan.containing():
        by_key[folded_key(form)].append(("c" + form, *_postings(containing, in_title, len(docs))))
    entries = sum(len(e) for e in by_key.values())
    shards = _pow2_at_least(entries / 256, 1, 1024)  # a few KB per file at any size
    tables: dict[int, list] = defaultdict(list)
    for key, key_entries in by_key.items():
        tables[fnv1a(key) & (shards - 1)] += key_entries
    for shard in range(shards):
        w.write(f"id/{shard:x}.bin", table_bytes(sorted(tables.get(shard, [])), 6))
    return shards, all(has_ascii_digit(key) for key in keyed)


def _postings(docs: list[int], titles: list[int], n_docs: int) -> tuple[tuple[int, ...], bytes]:
    """Fields and payload of an id-table entry: its docs, then its title docs."""
    enc, payload = best_posting(docs, n_docs) if docs else (0, b"")
    t_enc, t_payload = best_posting(titles, n_docs) if titles else (0, b"")
    return (len(docs), enc, len(payload), len(titles), t_enc, len(t_payload)), payload + t_payload


def _facet_values(doc: SearchDoc) -> dict[str, tuple[str, ...]]:
    values = {"kind": (doc.kind,)}
    if doc.date:
        values["year"] = (doc.date[:4],)
    values.update({k: tuple(v) for k, v in doc.facets.items()})
    return values


def _facets(
    w: _Writer, docs: list[SearchDoc], labels: Mapping[str, str], kind_labels, orders: Mapping[str, Sequence[str]]
) -> list[dict]:
    members: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, d in enumerate(docs):
        for key, vals in _facet_values(d).items():
            for v in sorted(set(vals)):
                if v:
                    members[key][v].append(i)
    keys = [k for k in DEFAULT_FACET_LABELS if k in members] + sorted(set(members) - set(DEFAULT_FACET_LABELS))
    meta = []
    for j, key in enumerate(keys):
        vals = members[key]
        entries = []
        for v in sorted(vals):
            enc, payload = best_posting(np.array(vals[v]), len(docs))
            entries.append((v, (len(vals[v]), enc, len(payload)), payload))
        w.write(f"f/{j}.bin", table_bytes(entries, 3))
        # Years newest first, kinds as the site's sections, values with a meaning's order in it
        # (orders: 特别重大 before 一般), the rest most common first.
        known = sorted(vals, reverse=True) if key == "year" else list(kind_labels) if key == "kind" else ()
        shown = ordered_values({v: len(vals[v]) for v in vals}, orders.get(key, known))
        value_labels = {v: kind_labels.get(v, v) for v in shown} if key == "kind" else {}
        meta.append(
            {
                "key": key,
                "label": labels.get(key, key),
                "file": f"f/{j}.bin",
                "values": [[v, len(vals[v]), value_labels.get(v, v)] for v in shown],
            }
        )
    return meta


def _sort_columns(w: _Writer, docs: list[SearchDoc]) -> list[dict]:
    """Per sort key, each doc's dense rank among the key's distinct values (0 = no value):
    a column of 1–4 bytes per doc, fetched only when a listing sorts by that key."""
    keys = sorted({k for d in docs for k in d.sort_keys})
    meta = []
    for j, key in enumerate(keys):
        raw = [d.sort_keys.get(key) for d in docs]
        distinct = sorted({v for v in raw if v is not None}, key=lambda v: (isinstance(v, str), v))
        rank = {v: r + 1 for r, v in enumerate(distinct)}
        width = 1 if len(distinct) < 0xFF else 2 if len(distinct) < 0xFFFF else 4
        col = np.array([rank.get(v, 0) if v is not None else 0 for v in raw], dtype=f"<u{width}")
        w.write(f"s/{j}.bin", col.tobytes())
        meta.append({"key": key, "file": f"s/{j}.bin", "width": width})
    return meta


def _doc_store(w: _Writer, docs: list[SearchDoc], prefix: str) -> None:
    sizes, chunk, size = [], [], 0
    for d in docs:
        row = [prefix + d.url, d.title, d.kind, d.date, d.text, dict(sorted(d.fields.items()))]
        line = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
        chunk.append(line)
        size += len(line.encode())
        if size >= CHUNK_TARGET:
            w.write(f"d/{len(sizes)}.json", ("[" + ",".join(chunk) + "]").encode())
            sizes.append(len(chunk))
            chunk, size = [], 0
    if chunk:
        w.write(f"d/{len(sizes)}.json", ("[" + ",".join(chunk) + "]").encode())
        sizes.append(len(chunk))
    w.json("chunks.json", sizes)


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

    Same input, same bytes: docs are ordered by (date desc, url), every table is sorted, and
    nothing time- or machine-dependent is written."""
    started = time.perf_counter()
    ordered = _order(list(docs))
    if len(ordered) >= MAX_DOCS:
        raise ValueError(f"at most {MAX_DOCS - 1} search docs are supported")
    out_dir = Path(out_dir)
    _prepare(out_dir)
    w = _Writer(out_dir)
    scan = IdentifierScan(ident for d in ordered for ident in d.identifiers)
    shards, grams, present, common = _gram_tables(w, ordered, scan)
    id_shards, id_keys_have_digits = _id_tables(w, ordered, scan)
    kinds = {**DEFAULT_KIND_LABELS, **(kind_labels or {})}
    before = w.bytes
    facets = _facets(w, ordered, {**DEFAULT_FACET_LABELS, **(facet_labels or {})}, kinds, facet_orders or {})
    facet_bytes = w.bytes - before
    sorts = _sort_columns(w, ordered)
    _doc_store(w, ordered, base_url_prefix)
    w.json("fold.json", client_fold_table(present))
    w.json(
        "meta.json",
        {
            "format": FORMAT,
            "docs": len(ordered),
            "dated": sum(1 for d in ordered if d.date),
            "shards": shards,
            "common": common,
            "idShards": id_shards,
            "idDigits": id_keys_have_digits,
            "positionBudget": POSITION_BUDGET,
            "kinds": dict(sorted(kinds.items())),
            "facets": facets,
            "facetCounts": facet_bytes <= FACET_COUNT_BYTES,
            "sorts": sorts,
        },
    )
    return IndexStats(len(ordered), grams, shards, w.files, w.bytes, round(time.perf_counter() - started, 3))
