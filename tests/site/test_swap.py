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


def test_a_second_deleter_leaves_a_folder_another_is_deleting_alone(tmp_path: Path) -> None:
    import fcntl
    import os

    from generator.site.deleter import delete

    old = _tree(tmp_path / ".site.old-x", 3)
    held = os.open(old, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as the first deleter holds it
        assert delete(str(old)) is False and (old / "penalties" / "2024-2" / "index.html").is_file()
    finally:
        os.close(held)
    assert delete(str(old)) is True and not old.exists()
    assert delete(str(old)) is False  # gone: nothing to do


def test_the_detached_deleter_runs_as_discard_starts_it(tmp_path: Path) -> None:
    import subprocess
    import sys

    old = _tree(tmp_path / ".site.old-y", 2)
    done = subprocess.run(
        [sys.executable, "-m", "generator.site.deleter", str(old)], cwd=build._PACKAGE_HOME, capture_output=True
    )
    assert done.returncode == 0 and not old.exists(), done.stderr


def test_a_large_old_site_is_left_to_a_deleter_that_knows_the_build_lock(tmp_path: Path, spawned: list) -> None:
    out = _tree(tmp_path / "site", build.BACKGROUND_DELETE_FROM)
    lock = tmp_path / ".gongkai-cache" / "lock"
    build.swap_in(_tree(tmp_path / ".site.building-x", 1), out, lock)
    [old] = list(tmp_path.glob(".site.old-*"))
    assert spawned[0][-2:] == [str(old), str(lock)]


def test_the_deleter_gives_way_to_a_build_that_holds_the_lock(tmp_path: Path) -> None:
    """While a build holds the project's lock the deleter deletes nothing more (at most one batch
    it had begun); once the build is done, it deletes the rest."""
    import fcntl
    import subprocess
    import sys
    import time

    from generator.site import deleter

    old = _tree(tmp_path / ".site.old-z", 3 * deleter.BATCH)
    entries = sum(1 for _ in old.rglob("*"))
    lock = tmp_path / "lock"
    with open(lock, "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # a build is running
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator.site.deleter", str(old), str(lock)], cwd=build._PACKAGE_HOME
        )
        time.sleep(1.5)  # far longer than deleting the tree takes
        assert proc.poll() is None and sum(1 for _ in old.rglob("*")) == entries
        fcntl.flock(held, fcntl.LOCK_UN)  # the build is done
        assert proc.wait(timeout=60) == 0
    assert not old.exists()
