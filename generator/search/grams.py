"""Character n-gram postings over the whole corpus at once, vectorised with numpy.

A Python loop over every character position is too slow at 100k records (tens of millions of
positions); numpy does the same work in seconds: the corpus becomes one array of code points,
grams become integers, and one stable sort groups them by gram while keeping (doc, position)
order inside each gram.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .encode import BITMAP, DELTA, bitmap, encode_varints

SEP = 10  # "\n": folding drops whitespace, so it never occurs in folded text; grams across it are dropped
MAX_DOCS = 1 << 20


@dataclass(frozen=True)
class Posting:
    key: str
    df: int  # number of docs containing the gram
    enc: int  # DELTA or BITMAP
    docs: bytes
    positions: bytes  # per doc in posting order: varint count, then position gaps; b"" for unigrams


def _sorted_unique(keys: np.ndarray) -> np.ndarray:
    """np.unique, but by sorting: numpy's hash-based unique is several times slower on these keys."""
    keys = np.sort(keys)
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))]


def _codepoints(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Code points of all strings joined by SEP, with each position's doc id and offset in its doc."""
    corpus = "\n".join(strings) + "\n"
    cp = np.frombuffer(corpus.encode("utf-32-le"), dtype=np.uint32)
    lens = np.fromiter((len(s) + 1 for s in strings), dtype=np.int64, count=len(strings))
    doc = np.repeat(np.arange(len(strings), dtype=np.int64), lens)
    pos = np.arange(len(cp), dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)
    return cp, doc, pos


def _slices(lens: np.ndarray, group_starts: np.ndarray) -> np.ndarray:
    """Byte offsets (len(groups) + 1) of groups of consecutive varints."""
    offsets = np.concatenate(([0], np.cumsum(lens)))
    return np.concatenate((offsets[group_starts], [offsets[-1]]))


def _doc_postings(gram_of_pair: np.ndarray, doc_of_pair: np.ndarray, n_docs: int):
    """Per gram: (first pair index, df, enc, payload) from (gram, doc) pairs sorted by gram then doc."""
    first = np.concatenate(([True], gram_of_pair[1:] != gram_of_pair[:-1]))
    gaps = np.where(first, doc_of_pair, doc_of_pair - np.concatenate(([0], doc_of_pair[:-1])))
    data, lens = encode_varints(gaps)
    starts = np.flatnonzero(first)
    offsets = _slices(lens, starts)
    ends = np.concatenate((starts[1:], [len(doc_of_pair)]))
    bm_len = (n_docs + 7) // 8
    raw = data.tobytes()
    for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
        lo, hi = int(offsets[i]), int(offsets[i + 1])
        if hi - lo > bm_len:
            yield int(s), int(e - s), BITMAP, bitmap(doc_of_pair[s:e], n_docs)
        else:
            yield int(s), int(e - s), DELTA, raw[lo:hi]


def unigram_postings(strings: Sequence[str], n_docs: int) -> Iterator[Posting]:
    cp, doc, _pos = _codepoints(strings)
    keep = cp != SEP
    pairs = _sorted_unique((cp[keep].astype(np.uint64) << np.uint64(20)) | doc[keep].astype(np.uint64))
    grams = pairs >> np.uint64(20)
    docs = (pairs & np.uint64(MAX_DOCS - 1)).astype(np.int64)
    for s, df, enc, payload in _doc_postings(grams, docs, n_docs):
        yield Posting(chr(int(grams[s])), df, enc, payload, b"")


def _bigram_codes(cp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = cp[:-1], cp[1:]
    valid = (a != SEP) & (b != SEP)
    return (a[valid].astype(np.uint64) << np.uint64(21)) | b[valid].astype(np.uint64), valid


def _bigram_key(code: int) -> str:
    return chr(code >> 21) + chr(code & 0x1FFFFF)


def bigram_doc_postings(strings: Sequence[str], n_docs: int) -> Iterator[Posting]:
    """Bigram → docs, without positions (used for titles)."""
    cp, doc, _pos = _codepoints(strings)
    codes, valid = _bigram_codes(cp)
    pairs = _sorted_unique((codes << np.uint64(20)) | doc[:-1][valid].astype(np.uint64))
    grams = pairs >> np.uint64(20)
    docs = (pairs & np.uint64(MAX_DOCS - 1)).astype(np.int64)
    for s, df, enc, payload in _doc_postings(grams, docs, n_docs):
        yield Posting(_bigram_key(int(grams[s])), df, enc, payload, b"")


def bigram_postings(strings: Sequence[str], n_docs: int) -> Iterator[Posting]:
    """Bigram → docs, plus every position of the bigram in each doc (for exact phrase checks)."""
    cp, doc, pos = _codepoints(strings)
    codes, valid = _bigram_codes(cp)
    doc, pos = doc[:-1][valid], pos[:-1][valid]
    order = np.argsort(codes, kind="stable")  # stable: (doc, pos) order survives inside a gram
    codes, doc, pos = codes[order], doc[order], pos[order]
    del order
    gram_start = np.concatenate(([True], codes[1:] != codes[:-1]))
    pair_start = gram_start | np.concatenate(([True], doc[1:] != doc[:-1]))
    pair_idx = np.flatnonzero(pair_start)
    counts = np.diff(np.concatenate((pair_idx, [len(pos)])))
    pos_gaps = np.where(pair_start, pos, pos - np.concatenate(([0], pos[:-1])))
    # Each pair's payload is its count followed by its position gaps.
    vals = np.insert(pos_gaps, pair_idx, counts)
    pos_data, pos_lens = encode_varints(vals)
    del vals, pos_gaps
    gram_idx = np.flatnonzero(gram_start)
    pair_rank = np.cumsum(pair_start) - 1
    pos_offsets = _slices(pos_lens, gram_idx + pair_rank[gram_idx])
    pos_raw = pos_data.tobytes()
    gram_of_pair = codes[pair_idx]
    for g, (s, df, enc, payload) in enumerate(_doc_postings(gram_of_pair, doc[pair_idx], n_docs)):
        positions = pos_raw[int(pos_offsets[g]) : int(pos_offsets[g + 1])]
        yield Posting(_bigram_key(int(gram_of_pair[s])), df, enc, payload, positions)
