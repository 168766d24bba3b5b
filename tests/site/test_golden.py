"""Golden pages: the tiny sample site, page by page, against tests/golden/ (regenerate with
`python -m tests.site.regen_golden` and review the diff)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from site_sample import AS_OF, GOLDEN, GOLDEN_PAGES, build_site, make_root, page_text


@pytest.mark.parametrize("name", sorted(GOLDEN_PAGES))
def test_page_matches_golden(tiny_site: Path, name: str) -> None:
    expected = (GOLDEN / f"{name}.html").read_text(encoding="utf-8")
    assert page_text(tiny_site, GOLDEN_PAGES[name]) == expected, (
        f"{name}: run python -m tests.site.regen_golden"
    )


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tiny_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One process (the fixture) and two worker processes give the same bytes: the tasks of the
    parallel build must not depend on the order they happen to run in."""
    from generator.site import tasks

    monkeypatch.setattr(tasks, "PARALLEL_FROM", 0)  # the tiny site is far below the threshold
    root = make_root(tmp_path / "project")
    second = tmp_path / "second"
    assert not build_site(root, second, AS_OF, workers=2).has_errors
    first_tree, second_tree = _tree(tiny_site), _tree(second)
    assert sorted(first_tree) == sorted(second_tree)
    assert [name for name in first_tree if first_tree[name] != second_tree[name]] == []


def test_invalid_data_leaves_previous_output(tmp_path: Path) -> None:
    root = make_root(tmp_path / "project")
    out = tmp_path / "site"
    (out / "data").mkdir(parents=True)
    (out / "data" / "manifest.json").write_text("{}", encoding="utf-8")  # an earlier build's site
    (out / "index.html").write_text("old", encoding="utf-8")
    bad = root / "data" / "penalties" / "2026.yml"
    bad.write_text(bad.read_text(encoding="utf-8").replace('"5"', '"五万"', 1), encoding="utf-8")
    problems = build_site(root, out, dt.date(2026, 11, 21))
    assert problems.has_errors
    assert [p.code for p in problems.errors] == ["penalty.amount"]
    assert sorted(p.name for p in out.iterdir()) == ["data", "index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_a_directory_that_is_not_an_earlier_site_is_never_replaced(tmp_path: Path) -> None:
    """`--out .git` or `--out docs` must not delete a repository or somebody's files."""
    root = make_root(tmp_path / "project")
    for name in (".git", "notes"):
        out = root / name
        out.mkdir()
        (out / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
        problems = build_site(root, out, dt.date(2026, 11, 21))
        [refusal] = problems.errors
        assert refusal.code == "file.output" and refusal.path == name
        assert refusal.message.startswith("输出目录中已有其他文件，但不是以前生成的网站（没有 data/manifest.json，或含有 .git）")
        assert [p.name for p in out.iterdir()] == ["HEAD"]
    # A site built before that is also a git checkout (a gh-pages worktree) is not replaced either.
    worktree = root / "pages"
    (worktree / "data").mkdir(parents=True)
    (worktree / "data" / "manifest.json").write_text("{}", encoding="utf-8")
    (worktree / ".git").write_text("gitdir: ../.git/worktrees/pages\n", encoding="utf-8")
    assert [p.code for p in build_site(root, worktree, dt.date(2026, 11, 21)).errors] == ["file.output"]
    assert (worktree / ".git").exists()
    # An empty directory, and a site built before, are replaced.
    (root / "empty").mkdir()
    assert not build_site(root, root / "empty", dt.date(2026, 11, 21), workers=1).has_errors
    assert not build_site(root, root / "empty", dt.date(2026, 11, 21), workers=1).has_errors


def test_the_home_page_is_indexed_with_its_generated_content(tiny_site: Path) -> None:
    """The search task reads content pages back from disk; the home page's record list must be
    in it by then, whichever worker runs first."""
    rows = [row for f in sorted((tiny_site / "search/index/d").glob("*.json")) for row in json.loads(f.read_text("utf-8"))]
    [home] = [row for row in rows if row[2] == "page" and row[0] == "./"]
    assert "最新行政处罚决定" in home[4] and "公开信息概览" in home[4]


def test_an_unwritable_output_still_reports_the_data_problems(tmp_path: Path) -> None:
    root = make_root(tmp_path / "project")
    bad = root / "data" / "penalties" / "2026.yml"
    bad.write_text(bad.read_text(encoding="utf-8").replace('"5"', '"五万"', 1), encoding="utf-8")
    (tmp_path / "blocker").write_text("a file where a directory should be", encoding="utf-8")
    problems = build_site(root, tmp_path / "blocker" / "deeper" / "site", dt.date(2026, 11, 21))
    assert {p.code for p in problems.errors} == {"penalty.amount", "file.output"}
    assert (tmp_path / "blocker").is_file()


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        (".", "项目目录或它的上级目录"),
        ("..", "项目目录或它的上级目录"),
        ("data", "data 之内"),
        ("data/site", "data 之内"),
        ("content/site", "content 之内"),
        ("theme", "theme 之内"),
        ("site_config.yml", "site_config.yml 之内"),
        ("notes.txt", "已有的文件"),
    ],
)
def test_an_output_that_would_replace_the_project_is_refused(tmp_path: Path, target: str, reason: str) -> None:
    """The build replaces its whole output directory: pointed at the project or its inputs it would
    delete them (found by adversarial testing: `--out .` replaced the project with the site)."""
    root = make_root(tmp_path / "project")
    (root / "notes.txt").write_text("keep me", encoding="utf-8")
    before = _tree(tmp_path)
    problems = build_site(root, root / target, AS_OF)
    [refusal] = [p for p in problems.errors if p.code == "file.output"]
    assert reason in refusal.message
    assert _tree(tmp_path) == before


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        ("title: 关于\nfoo: bar\n", "未知的头信息键 “foo”"),
        ("title: 关于\ntemplate: nonexistent.html\n", "找不到模板 “nonexistent.html”"),
    ],
)
def test_build_runs_the_content_checks_of_validate(tmp_path: Path, front_matter: str, message: str) -> None:
    root = make_root(tmp_path / "project")
    (root / "content" / "about.md").write_text(f"---\n{front_matter}---\n# 关于\n", encoding="utf-8")
    problems = build_site(root, tmp_path / "site", AS_OF)
    assert [p.code for p in problems.errors] == ["content.front-matter"]
    assert message in problems.errors[0].message
    assert not (tmp_path / "site").exists()


def test_personal_data_in_a_narrative_page_stops_the_build_with_its_position(tmp_path: Path) -> None:
    root = make_root(tmp_path / "project")
    (root / "content" / "about.md").write_text("# 关于\n\n联系人手机 13800138000。\n", encoding="utf-8")
    problems = build_site(root, tmp_path / "site", AS_OF)
    assert [p.as_text() for p in problems.errors] == [
        "content/about.md:3:7: error[privacy.mobile]: 含有手机号码（138******00）；公开前必须删除或改为（略）"
    ]
    assert not (tmp_path / "site").exists()


def _add_licensing_items(root: Path, *codes: str) -> None:
    path = root / "data" / "power-items" / "licensing.yml"
    text = path.read_text(encoding="utf-8")
    first = text.split("\n- ", 1)[0]
    for code in codes:
        text += "\n" + first.replace('"YJ-XK-001"', f'"{code}"')
    path.write_text(text, encoding="utf-8")


def test_power_item_codes_never_take_the_sections_own_pages(tmp_path: Path) -> None:
    """Found by adversarial testing: 事项编码 "changes" replaced the change log, "index.html" crashed."""
    root = make_root(tmp_path / "project")
    _add_licensing_items(root, "changes", "index.html", "page", "data")
    site = tmp_path / "site"
    assert not build_site(root, site, AS_OF).has_errors
    assert "权责清单调整记录" in (site / "power-items/changes/index.html").read_text(encoding="utf-8")
    pages = [p.read_text(encoding="utf-8") for p in site.glob("power-items/h-*/index.html")]
    for code in ("changes", "index.html", "page", "data"):
        assert sum(f'data-record-id="{code}"' in page for page in pages) == 1


def test_codes_that_differ_only_in_case_are_reported_at_the_record(tmp_path: Path) -> None:
    """One code in two cases is one power item written twice (validation's duplicate check), before
    the two would clash at one URL."""
    root = make_root(tmp_path / "project")
    _add_licensing_items(root, "yj-xk-001")
    problems = build_site(root, tmp_path / "site", AS_OF)
    [clash] = problems.errors
    assert clash.as_text() == (
        "data/power-items/licensing.yml:11:9: error[power.duplicate-code]: yj-xk-001 › 事项编码: "
        "事项编码 “yj-xk-001” 与 data/power-items/licensing.yml 第 1 行的“YJ-XK-001”相同，"
        "只是括号、空格、全角半角、大小写或繁简写法不同：请只保留一条"
    )


def test_enterprise_pages_are_in_the_search_index(tiny_site: Path) -> None:
    """A company name finds the company's profile page, not only its decisions (phone review)."""
    rows = [row for f in sorted((tiny_site / "search/index/d").glob("*.json")) for row in json.loads(f.read_text("utf-8"))]
    [profile] = [row for row in rows if row[0] == "enterprises/91530100MA6K8XY01W/"]
    assert profile[1] == "云澜市恒通化工有限公司" and profile[2] == "enterprise"
    assert "91530100MA6K8XY01W" in profile[4] and "公示中的行政处罚决定 1 件" in profile[4]
    assert not [row for row in rows if row[2] == "enterprise" and "某" in row[1]]  # no natural person


def test_a_records_search_text_is_what_its_page_shows(tiny_site: Path) -> None:
    """Found by adversarial testing: 公示截止期 and the power item's name were on the page but not
    searchable, while 正常 (the state) and ISO dates were searchable but shown nowhere."""
    import html as html_lib
    import re

    rows = {row[0]: row for f in sorted((tiny_site / "search/index/d").glob("*.json")) for row in json.loads(f.read_text("utf-8"))}
    url = "penalties/2026-12-5af7d62e6a/"
    text = rows[url][4]
    page = html_lib.unescape(re.sub(r"<[^>]+>", " ", (tiny_site / url / "index.html").read_text("utf-8")))
    for shown in re.findall(r"\d{4}年\d{1,2}月\d{1,2}日", page.split("最后更新")[0]):
        assert shown in text, shown
    assert "YJ-CF-001）" in text  # 权责事项: name（code）
    assert "正常" not in text and not re.search(r"\d{4}-\d{2}-\d{2}", text)
