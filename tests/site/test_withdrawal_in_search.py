"""A decision withdrawn within its publication period leaves the search index, and only an empty
placeholder keeps its place there (search_docs.placeholder_docs): nothing of the record — its
number, party or facts — and no trace a visitor's query could reach."""

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
    for text in (NUMBER, PARTY, FACTS, "2026-3-"):  # "2026-3-": the start of its page's URL
        assert not [name for name, data in new.items() if text.encode() in data], text
    meta_old, meta_new = json.loads(old["meta.json"]), json.loads(new["meta.json"])
    assert meta_new["docs"] == meta_old["docs"]  # its doc and its enterprise's gone, a placeholder for each
    blank = json.loads(new["blank.json"])
    assert meta_new["blank"] == len(blank) == len(json.loads(old["blank.json"])) + 2
    rows = _rows(new)
    placeholders = [rows[i] for i in blank]
    # Named by date and number only: nothing to test a guessed number, party or code against.
    assert all(
        re.fullmatch(rf"~{date}-\d+", url) and title == text == kind == "" and fields == {}
        for url, title, kind, date, text, fields in placeholders
    )
    assert sum(row[3] == "2026-06-20" for row in placeholders) == 2
    kinds = {v[0] for facet in meta_new["facets"] if facet["key"] == "kind" for v in facet["values"]}
    assert "" not in kinds
