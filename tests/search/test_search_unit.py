"""Folding, encodings and index determinism (no browser)."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import numpy as np
import pytest

from generator.search import SearchDoc, build_index
from generator.search.encode import BITMAP, DELTA, RUNS, best_posting, encode_varints, table_bytes
from generator.search.fold import client_fold_table, fold, identifier_key
from generator.search.grams import bigram_postings
from generator.search.identifiers import IdentifierScan, could_be_identifier

ROOT = Path(__file__).resolve().parents[2]


def read_varints(data: bytes) -> list[int]:
    out, cur, shift = [], 0, 0
    for b in data:
        cur |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            out.append(cur)
            cur, shift = 0, 0
    return out


def decode(enc: int, payload: bytes, n_docs: int) -> list[int]:
    if enc == BITMAP:
        bits = np.unpackbits(np.frombuffer(payload, dtype=np.uint8), bitorder="little")[:n_docs]
        return [int(i) for i in np.flatnonzero(bits)]
    vals, out, cur = read_varints(payload), [], 0
    if enc == DELTA:
        for v in vals:
            cur += v
            out.append(cur)
        return out
    for gap, length in zip(vals[::2], vals[1::2], strict=True):
        cur += gap
        out.extend(range(cur, cur + length))
        cur += length
    return out


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("安全生產", "安全生产"),
        ("ＡＢＣ１２３", "abc123"),
        ("滇应急罚〔2024〕12号", "滇应急罚(2024)12号"),
        ("滇应急罚【2024】12号", "滇应急罚(2024)12号"),
        ("滇应急罚［2024］12号", "滇应急罚(2024)12号"),
        ("滇应急罚（２０２４）１２号", "滇应急罚(2024)12号"),
        ("滇应急罚 〔2024〕\u300012 号", "滇应急罚(2024)12号"),
        ("“3·29”", '"3·29"'),
        ("危險化學品", "危险化学品"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_fold_is_a_homomorphism() -> None:
    # Substring recall rests on fold(a + b) == fold(a) + fold(b).
    rng = random.Random(1)
    alphabet = "安全生產产ＡＢab 〔〕【】（）12３４·・“”\u3000é"
    for _ in range(500):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randrange(8)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randrange(8)))
        assert fold(a + b) == fold(a) + fold(b)


def test_identifier_variants_share_a_key() -> None:
    variants = [
        "滇应急罚〔2024〕12号",
        "滇应急罚[2024]12号",
        "滇应急罚【2024】12号",
        "滇应急罚(2024)12号",
        "滇应急罚（２０２４）１２号",
        "滇应急罚 〔2024〕 12 号",
        "滇应急罚2024 12号",
    ]
    assert {identifier_key(v) for v in variants} == {"滇应急罚202412号"}
    assert identifier_key("91530100ma6k7xq12b") == identifier_key("91530100MA6K7XQ12B")


def test_client_table_only_ships_traditional_chars_that_can_match() -> None:
    table = client_fold_table({"产", "安"})
    assert table["產"] == "产"
    assert "學" not in table  # 学 is not in the index: nothing to find either way
    assert table["〔"] == "(" and table["\u3000"] == ""


def test_varints_round_trip() -> None:
    values = np.array([0, 1, 127, 128, 300, 16384, 2**21, 2**28 + 5, 2**35 + 7], dtype=np.uint64)
    data, lens = encode_varints(values)
    assert read_varints(data.tobytes()) == [int(v) for v in values]
    assert lens.sum() == len(data)


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        ([3, 70, 900], DELTA),
        (list(range(0, 1000, 2)), BITMAP),
        (list(range(100, 900)) + list(range(950, 999)), RUNS),
    ],
)
def test_best_posting_picks_the_smallest(ids: list[int], expected: int) -> None:
    enc, payload = best_posting(np.array(ids))
    assert enc == expected
    assert decode(enc, payload, 1000) == ids


def test_bigram_positions() -> None:
    bodies = ["安全生产安全", "x\n安全", "生产"]
    postings = {p.key: p for p in bigram_postings(bodies)}
    anquan = postings["安全"]
    assert anquan.df == 2 and decode(anquan.enc, anquan.docs, 3) == [0, 1]
    # doc 0: 2 positions (0, 4) → count 2, gaps 0, 4; doc 1: 1 position (2) → count 1, gap 2
    assert read_varints(anquan.positions) == [2, 0, 4, 1, 2]
    assert "x\n" not in postings and "\n安" not in postings


def test_table_layout() -> None:
    data = table_bytes([("a", (1, 2), b"xy"), ("bb", (3, 4), b"z")], 2)
    assert data == bytes([2, 2, 1]) + b"a" + bytes([1, 2, 2]) + b"bb" + bytes([3, 4]) + b"xyz"


def _docs() -> list[SearchDoc]:
    return [
        SearchDoc(
            url=f"p/{i}/",
            title=f"标题{i}",
            kind="penalty" if i % 3 else "accident",
            date=f"202{i % 5}-01-0{1 + i % 9}" if i % 7 else "",
            text=f"正文{i}安全生产{'危险化学品' * (i % 4)}",
            identifiers=(f"滇应急罚〔2024〕{i}号",),
            facets={"category": ("罚款", "警告")[: 1 + i % 2]},
            sort_keys={"amount": float(i % 6)},
            fields={"文书号": f"滇应急罚〔2024〕{i}号"},
        )
        for i in range(60)
    ]


def test_build_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    build_index(_docs(), a)
    build_index(list(reversed(_docs())), b)  # input order must not matter
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files_a)


def test_build_refuses_a_foreign_directory(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(ValueError, match="refusing"):
        build_index(_docs(), tmp_path)


def test_build_rebuilds_its_own_directory(tmp_path: Path) -> None:
    out = tmp_path / "idx"
    build_index(_docs(), out)
    (out / "g" / "stale.bin").write_bytes(b"old")
    stats = build_index(_docs()[:10], out)
    assert not (out / "g" / "stale.bin").exists() and stats.docs == 10


def test_shipped_t2s_table_is_what_the_pinned_zhconv_gives() -> None:
    """t2s.json is generated data: after a zhconv upgrade, scripts/make_t2s_table.py rewrites it."""
    spec = importlib.util.spec_from_file_location("make_t2s_table", ROOT / "scripts" / "make_t2s_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    derived = module.t2s_from_zhconv()
    assert len(derived) > 2500 and derived["產"] == "产" and derived["險"] == "险"
    assert (ROOT / "generator" / "search" / "t2s.json").read_text(encoding="utf-8") == module.table_text(derived)


def test_identifier_scan_finds_every_doc_containing_a_form_once() -> None:
    scan = IdentifierScan(["滇应急罚〔2024〕12号", "91530100MA6K7XQ12B", "应急罚字", "滇应急罚[2024]12号"])
    # Forms are folded (both bracket styles are one form); a form without digits is not kept.
    assert scan.forms == ["91530100ma6k7xq12b", "滇应急罚(2024)12号"]
    texts = [
        ("处罚决定（滇应急罚〔2024〕12号）", "文号：滇应急罚〔2024〕12号。再次：滇应急罚【2024】12号。"),
        ("另一决定", "另见滇应急罚〔2024〕123号；代码 91530100MA6K7XQ12B"),
        ("滇应急罚〔2024〕1", "2号 跨越标题与正文的不算"),
        ("无关", "滇应急罚〔2024〕112号"),
    ]
    for doc_id, (title, text) in enumerate(texts):
        assert scan.scan(doc_id, fold(title), fold(text)) == fold(title) + "\n" + fold(text)
    assert list(scan.containing()) == [("91530100ma6k7xq12b", [1], []), ("滇应急罚(2024)12号", [0], [0])]
    assert could_be_identifier("2024年3月5日") and not could_be_identifier("安全生产许可证") and not could_be_identifier("12号")
