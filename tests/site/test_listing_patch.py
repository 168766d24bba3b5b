"""Listings in patch builds (generator.site.listing_build): with the previous build's memo a listing
makes only the pages and data shards whose rows changed, and the files are byte for byte those a
full build writes — for changed, added, removed and reordered records, changed options, a record
moving to another year's shard, enterprises and power items whose counts change, and a live site
whose files were altered behind the build's back.

The sample project is built once (for mkdocs' pages and a context with record digests); each test
then changes the context directly, so that a listing can be written with and without a memo in
milliseconds."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import pickle
import shutil
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from incremental_helpers import AS_OF, build, sample_project

from generator.catalog import Entry
from generator.settings import load_settings
from generator.site.build import prepare
from generator.site.build_cache import BuildCache
from generator.site.files import SiteFiles
from generator.site.listing_build import ListingMemo, write_listing
from generator.site.listing_specs import LISTINGS
from generator.site.listings import (
    SHARD_END,
    SHARD_START,
    Cell,
    Filter,
    Listing,
    Row,
    RowWriter,
    Sort,
    absent,
    encode_row,
    listing_data,
    option_lookup,
    page_view,
    row_json,
    shard_json,
)
from generator.site.pages import Renderer, load_shells
from generator.site.record_views import Context

SITE_URL = "https://gongkai.yunlan.example.gov.cn/"
SECTIONS = ("penalties/", "accidents/", "power-items/", "enterprises/")


@dataclasses.dataclass
class Sample:
    mkdocs: Path  # mkdocs' own pages for the sample project, as the build cache keeps them
    ctx_bytes: bytes  # the prepared context (pickled: each test changes its own copy)

    def ctx(self) -> Context:
        ctx = pickle.loads(self.ctx_bytes)  # noqa: S301 - our own
        # Small pages, so that the sample's listings have many of them.
        return dataclasses.replace(ctx, settings=ctx.settings.model_copy(update={"records_per_page": 4}))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    root = sample_project(tmp_path_factory.mktemp("listing-patch") / "project")
    build(root, root / "site")
    mkdocs = next((root / ".gongkai-cache" / "sites").glob("*/mkdocs"))
    settings, _ = load_settings(root / "site_config.yml")
    assert settings is not None
    cache = BuildCache(root, root / "site", repr(settings), root / "site_config.yml", root / "data", root / "content", AS_OF)
    prepared, problems = prepare(root, settings, AS_OF, cache)
    assert prepared is not None, [p.as_text() for p in problems]
    return Sample(mkdocs, pickle.dumps(prepared.ctx))


@dataclasses.dataclass
class Written:
    files: dict[str, bytes]  # every file the listings made (or kept), with its bytes
    changed: set[str]
    memos: dict[str, ListingMemo | None]


def write_all(sample: Sample, ctx: Context, out: Path, memos: dict | None = None, fresh: bool = True) -> Written:
    """The four listings into `out`: a full build into a fresh copy of mkdocs' pages, or (fresh=False)
    a patch build of the live site at `out` with `memos`; files no longer made are removed, as the
    build does."""
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(sample.mkdocs, out)
        files = SiteFiles(out)
    else:
        files = SiteFiles(out, base=sample.mkdocs)
    renderer = Renderer(SITE_URL)
    shells = load_shells(files, renderer)
    made = {}
    for spec in LISTINGS:
        made[spec.name] = write_listing(files, shells, renderer, ctx, spec, (memos or {}).get(spec.name)).memo
    for path in list(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and rel.startswith(SECTIONS) and rel not in files.produced:
            path.unlink()
    return Written({rel: (out / rel).read_bytes() for rel in sorted(files.produced)}, set(files.changed), made)


def new_digest(entry: Entry, change: str) -> bytes:
    return hashlib.blake2b(entry.digest + change.encode(), digest_size=16).digest()


def changed(entry: Entry, **values: object) -> Entry:
    return Entry(entry.record.model_copy(update=values), entry.source_path, entry.source_line, new_digest(entry, repr(values)))


def check(
    sample: Sample, tmp_path: Path, change: Callable[[Context], None], before: Callable[[Context], None] | None = None
) -> Written:
    """Build the listings (of the sample's context changed by `before`, if given), change the
    context, patch-build them with the memo and without it, and compare both with a full build of
    the changed context; returns the patch build's result."""
    start = sample.ctx()
    if before is not None:
        before(start)
    first = write_all(sample, start, tmp_path / "live")
    shutil.copytree(tmp_path / "live", tmp_path / "live-no-memo")
    after = sample.ctx()
    change(after)
    full = write_all(sample, after, tmp_path / "full")
    patched = write_all(sample, after, tmp_path / "live", first.memos, fresh=False)
    unmemoised = write_all(sample, after, tmp_path / "live-no-memo", None, fresh=False)
    assert sorted(patched.files) == sorted(full.files)
    assert [p for p in full.files if patched.files[p] != full.files[p]] == []
    assert unmemoised.files == full.files
    # What the patch build leaves for the next one is what a full build would have left.
    assert patched.memos == full.memos
    return patched


def public_penalties(ctx: Context) -> list[Entry]:
    return ctx.index.publication.public_penalties


def test_the_sample_has_pages_enough(sample: Sample) -> None:
    ctx = sample.ctx()
    assert len(public_penalties(ctx)) > 40  # more than ten pages of 4
    assert all(len(e.digest) == 16 for e in public_penalties(ctx))


def test_nothing_changed_keeps_every_file(sample: Sample, tmp_path: Path) -> None:
    patched = check(sample, tmp_path, lambda ctx: None)
    assert patched.changed == set()


def test_a_changed_fine_rewrites_its_page_and_its_year_only(sample: Sample, tmp_path: Path) -> None:
    def change(ctx: Context) -> None:
        entries = public_penalties(ctx)
        entries[9] = changed(entries[9], fine_wan=(entries[9].record.fine_wan or Decimal(0)) + Decimal("1.5"))

    patched = check(sample, tmp_path, change)
    year = public_penalties(sample.ctx())[9].record.decision_date.year
    assert patched.changed == {"penalties/page/3/index.html", f"penalties/data/{year}.json"}


def test_a_text_the_listing_does_not_show(sample: Sample, tmp_path: Path) -> None:
    def change(ctx: Context) -> None:
        entries = public_penalties(ctx)
        entries[5] = changed(entries[5], violation_facts="经复核，" + entries[5].record.violation_facts)

    assert check(sample, tmp_path, change).changed == set()


@pytest.mark.parametrize("at", [0, 13, -1])
def test_an_added_decision(sample: Sample, tmp_path: Path, at: int) -> None:
    def change(ctx: Context) -> None:
        entries = public_penalties(ctx)
        model = entries[at]
        entries.insert(at if at >= 0 else len(entries), changed(model, decision_number=model.record.decision_number + "补"))

    patched = check(sample, tmp_path, change)
    assert "penalties/data/index.json" in patched.changed


def _most_common(entries: list[Entry], field: str) -> object:
    return Counter(getattr(e.record, field) for e in entries).most_common(1)[0][0]


def test_a_new_decision_at_the_top_rewrites_the_first_page_alone(sample: Sample, tmp_path: Path) -> None:
    """The pages of a listing in date order are cut from its oldest row (listings.page_span), so the
    decision published today changes page 1 and its year's data, and no other page moves.  (Its
    violation type and authority are the most common ones: a count overtaking another reorders
    those dropdowns, which every page shows.)"""

    def change(ctx: Context) -> None:
        entries = public_penalties(ctx)
        top = {field: _most_common(entries, field) for field in ("violation_type", "authority")}
        entries.insert(0, changed(entries[0], decision_number=entries[0].record.decision_number + "补", **top))

    patched = check(sample, tmp_path, change)
    year = public_penalties(sample.ctx())[0].record.decision_date.year
    assert patched.changed == {"penalties/index.html", "penalties/data/index.json", f"penalties/data/{year}.json"}


def _add_an_old_one(ctx: Context) -> None:
    old = public_penalties(ctx)
    old.append(changed(old[-1], decision_number=old[-1].record.decision_number + "旧"))


def _keeping_the_options(sample: Sample, wanted: int) -> list[int]:
    """The first `wanted` rows (after _add_an_old_one) whose withdrawal leaves every dropdown's
    options as they were: one count overtaking another reorders them, which every page shows."""
    start = sample.ctx()
    _add_an_old_one(start)
    options = LISTINGS[0](start).options
    found = []
    for at in range(len(public_penalties(start)) - 1):
        ctx = sample.ctx()
        _add_an_old_one(ctx)
        public_penalties(ctx).pop(at)
        if LISTINGS[0](ctx).options == options:
            found.append(at)
            if len(found) == wanted:
                return found
    raise AssertionError(f"only {found} of the sample's rows can be withdrawn keeping the options")


@pytest.mark.parametrize("nth", [0, 4, 20])
def test_a_withdrawn_decision_moves_only_the_pages_newer_than_it(sample: Sample, tmp_path: Path, nth: int) -> None:
    """One row fewer: the pages from the oldest row up to the withdrawn one's stay as they were.
    The sample's 236 rows fill 59 pages of 4, so one old decision is added first (one row fewer
    would otherwise be one page fewer, which every page shows)."""
    at = _keeping_the_options(sample, 21)[nth]

    def withdraw(ctx: Context) -> None:
        _add_an_old_one(ctx)
        public_penalties(ctx).pop(at)

    patched = check(sample, tmp_path, withdraw, before=_add_an_old_one)
    # Before: 237 rows, page 1 the newest 5 (4 plus the one left over from 59 pages of 4), then 4 a page.
    page = 1 if at < 5 else 2 + (at - 5) // 4
    pages = {p for p in patched.changed if p.endswith(".html")}
    assert pages == {"penalties/index.html", *(f"penalties/page/{n}/index.html" for n in range(2, page + 1))}
    assert len(pages) < 59


@pytest.mark.parametrize("at", [0, 17, -1])
def test_a_removed_decision(sample: Sample, tmp_path: Path, at: int) -> None:
    check(sample, tmp_path, lambda ctx: public_penalties(ctx).pop(at))


def test_reordered_decisions(sample: Sample, tmp_path: Path) -> None:
    def change(ctx: Context) -> None:
        entries = public_penalties(ctx)
        entries[2], entries[21] = entries[21], entries[2]
        entries[30:34] = reversed(entries[30:34])

    patched = check(sample, tmp_path, change)
    pages = {p for p in patched.changed if p.endswith(".html")}
    # Rows 2 and 21 are on pages 1 and 6, rows 30 to 33 on pages 8 and 9 (4 rows a page).
    assert pages == {"penalties/index.html", *(f"penalties/page/{n}/index.html" for n in (6, 8, 9))}


def test_a_new_violation_type_renumbers_the_options(sample: Sample, tmp_path: Path) -> None:
    def change(ctx: Context) -> None:
        entries = public_penalties(ctx)
        entries[3] = changed(entries[3], violation_type="一种从未见过的违法行为")
        entries[4] = changed(entries[4], violation_type="一种从未见过的违法行为")
        entries[6] = changed(entries[6], authority="一个新的处罚机关")

    check(sample, tmp_path, change)


def test_a_decision_moving_to_another_year(sample: Sample, tmp_path: Path) -> None:
    def change(ctx: Context) -> None:
        entries = public_penalties(ctx)
        day = entries[1].record.decision_date
        entries[1] = changed(entries[1], decision_date=day.replace(year=day.year - 1))

    check(sample, tmp_path, change)


def test_enterprises_and_power_items_whose_counts_change(sample: Sample, tmp_path: Path) -> None:
    def change(ctx: Context) -> None:
        enterprise = next(e for e in ctx.index.enterprises if e.penalties)
        enterprise.penalties.pop()
        code = next(
            e.record.code for e in ctx.index.publication.public_power_items if ctx.index.penalties_by_power.get(e.record.code)
        )
        ctx.index.penalties_by_power[code] = ctx.index.penalties_by_power[code][:-1]
        ctx.index.enterprises.insert(3, dataclasses.replace(enterprise, url="enterprises/n-new/", name="新单位"))

    patched = check(sample, tmp_path, change)
    assert any(p.startswith("enterprises/") for p in patched.changed)
    assert any(p.startswith("power-items/") for p in patched.changed)


def test_a_changed_accident(sample: Sample, tmp_path: Path) -> None:
    def change(ctx: Context) -> None:
        accidents = ctx.index.publication.public_accidents
        accidents[0] = changed(accidents[0], deaths=(accidents[0].record.deaths or 0) + 1)

    assert check(sample, tmp_path, change).changed == {"accidents/index.html", "accidents/data/all.json"}


def test_altered_live_files_are_not_copied_from(sample: Sample, tmp_path: Path) -> None:
    """A page or shard of the live site that is not what the previous build wrote: its rows are
    made afresh, not copied into the pages and shards being written."""
    ctx = sample.ctx()
    first = write_all(sample, ctx, tmp_path / "live")
    page = tmp_path / "live" / "penalties" / "page" / "3" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"<td", b"<td data-x", 1))
    year = public_penalties(ctx)[0].record.decision_date.year
    shard = tmp_path / "live" / "penalties" / "data" / f"{year}.json"
    shard.write_bytes(shard.read_bytes().replace(b'"penalties/', b'"penalties/x', 1))
    entries = public_penalties(ctx)
    entries.insert(0, changed(entries[0], decision_number=entries[0].record.decision_number + "补"))
    full = write_all(sample, ctx, tmp_path / "full")
    patched = write_all(sample, ctx, tmp_path / "live", first.memos, fresh=False)
    assert patched.files == full.files


def test_a_record_without_digest_leaves_no_memo(sample: Sample, tmp_path: Path) -> None:
    ctx = sample.ctx()
    entries = public_penalties(ctx)
    entries[0] = dataclasses.replace(entries[0], digest=b"")
    written = write_all(sample, ctx, tmp_path / "live")
    assert written.memos["listing:penalties"] is None
    assert written.memos["listing:accidents"] is not None


def test_the_memo_is_small(sample: Sample, tmp_path: Path) -> None:
    ctx = sample.ctx()
    memo = write_all(sample, ctx, tmp_path / "live").memos["listing:penalties"]
    assert memo is not None
    rows = len(public_penalties(ctx))
    assert len(pickle.dumps(memo)) < 2000 + 60 * rows  # 16-byte keys, shard places; pages and shards


# --- the parts the patch build relies on -------------------------------------------------------------


def _odd_listing(rows: int = 9) -> Listing:
    """Cells of every kind, with characters that must be escaped."""
    made = [
        Row(
            cells=(
                Cell(f"罚〔2026〕{i}号 & <b>", f"x/{i}-a&b\"'/"),
                Cell(f"2026年{i}月"),
                absent("无罚款") if i % 2 else Cell(f"{i:,} 元 \"'<>"),
                Cell("", ""),
                Cell("多行\n文字", spoken="说 & 读"),
            ),
            filters=(str(2020 + i % 3), ("警告", "罚款")[: i % 3], "" if i % 4 else "乙"),
            sorts=(i, None if i % 2 else i * 10),
            shard=str(2020 + i % 3),
        )
        for i in range(rows)
    ]
    return Listing(
        section="x/", title="X & Y", subject="某某记录", columns=("编号", "日期", "罚款 <金额>", "空", "说明"),
        numeric=(2,), nowrap=(0, 1), rows=made, per_page=4,
        filters=(Filter("year", "年份"), Filter("category", "处罚类别"), Filter("other", "其他")),
        sorts=(Sort("-date", "日期（由近及远）", 0, True),),
    )


def test_rows_are_written_as_the_template_writes_them() -> None:
    listing = _odd_listing()
    renderer = Renderer(SITE_URL)
    for number in range(1, listing.page_count + 1):
        page = page_view(listing, number)
        frame = renderer.body(page_view(listing, number, rows=()))
        start = frame.index("<tbody>\n</tbody>") + len("<tbody>\n")
        assert page.extra["listing"].rows
        writer = RowWriter(listing, page.url.count("/"))
        start_row, stop_row = listing.page_span(number)
        rows = "".join(writer(row) for row in listing.rows[start_row:stop_row])
        assert frame[:start] + rows + frame[start:] == renderer.body(page)


def test_a_shard_is_its_rows_joined() -> None:
    listing = _odd_listing()
    lookup = option_lookup(listing)
    data = listing_data(listing)
    for year in ("2020", "2021", "2022"):
        encoded = [encode_row(row, lookup) for row in listing.rows if row.shard == year]
        joined = SHARD_START + b",".join(row_json(e) for e in encoded) + SHARD_END
        assert joined == shard_json(encoded).encode() == data[f"x/data/{year}.json"].encode()
        assert json.loads(joined)["rows"] == encoded


def test_each_spec_gives_the_rows_own_filters_shard_and_a_key(sample: Sample) -> None:
    ctx = sample.ctx()
    for spec in LISTINGS:
        items = spec.items(ctx)
        assert items, spec.name
        for i, item in enumerate(items):
            row = spec.row(ctx, item, i)
            assert spec.filters(ctx, item, i) == row.filters
            assert row.shard == (str(row.filters[spec.shard_by]) if spec.shard_by is not None else "all")
            assert len(spec.key(ctx, item, i)) == 16
        keys = [spec.key(ctx, item, i) for i, item in enumerate(items)]
        assert len(set(keys)) == len(keys), spec.name


def test_a_listing_of_filter_values_has_the_listings_surroundings(sample: Sample) -> None:
    ctx = sample.ctx()
    for spec in LISTINGS:
        whole = spec(ctx)
        items = spec.items(ctx)
        frame = spec.frame(ctx, [], [spec.filters(ctx, item, i) for i, item in enumerate(items)])
        assert (frame.options, frame.size, frame.page_count, frame.year_starts) == (
            whole.options, whole.size, whole.page_count, whole.year_starts,
        )


def test_a_patch_build_makes_only_the_changed_rows(sample: Sample, tmp_path: Path) -> None:
    ctx = sample.ctx()
    first = write_all(sample, ctx, tmp_path / "live")
    entries = public_penalties(ctx)
    entries[9] = changed(entries[9], fine_wan=(entries[9].record.fine_wan or Decimal(0)) + Decimal("2"))
    made: list[int] = []
    spec = LISTINGS[0]

    def row(ctx: Context, item: Entry, position: int) -> Row:
        made.append(position)
        return spec.row(ctx, item, position)

    files = SiteFiles(tmp_path / "live", base=sample.mkdocs)
    renderer = Renderer(SITE_URL)
    counting = dataclasses.replace(spec, row=row)
    write_listing(files, load_shells(files, renderer), renderer, ctx, counting, first.memos[spec.name])
    assert made == [9, 9]  # for its page and for its year's shard: the other rows are copied
    assert files.changed == {"penalties/page/3/index.html", f"penalties/data/{entries[9].record.decision_date.year}.json"}

