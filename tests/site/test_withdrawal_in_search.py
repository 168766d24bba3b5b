"""A decision withdrawn within its publication period leaves the search index, and only an empty
placeholder keeps its place there (search_docs.placeholder_docs): nothing of the record — its
number, party or facts — and no trace a visitor's query could reach.  The placeholder is named
after the decision's page (which stays, with its notice) and takes its doc's very id, so that no
other doc's id moves; its enterprise's, whose page goes, is anonymous."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from incremental_helpers import edit_record
from site_sample import make_root

from generator.site.build import build_site

# Decided 2026-06-20, public through 2027-06-20 (see test_expiry_everywhere); party a shop (an
# enterprise page of its own, which goes with it).
NUMBER = "西应急罚〔2026〕3号"
PARTY = "云澜市西山区兴旺五金店"
FACTS = "在店内销售工业酒精"
AS_OF = dt.date(2026, 8, 1)


def _index(site: Path) -> dict[str, bytes]:
    folder = site / "search" / "index"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _rows(index: dict[str, bytes]) -> list[list]:
    chunks = sorted((int(name[2:-5]), name) for name in index if name.startswith("d/"))  # d/<first id>.json
    return [row for _first, name in chunks for row in json.loads(index[name])]


def test_a_withdrawn_decision_leaves_only_a_placeholder(tmp_path: Path) -> None:
    root = make_root(tmp_path / "project")
    before = tmp_path / "before"
    assert not build_site(root, before, AS_OF, workers=1).has_errors
    edit_record(root, "penalties", NUMBER, 状态="撤销", 状态变更日期="2026-07-15", 状态变更原因="经行政复议决定撤销")
    after = tmp_path / "after"
    assert not build_site(root, after, AS_OF, workers=1).has_errors
    old, new = _index(before), _index(after)
    assert any(FACTS.encode() in data for data in old.values())
    for text in (NUMBER, PARTY, FACTS):
        assert not [name for name, data in new.items() if text.encode() in data], text
    meta_old, meta_new = json.loads(old["meta.json"]), json.loads(new["meta.json"])
    assert meta_new["docs"] == meta_old["docs"]  # its doc and its enterprise's gone, a placeholder for each
    blank = json.loads(new["blank.json"])
    assert meta_new["blank"] == len(blank) == len(json.loads(old["blank.json"])) + 2
    rows_old, rows = _rows(old), _rows(new)
    page = next(row[0] for row in rows_old if row[1] and NUMBER in row[1])  # its doc's url: its page's
    assert (after / page / "index.html").is_file()  # the page stays, with its notice
    placeholders = [rows[i] for i in blank]
    assert all(title == text == kind == "" and fields == {} for _url, title, kind, _date, text, fields in placeholders)
    named = [row for row in placeholders if row[0] == f"~{page}"]
    assert len(named) == 1 and named[0][3] == "2026-06-20"
    # Its enterprise's is named by date and number only: nothing to test a guessed name against.
    anonymous = [row for row in placeholders if row[0].startswith("~") and not row[0].startswith("~penalties/")]
    assert any(re.fullmatch(r"~2026-06-20-\d+", row[0]) for row in anonymous)
    assert all(re.fullmatch(r"~\d{4}-\d\d-\d\d-\d+", row[0]) for row in anonymous)
    # The decision's placeholder is where its doc was, and every doc but the enterprise's date's keeps its id.
    assert rows.index(named[0]) == [row[0] for row in rows_old].index(page)
    moved = [i for i, (a, b) in enumerate(zip(rows_old, rows, strict=True)) if a[0] != b[0] and a[0] != page]
    assert all(rows[i][3] == "2026-06-20" for i in moved)
    kinds = {v[0] for facet in meta_new["facets"] if facet["key"] == "kind" for v in facet["values"]}
    assert "" not in kinds
