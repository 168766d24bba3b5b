"""First-seen and withdrawal dates from the data's git history (generator.history)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from core_data import penalty_yaml  # noqa: E402

from generator.history import read_history  # noqa: E402


def _git(root: Path, *args: str, date: str = "2026-03-01T10:00:00") -> None:
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "HOME": str(root), "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.gov.cn", *args], cwd=root,
                   check=True, capture_output=True, env=env)


def test_a_record_added_already_withdrawn_has_no_withdrawal_date(tmp_path: Path) -> None:
    data = tmp_path / "data" / "penalties"
    data.mkdir(parents=True)
    normal = penalty_yaml(行政处罚决定书文号="云应急罚〔2026〕1号")
    withdrawn = penalty_yaml(行政处罚决定书文号="云应急罚〔2026〕2号", 状态="撤销")
    (data / "2026.yml").write_text(normal + withdrawn, encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "one", date="2026-03-01T10:00:00")
    later = penalty_yaml(行政处罚决定书文号="云应急罚〔2026〕1号", 状态="撤销")
    (data / "2026.yml").write_text(later + withdrawn, encoding="utf-8")
    _git(tmp_path, "commit", "-q", "-am", "two", date="2026-03-04T10:00:00")

    history = read_history(tmp_path)
    assert history.first_seen == {"云应急罚〔2026〕1号": _day(1), "云应急罚〔2026〕2号": _day(1)}
    # Withdrawn in a later commit: that commit's date.  Added already withdrawn: unknown.
    assert history.withdrawn_seen == {"云应急罚〔2026〕1号": _day(4)}


def _day(n: int):  # noqa: ANN202
    import datetime as dt

    return dt.date(2026, 3, n)


def test_a_correction_after_publication_dates_the_records_change(tmp_path: Path) -> None:
    """Changed in a later commit: that day (for the feeds, the sitemap, 最后更新).  Only added, or a
    neighbour changed: no correction.  An uncommitted edit has no date yet."""
    data = tmp_path / "data" / "penalties"
    data.mkdir(parents=True)
    first = penalty_yaml(行政处罚决定书文号="云应急罚〔2026〕1号")
    second = penalty_yaml(行政处罚决定书文号="云应急罚〔2026〕2号")
    (data / "2026.yml").write_text(first + second, encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "one", date="2026-03-01T10:00:00")
    corrected = penalty_yaml(行政处罚决定书文号="云应急罚〔2026〕1号", 处罚内容="责令限期改正，并处罚款人民币贰万元整。")
    third = penalty_yaml(行政处罚决定书文号="云应急罚〔2026〕3号")
    (data / "2026.yml").write_text(corrected + second + third, encoding="utf-8")
    _git(tmp_path, "commit", "-q", "-am", "two", date="2026-03-05T23:30:00+08:00")
    (data / "2026.yml").write_text(corrected + penalty_yaml(行政处罚决定书文号="云应急罚〔2026〕2号", 备注="未提交"), encoding="utf-8")

    history = read_history(tmp_path)
    assert history.last_changed == {"云应急罚〔2026〕1号": _day(5)}
    assert history.first_seen["云应急罚〔2026〕3号"] == _day(5)


def test_corrections_are_read_for_a_project_below_the_repositorys_top(tmp_path: Path) -> None:
    project = tmp_path / "site"
    data = project / "data" / "penalties"
    data.mkdir(parents=True)
    (data / "2026.yml").write_text(penalty_yaml(行政处罚决定书文号="云应急罚〔2026〕1号"), encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "one", date="2026-03-01T10:00:00")
    (data / "2026.yml").write_text(penalty_yaml(行政处罚决定书文号="云应急罚〔2026〕1号", 备注="更正"), encoding="utf-8")
    _git(tmp_path, "commit", "-q", "-am", "two", date="2026-03-05T10:00:00")
    assert read_history(project).last_changed == {"云应急罚〔2026〕1号": _day(5)}
