"""The power-list change log from the git history of data/power-items/."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from generator.opendata.changelog import last_changed, power_item_changes
from generator.opendata.changelog_page import changes_body
from generator.schema.kinds import POWER_ITEMS
from generator.sources.yaml_writer import dump_records

A = {
    "事项编码": "CF-001",
    "事项名称": "对甲的处罚",
    "事项类型": "行政处罚",
    "设定依据": "安全生产法第九十七条",
}
B = {"事项编码": "CF-002", "事项名称": "对乙的处罚", "事项类型": "行政处罚"}
C = {"事项编码": "JC-001", "事项名称": "监督检查", "事项类型": "行政检查"}


def git(root: Path, *args: str, day: str | None = None) -> None:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.invalid",
    )
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T10:00:00+08:00"
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def commit(root: Path, day: str, files: dict[str, list[dict]]) -> None:
    for name, rows in files.items():
        path = root / "data" / "power-items" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_records(rows, POWER_ITEMS.headers), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", day, day=day)


def test_changes_per_date(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    commit(tmp_path, "2025-01-10", {"penalty.yml": [A, B]})
    commit(
        tmp_path,
        "2025-03-01",
        {
            "penalty.yml": [{**A, "设定依据": "安全生产法第九十七条第一项", "承办机构": "执法处"}, B],
            "inspection.yml": [C],
        },
    )
    # two commits on one day are one entry: CF-002 removed, and a typo fixed in the same day
    commit(
        tmp_path,
        "2025-06-15",
        {"penalty.yml": [{**A, "设定依据": "安全生产法第九十七条第一项", "承办机构": "执法处"}]},
    )
    commit(tmp_path, "2025-06-15", {"inspection.yml": [{**C, "事项名称": "监督检查（修订）"}]})
    (tmp_path / "data" / "power-items" / "broken.yml").write_text("- [unclosed\n", encoding="utf-8")
    commit(tmp_path, "2025-07-01", {})  # an invalid file version must not read as "everything removed"

    days = power_item_changes(tmp_path)
    assert days is not None
    assert [d.day for d in days] == [dt.date(2025, 6, 15), dt.date(2025, 3, 1), dt.date(2025, 1, 10)]
    june, march, january = days
    assert january.added == [("CF-001", "对甲的处罚"), ("CF-002", "对乙的处罚")] and not january.changed
    assert march.added == [("JC-001", "监督检查")]
    assert march.changed == [("CF-001", "对甲的处罚", ("设定依据", "承办机构"))]
    assert june.removed == [("CF-002", "对乙的处罚")]
    assert june.changed == [("JC-001", "监督检查（修订）", ("事项名称",))]
    assert last_changed(days) == {
        "CF-001": dt.date(2025, 3, 1),
        "CF-002": dt.date(2025, 1, 10),
        "JC-001": dt.date(2025, 6, 15),
    }

    page = changes_body(days, {"CF-001", "JC-001"})
    assert page.startswith("<h1>权责清单调整记录</h1>")
    assert page.index("2025年6月15日") < page.index("2025年3月1日") < page.index("2025年1月10日")
    assert "调整了设定依据、承办机构" in page and 'href="../../power-items/cf-001/"' in page
    assert "对乙的处罚（CF-002）" in page  # removed: named, not linked


def test_outside_git(tmp_path: Path) -> None:
    assert power_item_changes(tmp_path) is None
    assert "暂无调整历史" in changes_body(None, set())
