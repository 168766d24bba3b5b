"""Character n-gram postings over the whole corpus, vectorised with numpy, in bounded memory.

A Python loop over every character position is too slow at 100k records (tens of millions of
positions); numpy does the same work in seconds: the corpus becomes arrays of code points and
grams become integers.  Arrays over *every* position at once would cost several bytes per
position per temporary (gigabytes at 100M characters), so the work is split twice:

* the corpus is held as doc-aligned chunks of code points (uint16 where a chunk is all BMP,
  1–2 bytes per character overall, plus a 1-byte bucket id per position for bigrams);
* grams are processed in buckets, each a contiguous range of gram codes holding a bounded
  number of positions (bounds from a strided sample).  Inside a bucket one stable sort groups
  the positions by gram while keeping (doc, position) order, exactly as one global sort would,
  and buckets come out in gram-code order, so the output does not depend on the bucketing.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from . import stand_ins
from .encode import BITMAP, DELTA, bitmap, bitmap_size, varint_bytes

SEP = 10  # "\n": folding drops whitespace, so it never occurs in folded text; grams across it are dropped
MAX_DOCS = 1 << 20
CHUNK_CHARS = 1 << 20  # code points per corpus chunk (chunks end at a doc boundary)
BIGRAM_BUCKET = 1 << 21  # positions per bigram bucket (the sort's working set is ~60 bytes a position)
UNIGRAM_BUCKET = 1 << 23  # positions per unigram bucket (~20 bytes a position)
SAMPLE_STRIDE = 64
# Patching a doc's positions into a bigram's payload needs the byte offset of that doc's group,
# and walking every group before it is too slow for the common bigrams (100k groups each).  So
# for every bigram with more than CHECKPOINT_MIN bytes of positions, the index state keeps the
# offset of the first group at or after each checkpoint doc; a patch walks from the nearest one
# (CHECKPOINT_DOCS docs apart on average).  Checkpoint docs are those whose url hash hits, not
# fixed doc ids: a doc inserted near the end shifts the ids of the docs after it, and a checkpoint
# at a fixed id would then point into another doc's group, each to be found by a walk, for every
# common bigram; a checkpoint doc shifts with its group, so only the bigrams of the inserted doc
# move their checkpoints, by the bytes of its groups.  As offsets they are a function of the
# payload and the urls alone, so the builder and the patcher agree on them.
CHECKPOINT_DOCS = 1024
CHECKPOINT_MIN = 4096


@dataclass(frozen=True)
class Posting:
    key: str
    df: int  # number of docs containing the gram
    enc: int  # DELTA or BITMAP
    docs: bytes
    positions: bytes  # per doc in posting order: varint count, then position gaps; b"" for unigrams
    checkpoints: bytes | None = None  # position_checkpoints, for bigrams with big positions only


@dataclass
class _Chunk:
    cp: np.ndarray  # uint16 or uint32 code points; each doc is followed by SEP
    starts: np.ndarray  # int64 offset of each doc in cp
    first_doc: int
    bucket: np.ndarray | None = None  # uint8/uint16 bigram bucket per position (set by bigram passes)


class Corpus:
    """Strings (one per doc id, in order) as chunks of code points; built once, read by every pass.

    Accepts any iterable, so callers can fold texts on the fly and never hold them all."""

    def __init__(self, strings: Iterable[str], chunk_chars: int = CHUNK_CHARS) -> None:
        self.chunks: list[_Chunk] = []
        self.n_docs = 0
        self.n_chars = 0
        batch: list[str] = []
        size = 0
        for s in strings:
            batch.append(s)
            size += len(s) + 1
            if size >= chunk_chars:
                self._flush(batch)
                batch, size = [], 0
        if batch:
            self._flush(batch)

    def _flush(self, batch: list[str]) -> None:
        cp = np.frombuffer(("\n".join(batch) + "\n").encode("utf-32-le"), dtype=np.uint32)
        if int(cp.max()) < 0x10000:
            cp = cp.astype(np.uint16)
        lens = np.fromiter((len(s) + 1 for s in batch), dtype=np.int64, count=len(batch))
        starts = np.cumsum(lens) - lens
        self.chunks.append(_Chunk(cp, starts, self.n_docs))
        self.n_docs += len(batch)
        self.n_chars += len(cp)


def _corpus(strings: Sequence[str] | Corpus) -> Corpus:
    return strings if isinstance(strings, Corpus) else Corpus(strings)


def _sorted_unique(keys: np.ndarray) -> np.ndarray:
    """np.unique, but by sorting: numpy's hash-based unique is several times slower on these keys."""
    keys = np.sort(keys)
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))]


def _varints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LEB128 bytes of non-negative values < 2**32 (the same bytes as encode.encode_varints, with
    narrower temporaries), plus the byte offset at which each value starts."""
    v = values.astype(np.uint32, copy=False)
    lens = np.ones(len(v), dtype=np.uint8)
    for shift in (7, 14, 21, 28):
        lens += v >= np.uint32(1 << shift)
    starts = np.cumsum(lens, dtype=np.int64)
    total = int(starts[-1]) if len(starts) else 0
    starts -= lens
    out = np.empty(total, dtype=np.uint8)
    out[starts] = (v & np.uint32(0x7F)).astype(np.uint8) | ((lens > 1).astype(np.uint8) << np.uint8(7))
    for k in range(1, int(lens.max()) if len(lens) else 0):
        m = np.flatnonzero(lens > k)
        byte = ((v[m] >> np.uint32(7 * k)) & np.uint32(0x7F)).astype(np.uint8)
        out[starts[m] + k] = byte | ((lens[m] > k + 1).astype(np.uint8) << np.uint8(7))
    return out, starts


def use_bitmap(delta_bytes: int, last_id: int) -> bool:
    """A gram's posting is a bitmap once its gaps take more bytes than its bitmap (which ends at
    its last doc id: encode.BITMAP)."""
    return delta_bytes > bitmap_size(last_id)


def doc_posting(ids: np.ndarray) -> tuple[int, bytes]:
    """(encoding, payload) of one gram's sorted doc ids, exactly as the corpus passes write it."""
    if not len(ids):
        return DELTA, b""
    ids = np.asarray(ids, dtype=np.int64)
    data, _starts = _varints(np.diff(ids, prepend=0))
    if use_bitmap(len(data), int(ids[-1])):
        return BITMAP, bitmap(ids)
    return DELTA, data.tobytes()


def position_group(positions: Sequence[int]) -> bytes:
    """One doc's part of a bigram's positions: varint count, then the gaps (the first is the offset)."""
    gaps = (b - a for a, b in zip(positions, positions[1:], strict=False))
    return varint_bytes([len(positions), positions[0], *gaps])


def is_checkpoint_doc(url: str) -> bool:
    return zlib.crc32(b"checkpoint " + stand_ins.placed_by(url).encode()) % CHECKPOINT_DOCS == 0


def checkpoint_docs(urls: Sequence[str]) -> np.ndarray:
    """The ids of the checkpoint docs (see CHECKPOINT_DOCS) of docs with these urls, in id order."""
    return np.array([i for i, url in enumerate(urls) if is_checkpoint_doc(url)], dtype=np.int64)


def position_checkpoints(docs: np.ndarray, group_starts: np.ndarray, p_len: int, at_docs: np.ndarray) -> bytes:
    """For each checkpoint doc (`at_docs`, sorted ids), the byte offset of the first group whose doc
    id is at least the checkpoint doc's (p_len if there is none); then p_len; as uint32."""
    at = np.searchsorted(docs, at_docs)
    offsets = np.append(np.asarray(group_starts, dtype=np.int64), p_len)[at]
    return np.append(offsets, p_len).astype("<u4").tobytes()


def gram_docs(strings: Sequence[str]) -> dict[str, np.ndarray]:
    """Every unigram and bigram of some corpus strings, each with the (sorted) indices of the
    strings that hold it: what the corpus passes would post, for a few thousand docs at once
    (the docs whose ids a patch shifts)."""
    if not strings:
        return {}
    cp = np.frombuffer("\n".join(strings).encode("utf-32-le"), dtype=np.uint32)
    # Each string and the separator after it (a string may hold SEP itself: title, SEP, text).
    lengths = np.fromiter((len(x) + 1 for x in strings), dtype=np.int64, count=len(strings))
    doc = np.repeat(np.arange(len(strings), dtype=np.uint64), lengths)[: len(cp)]
    chars = cp != SEP
    pairs = chars[:-1] & chars[1:]
    out: dict[str, np.ndarray] = {}
    for codes, docs, key in (
        (cp[chars].astype(np.uint64), doc[chars], chr),
        (_bigram_codes(cp[:-1][pairs], cp[1:][pairs]), doc[:-1][pairs], _bigram_key),
    ):
        if not len(codes):
            continue
        both = _sorted_unique((codes << np.uint64(20)) | docs)
        gram, of = both >> np.uint64(20), (both & np.uint64(MAX_DOCS - 1)).astype(np.int64)
        bounds = np.flatnonzero(np.concatenate(([True], gram[1:] != gram[:-1], [True])))
        for lo, hi, code in zip(bounds[:-1].tolist(), bounds[1:].tolist(), gram[bounds[:-1]].tolist(), strict=True):
            out[key(code)] = of[lo:hi]
    return out


def doc_grams(combined: str) -> tuple[set[str], dict[str, list[int]]]:
    """One doc's unigrams, and its bigrams with their positions: what the corpus passes find in
    one corpus string (the patcher's per-doc counterpart of the vectorised passes)."""
    unigrams = set(combined)
    unigrams.discard(chr(SEP))
    bigrams: dict[str, list[int]] = {}
    for i in range(len(combined) - 1):
        gram = combined[i : i + 2]
        if chr(SEP) not in gram:
            bigrams.setdefault(gram, []).append(i)
    return unigrams, bigrams


def _doc_postings(gram_of_pair: np.ndarray, doc_of_pair: np.ndarray):
    """Per gram: (first pair index, df, enc, payload) from (gram, doc) pairs sorted by gram then doc."""
    first = np.concatenate(([True], gram_of_pair[1:] != gram_of_pair[:-1]))
    doc_of_pair = doc_of_pair.astype(np.int64, copy=False)
    gaps = np.where(first, doc_of_pair, doc_of_pair - np.concatenate(([0], doc_of_pair[:-1])))
    data, value_starts = _varints(gaps)
    del gaps
    starts = np.flatnonzero(first)
    offsets = np.concatenate((value_starts[starts], [len(data)]))
    ends = np.concatenate((starts[1:], [len(doc_of_pair)]))
    raw = data.tobytes()
    for i, (s, e) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        lo, hi = int(offsets[i]), int(offsets[i + 1])
        if use_bitmap(hi - lo, int(doc_of_pair[e - 1])):
            yield s, e - s, BITMAP, bitmap(doc_of_pair[s:e])
        else:
            yield s, e - s, DELTA, raw[lo:hi]


def _bounds(sample: list[np.ndarray], per_bucket: int) -> np.ndarray:
    """Bucket boundaries (sorted, distinct) such that each bucket holds about per_bucket keys."""
    keys = np.sort(np.concatenate(sample)) if sample else np.zeros(0, dtype=np.uint64)
    step = max(1, per_bucket // SAMPLE_STRIDE)
    return np.unique(keys[step::step]).astype(np.uint64)


def _doc_of(chunk: _Chunk, local: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(doc id, offset in doc) of positions local to a chunk, as int32."""
    d = np.searchsorted(chunk.starts, local, side="right") - 1
    pos = (local - chunk.starts[d]).astype(np.int32)
    return (d + chunk.first_doc).astype(np.int32), pos


# --- unigrams ---------------------------------------------------------------------------


def unigram_postings(strings: Sequence[str] | Corpus) -> Iterator[Posting]:
    corpus = _corpus(strings)
    sample = []
    for ch in corpus.chunks:
        s = ch.cp[::SAMPLE_STRIDE]
        sample.append(s[s != SEP].astype(np.uint64))
    bounds = [0, *_bounds(sample, UNIGRAM_BUCKET).tolist(), 1 << 32]
    del sample
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        parts = []
        for ch in corpus.chunks:
            cp = ch.cp
            if lo > int(np.iinfo(cp.dtype).max):
                continue
            mask = cp >= lo if lo > 0 else np.ones(len(cp), dtype=bool)
            if hi <= int(np.iinfo(cp.dtype).max):
                mask &= cp < hi
            mask &= cp != SEP
            local = np.flatnonzero(mask)
            del mask
            if len(local):
                doc, _pos = _doc_of(ch, local)
                parts.append(
                    _sorted_unique((cp[local].astype(np.uint64) << np.uint64(20)) | doc.astype(np.uint64))
                )
        if not parts:
            continue
        pairs = _sorted_unique(np.concatenate(parts))
        del parts
        grams = pairs >> np.uint64(20)
        docs = (pairs & np.uint64(MAX_DOCS - 1)).astype(np.int64)
        del pairs
        for s, df, enc, payload in _doc_postings(grams, docs):
            yield Posting(chr(int(grams[s])), df, enc, payload, b"")


# --- bigrams ----------------------------------------------------------------------------


def _bigram_codes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a.astype(np.uint64) << np.uint64(21)) | b.astype(np.uint64)


def _bigram_key(code: int) -> str:
    return chr(code >> 21) + chr(code & 0x1FFFFF)


def _bigram_buckets(corpus: Corpus, per_bucket: int) -> int:
    """Assign every position a bucket id (a range of bigram codes); positions starting no bigram
    get the id n_buckets.  Returns n_buckets."""
    sample = []
    for ch in corpus.chunks:
        a, b = ch.cp[:-1:SAMPLE_STRIDE], ch.cp[1::SAMPLE_STRIDE]
        a = a[: len(b)]
        valid = (a != SEP) & (b != SEP)
        sample.append(_bigram_codes(a[valid], b[valid]))
    bounds = _bounds(sample, per_bucket)
    del sample
    n = len(bounds) + 1
    dtype = np.uint8 if n < 0xFF else np.uint16 if n < 0xFFFF else np.uint32
    for ch in corpus.chunks:
        a, b = ch.cp[:-1], ch.cp[1:]
        bucket = np.full(len(ch.cp), n, dtype=dtype)
        valid = np.flatnonzero((a != SEP) & (b != SEP))
        bucket[valid] = np.searchsorted(bounds, _bigram_codes(a[valid], b[valid]), side="right")
        ch.bucket = bucket
    return n


def _bigram_bucket(corpus: Corpus, k: int, with_pos: bool):
    """(codes, doc ids, offsets) of the bigrams in bucket k, in (doc, offset) order."""
    codes, docs, poss = [], [], []
    for ch in corpus.chunks:
        local = np.flatnonzero(ch.bucket == k)
        if len(local):
            codes.append(_bigram_codes(ch.cp[local], ch.cp[local + 1]))
            doc, pos = _doc_of(ch, local)
            docs.append(doc)
            if with_pos:
                poss.append(pos)
    if not codes:
        return None
    return (
        np.concatenate(codes),
        np.concatenate(docs),
        np.concatenate(poss) if with_pos else None,
    )


def _release(corpus: Corpus) -> None:
    for ch in corpus.chunks:
        ch.bucket = None


def _each_bigram_bucket(strings: Sequence[str] | Corpus, bucket_size: int, *, with_pos: bool) -> Iterator[list]:
    """The corpus's bigram buckets one at a time, each as a list [codes, doc, pos]: the caller
    empties the list when done, so no bucket is held while the next one is built."""
    corpus = _corpus(strings)
    try:
        for k in range(_bigram_buckets(corpus, bucket_size)):
            got = _bigram_bucket(corpus, k, with_pos=with_pos)
            if got is not None:
                bucket = list(got)
                del got
                yield bucket
                bucket.clear()
                del bucket
    finally:
        _release(corpus)


def bigram_doc_postings(strings: Sequence[str] | Corpus) -> Iterator[Posting]:
    """Bigram → docs, without positions (used for titles)."""
    for bucket in _each_bigram_bucket(strings, UNIGRAM_BUCKET, with_pos=False):
        codes, doc, _ = bucket
        bucket.clear()
        pairs = _sorted_unique((codes << np.uint64(20)) | doc.astype(np.uint64))
        del codes, doc
        grams = pairs >> np.uint64(20)
        docs = (pairs & np.uint64(MAX_DOCS - 1)).astype(np.int64)
        del pairs
        for s, df, enc, payload in _doc_postings(grams, docs):
            yield Posting(_bigram_key(int(grams[s])), df, enc, payload, b"")


def bigram_postings(strings: Sequence[str] | Corpus, at_docs: np.ndarray | None = None) -> Iterator[Posting]:
    """Bigram → docs, plus every position of the bigram in each doc (for exact phrase checks);
    at_docs: the checkpoint docs (position_checkpoints)."""
    at_docs = np.zeros(0, dtype=np.int64) if at_docs is None else at_docs
    for bucket in _each_bigram_bucket(strings, BIGRAM_BUCKET, with_pos=True):
        codes, doc, pos = bucket
        bucket.clear()
        yield from _bigram_bucket_postings(codes, doc, pos, at_docs)
        del codes, doc, pos  # before the next bucket is built


def _bigram_bucket_postings(codes: np.ndarray, doc: np.ndarray, pos: np.ndarray, at_docs: np.ndarray):
    order = np.argsort(codes, kind="stable")  # stable: (doc, pos) order survives inside a gram
    codes, doc, pos = codes[order], doc[order], pos[order]
    del order
    gram_start = np.concatenate(([True], codes[1:] != codes[:-1]))
    pair_start = gram_start | np.concatenate(([True], doc[1:] != doc[:-1]))
    pair_idx = np.flatnonzero(pair_start)
    counts = np.diff(np.concatenate((pair_idx, [len(pos)])))
    pos[1:] -= np.where(pair_start[1:], 0, pos[:-1])  # position gaps; a pair's first gap is its offset
    # Each pair's payload is its count followed by its position gaps.
    vals = np.insert(pos, pair_idx, counts.astype(pos.dtype))
    del pos, counts
    pos_data, value_starts = _varints(vals)
    del vals
    # A pair's group starts at its count, the value at pair_idx[k] + k once the counts are in.
    pair_bytes = value_starts[pair_idx + np.arange(len(pair_idx))]
    gram_pair_rank = np.flatnonzero(gram_start[pair_idx])  # rank of each gram's first pair
    pos_offsets = np.concatenate((pair_bytes[gram_pair_rank], [len(pos_data)]))
    del value_starts, gram_start, pair_start, gram_pair_rank
    pos_raw = pos_data.tobytes()
    del pos_data
    gram_of_pair = codes[pair_idx]
    doc_of_pair = doc[pair_idx]
    del codes, doc, pair_idx
    for g, (s, df, enc, payload) in enumerate(_doc_postings(gram_of_pair, doc_of_pair)):
        lo, hi = int(pos_offsets[g]), int(pos_offsets[g + 1])
        checkpoints = None
        if hi - lo > CHECKPOINT_MIN:
            starts = pair_bytes[s : s + df] - lo
            checkpoints = position_checkpoints(doc_of_pair[s : s + df], starts, hi - lo, at_docs)
        yield Posting(_bigram_key(int(gram_of_pair[s])), df, enc, payload, pos_raw[lo:hi], checkpoints)
