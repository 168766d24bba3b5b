"""Patch builds (issue 8): after staff change records, `build` patches the live site in place, and the
result is byte for byte the site a full build makes from the same data.

One project is built once; each test then changes its data the way staff do, patch-builds it, and
compares the patched site with a full build (no cache) of the same data into a fresh directory.
The tests run in order on the same project, each on top of the changes before it.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
from collections import Counter
from pathlib import Path

import pytest
from incremental_helpers import (
    AS_OF,
    build,
    differences,
    edit_record,
    edit_rows,
    records,
    sample_project,
    tree,
)

from generator.incremental.store import MAGIC
from generator.rules.identifiers import make_credit_code
from generator.search import patch_plan
from generator.settings import load_settings
from generator.site import search_task
from generator.site.build import build_site, prepare
from generator.site.enterprises import Enterprise
from generator.site.record_views import Context


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = sample_project(tmp_path_factory.mktemp("incremental") / "project")
    assert build(root, root / "site").mode == "full"
    return root


def patched_equals_full(project: Path, name: str, workers: int = 1, fresh_full: bool = True) -> int:
    """Patch-build the project's site, full-build the same data afresh, compare; returns how many
    files the patch build replaced.  Without `fresh_full`, only the patch build runs."""
    report = build(project, project / "site", workers=workers)
    assert report.mode == "patch"
    if not fresh_full:
        return report.changed
    fresh = project.parent / f"full-{name}"
    assert build(project, fresh, cache=False).mode == "full"
    assert differences(project / "site", fresh) == []
    return report.changed


def test_a_rebuild_without_changes_rewrites_nothing(project: Path) -> None:
    fingerprints = _state_part(project, "fingerprints")
    assert patched_equals_full(project, "same") == 0
    # Every page key the full build recorded is the one the patch build worked out: none was
    # recorded anew (a key whose bytes hung on which objects it shared would be, each first patch).
    assert _state_part(project, "fingerprints") == fingerprints


def test_an_edited_text(project: Path) -> None:
    # 2026 decisions are all public on AS_OF (most of 2024's and 2025's have expired: their
    # notices show no text, and editing them rightly changes nothing).
    key = records(project, "penalties", "2026.yml")[4]["行政处罚决定书文号"]
    facts = records(project, "penalties", "2026.yml")[4]["违法事实"]
    edit_record(project, "penalties", key, 违法事实=f"经复核，{facts}")
    changed = patched_equals_full(project, "text")
    # The page, the downloads, the source copy and the search index files holding its words.
    assert 0 < changed < 400


def test_a_changed_fine_on_two_cores(project: Path) -> None:
    """With two workers the patch build plans its pages in two processes beside the other tasks."""
    key = records(project, "penalties", "2026.yml")[7]["行政处罚决定书文号"]
    edit_record(project, "penalties", key, **{"罚款金额（万元）": "8.8", "处罚内容": "处罚款人民币88000元。"})
    patched_equals_full(project, "fine", workers=2)


def test_a_renamed_party(project: Path) -> None:
    key = records(project, "penalties", "2026.yml")[3]["行政处罚决定书文号"]
    edit_record(project, "penalties", key, 行政相对人名称="云澜市新改名化工有限公司")
    patched_equals_full(project, "party")


def test_a_changed_decision_date(project: Path) -> None:
    row = records(project, "penalties", "2026.yml")[10]
    edit_record(project, "penalties", row["行政处罚决定书文号"], 处罚决定日期="2026-01-02", 公示日期="2026-01-06")
    patched_equals_full(project, "date")


def test_a_new_decision(project: Path) -> None:
    def add(rows: list) -> list:
        new = dict(rows[-1])
        new["行政处罚决定书文号"] = "云应急罚〔2026〕999号"
        new["行政相对人名称"] = "云澜市首次出现安全技术有限公司"
        new["统一社会信用代码"] = make_credit_code("91429900MA0000001")
        return [*rows, new]

    edit_rows(project, "penalties", "2026.yml", add)
    patched_equals_full(project, "new")


def test_a_removed_decision(project: Path) -> None:
    edit_rows(project, "penalties", "2024.yml", lambda rows: rows[:20] + rows[21:])
    patched_equals_full(project, "removed")


def test_a_withdrawn_decision(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A decision withdrawn within its period leaves a placeholder at its date in the search index
    (search_docs.placeholder_docs), so the index is patched moving the ids of that date's docs
    only, never built again: here a patch may move 3 docs at most, where a decision going outright
    would shift the hundred and more after it.  Withdrawn: one of July's whose enterprise has a
    newer one (its doc, dated by that, stays where it is) and an enterprise's only one (its doc
    goes too, and leaves a placeholder of its own)."""
    rows = [r for name in ("2024.yml", "2025.yml", "2026.yml") for r in records(project, "penalties", name)]
    # Public on AS_OF: a 一般 decision of March's has ended its six months, July's have not.
    public = [r for r in rows if str(r["处罚决定日期"]) >= "2026-07-01" and r["失信严重程度"] == "一般" and r["状态"] == "正常"]
    code = "统一社会信用代码"
    records_of = Counter(r.get(code) for r in rows)
    public_of = Counter(r.get(code) for r in public)
    newest = {r[code]: max(str(x["处罚决定日期"]) for x in public if x.get(code) == r[code]) for r in public if r.get(code)}
    plain = next(r for r in public if r.get(code) and public_of[r[code]] >= 2 and str(r["处罚决定日期"]) < newest[r[code]])
    only = next(r for r in public if r.get(code) and records_of[r[code]] == 1)
    for row in (plain, only):
        _withdraw_patching_the_index(project, monkeypatch, row["行政处罚决定书文号"], moved_max=3)
    patched_equals_full(project, "withdrawn-all")


def _withdraw_patching_the_index(project: Path, monkeypatch: pytest.MonkeyPatch, key: str, moved_max: int) -> None:
    """Withdraw the decision `key` and patch-build: the search index must be patched, moving the
    ids of `moved_max` docs at most, not built again."""
    edit_record(project, "penalties", key, 状态="撤销", 状态变更日期=AS_OF.isoformat(), 状态变更原因="经行政复议决定撤销")
    with monkeypatch.context() as patching_only:
        patching_only.setattr(patch_plan, "MOVED_MAX", moved_max)
        patching_only.setattr(search_task, "_build_search", _no_index_build)
        patched_equals_full(project, "withdrawn", fresh_full=False)


def _context(project: Path) -> Context:
    settings, _ = load_settings(project / "site_config.yml")
    prepared, problems = prepare(project, settings, AS_OF)
    assert prepared is not None, problems
    return prepared.ctx


def test_an_enterprises_oldest_decision_withdrawn_leaves_its_doc_in_place(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its enterprise's doc is dated by its oldest record, public or withdrawn within its period
    (search_docs.enterprise_doc): it stays in its place, and the index is patched moving no doc
    but the withdrawn one's placeholder (the doc moving to the date of its next-oldest record
    moved 33k at 100k records)."""

    def first_two_days(e: Enterprise) -> list[dt.date]:
        return sorted([p.record.decision_date for p in e.penalties] + [a.record.occurred_date for a in e.accidents])[:2]

    ctx = _context(project)
    enterprise = next(
        e for e in ctx.index.enterprises
        if len(e.penalties) >= 2 and (days := first_two_days(e))[0] < days[1]
        and days[0] in {p.record.decision_date for p in e.penalties}
    )
    oldest = min(enterprise.penalties, key=lambda p: p.record.decision_date)
    _withdraw_patching_the_index(project, monkeypatch, oldest.key, moved_max=1)
    patched_equals_full(project, "oldest-withdrawn-full")


def test_a_decision_that_comes_withdrawn_dates_its_enterprises_doc(project: Path) -> None:
    """A decision entered already withdrawn (within its period), older than its enterprise's other
    records: the enterprise's page shows nothing new, but its search doc takes the older date —
    the page is made again for it (its key and inputs hold the withdrawn dates), as a full build."""
    ctx = _context(project)
    enterprise = next(
        e for e in ctx.index.enterprises
        if e.penalties and not e.accidents and e.penalties[-1].record.decision_date >= dt.date(2026, 7, 1)
    )
    oldest = min(enterprise.penalties, key=lambda p: p.record.decision_date)
    model = next(r for r in records(project, "penalties", "2026.yml") if r["行政处罚决定书文号"] == oldest.key)
    day = oldest.record.decision_date - dt.timedelta(days=3)

    def add(rows_: list) -> list:
        new = dict(model)
        new.update({
            "行政处罚决定书文号": "云应急罚〔2026〕998号", "处罚决定日期": day.isoformat(), "公示日期": day.isoformat(),
            "状态": "撤销", "状态变更日期": AS_OF.isoformat(), "状态变更原因": "经行政复议决定撤销",
        })
        return [*rows_, new]

    edit_rows(project, "penalties", "2026.yml", add)
    patched_equals_full(project, "comes-withdrawn")


def _no_index_build(*_args: object) -> None:
    raise AssertionError("the search index was built again, not patched")


def test_an_older_decision_removed_under_a_power_item_changes_only_its_count(project: Path) -> None:
    """A power item's page lists the newest 20 decisions under it and counts them all: with more
    than 20, removing an older one changes only the count, which its page's key must see."""
    rows = records(project, "penalties", "2026.yml")
    model = rows[0]

    def more(rows: list) -> list:  # 22 decisions in February under one power item: 21 newer than the first
        extra = [
            {**model, "行政处罚决定书文号": f"云应急罚〔2026〕{900 + day}号", "处罚决定日期": f"2026-02-{day:02d}",
             "公示日期": f"2026-02-{day + 3:02d}", "失信严重程度": "一般", "状态": "正常"}
            for day in range(1, 23)
        ]
        return [*rows, *extra]

    edit_rows(project, "penalties", "2026.yml", more)
    patched_equals_full(project, "many-under-power")
    edit_rows(project, "penalties", "2026.yml", lambda rows: [r for r in rows if r["行政处罚决定书文号"] != "云应急罚〔2026〕901号"])
    patched_equals_full(project, "older-removed")


def test_a_renamed_power_item(project: Path) -> None:
    code = records(project, "power-items", "penalty.yml")[8]["事项编码"]
    edit_record(project, "power-items", code, 事项名称="对生产经营单位未按规定进行动火作业现场管理的处罚（更名）")
    patched_equals_full(project, "power")


def test_an_accident_with_more_deaths(project: Path) -> None:
    name = records(project, "accidents", "2025.yml")[2]["事故名称"]
    edit_record(project, "accidents", name, 死亡人数="12", 事故等级=None)
    patched_equals_full(project, "accident")


def test_a_changed_legal_basis(project: Path) -> None:
    key = records(project, "penalties", "2026.yml")[12]["行政处罚决定书文号"]
    edit_record(project, "penalties", key, 处罚依据="《中华人民共和国安全生产法》第九十九条第一项")
    patched_equals_full(project, "basis")


def test_a_longer_form_of_a_laws_name_renames_it_on_every_page_citing_it(project: Path) -> None:
    # The law's name shown is the longest form any record writes (legal_refs.display_names): one
    # record's edit renames it on the pages of records that were not edited.
    short, long = "《危险化学品安全管理条例》", "《中华人民共和国危险化学品安全管理条例》"

    def pages_naming(name: str) -> int:
        return sum(name in page.read_text(encoding="utf-8") for page in (project / "site" / "penalties").glob("*/index.html"))

    assert pages_naming(long) == 0 and pages_naming(short) > 2
    row = next(r for r in records(project, "penalties", "2026.yml") if short in str(r.get("处罚依据") or ""))
    edit_record(project, "penalties", str(row["行政处罚决定书文号"]), 处罚依据=str(row["处罚依据"]).replace(short, long))
    patched_equals_full(project, "law-name")
    assert pages_naming(long) > 2  # the edited page, and those of the records citing the law as before


def _without_remarks(project: Path) -> str:
    """An early 2026 decision without 备注: giving it one adds a line, so the records below move."""
    return next(r["行政处罚决定书文号"] for r in records(project, "penalties", "2026.yml") if "备注" not in r)


def test_a_record_that_grows_a_line_moves_the_ones_below(project: Path) -> None:
    """The records below move down a line; their pages do not show lines (no source_url), so only
    the grown record's own pages are made again."""
    key = _without_remarks(project)
    edit_record(project, "penalties", key, 备注="经复核，更正当事人地址。")
    report = build(project, project / "site")
    assert report.mode == "patch" and 0 < report.made_pages <= 6
    fresh = project.parent / "full-line"
    build(project, fresh, cache=False)
    assert differences(project / "site", fresh) == []


def test_where_pages_link_to_the_file_online_a_moved_record_is_made_again(tmp_path: Path) -> None:
    """With source_url the pages cite each record's line: a record that moved down gets its page
    made again, with the new line, as a full build makes it."""
    root = sample_project(tmp_path / "project")
    config = root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace('source_url: ""', 'source_url: "https://example.gov.cn/data/blob/main/"'), encoding="utf-8")
    assert build(root, root / "site").mode == "full"
    rows = records(root, "penalties", "2026.yml")
    edit_record(root, "penalties", _without_remarks(root), 备注="经复核，更正当事人地址。")
    report = build(root, root / "site")
    assert report.mode == "patch" and report.made_pages > len(rows) // 2
    build(root, tmp_path / "full", cache=False)
    assert differences(root / "site", tmp_path / "full") == []


def test_invalid_data_leaves_the_site_and_cache_alone(project: Path) -> None:
    site = project / "site"
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    key = records(project, "penalties", "2025.yml")[3]["行政处罚决定书文号"]
    path = next(p for p in (project / "data" / "penalties").glob("*.yml") if key in p.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('罚款金额（万元）: "', '罚款金额（万元）: "五万', 1), encoding="utf-8")
    problems = build_site(project, site, AS_OF)
    assert problems.has_errors
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()} == before
    path.write_text(text, encoding="utf-8")
    assert patched_equals_full(project, "after-invalid") == 0


def test_a_corrupt_cache_is_not_trusted(project: Path) -> None:
    cache = project / ".gongkai-cache"
    state = next(cache.glob("sites/*/state.pkl"))
    data = bytearray(state.read_bytes())
    data[-10] ^= 0xFF  # one flipped byte: the checksum no longer matches
    state.write_bytes(bytes(data))
    for group in sorted((cache / "records").glob("*.pkl"))[:3]:
        group.write_bytes(group.read_bytes()[:50])  # truncated
    shell = next(cache.glob("sites/*/mkdocs/about/index.html"))
    shell.write_text(shell.read_text(encoding="utf-8").replace("<h1", "<h1 data-altered"), encoding="utf-8")
    key = records(project, "penalties", "2026.yml")[5]["行政处罚决定书文号"]
    edit_record(project, "penalties", key, 违法行为类型="未按规定开展安全生产教育和培训（更正）")
    assert build(project, project / "site").mode == "full"
    assert patched_equals_full(project, "after-corrupt") == 0


def test_a_patch_build_rewrites_only_the_parts_of_its_state_that_changed(project: Path) -> None:
    """The state is kept in parts; a one-record edit leaves the file list as it was, so its blob
    is not written again, and no part blob is left that the state does not name."""
    folder = next((project / ".gongkai-cache").glob("sites/*"))
    before = {p.name: p.stat().st_mtime_ns for p in (folder / "state-parts").glob("*.pkl")}
    key = records(project, "penalties", "2026.yml")[6]["行政处罚决定书文号"]
    edit_record(project, "penalties", key, 违法行为类型="未按规定配备安全生产管理人员（更正）")
    patched_equals_full(project, "state-parts")
    after = {p.name: p.stat().st_mtime_ns for p in (folder / "state-parts").glob("*.pkl")}
    kept = {name for name in after if before.get(name) == after[name]}
    assert kept and len(kept) < len(after)  # some parts kept as they were, the changed ones new
    _key, index = pickle.loads((folder / "state.pkl").read_bytes()[len(MAGIC) + 32 :])  # noqa: S301 - our own file
    assert {f"{name.removeprefix('state-parts/')}.pkl" for name in index.parts.values()} == set(after)
    assert any(label.startswith("memo:") for label in index.parts)
    assert build(project, project / "site").mode == "patch"  # and the state reads back whole


def _state_part(project: Path, label: str) -> Path:
    folder = next((project / ".gongkai-cache").glob("sites/*"))
    _key, index = pickle.loads((folder / "state.pkl").read_bytes()[len(MAGIC) + 32 :])  # noqa: S301 - our own file
    return folder / f"{index.parts[label]}.pkl"


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_an_altered_part_of_the_state_is_not_trusted(project: Path) -> None:
    _flip_a_byte(_state_part(project, "fingerprints"))
    assert build(project, project / "site").mode == "full"
    assert patched_equals_full(project, "after-altered-part") == 0


def _swap(one: Path, other: Path) -> None:
    a, b = one.read_bytes(), other.read_bytes()
    one.write_bytes(b)
    other.write_bytes(a)


def test_two_parts_of_the_state_swapped_are_not_trusted(project: Path) -> None:
    """Each blob is valid under its own name only: swapped, two intact parts (of the same build,
    checksums fine) read as missing, not as each other (the citations memo read as the URLs one
    was an IndexError in every later build)."""
    _swap(_state_part(project, "record-memo:url:0"), _state_part(project, "record-memo:citations:0"))
    assert build(project, project / "site").mode == "full"
    assert patched_equals_full(project, "after-swapped-parts") == 0


def test_two_record_groups_swapped_are_read_again(project: Path) -> None:
    """A swapped group of checked records would put one file's records in another's place (the
    site's copy of the data file was wrong): it reads as missing, and its file is checked again."""
    groups = sorted((project / ".gongkai-cache" / "records").glob("*.pkl"), key=lambda p: p.stat().st_size)
    groups = [g for g in groups if g.name != "files.pkl"]
    _swap(groups[-1], groups[-2])
    key = records(project, "penalties", "2026.yml")[12]["行政处罚决定书文号"]
    edit_record(project, "penalties", key, 违法行为类型="未按规定建立安全风险分级管控制度（更正）")
    assert patched_equals_full(project, "after-swapped-groups") > 0


def test_a_cache_folder_that_cannot_be_read_is_no_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unreadable parts of the cache (a folder or a file of the copy of mkdocs' pages without read
    permission: the tests run as root, who reads everything, so os.access and the digest say so) are
    a full build, not an internal error."""
    from generator.incremental import keys
    from generator.site import build_cache

    folder = next((project / ".gongkai-cache").glob("sites/*"))
    access = build_cache.os.access
    monkeypatch.setattr(build_cache.os, "access", lambda path, mode: Path(path) != folder and access(path, mode))
    assert build(project, project / "site").mode == "full"
    monkeypatch.setattr(build_cache.os, "access", access)

    digest_of_tree = keys.tree_digest

    def unreadable(paths: list[Path], root: Path) -> str:
        if root == folder / "mkdocs":
            raise PermissionError(13, "Permission denied", str(root / "about" / "index.html"))
        return digest_of_tree(paths, root)

    monkeypatch.setattr(build_cache, "tree_digest", unreadable)
    assert build(project, project / "site").mode == "full"
    monkeypatch.undo()
    assert build(project, project / "site").mode == "full"  # that build could not keep its copy either
    assert patched_equals_full(project, "after-unreadable") == 0


def _later(path: Path) -> None:
    """As if the file were changed a few seconds after the build (within its second, an edit
    that keeps the size is not seen: site.live_files)."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 3_000_000_000))


@pytest.mark.parametrize(
    "tamper",
    ["a record page deleted", "a listing page cut short", "a download edited, same size", "a search index file edited",
     "a file added"],
)
def test_a_live_site_changed_behind_the_builds_back_is_built_afresh(project: Path, tamper: str) -> None:
    """A patch build keeps most files and copies parts of others (listing rows, download rows,
    postings): a live file deleted, cut short or edited between two builds would stay wrong or
    spread.  The build sees that the site is not the one it left and builds it fully, saying so."""
    site = project / "site"
    key = records(project, "penalties", "2026.yml")[0]["行政处罚决定书文号"]
    page = next(p for p in (site / "penalties").glob("*/index.html") if f'data-record-id="{key}"' in p.read_text(encoding="utf-8"))
    if tamper == "a record page deleted":
        page.unlink()
        touched = page
    elif tamper == "a listing page cut short":
        touched = site / "penalties" / "index.html"
        touched.write_bytes(touched.read_bytes()[:1000])
    elif tamper == "a download edited, same size":
        touched = site / "data" / "penalties.csv"
        text = touched.read_text(encoding="utf-8")
        touched.write_text(text.replace(key, key[::-1], 1), encoding="utf-8")
        _later(touched)
    elif tamper == "a search index file edited":
        touched = max((site / "search" / "index" / "g").iterdir(), key=lambda p: p.stat().st_size)
        data = bytearray(touched.read_bytes())
        data[len(data) // 2] ^= 0x01
        touched.write_bytes(bytes(data))
        _later(touched)
    else:
        touched = site / "penalties" / "notes.html"
        touched.write_text("<p>手工添加</p>", encoding="utf-8")
    report = build(project, site)
    assert report.mode == "full"
    assert report.altered == (touched.relative_to(site).as_posix(),)
    fresh = project.parent / f"full-after-{tamper}"
    assert build(project, fresh, cache=False).mode == "full"
    assert differences(site, fresh) == []
    assert patched_equals_full(project, f"after-{tamper}") == 0


def test_a_live_site_that_cannot_be_written_in_place_is_built_beside_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files of the live site that cannot be replaced (read-only: as root the tests make the write
    itself fail) end the patch build; a full build, which writes beside the site and swaps the
    folders, makes the site instead — not an internal error."""
    from generator.site import files

    def refused(path: Path, data: bytes) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(files, "write_atomic", refused)
    key = records(project, "penalties", "2026.yml")[13]["行政处罚决定书文号"]
    edit_record(project, "penalties", key, 违法行为类型="未按规定如实告知从业人员作业场所危险因素（更正）")
    assert build(project, project / "site").mode == "full"
    monkeypatch.undo()
    fresh = project.parent / "full-after-read-only"
    assert build(project, fresh, cache=False).mode == "full"
    assert differences(project / "site", fresh) == []
    assert patched_equals_full(project, "after-read-only") == 0


def test_a_store_failing_after_the_index_was_patched_leaves_the_next_build_a_patch(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index files the patch wrote count as changed even when the document store fails
    afterwards (the index is then built again over them, to the same bytes): otherwise the next
    build's live-site check found them other than recorded and built the whole site again."""
    from generator.site import search_store

    def damaged(self: object, docs: object) -> None:
        raise search_store.StoreDamaged("database or disk is full")

    key = records(project, "penalties", "2026.yml")[14]["行政处罚决定书文号"]
    facts = records(project, "penalties", "2026.yml")[14]["违法事实"]
    edit_record(project, "penalties", key, 违法事实=f"{facts}（复核）")
    with monkeypatch.context() as failing:
        failing.setattr(search_store.DocStore, "put", damaged)
        assert build(project, project / "site").mode == "patch"
    assert patched_equals_full(project, "after-store-failed") == 0  # a patch, with nothing left to do


def test_a_live_site_check_that_dies_makes_a_full_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.site import live_files

    def killed(*_args: object) -> list[str]:
        os._exit(137)

    monkeypatch.setattr(live_files, "differences", killed)
    key = records(project, "penalties", "2026.yml")[15]["行政处罚决定书文号"]
    edit_record(project, "penalties", key, 违法行为类型="未按规定开展应急演练（更正）")
    report = build(project, project / "site")
    assert report.mode == "full" and report.altered and report.altered[0].startswith("（检查未能完成")
    monkeypatch.undo()
    assert patched_equals_full(project, "after-check-died") == 0


def test_a_full_disk_during_a_full_build_is_a_problem_and_the_old_site_stays(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from generator.site import files

    site = project / "site"
    before = tree(site)

    def no_space(path: str, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", path)

    monkeypatch.setattr(files, "_write_plain", no_space)
    monkeypatch.setenv("GONGKAI_NO_CACHE", "1")
    problems = build_site(project, site, AS_OF, workers=1)
    assert [p.as_text() for p in problems.errors] == ["site:1:1: error[file.output]: 无法写入输出目录（磁盘空间不足）"]
    assert tree(site) == before
    assert not list(project.glob(".site.building-*"))


def test_an_altered_task_memo_is_worked_without(project: Path) -> None:
    """A task's memo is read by its task when asked for: one that does not read back is as good as
    none, and the search index is built afresh, to the same bytes."""
    _flip_a_byte(_state_part(project, "memo:search"))
    key = records(project, "penalties", "2026.yml")[9]["行政处罚决定书文号"]
    edit_record(project, "penalties", key, 违法行为类型="未按规定组织制定并实施本单位安全生产教育和培训计划（更正）")
    assert patched_equals_full(project, "after-altered-memo") > 0


@pytest.mark.parametrize("damage", ["not a database", "truncated"])
def test_a_damaged_search_document_store_is_worked_without(project: Path, damage: str) -> None:
    """SQLite's own errors on the store (here: a file that is no database, one cut short) are a
    cache miss like a bad checksum: the index is built afresh, to the same bytes, with a new store."""
    store = next((project / ".gongkai-cache").glob("sites/*/search-docs-*.sqlite"))
    store.write_bytes(b"garbage\n" if damage == "not a database" else store.read_bytes()[:5000])
    key = records(project, "penalties", "2026.yml")[10]["行政处罚决定书文号"]
    edit_record(project, "penalties", key, 违法行为类型=f"未按规定如实记录安全生产教育和培训情况（{damage}）")
    assert patched_equals_full(project, f"after-damaged-store-{damage}") > 0
    assert not store.exists()
    assert len(list((project / ".gongkai-cache").glob("sites/*/search-docs-*.sqlite"))) == 1


def test_an_altered_sitemap_dates_memo_is_worked_without(project: Path) -> None:
    """Without the previous build's sitemap dates, the kept pages are dated afresh (the tests'
    key mode compares them with the dates worked out for every page), not left out."""
    _flip_a_byte(_state_part(project, "memo:sitemap-dates"))
    key = records(project, "penalties", "2026.yml")[11]["行政处罚决定书文号"]
    facts = records(project, "penalties", "2026.yml")[11]["违法事实"]
    edit_record(project, "penalties", key, 违法事实=f"{facts}（更正）")
    assert patched_equals_full(project, "after-altered-dates") > 0


def test_an_altered_copy_of_mkdocs_pages_is_not_trusted(project: Path) -> None:
    """Only the cache's copy of mkdocs' pages is altered: the build notices and builds fully."""
    page = next((project / ".gongkai-cache").glob("sites/*/mkdocs/complaints/index.html"))
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", "（改）</h1>", 1), encoding="utf-8")
    assert build(project, project / "site").mode == "full"
    assert patched_equals_full(project, "after-mkdocs") == 0


def test_an_interrupted_patch_build_is_followed_by_a_full_one(project: Path) -> None:
    marker = next((project / ".gongkai-cache").glob("sites/*")) / "patching"
    marker.write_bytes(b"")
    assert build(project, project / "site").mode == "full"
    assert not marker.exists()


def test_a_killed_build_leaves_nothing_behind_for_long(project: Path) -> None:
    """A half-written site and an undeleted old one, as a build killed mid-way leaves them, are
    removed by the next build (it holds the project's lock); other folders stay."""
    leftovers = [project / ".site.building-x1y2", project / ".site.old-a3b4"]
    for folder in leftovers:
        (folder / "penalties").mkdir(parents=True)
        (folder / "penalties" / "index.html").write_text("半成品", encoding="utf-8")
    unrelated = project / ".preview.building-zz"
    unrelated.mkdir()
    assert build(project, project / "site").mode == "patch"
    assert not any(folder.exists() for folder in leftovers)
    assert unrelated.exists()  # another output's folder: that build's own business


def test_a_site_restored_from_a_copy_is_patched_and_an_older_one_is_not(project: Path) -> None:
    """A CI run restores the site and the cache from the last run (another directory, the same
    bytes): it patches.  An older copy of the site put back at the path is not the site the
    cache describes: the build is a full one."""
    import shutil

    site, older = project / "site", project.parent / "older-site"
    shutil.copytree(site, older)
    moved = project.parent / "moved-site"
    site.rename(moved)
    shutil.copytree(moved, site)  # same bytes, another directory
    shutil.rmtree(moved)
    key = records(project, "penalties", "2026.yml")[9]["行政处罚决定书文号"]
    edit_record(project, "penalties", key, 违法行为类型="未按规定设置安全生产管理机构（更正）")
    assert patched_equals_full(project, "restored") > 0
    shutil.rmtree(site)
    older.rename(site)
    assert build(project, site).mode == "full"
    assert patched_equals_full(project, "after-older") == 0


def test_another_day_is_a_full_build(project: Path) -> None:
    assert build(project, project / "site", as_of=AS_OF + dt.timedelta(days=1)).mode == "full"
    assert build(project, project / "site", as_of=AS_OF + dt.timedelta(days=1)).mode == "patch"


def _git(project: Path, *args: str, env: dict[str, str] | None = None) -> None:
    import subprocess

    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True, env=env)


def test_in_a_git_checkout_a_new_commit_and_an_uncommitted_edit(tmp_path: Path) -> None:
    """The git history (first publication days, corrections) is read once per commit: a patch build
    after a commit reads it again, one after an uncommitted edit keeps it — both as a full build."""
    root = sample_project(tmp_path / "project")
    (root / ".gitignore").write_text("site/\n.gongkai-cache/\n", encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.gov.cn", "add", "-A")
    env = ["-c", "user.name=t", "-c", "user.email=t@example.gov.cn"]
    _git(root, *env, "commit", "-q", "-m", "data", "--date=2026-11-01T10:00:00+08:00")
    assert build(root, root / "site").mode == "full"
    key = records(root, "penalties", "2026.yml")[2]["行政处罚决定书文号"]
    edit_record(root, "penalties", key, 违法行为类型="未按规定对从业人员进行安全生产教育和培训（更正）")
    _git(root, *env, "commit", "-q", "-am", "correction")
    assert patched_equals_full(root, "committed") > 0
    edit_record(root, "penalties", key, 违法行为类型="未按规定对从业人员进行安全生产教育和培训")
    assert patched_equals_full(root, "uncommitted") > 0


def test_a_power_item_edited_and_reverted_in_git_dates_its_law_pages_anew(tmp_path: Path) -> None:
    """A power item changed in one commit and changed back in the next has its old text again but a
    new day in the change log: a law article it cites shows that day as its 最后更新, so the law's
    page must be made again although no record's text differs (the law page's cheap key)."""
    import os
    import re

    root = sample_project(tmp_path / "project")
    (root / ".gitignore").write_text("site/\n.gongkai-cache/\n", encoding="utf-8")

    def commit(message: str, day: str) -> None:
        env = {**os.environ, "GIT_COMMITTER_DATE": f"{day}T10:00:00+08:00", "GIT_AUTHOR_DATE": f"{day}T10:00:00+08:00"}
        _git(root, "add", "-A", env=env)
        _git(root, "-c", "user.name=t", "-c", "user.email=t@example.gov.cn", "commit", "-q", "-m", message, env=env)

    def law_dates() -> dict[str, str]:
        sitemap = (root / "site" / "sitemap.xml").read_text(encoding="utf-8")
        return dict(re.findall(r"/(laws/[^/<]+/)</loc><lastmod>([0-9-]+)<", sitemap))

    _git(root, "init", "-q")
    commit("data", "2026-10-01")
    assert build(root, root / "site").mode == "full"
    # A law article dated before the as-of day whose page lists a power item.
    older = [law for law, day in law_dates().items() if day < AS_OF.isoformat()]
    linked = [
        (law, found.group(1))
        for law in older
        if (found := re.search(r'href="[./]*power-items/([^/"]+)/"', (root / "site" / law / "index.html").read_text(encoding="utf-8")))
    ]
    assert linked
    law, slug = linked[0]
    items = [r for f in sorted((root / "data" / "power-items").glob("*.yml")) for r in records(root, "power-items", f.name)]
    code, name = next((r["事项编码"], r["事项名称"]) for r in items if str(r["事项编码"]).lower() == slug)
    edit_record(root, "power-items", code, 事项名称=f"{name}（更名）")
    commit("rename", "2026-11-02")
    build(root, root / "site")
    edit_record(root, "power-items", code, 事项名称=name)
    commit("rename back", AS_OF.isoformat())
    assert patched_equals_full(root, "reverted") > 0
    assert law_dates()[law] == AS_OF.isoformat()


def test_the_build_lock_holds_even_where_a_folder_took_its_place(tmp_path: Path) -> None:
    """A folder at the lock's path (a restored cache, a hand's mistake) used to leave builds
    unguarded, silently: two could patch one site at once.  It is replaced by the lock file."""
    import fcntl

    from generator.site.build_cache import build_lock, exclusive

    lock = build_lock(tmp_path)
    (lock / "inside").mkdir(parents=True)
    with exclusive(tmp_path):
        assert lock.is_file()
        with open(lock, "a+b") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(lock, "a+b") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released at the end
