"""Binary encodings of the static index, mirrored by the decoder in assets/search.js.

Varints are LEB128 (7 bits per byte, low first, high bit = more).  A posting list of doc ids
is stored one of three ways, whichever is smallest:

* DELTA  (0): varints of the gaps (the first gap is the first id);
* BITMAP (1): bit i (little-endian within a byte) set when doc i is in it, up to the byte that
  holds its last doc id: a posting's bytes depend on its own doc ids alone, never on how many docs
  the index has, so that a doc added at the end rewrites only the postings that hold it;
* RUNS   (2): varint pairs (gap from the previous run's end, run length) — facet values such as
  a year are contiguous because doc ids are assigned in date order.

A "table" file holds keyed entries: varint entry count, varint fields per entry, then each
entry as (varint key byte length, UTF-8 key, `fields` varints), then the entries' inline
payloads concatenated in entry order.  What the fields mean depends on the table type (see
builder.py); payload byte lengths are always among them so the client can slice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

DELTA, BITMAP, RUNS = 0, 1, 2


def varint_lengths(values: np.ndarray) -> np.ndarray:
    v = values.astype(np.uint64, copy=False)
    lens = np.ones(len(v), dtype=np.int64)
    for shift in (7, 14, 21, 28, 35):
        lens += v >= np.uint64(1 << shift)
    return lens


def encode_varints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All values as one LEB128 byte array (vectorised: 30M values take about a second),
    plus each value's encoded length so that callers can slice per list."""
    v = values.astype(np.uint64, copy=False)
    lens = varint_lengths(v)
    if len(v) == 0:
        return np.zeros(0, dtype=np.uint8), lens
    ends = np.cumsum(lens)
    starts = ends - lens
    out = np.empty(int(ends[-1]), dtype=np.uint8)
    for k in range(int(lens.max())):
        m = lens > k
        byte = (v[m] >> np.uint64(7 * k)) & np.uint64(0x7F)
        more = (lens[m] > k + 1).astype(np.uint64) << np.uint64(7)
        out[starts[m] + k] = (byte | more).astype(np.uint8)
    return out, lens


def varint_bytes(values: Iterable[int]) -> bytes:
    """Small lists (headers, facet postings) without the numpy round trip."""
    out = bytearray()
    for value in values:
        if value < 0:
            raise ValueError("varints are unsigned")
        while value >= 0x80:
            out.append((value & 0x7F) | 0x80)
            value >>= 7
        out.append(value)
    return bytes(out)


def gaps(ids: np.ndarray) -> np.ndarray:
    """Sorted ids → gaps (first gap = first id)."""
    ids = ids.astype(np.int64, copy=False)
    return np.diff(ids, prepend=0)


def bitmap_size(last_id: int) -> int:
    """Bytes of a bitmap whose last doc id is `last_id`."""
    return last_id // 8 + 1


def bitmap(ids: np.ndarray | Sequence[int]) -> bytes:
    ids = np.asarray(ids, dtype=np.int64)
    bits = np.zeros(int(ids[-1]) + 1 if len(ids) else 0, dtype=bool)
    bits[ids] = True
    return np.packbits(bits, bitorder="little").tobytes()


def runs(ids: np.ndarray) -> bytes:
    ids = np.asarray(ids, dtype=np.int64)
    if len(ids) == 0:
        return b""
    breaks = np.flatnonzero(np.diff(ids) != 1) + 1
    starts = ids[np.concatenate(([0], breaks))]
    lengths = np.diff(np.concatenate(([0], breaks, [len(ids)])))
    prev_end = np.concatenate(([0], starts[:-1] + lengths[:-1]))
    return encode_varints(np.stack((starts - prev_end, lengths), axis=1).ravel())[0].tobytes()


def best_posting(ids: np.ndarray | Sequence[int], *, allow_runs: bool = True) -> tuple[int, bytes]:
    """(encoding, payload) of the smallest representation of a sorted id list."""
    if len(ids) < 64:  # numpy's per-call overhead dominates on the many tiny lists
        plain = [int(x) for x in ids]
        return DELTA, varint_bytes(b - a for a, b in zip([0, *plain], plain, strict=False))
    ids = np.asarray(ids, dtype=np.int64)
    delta = encode_varints(gaps(ids))[0].tobytes()
    best = (DELTA, delta)
    if bitmap_size(int(ids[-1])) < len(best[1]):
        best = (BITMAP, bitmap(ids))
    if allow_runs:
        rl = runs(ids)
        if len(rl) < len(best[1]):
            best = (RUNS, rl)
    return best


def table_bytes(entries: Sequence[tuple[str, Sequence[int], bytes]], n_fields: int) -> bytes:
    """A table file (format in the module docstring); entries must already be sorted."""
    head = bytearray(varint_bytes((len(entries), n_fields)))
    for key, fields, _payload in entries:
        if len(fields) != n_fields:
            raise ValueError(f"entry {key!r}: {len(fields)} fields, expected {n_fields}")
        head += entry_header(key, fields)
    return bytes(head) + b"".join(p for _k, _f, p in entries)


def entry_header(key: str, fields: Sequence[int]) -> bytes:
    """An entry's part of a table's header: key length, key, fields."""
    raw = key.encode("utf-8")
    return varint_bytes((len(raw),)) + raw + varint_bytes(fields)


def fnv1a(key: str) -> int:
    """32-bit FNV-1a over UTF-8; the client computes the same to find a key's shard."""
    h = 0x811C9DC5
    for byte in key.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


# --- decoding (the patcher reads back what the builder wrote) ------------------------------


def decode_varints(data: bytes | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every LEB128 value in `data` (int64), plus the offset just past each value."""
    raw = np.frombuffer(data, dtype=np.uint8) if isinstance(data, bytes | bytearray | memoryview) else data
    ends = np.flatnonzero(raw < 0x80) + 1
    starts = np.concatenate(([0], ends[:-1])) if len(ends) else ends
    lens = ends - starts
    values = np.zeros(len(ends), dtype=np.int64)
    for k in range(int(lens.max()) if len(lens) else 0):
        m = np.flatnonzero(lens > k)
        values[m] |= (raw[starts[m] + k].astype(np.int64) & 0x7F) << (7 * k)
    return values, ends


def delta_ids(payload: bytes) -> list[int]:
    """The ids of a short DELTA posting (varint gaps), in plain Python: for a few dozen bytes that
    beats numpy's per-call overhead."""
    ids, cur, value, shift = [], 0, 0, 0
    for byte in payload:
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            cur += value
            ids.append(cur)
            value, shift = 0, 0
    return ids


def decode_posting(enc: int, payload: bytes, n_docs: int) -> np.ndarray:
    """Sorted doc ids (int64) of a posting written by best_posting or the gram passes."""
    if not payload:
        return np.zeros(0, dtype=np.int64)
    if enc == DELTA and len(payload) <= 32:  # most postings: plain Python beats numpy's overhead
        return np.array(delta_ids(payload), dtype=np.int64)
    if enc == BITMAP:
        bits = np.unpackbits(np.frombuffer(payload, dtype=np.uint8), bitorder="little")[:n_docs]
        return np.flatnonzero(bits).astype(np.int64, copy=False)
    values, _ends = decode_varints(payload)
    if enc == DELTA:
        return np.cumsum(values)
    if enc != RUNS:
        raise ValueError(f"unknown posting encoding {enc}")
    gap, length = values[0::2], values[1::2]
    starts = np.cumsum(gap + np.concatenate(([0], length[:-1])))
    runs_of = zip(starts.tolist(), length.tolist(), strict=True)
    return np.concatenate([np.arange(s, s + n, dtype=np.int64) for s, n in runs_of])


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def table_spans(data: bytes, *, raw_keys: bool = False) -> tuple[list, list[list[int]], list[int]]:
    """The keys (bytes if raw_keys) and fields of a table file's entries, and where each entry's
    header starts (one more: where the payloads start), so that a patch can copy the entries it
    leaves alone.  Most varints of a table are one byte: they are read inline, for speed (a patch
    reads thousands of tables)."""
    count, pos = _varint(data, 0)
    n_fields, pos = _varint(data, pos)
    keys, fields, starts = [], [], []
    per_entry = range(n_fields)
    for _ in range(count):
        starts.append(pos)
        length = data[pos]
        if length < 0x80:
            pos += 1
        else:
            length, pos = _varint(data, pos)
        end = pos + length
        keys.append(data[pos:end])
        head = data[end : end + n_fields]
        if max(head, default=0) < 0x80:  # every field one byte
            fields.append(list(head))
            pos = end + n_fields
            continue
        pos = end
        f = []
        for _ in per_entry:
            byte = data[pos]
            if byte < 0x80:
                f.append(byte)
                pos += 1
            else:
                value, pos = _varint(data, pos)
                f.append(value)
        fields.append(f)
    starts.append(pos)
    return (keys if raw_keys else [k.decode("utf-8") for k in keys]), fields, starts


def parse_table(data: bytes) -> tuple[list[tuple[str, tuple[int, ...]]], int]:
    """The entries (key, fields) of a table file, and the offset at which its payloads start."""
    keys, fields, starts = table_spans(data)
    return [(k, tuple(f)) for k, f in zip(keys, fields, strict=True)], starts[-1]
