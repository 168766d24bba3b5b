"""Replacing a built site: the old tree is renamed aside, then deleted at once when small and by a
detached process when large, where "large" counts folders too (a site is mostly folders of one
page each: counting only files, a 130k-page site looked small and was deleted inside the build)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.site import build


def _tree(root: Path, folders: int) -> Path:
    for i in range(folders):
        page = root / "penalties" / f"2024-{i}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text("页", encoding="utf-8")
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "data" / "manifest.json").write_text("{}", encoding="utf-8")
    return root


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []
    monkeypatch.setattr(build.subprocess, "Popen", lambda args, **_: calls.append(args))
    return calls


def test_a_site_of_many_one_page_folders_is_deleted_in_the_background(tmp_path: Path, spawned: list) -> None:
    folders = build.BACKGROUND_DELETE_FROM // 2 + 1  # one file each: as many entries as the limit, half as many files
    out = _tree(tmp_path / "site", folders)
    new = _tree(tmp_path / ".site.building-x", 1)
    build.swap_in(new, out)
    assert (out / "penalties" / "2024-0").is_dir() and not (out / "penalties" / "2024-1").exists()
    [old] = list(tmp_path.glob(".site.old-*"))  # renamed aside, left to the detached process
    assert len(spawned) == 1 and spawned[0][-1] == str(old)


def test_a_small_site_is_deleted_at_once(tmp_path: Path, spawned: list) -> None:
    out = _tree(tmp_path / "site", 10)
    build.swap_in(_tree(tmp_path / ".site.building-x", 2), out)
    assert not spawned and not list(tmp_path.glob(".site.old-*"))
    assert sorted(p.name for p in (out / "penalties").iterdir()) == ["2024-0", "2024-1"]
