"""patch_index: a patched index is byte for byte the full build of the changed docs.

Every check builds the changed docs afresh and compares the whole directory, the returned state,
and the files the patch says it wrote or deleted.  Most tests shrink the layout constants so that
a few hundred docs exercise what 100k docs do: grams with files of their own (renumbered when a
gram comes or goes), a `common` list that grams enter and leave, position checkpoints (and
checkpoint docs that come and go), bitmaps, and many doc-store chunks whose ends move.  Docs
come, go and move too: their ids follow date, so the ids of the docs after them shift."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import math
import random
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from search_site import special_docs
from synth_search_docs import credit_code, synth_docs

from generator.search import SearchDoc, builder, grams, patch, patch_ids, patch_plan
from generator.search.builder import build_index_with_state, placeholders
from generator.search.fold import fold
from generator.search.patch import CannotPatch, patch_index

SENTENCES = [
    "经调查认定，该起事故是一起因违规动火作业引发的生产安全责任事故。",
    "事故发生后，应急管理部门立即启动应急预案，组织开展救援处置工作。",
    "企业未按规定开展隐患排查治理，安全生产主体责任落实不到位。",
    "现场作业人员未经专门的安全作业培训，未取得特种作业操作证。",
    "危险化学品储罐区未设置可燃气体报警装置，安全设施不完善。",
    "调查组依法对事故单位及相关责任人员提出了处理建议。",
]


def _accidents(rng: random.Random, n: int) -> list[SearchDoc]:
    docs = []
    for i in range(n):
        year = 2019 + i % 6
        text = "".join(rng.choice(SENTENCES) for _ in range(rng.randrange(20, 60)))
        docs.append(
            SearchDoc(
                url=f"accidents/{i:03d}/",
                title=f"{rng.choice(['昆明', '曲靖', '大理'])}某化工企业“{i % 12 + 1}·{i % 28 + 1}”火灾事故调查报告",
                kind="accident",
                date=f"{year}-{i % 12 + 1:02d}-{i % 27 + 1:02d}",
                text=text,
                facets={"industry": (rng.choice(["危险化学品", "工贸"]),)},
            )
        )
    return docs


def _enterprises(rng: random.Random, n: int) -> list[SearchDoc]:
    docs = []
    for i in range(n):
        code = credit_code(rng)
        docs.append(
            SearchDoc(
                url=f"enterprises/{code}/",
                title=f"云南{rng.choice(['宏达', '鑫源', '华泰'])}{i}化工有限公司",
                kind="enterprise",
                date=f"202{i % 5}-0{i % 9 + 1}-1{i % 9}",
                text=f"统一社会信用代码：{code}。行政处罚记录 {i % 4} 条。",
                identifiers=(code,),
                fields={"统一社会信用代码": code},
            )
        )
    return docs


def _pages() -> list[SearchDoc]:
    return [
        SearchDoc(
            url=f"pages/p{i}/",
            title=f"政务公开指南第{i}部分",
            kind="page",
            text="本站公开行政处罚信息。" * (i + 1),
        )
        for i in range(4)
    ]


@pytest.fixture(scope="module")
def corpus() -> list[SearchDoc]:
    rng = random.Random(5)
    return synth_docs(160) + special_docs() + _accidents(rng, 16) + _enterprises(rng, 40) + _pages()


@pytest.fixture
def small_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """What 100k docs do, at a few hundred: every layout decision has cases on both sides."""
    monkeypatch.setattr(builder, "EXTERNAL_MIN", 48)
    monkeypatch.setattr(builder, "SHARD_TARGET", 1500)
    monkeypatch.setattr(builder, "COMMON_LISTED", 40)
    monkeypatch.setattr(builder, "CHUNK_MIN", 2500)
    monkeypatch.setattr(builder, "CHUNK_GAP", 4000)
    monkeypatch.setattr(builder, "CHUNK_MAX", 16000)
    monkeypatch.setattr(grams, "CHECKPOINT_DOCS", 16)
    monkeypatch.setattr(grams, "CHECKPOINT_MIN", 48)
    # Past a few docs a posting is patched with numpy, from its last gaps where the moving docs
    # are known: at 100k most postings of a touched gram are that long, here few would be.
    monkeypatch.setattr(patch_plan, "_SMALL", 6)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class _Index:
    """An index patched step by step, checked after each step against a full build."""

    def __init__(self, docs: list[SearchDoc], root: Path) -> None:
        self.docs = {d.url: d for d in docs}
        self.root = root
        self.dir = root / "patched"
        _stats, self.state = build_index_with_state(docs, self.dir)
        self.files = _snapshot(self.dir)
        self.steps = 0

    def change(
        self,
        changes: list[tuple[SearchDoc, SearchDoc]],
        added: list[SearchDoc] = (),  # type: ignore[assignment]
        removed: list[SearchDoc] = (),  # type: ignore[assignment]
    ) -> patch.PatchResult:
        before = self.files
        result = patch_index(self.dir, self.state, changes, added=added, removed=removed)
        for old in [*removed, *(old for old, _new in changes)]:
            del self.docs[old.url]
        for new in [*added, *(new for _old, new in changes)]:
            self.docs[new.url] = new
        self.steps += 1
        full_dir = self.root / f"full{self.steps}"
        _stats, full_state = build_index_with_state(list(self.docs.values()), full_dir)
        after, full = _snapshot(self.dir), _snapshot(full_dir)
        assert sorted(after) == sorted(full), (sorted(set(after) ^ set(full)))[:10]
        assert [name for name in full if after[name] != full[name]] == []
        assert result.state == full_state
        assert result.written == {name for name in after if before.get(name) != after[name]}
        assert result.deleted == set(before) - set(after)
        for name in result.written:  # written like a full build's files (no 0600 temporary files)
            assert (self.dir / name).stat().st_mode == (full_dir / name).stat().st_mode
        self.state, self.files = result.state, after
        return result


def _phrase(rng: random.Random) -> str:
    return rng.choice(
        ["危险", "安全生产", "重大事故隐患", "龟", "x7", "〔2024〕9号", "滇应急罚〔2024〕12号", "乙炔气瓶"]
    )


def _insert(rng: random.Random, d: SearchDoc) -> SearchDoc:
    at = rng.randrange(len(d.text) + 1)
    return dataclasses.replace(d, text=d.text[:at] + _phrase(rng) + d.text[at:])


def _substitute(rng: random.Random, d: SearchDoc) -> SearchDoc:
    at = rng.randrange(max(1, len(d.text) - 3))
    return dataclasses.replace(d, text=d.text[:at] + rng.choice(["违规", "罚", "2"]) + d.text[at + 2 :])


def _delete(rng: random.Random, d: SearchDoc) -> SearchDoc:
    at = rng.randrange(max(1, len(d.text)))
    return dataclasses.replace(d, text=d.text[:at] + d.text[at + rng.randrange(1, 9) :])


def _title(rng: random.Random, d: SearchDoc) -> SearchDoc:
    return dataclasses.replace(d, title=rng.choice([d.title + "（更正）", d.title[2:], "關於" + d.title]))


def _facet(rng: random.Random, d: SearchDoc) -> SearchDoc:
    facets = dict(d.facets)
    choice = rng.randrange(4)
    if choice == 0:
        facets["category"] = (rng.choice(["罚款", "警告", "没收违法所得", "暂扣许可证"]),)
    elif choice == 1:
        facets["level"] = (rng.choice(["一般", "较大"]),)  # no doc has a level at first: files renumber
    elif choice == 2:
        facets.pop(rng.choice(sorted(facets)) if facets else "x", None)
    else:
        facets["zone"] = ("经开区",)
    return dataclasses.replace(d, facets=facets)


def _sort_key(rng: random.Random, d: SearchDoc) -> SearchDoc:
    keys = dict(d.sort_keys)
    choice = rng.randrange(3)
    if choice == 0:
        keys["amount"] = float(rng.choice([5000, 123457, 10**7]))
    elif choice == 1:
        keys["days"] = float(rng.randrange(30))
    else:
        keys.pop("amount", None)
    return dataclasses.replace(
        d, sort_keys=keys, fields={**d.fields, "罚款金额": f"{keys.get('amount', 0)}元"}
    )


def _identifier(rng: random.Random, d: SearchDoc) -> SearchDoc:
    """A new 文号 (sometimes one that other docs mention in their text), or none."""
    choice = rng.randrange(4)
    if choice == 0:
        new = f"滇应急罚〔2024〕{rng.choice([12, 123, 112])}号"  # mentioned in the special docs' texts
    elif choice == 1:
        new = f"应急罚〔2024〕{rng.randrange(10, 99)}号"
    elif choice == 2:
        new = credit_code(rng)
    else:
        return dataclasses.replace(d, identifiers=d.identifiers[1:])
    text = d.text + f"文号：{new}。" if rng.random() < 0.7 else d.text
    return dataclasses.replace(d, identifiers=(new, *d.identifiers[1:]), text=text)


def _big(rng: random.Random, d: SearchDoc) -> SearchDoc:
    """Kilobytes more or less: doc-store chunk ends move."""
    if rng.random() < 0.5 and len(d.text) > 200:
        return dataclasses.replace(d, text=d.text[: len(d.text) // 4])
    return dataclasses.replace(
        d, text=d.text + "".join(rng.choice(SENTENCES) for _ in range(rng.randrange(20, 80)))
    )


def _other(rng: random.Random, d: SearchDoc) -> SearchDoc:
    return rng.choice(
        [
            dataclasses.replace(d, text=""),
            dataclasses.replace(d, fields={**d.fields, "备注": "已履行"}),
            dataclasses.replace(d, kind="accident" if d.kind != "accident" else "penalty"),
            dataclasses.replace(d, text=d.text + "繁體字：安全生產許可證"),
        ]
    )


EDITS: dict[str, Callable[[random.Random, SearchDoc], SearchDoc]] = {
    "insert": _insert,
    "substitute": _substitute,
    "delete": _delete,
    "title": _title,
    "facet": _facet,
    "sort key": _sort_key,
    "identifier": _identifier,
    "big": _big,
    "other": _other,
}


def _changes(index: _Index, rng: random.Random, kinds: list[str]) -> list[tuple[SearchDoc, SearchDoc]]:
    urls = rng.sample(sorted(index.docs), len(kinds))
    return [(index.docs[u], EDITS[kind](rng, index.docs[u])) for u, kind in zip(urls, kinds, strict=True)]


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_each_kind_of_edit_patches_to_a_full_build(
    kind: str, corpus: list[SearchDoc], tmp_path: Path, small_layout: None
) -> None:
    rng = random.Random(kind)
    index = _Index(corpus, tmp_path)
    for _ in range(3):  # successive patches, each from the state the previous one returned
        index.change(_changes(index, rng, [kind]))


@pytest.mark.parametrize("seed", [1, 2])
def test_random_edits_of_several_docs_at_once(
    seed: int, corpus: list[SearchDoc], tmp_path: Path, small_layout: None
) -> None:
    rng = random.Random(seed)
    index = _Index(corpus, tmp_path)
    for _ in range(6):
        index.change(_changes(index, rng, [rng.choice(sorted(EDITS)) for _ in range(rng.randrange(1, 5))]))
    # The same doc twice in a row, and a change that undoes the previous one.
    d = index.docs["penalties/000007/"]
    edited = _insert(rng, d)
    index.change([(d, edited)])
    index.change([(edited, d)])


def test_facets_and_sort_keys_that_come_and_go(
    corpus: list[SearchDoc], tmp_path: Path, small_layout: None
) -> None:
    """A facet no doc had (level: its files come before industry's, which renumber), a sort key
    no doc had, and both gone again."""
    index = _Index(corpus, tmp_path)
    d = index.docs["penalties/000030/"]
    new = dataclasses.replace(
        d, facets={**d.facets, "level": ("较大",)}, sort_keys={**d.sort_keys, "days": 3.0}
    )
    grown = index.change([(d, new)])
    assert {"f/6.bin", "s/1.bin"} <= grown.written
    shrunk = index.change([(new, d)])
    assert {"f/6.bin", "s/1.bin"} <= shrunk.deleted


def test_grams_that_enter_and_leave_the_common_list(
    corpus: list[SearchDoc], tmp_path: Path, small_layout: None
) -> None:
    """The first gram left out of meta.json's `common` list gets into it (so the last one in is
    pushed out: its files change, its data does not), then out again."""
    index = _Index(corpus, tmp_path)
    ranked = sorted(index.state.candidates, key=lambda k: (-index.state.candidates[k], k))
    last_in, first_out = ranked[builder.COMMON_LISTED - 1], ranked[builder.COMMON_LISTED]
    needed = index.state.candidates[last_in] - index.state.candidates[first_out] + 1
    lacking = [d for d in index.docs.values() if first_out not in fold(d.title + "\n" + d.text)][:needed]
    changes = [(d, dataclasses.replace(d, text=d.text + first_out)) for d in lacking]
    index.change(changes)
    common = json.loads((index.dir / "meta.json").read_text(encoding="utf-8"))["common"]
    assert first_out in common and last_in not in common
    index.change([(new, old) for old, new in changes])
    common = json.loads((index.dir / "meta.json").read_text(encoding="utf-8"))["common"]
    assert first_out not in common and last_in in common


def test_the_real_layout_patches_too(corpus: list[SearchDoc], tmp_path: Path) -> None:
    rng = random.Random(9)
    index = _Index(corpus, tmp_path)
    for kinds in (["insert"], ["title", "identifier"], ["big", "facet", "sort key"]):
        index.change(_changes(index, rng, kinds))


def test_an_edit_rewrites_few_files(corpus: list[SearchDoc], tmp_path: Path, small_layout: None) -> None:
    index = _Index(corpus, tmp_path)
    d = index.docs["penalties/000042/"]
    facet = index.change([(d, dataclasses.replace(d, facets={**d.facets, "category": ("暂扣许可证",)}))])
    assert facet.written == {"meta.json", "f/2.bin"}  # category is the third facet
    d = index.docs["penalties/000043/"]
    row = index.change([(d, dataclasses.replace(d, fields={**d.fields, "备注": "已履行"}))])
    # One chunk (two if an end moved), and meta.json for its content version.
    assert "meta.json" in row.written and any(name.startswith("d/") for name in row.written)
    assert all(name.startswith("d/") or name in ("chunks.json", "meta.json") for name in row.written)
    d = index.docs["penalties/000044/"]
    grown = index.change([(d, _big(random.Random(1), d))])
    assert len([name for name in grown.written if name.startswith("d/")]) <= 4


def test_no_change_writes_nothing(corpus: list[SearchDoc], tmp_path: Path) -> None:
    index = _Index(corpus, tmp_path)
    before = _snapshot(index.dir)
    d = index.docs["penalties/000003/"]
    result = patch_index(index.dir, index.state, [(d, d)])
    assert result.written == result.deleted == frozenset() and result.state == index.state
    assert _snapshot(index.dir) == before


def _refused(index: _Index, changes: list, match: str, state: object = None, **options: object) -> None:
    before = _snapshot(index.dir)
    with pytest.raises(CannotPatch, match=match):
        patch_index(index.dir, state or index.state, changes, **options)  # type: ignore[arg-type]
    assert _snapshot(index.dir) == before  # not a byte written, no temporary file left


def test_what_cannot_be_patched_leaves_the_directory_untouched(
    corpus: list[SearchDoc], tmp_path: Path, small_layout: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = _Index(corpus, tmp_path)
    d = index.docs["penalties/000010/"]
    ghost = dataclasses.replace(d, url="penalties/ghost/")
    _refused(index, [(ghost, _insert(random.Random(1), ghost))], "not in the index")
    _refused(index, [], "not in the index", removed=[ghost])
    _refused(index, [(d, d), (d, _insert(random.Random(1), d))], "changed twice")
    _refused(index, [(d, _insert(random.Random(1), d))], "changed twice", removed=[d])
    _refused(index, [], "in the index already", added=[d])
    _refused(index, [], "added twice", added=[ghost, ghost])
    _refused(index, [], "doc store differs", removed=[_insert(random.Random(1), d)])
    stale = dataclasses.replace(d, text=d.text + "这一句不在索引里")
    _refused(index, [(stale, _insert(random.Random(2), stale))], "old version")
    _refused(index, [(d, _insert(random.Random(3), d))], "options", facet_labels={"category": "类别"})
    old_state = index.state
    index.change([(d, _insert(random.Random(4), d))])
    e = index.docs["penalties/000011/"]
    _refused(index, [(e, _insert(random.Random(5), e))], "not the one the state describes", state=old_state)
    # A new identifier form that many docs could contain is left to a full build.
    monkeypatch.setattr(patch_ids, "FORM_CANDIDATES_MAX", 0)
    dates = Counter(m for d in corpus for m in set(re.findall(r"\d{4}年\d{1,2}月\d{1,2}日", d.text)))
    date = min(date for date, count in dates.items() if count >= 2)  # no doc has it as identifier
    _refused(index, [(e, dataclasses.replace(e, identifiers=(date,)))], "is new and could be in")


@pytest.mark.parametrize("folder", ["g", "p", "d"])
@pytest.mark.parametrize("damage", ["cut short", "a byte flipped"])
def test_damaged_files_of_the_index_are_refused_not_crashed_on(
    corpus: list[SearchDoc], tmp_path: Path, small_layout: None, folder: str, damage: str
) -> None:
    """The live index may have been cut short or altered behind the build's back: a file the
    patch reads that does not decode is CannotPatch (the site then builds the index afresh),
    never a decoder's IndexError reaching the user, and nothing is written."""
    index = _Index(corpus, tmp_path)
    files = sorted(p for p in (index.dir / folder).iterdir() if p.is_file())
    assert files
    for path in files:
        data = path.read_bytes()
        path.write_bytes(data[:3] if damage == "cut short" else data[:1] + bytes([data[1] ^ 0xFF]) + data[2:])
    d = index.docs["penalties/000014/"]
    before = _snapshot(index.dir)
    try:
        patch_index(index.dir, index.state, [(d, _insert(random.Random(8), d))])
    except CannotPatch:
        assert _snapshot(index.dir) == before
    else:  # a flipped byte in a part the patch never decodes goes unnoticed here (a build's live-site check sees it)
        assert damage == "a byte flipped"


def test_a_new_identifier_is_found_in_the_texts_of_other_docs(
    corpus: list[SearchDoc], tmp_path: Path, small_layout: None
) -> None:
    index = _Index(corpus, tmp_path)
    docno = next(
        d.identifiers[0] for d in corpus if d.identifiers and d.identifiers[0].startswith("昆应急罚")
    )
    form = docno[1:]  # 应急罚〔2024〕5号: no doc has it, the docs of 昆应急罚〔2024〕5号 contain it
    assert sum(fold(form) in fold(d.title + d.text) for d in corpus) >= 1
    assert not any(fold(form) == fold(i) for d in corpus for i in d.identifiers)
    d = index.docs[
        "enterprises/" + next(u.split("/")[1] for u in index.docs if u.startswith("enterprises/")) + "/"
    ]
    index.change([(d, dataclasses.replace(d, identifiers=(*d.identifiers, form)))])
    index.change([(index.docs[d.url], d)])  # and gone again
    # In the changed doc's title this time (the id tables list title matches apart).
    index.change([(d, dataclasses.replace(d, title=d.title + form, identifiers=(form,)))])


def test_an_interrupted_patch_is_not_patched_over(
    corpus: list[SearchDoc], tmp_path: Path, small_layout: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A patch that dies while writing (here after its first file) leaves a directory that the old
    state no longer describes: the next patch is refused, and a full build starts over."""
    index = _Index(corpus, tmp_path)
    d = index.docs["penalties/000012/"]
    write = patch_plan.write_atomic
    calls = []

    def dying(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) > 1:
            raise OSError("disk full")
        write(path, data)

    monkeypatch.setattr(patch_plan, "write_atomic", dying)
    with pytest.raises(OSError, match="disk full"):
        patch_index(index.dir, index.state, [(d, _insert(random.Random(6), d))])
    monkeypatch.setattr(patch_plan, "write_atomic", write)
    assert calls[0].name == "meta.json"
    e = index.docs["penalties/000013/"]
    with pytest.raises(CannotPatch, match="not the one the state describes"):
        patch_index(index.dir, index.state, [(e, _insert(random.Random(7), e))])


def test_a_change_of_the_shard_count_is_refused(
    corpus: list[SearchDoc], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shard count is a power of two of the inline bytes: with the target set so that the
    index sits just below a step, a few new grams cross it."""
    _stats, state = build_index_with_state(corpus, tmp_path / "probe")
    monkeypatch.setattr(builder, "SHARD_TARGET", math.ceil(state.inline / 16))
    index = _Index(corpus, tmp_path)
    assert index.state.shards == 16
    d = index.docs["penalties/000020/"]
    grown = dataclasses.replace(d, text=d.text + "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥")
    _refused(index, [(d, grown)], "shard count")
    _stats, full = build_index_with_state(
        [grown if x.url == d.url else x for x in corpus], tmp_path / "check"
    )
    assert full.shards == 32  # the refusal was right: the full build has another layout


def test_chunk_ends_come_back_to_the_old_ones() -> None:
    """The rule itself, with the real constants: after a doc grows, the chunk ends before it stay,
    and those after it are the old ones again within a few chunks."""
    rng = random.Random(3)
    rows = [(rng.randrange(200, 3000), rng.getrandbits(32)) for _ in range(5000)]
    old = [0, *builder.chunk_ends(rows)]
    rewritten = []
    for _ in range(100):
        at = rng.randrange(len(rows))
        grown = [*rows[:at], (rows[at][0] + rng.randrange(1, 5000), rows[at][1]), *rows[at + 1 :]]
        new = [0, *builder.chunk_ends(grown)]
        assert [e for e in old if e <= at] == [e for e in new if e <= at]
        moved = set(zip(new, new[1:], strict=False)) - set(zip(old, old[1:], strict=False))
        rewritten.append(max(1, len(moved)))  # the doc's own chunk, whether or not its ends moved
    assert max(rewritten) <= 4 and sum(rewritten) / len(rewritten) < 1.6


# --- docs that come, go and move -------------------------------------------------------------


def _day(date: str, days: int) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


def _newest(index: _Index) -> str:
    return max(d.date for d in index.docs.values())


def _by_date(index: _Index) -> list[SearchDoc]:
    """Dated docs, newest first (as the ids run backwards)."""
    return sorted((d for d in index.docs.values() if d.date), key=lambda d: (d.date, d.url), reverse=True)


def _new_doc(rng: random.Random, index: _Index, date: str, url: str | None = None) -> SearchDoc:
    """A new decision: another penalty's text with a 文号 of its own, under a new url."""
    base = index.docs[rng.choice(sorted(u for u in index.docs if u.startswith("penalties/0")))]
    number = rng.randrange(100, 100000)
    docno = f"新应急罚〔2026〕{number}号"
    text = base.text + f"行政处罚决定书文号：{docno}。" + rng.choice(SENTENCES)
    return dataclasses.replace(
        base,
        url=url or f"penalties/n{number:06d}/",
        title=f"{base.title[:8]}行政处罚决定（{docno}）",
        date=date,
        text=text,
        identifiers=(docno, *base.identifiers[1:]),
        sort_keys={"amount": float(rng.randrange(1, 50) * 1000)},
    )


def test_a_new_doc_dated_after_all_others(corpus: list[SearchDoc], tmp_path: Path, small_layout: None) -> None:
    rng = random.Random(11)
    index = _Index(corpus, tmp_path)
    last = _newest(index)
    first = _new_doc(rng, index, _day(last, 1))
    result = index.change([], added=[first])
    # Nothing moves: no doc-store chunk but the last ones is written, none deleted.
    assert not {name for name in result.deleted if name.startswith("d/")}
    # Two more on that day: one that sorts before it and one after (urls descend within a date).
    index.change([], added=[_new_doc(rng, index, _day(last, 1), "penalties/a/")])
    index.change([], added=[_new_doc(rng, index, _day(last, 1), "penalties/zz/")])
    index.change([], added=[_new_doc(rng, index, _day(last, 30)), _new_doc(rng, index, _day(last, 31))])


def test_a_new_doc_a_few_days_before_the_newest(corpus: list[SearchDoc], tmp_path: Path, small_layout: None) -> None:
    rng = random.Random(12)
    index = _Index(corpus, tmp_path)
    recent = _by_date(index)
    index.change([], added=[_new_doc(rng, index, _day(recent[0].date, -3))])
    # On the date of a recent doc, with urls on either side of its url.
    on = recent[4]
    index.change([], added=[_new_doc(rng, index, on.date, on.url[:-1] + "a/")])
    index.change([], added=[_new_doc(rng, index, on.date, on.url[:-2] + "/")])
    # Far back (the ids of most docs shift).
    index.change([], added=[_new_doc(rng, index, _day(recent[-1].date, 1))])


def test_removed_docs(corpus: list[SearchDoc], tmp_path: Path, small_layout: None) -> None:
    index = _Index(corpus, tmp_path)
    index.change([], removed=[_by_date(index)[0]])
    index.change([], removed=[_by_date(index)[6]])
    index.change([], removed=[_by_date(index)[3], _by_date(index)[9]])
    index.change([], removed=[_by_date(index)[-1]])  # the oldest: every id shifts
    page = next(d for d in index.docs.values() if not d.date)
    index.change([], removed=[page])


def test_changed_dates_and_urls(corpus: list[SearchDoc], tmp_path: Path, small_layout: None) -> None:
    """A changed date moves a doc: out of its place, in at its new one."""
    rng = random.Random(13)
    index = _Index(corpus, tmp_path)
    recent = _by_date(index)
    d = recent[2]
    index.change([(d, dataclasses.replace(d, date=_day(recent[0].date, 2)))])  # to the end
    d = _by_date(index)[0]
    index.change([(d, dataclasses.replace(d, date=_day(d.date, -40), text=d.text + "更正。"))])  # back
    # An enterprise whose newest record is new: from far back to the end.
    e = min((d for d in index.docs.values() if d.kind == "enterprise"), key=lambda d: d.date)
    index.change([(e, dataclasses.replace(e, date=_day(_newest(index), 1), text=e.text + "行政处罚记录 5 条。"))])
    # Another url (a pair with two urls is a removal and an addition), and an undated doc dated.
    d = _by_date(index)[5]
    index.change([(d, dataclasses.replace(d, url="penalties/renamed/"))])
    page = next(d for d in index.docs.values() if not d.date)
    index.change([(page, dataclasses.replace(page, date=_day(_newest(index), -1)))])
    assert rng  # the generator is unused here: the moves are chosen by date


def test_undated_docs_come_and_go(corpus: list[SearchDoc], tmp_path: Path, small_layout: None) -> None:
    index = _Index(corpus, tmp_path)
    page = next(d for d in index.docs.values() if not d.date)
    index.change([], added=[dataclasses.replace(page, url="pages/a-new-one/", text="新增的页面：办事指南。")])
    index.change([], added=[dataclasses.replace(page, url="zzz/")])
    index.change([], removed=[index.docs["pages/a-new-one/"]])


def test_several_changes_at_once(corpus: list[SearchDoc], tmp_path: Path, small_layout: None) -> None:
    rng = random.Random(14)
    index = _Index(corpus, tmp_path)
    recent = _by_date(index)
    added = [_new_doc(rng, index, _day(recent[0].date, 1)), _new_doc(rng, index, recent[3].date)]
    added.append(_new_doc(rng, index, _day(recent[8].date, -1)))
    removed = [recent[1], recent[5]]
    moved = recent[7]
    changes = [(moved, dataclasses.replace(moved, date=_day(recent[0].date, 1)))]
    changes += [(d, _insert(rng, d)) for d in (recent[2], recent[30])]
    index.change(changes, added=added, removed=removed)


def test_checkpoint_docs_that_come_and_go(corpus: list[SearchDoc], tmp_path: Path, small_layout: None) -> None:
    """Positions of the common bigrams keep checkpoints at the docs whose url hash hits (one in 16
    here): an added one gets checkpoints in every big bigram, a removed one takes them along."""
    rng = random.Random(15)
    index = _Index(corpus, tmp_path)
    urls = (f"penalties/cp{i}/" for i in itertools.count())
    hits = [u for u in itertools.islice(urls, 400) if grams.is_checkpoint_doc(u)]
    recent = _by_date(index)
    before = len(index.state.checkpoint_docs)
    index.change([], added=[_new_doc(rng, index, recent[10].date, hits[0])])  # among recent docs
    index.change([], added=[_new_doc(rng, index, _day(recent[0].date, 1), hits[1])])  # at the end
    index.change([], added=[_new_doc(rng, index, _day(recent[-1].date, 1), hits[2])])  # far back
    assert len(index.state.checkpoint_docs) == before + 3
    # Just before and just after a checkpoint doc (urls descend within a date): the bytes of the
    # new doc's groups count before the checkpoint doc's group, or after it.
    at = [index.docs[index.state.urls[i]] for i in index.state.checkpoint_docs]
    c = next(d for d in reversed(at) if d.date and d.kind == "penalty")
    index.change([], added=[_new_doc(rng, index, c.date, c.url + "0/")])
    index.change([], added=[_new_doc(rng, index, c.date, c.url[:-1])])
    gone = [index.docs[u] for u in index.docs if grams.is_checkpoint_doc(u)][:3]
    index.change([], removed=gone)
    assert len(index.state.checkpoint_docs) == before


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_random_sequences_of_patches(seed: int, corpus: list[SearchDoc], tmp_path: Path, small_layout: None) -> None:
    rng = random.Random(seed)
    index = _Index(corpus, tmp_path)
    for _ in range(8):
        recent = _by_date(index)
        added, removed, changes = [], [], []
        for _ in range(rng.randrange(1, 4)):
            what = rng.choice(["add", "add", "remove", "move", "edit"])
            pick = recent[rng.randrange(min(20, len(recent)))]
            if pick in removed or any(pick is old for old, _new in changes):
                continue
            if what == "add":
                added.append(_new_doc(rng, index, _day(recent[0].date, rng.randrange(-6, 3))))
            elif what == "remove":
                removed.append(pick)
            elif what == "move":
                changes.append((pick, dataclasses.replace(pick, date=_day(pick.date, rng.randrange(-5, 6)))))
            else:
                changes.append((pick, EDITS[rng.choice(sorted(EDITS))](rng, pick)))
        index.change(changes, added=added, removed=removed)


def test_moving_too_many_docs_is_refused(
    corpus: list[SearchDoc], tmp_path: Path, small_layout: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(16)
    monkeypatch.setattr(patch_plan, "MOVED_MAX", 10)
    index = _Index(corpus, tmp_path)
    recent = _by_date(index)
    _refused(index, [], "move the ids of", added=[_new_doc(rng, index, recent[20].date)])
    _refused(index, [], "move the ids of", removed=[recent[30]])
    old = recent[-1]
    _refused(index, [(old, dataclasses.replace(old, date=_day(recent[0].date, 1)))], "move the ids of")
    page = next(d for d in index.docs.values() if not d.date)
    _refused(index, [], "move the ids of", added=[dataclasses.replace(page, url="pages/new/")])
    # Near the end is fine, and so is an edit of an old doc.
    index.change([(old, _insert(rng, old))], added=[_new_doc(rng, index, recent[3].date)], removed=[recent[5]])


@pytest.mark.parametrize("seed", [21, 22])
def test_as_many_docs_coming_as_going_within_old_dates_moves_only_those_dates(
    seed: int, corpus: list[SearchDoc], tmp_path: Path, small_layout: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A doc of an old date replaced by another of that date (its placeholder: a withdrawn
    decision; or the same doc under a changed url), alone or with edits: the docs past the last
    change keep their ids, so the patch moves only the docs between, however old the date
    (MOVED_MAX counts only those)."""
    rng = random.Random(seed)
    index = _Index(corpus, tmp_path)
    monkeypatch.setattr(patch_plan, "MOVED_MAX", 40)
    for _ in range(5):
        dated = _by_date(index)
        old = dated[rng.randrange(len(dated) // 2, len(dated))]  # from the older half of the index
        same_day = [d for d in dated if d.date == old.date and d is not old]
        stand_in = _placeholder(index, old.date)
        changes = [] if rng.random() < 0.5 else [(d, _insert(rng, d)) for d in same_day[:1]]
        if rng.random() < 0.5:  # and a newer doc edited: past the movers, it keeps its id
            changes.append((newer := dated[rng.randrange(len(dated) // 4)], _insert(rng, newer)))
        if rng.random() < 0.5:
            index.change(changes, added=[stand_in], removed=[old])
        else:  # the same, as a change of url
            index.change([*changes, (old, dataclasses.replace(old, url=old.url + "x/"))])
    # A doc that goes with none coming still moves every doc after it.
    _refused(index, [], "move the ids of", removed=[_by_date(index)[-1]])


def _placeholder(index: _Index, date: str) -> SearchDoc:
    """One more placeholder for that date (placeholders are numbered within a date)."""
    there = sum(url.startswith(f"~{date}-") for url in index.docs)
    return placeholders([date] * (there + 1))[-1]


def test_a_placeholder_standing_for_a_doc_takes_its_id(corpus: list[SearchDoc], tmp_path: Path) -> None:
    """A doc withdrawn from the middle of the busiest date, a placeholder standing for it
    (stand_ins): the placeholder takes the doc's very id, so no other doc's id moves."""
    index = _Index(corpus, tmp_path)
    days = Counter(d.date for d in index.docs.values() if d.date)
    busiest = max(days, key=lambda day: (days[day], day))
    same_day = [d for d in _by_date(index) if d.date == busiest]
    assert len(same_day) >= 3
    for old in (same_day[len(same_day) // 2], same_day[-1], same_day[0]):  # the middle, the oldest id, the newest
        before = list(index.state.urls)
        (stand_in,) = placeholders(standing_for=[(old.url, old.date)])
        result = index.change([], added=[stand_in], removed=[old])
        assert list(result.state.urls) == [stand_in.url if url == old.url else url for url in before]
    # A doc of that date that comes back, and a new one: each goes where a full build puts it.
    index.change([], added=[old], removed=[stand_in])
    index.change([], added=[dataclasses.replace(old, url=old.url + "new/")])


def test_a_placeholder_that_is_a_checkpoint_doc(corpus: list[SearchDoc], tmp_path: Path, small_layout: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A withdrawn doc's placeholder whose url makes it a checkpoint doc (grams.is_checkpoint_doc),
    with docs after it that keep their ids: the grams none of whose docs moves still hold docs
    after it, and their checkpoint for it is the group of the first of those."""
    index = _Index(corpus, tmp_path)
    monkeypatch.setattr(patch_plan, "MOVED_MAX", 40)
    dated = _by_date(index)
    old = next(
        d for d in dated[len(dated) // 2 :] if grams.is_checkpoint_doc(_placeholder(index, d.date).url)
    )
    index.change([], added=[_placeholder(index, old.date)], removed=[old])
    later = next(d for d in _by_date(index)[: len(dated) // 2] if not d.url.startswith("~"))
    index.change([(later, _insert(random.Random(5), later))])  # and a patch after it, on its state


def test_removing_every_doc_is_left_to_a_full_build(corpus: list[SearchDoc], tmp_path: Path) -> None:
    index = _Index(corpus[:5], tmp_path)
    _refused(index, [], "full build", removed=list(index.docs.values()))


def test_the_real_layout_patches_new_and_removed_docs(corpus: list[SearchDoc], tmp_path: Path) -> None:
    rng = random.Random(17)
    index = _Index(corpus, tmp_path)
    recent = _by_date(index)
    index.change([], added=[_new_doc(rng, index, _day(recent[0].date, 1))])
    index.change([], added=[_new_doc(rng, index, _day(recent[0].date, -7))], removed=[recent[4]])
    d = _by_date(index)[3]
    index.change([(d, dataclasses.replace(d, date=_day(d.date, -10)))])
