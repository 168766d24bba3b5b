"""Open data in a patch build (issue 8): files spliced from the previous build's, statistics tallied
again only for the months that changed — and always the same bytes as made from scratch.

The sample project is built once; each test changes its data as staff would (in order, each on top
of the ones before), makes the open data and the source copies twice — with the previous build's
memo and files, and without — and compares them byte for byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from opendata_helpers import SAMPLE, has_sample

from generator.history import History
from generator.incremental.records import RecordCache
from generator.incremental.store import Store
from generator.opendata import OpenData, open_data, page_key
from generator.opendata.dates import published_and_updated, record_dates
from generator.opendata.feeds import FeedEntry, newest_entries
from generator.opendata.records import KIND_ORDER, KindRows
from generator.opendata.splice import Made, Previous, spliced
from generator.opendata.stats import MonthTallies
from generator.publication import decide
from generator.schema.kinds import KINDS
from generator.settings import load_settings
from generator.site.source_copies import source_copy_files
from generator.sources.yaml_loader import load_records
from generator.sources.yaml_writer import dump_records
from generator.validate import load_and_validate

AS_OF = dt.date(2026, 11, 21)
SITE_URL = "https://yj.yunlan.example.gov.cn/"
Row = dict[str, object]

pytestmark = pytest.mark.skipif(not has_sample(), reason="the sample data is not in this checkout")


# --- the splice itself ---------------------------------------------------------------------------------


def _key(n: int) -> bytes:
    return n.to_bytes(16, "little")


@pytest.mark.parametrize("seed", range(4))
def test_splicing_gives_the_bytes_of_making_every_piece(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(300):
        _splice_history(rnd)


def _splice_history(rnd: random.Random) -> None:
    """A file made, then changed four times (rows added, removed, moved, changed), each time both
    spliced from the one before and made afresh."""
    texts: dict[int, bytes] = {}

    def text(n: int) -> bytes:
        return texts.setdefault(n, bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 6))) + b"|")

    head, tail, sep = rnd.choice([(b"", b"", b""), (b"[\n", b"\n]\n", b",\n")])
    ids = rnd.sample(range(1, 40), rnd.randint(0, 12))
    made = spliced("f", [_key(i) for i in ids], lambda i: text(ids[i]), head, tail, sep)
    disk = {"f": made.content}
    for _step in range(4):
        new = _shuffled(rnd, ids)
        previous = Previous({"f": made.layout}, disk.get, lambda p: len(disk[p]))  # type: ignore[dict-item, arg-type]
        asked: list[int] = []

        def piece(i: int, new: list[int] = new, asked: list[int] = asked) -> bytes:
            asked.append(new[i])
            return text(new[i])

        got = spliced("f", [_key(i) for i in new], piece, head, tail, sep, previous=previous)
        want = spliced("f", [_key(i) for i in new], lambda i, new=new: text(new[i]), head, tail, sep)
        content = disk["f"] if got.content is None else got.content
        assert content == want.content
        assert got.layout == want.layout
        assert set(asked) <= set(new) - set(ids)  # only rows the previous file did not have are made
        assert got.fresh == len(asked)
        disk["f"], made, ids = content, got, new


def _shuffled(rnd: random.Random, ids: list[int]) -> list[int]:
    new = list(ids)
    for _ in range(rnd.randint(0, 3)):
        op = rnd.choice(["add", "remove", "move", "change"])
        if op == "add":
            new.insert(rnd.randint(0, len(new)), rnd.choice([i for i in range(1, 60) if i not in new]))
        elif op == "remove" and new:
            new.pop(rnd.randrange(len(new)))
        elif op == "move" and new:
            new.insert(rnd.randint(0, len(new) - 1), new.pop(rnd.randrange(len(new))))
        elif (
            op == "change" and new
        ):  # the record's text changed: another key (keys stay unique, as digests are)
            at = rnd.randrange(len(new))
            other = new[at] + 100 if new[at] < 100 else new[at] - 100
            if other not in new:
                new[at] = other
    return new


def test_a_file_that_is_not_the_one_its_layout_describes_is_made_afresh() -> None:
    keys = [_key(i) for i in range(5)]
    made = spliced("f", keys, lambda i: b"<%d>" % i, b"[", b"]", b",")
    broken = {"f": made.content[:-1]}  # type: ignore[index]
    previous = Previous({"f": made.layout}, broken.get, lambda p: len(broken[p]))
    again = spliced("f", keys, lambda i: b"<%d>" % i, b"[", b"]", b",", previous=previous)
    assert again.content == made.content and again.fresh == 5


# --- selections that read less than everything ---------------------------------------------------------


def test_the_newest_entries_are_those_of_sorting_everything(sample: Path) -> None:
    rnd = random.Random(7)
    day = dt.date(2026, 1, 1)
    state = _state(sample)
    rows = KindRows(state.publication, state.settings, "power-items")
    for _ in range(200):
        n = rnd.randint(0, 60)
        items = [(rows.kind, rnd.choice(rows.entries)) for _ in range(n)]
        dates = [
            (day + dt.timedelta(days=rnd.randint(0, 3)), day + dt.timedelta(days=rnd.randint(0, 3)))
            for _ in range(n)
        ]
        urls = [f"p/{rnd.randint(0, 9)}/" for _ in range(n)]
        limit = rnd.randint(1, 10)
        got = newest_entries(items, dates, state.settings, urls.__getitem__, limit)  # type: ignore[arg-type]
        everything = [FeedEntry(urls[i], "", "", p, u, rows.kind.label) for i, (p, u) in enumerate(dates)]
        everything.sort(key=lambda e: (e.updated, e.published, e.url), reverse=True)
        assert [(e.url, e.published, e.updated) for e in got] == [
            (e.url, e.published, e.updated) for e in everything[:limit]
        ]


def test_record_dates_are_published_and_updated(sample: Path) -> None:
    state = _state(sample)
    entries = [e for name in KIND_ORDER for e in KindRows(state.publication, state.settings, name).entries]
    some = entries[::3]
    history = History(
        first_seen={e.key: AS_OF - dt.timedelta(days=10 + i % 40) for i, e in enumerate(some)},
        last_changed={e.key: AS_OF - dt.timedelta(days=i % 30 - 5) for i, e in enumerate(some)},
    )
    changed = {e.key: AS_OF - dt.timedelta(days=3) for e in entries[::7]}
    for name in KIND_ORDER:
        rows = KindRows(state.publication, state.settings, name)
        expected = [
            published_and_updated(e, state.publication, history, AS_OF, changed) for e in rows.entries
        ]
        assert record_dates(rows, history, AS_OF, changed) == expected


# --- patching the sample project --------------------------------------------------------------------


@dataclasses.dataclass
class _State:
    root: Path
    settings: object
    catalog: object
    publication: object
    history: History


def _settings():  # noqa: ANN202 - the sample's settings
    settings, _ = load_settings(SAMPLE / "site_config.yml")
    assert settings is not None
    return settings


def _state(root: Path, history: History | None = None) -> _State:
    settings = _settings()
    records = RecordCache(Store(root / ".cache"), "test")  # gives every record its digest
    catalog, problems = load_and_validate(root, settings, records)
    records.save()
    assert not problems.has_errors, [p.as_text() for p in problems.errors]
    history = history or History()
    publication = decide(catalog, settings, AS_OF, history.first_seen, history.withdrawn_seen)
    return _State(root, settings, catalog, publication, history)


@dataclasses.dataclass
class _Built:
    files: dict[str, bytes]
    pages: dict[str, bytes]  # URL → page_key
    made: list[Made]
    memo_layouts: dict
    months: MonthTallies


def _make(state: _State, before: _Built | None = None) -> _Built:
    """The open data and the source copies, from the previous build's memo and files when given."""
    previous = None
    if before is not None:
        layouts = before.memo_layouts
        previous = Previous(
            layouts, before.files.get, lambda p: len(before.files[p]) if p in before.files else None
        )
    pub = state.publication
    kinds = {
        "penalties": pub.public_penalties,
        "accidents": pub.public_accidents,
        "power-items": pub.public_power_items,
    }
    copies = source_copy_files(kinds, state.settings, previous)  # type: ignore[arg-type]
    data: OpenData = open_data(
        state.catalog,
        pub,
        state.settings,
        AS_OF,
        state.history,
        SITE_URL,
        None,
        previous,  # type: ignore[arg-type]
        before.months if before is not None else None,
    )
    made = [*copies, *data.files]
    files = {m.path: (before.files[m.path] if m.content is None else m.content) for m in made}  # type: ignore[index]
    pages = {}
    for page in data.pages:
        key = page.key
        if key is None:
            key = page_key(page.url, page.title, page.description, page.body())
        elif before is None or before.pages.get(page.url) != key:
            body = page.body()
            assert body  # made when asked for
        pages[page.url] = key
    layouts = {m.path: m.layout for m in made if m.layout is not None}
    return _Built(files, pages, made, layouts, data.months)


def _fresh_pages(state: _State) -> dict[str, str]:
    data = open_data(state.catalog, state.publication, state.settings, AS_OF, state.history, SITE_URL, None)  # type: ignore[arg-type]
    return {p.url: p.body() for p in data.pages}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("patch") / "project"
    shutil.copytree(SAMPLE / "data", root / "data")
    return root


@pytest.fixture(scope="module")
def chain(sample: Path) -> dict:
    """The build the tests patch, each on top of the one before."""
    return {"built": _make(_state(sample))}


def _patched_equals_fresh(chain: dict, root: Path, history: History | None = None) -> _Built:
    state = _state(root, history)
    patched = _make(state, chain["built"])
    fresh = _make(state)
    assert patched.files.keys() == fresh.files.keys()
    assert [p for p in fresh.files if patched.files[p] != fresh.files[p]] == []
    assert patched.pages == fresh.pages
    assert [m.layout for m in patched.made] == [m.layout for m in fresh.made]
    # The months it kept are the months it would have tallied.
    assert patched.months == fresh.months
    # And a page it kept (by key) is the page it would make: its key was the previous build's.
    bodies = _fresh_pages(state)
    for url, key in patched.pages.items():
        if chain["built"].pages.get(url) == key and url in chain.get("bodies", {}):
            assert chain["bodies"][url] == bodies[url]
    chain["built"], chain["bodies"] = patched, bodies
    return patched


def _fresh_rows(built: _Built) -> dict[str, int]:
    return {m.path: m.fresh for m in built.made if m.fresh > 0}


def _edit(root: Path, kind_name: str, key: str, **values: object) -> None:
    _rewrite(
        root,
        kind_name,
        lambda rows: [
            _set(row, values) if row.get(KINDS[kind_name].key_header) == key else row for row in rows
        ],
    )


def _set(row: Row, values: dict) -> Row:
    row = dict(row)
    for header, value in values.items():
        if value is None:
            row.pop(header, None)
        else:
            row[header] = value
    return row


def _rewrite(
    root: Path, kind_name: str, change: Callable[[list[Row]], list[Row]], file_name: str | None = None
) -> None:
    kind = KINDS[kind_name]
    for path in sorted((root / "data" / kind_name).glob("*.yml")):
        if file_name and path.name != file_name:
            continue
        raws, problems = load_records(path, str(path), kind.key_header)
        assert not problems
        rows: list[Row] = [{h: v.value for h, v in raw.values.items()} for raw in raws]
        new = change(rows)
        if new != rows:
            path.write_text(dump_records(new, kind.headers), encoding="utf-8")


def _records(root: Path, kind_name: str, file_name: str) -> list[Row]:
    kind = KINDS[kind_name]
    path = root / "data" / kind_name / file_name
    raws, _ = load_records(path, str(path), kind.key_header)
    return [{h: v.value for h, v in raw.values.items()} for raw in raws]


def test_nothing_changed_keeps_every_file(chain: dict, sample: Path) -> None:
    built = _patched_equals_fresh(chain, sample)
    assert all(m.content is None for m in built.made if m.layout is not None)
    assert _fresh_rows(built) == {}


def test_an_edited_text(chain: dict, sample: Path) -> None:
    row = _records(sample, "penalties", "2026.yml")[4]
    _edit(sample, "penalties", row["行政处罚决定书文号"], 违法事实=f"经复核，{row['违法事实']}")
    built = _patched_equals_fresh(chain, sample)
    # The record's row in the downloads and the manifest, its text in its data file's copy.
    assert _fresh_rows(built) == {
        "data/penalties.csv": 1,
        "data/penalties.json": 1,
        "data/manifest.json": 1,
        "source/data/penalties/2026.yml": 1,
        "calendar.ics": 1,
    }
    unchanged = [m.path for m in built.made if m.content is None]
    assert "data/accidents.json" in unchanged and "source/data/penalties/2025.yml" in unchanged


def test_a_changed_fine(chain: dict, sample: Path) -> None:
    row = _records(sample, "penalties", "2026.yml")[7]
    _edit(
        sample,
        "penalties",
        row["行政处罚决定书文号"],
        **{"罚款金额（万元）": "8.8", "处罚内容": "处罚款人民币88000元。"},
    )
    before = chain["built"]
    built = _patched_equals_fresh(chain, sample)
    # Only the 2026 report and the overview are made again.
    assert [u for u, k in built.pages.items() if before.pages.get(u) != k] == [
        "statistics/",
        "statistics/2026/",
    ]


def test_a_renamed_party(chain: dict, sample: Path) -> None:
    row = _records(sample, "penalties", "2026.yml")[3]
    _edit(sample, "penalties", row["行政处罚决定书文号"], 行政相对人名称="云澜市新改名化工有限公司")
    _patched_equals_fresh(chain, sample)


def test_a_changed_decision_date_reorders_the_rows(chain: dict, sample: Path) -> None:
    row = _records(sample, "penalties", "2026.yml")[10]
    _edit(sample, "penalties", row["行政处罚决定书文号"], 处罚决定日期="2026-01-02", 公示日期="2026-01-06")
    _patched_equals_fresh(chain, sample)


def test_a_new_decision(chain: dict, sample: Path) -> None:
    from generator.rules.identifiers import make_credit_code

    def add(rows: list[Row]) -> list[Row]:
        new = dict(rows[-1])
        new["行政处罚决定书文号"] = "云应急罚〔2026〕999号"
        new["行政相对人名称"] = "云澜市首次出现安全技术有限公司"
        new["统一社会信用代码"] = make_credit_code("91429900MA0000001")
        new["处罚决定日期"] = "2026-11-02"
        return [*rows, new]

    _rewrite(sample, "penalties", add, "2026.yml")
    built = _patched_equals_fresh(chain, sample)
    assert built.files["data/penalties.csv"].count("云应急罚〔2026〕999号".encode()) == 1


def test_a_removed_decision(chain: dict, sample: Path) -> None:
    _rewrite(sample, "penalties", lambda rows: rows[:20] + rows[21:], "2026.yml")
    _patched_equals_fresh(chain, sample)


def test_a_withdrawn_decision(chain: dict, sample: Path) -> None:
    key = _records(sample, "penalties", "2026.yml")[30]["行政处罚决定书文号"]
    _edit(sample, "penalties", key, 状态="撤销", 状态变更日期="2026-11-02", 状态变更原因="经行政复议决定撤销")
    built = _patched_equals_fresh(chain, sample)
    assert str(key).encode() not in built.files["data/penalties.json"]


def test_a_renamed_power_item(chain: dict, sample: Path) -> None:
    code = _records(sample, "power-items", "penalty.yml")[8]["事项编码"]
    _edit(sample, "power-items", code, 事项名称="对生产经营单位未按规定进行动火作业现场管理的处罚（更名）")
    _patched_equals_fresh(chain, sample)


def test_an_accident_with_more_deaths(chain: dict, sample: Path) -> None:
    name = _records(sample, "accidents", "2025.yml")[2]["事故名称"]
    _edit(sample, "accidents", name, 死亡人数="12", 事故等级=None)
    _patched_equals_fresh(chain, sample)


def test_a_record_that_grows_a_line_moves_the_ones_below(chain: dict, sample: Path) -> None:
    key = _records(sample, "penalties", "2025.yml")[1]["行政处罚决定书文号"]
    _edit(sample, "penalties", key, 备注="经复核，更正当事人地址。")
    _patched_equals_fresh(chain, sample)


def test_records_reordered_in_their_file(chain: dict, sample: Path) -> None:
    _rewrite(sample, "penalties", lambda rows: rows[5:] + rows[:5], "2025.yml")
    _patched_equals_fresh(chain, sample)


def test_the_git_history_moves_dates_of_unchanged_records(chain: dict, sample: Path) -> None:
    state = _state(sample)
    entries = [*state.publication.public_penalties[:40], *state.publication.public_accidents[:5]]
    history = History(
        first_seen={e.key: AS_OF - dt.timedelta(days=40 + i) for i, e in enumerate(entries)},
        last_changed={e.key: AS_OF - dt.timedelta(days=i % 9) for i, e in enumerate(entries)},
    )
    _patched_equals_fresh(chain, sample, history)
    _patched_equals_fresh(chain, sample)  # and back


def test_a_whole_data_file_removed(chain: dict, sample: Path) -> None:
    (sample / "data" / "penalties" / "2024.yml").unlink()
    built = _patched_equals_fresh(chain, sample)
    assert "source/data/penalties/2024.yml" not in built.files
