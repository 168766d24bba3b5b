"""The power-list change log (权责清单调整记录), derived from the git history of data/power-items/.

Each commit that touched a power-item file is replayed: the files it changed are read at that commit
(`git show COMMIT:PATH`, YAML read with BaseLoader so every value stays the string that was written),
and at the end of each commit date the whole list is compared with the end of the previous date:
items added, removed, and changed (which fields).  Several commits on one day are one entry, so an
item added and corrected the same day shows as added.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.schema.kinds import POWER_ITEMS

Item = dict[str, object]
# libyaml's loader when available: the pure-Python one takes ~0.1 s per power-list file version.
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


@dataclass
class DayChange:
    day: dt.date
    added: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    removed: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)  # (code, name, headers)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=True, timeout=600)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", errors="replace")


def _items(text: str | None) -> dict[str, Item] | None:
    """Items of one file version by code; {} for a deleted file, None for a version that is not valid
    YAML (validation refused it then, so the previous version stays the one that counts)."""
    if not text:
        return {}
    try:
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - BaseLoader builds only str/list/dict
    except yaml.YAMLError:
        return None
    key = POWER_ITEMS.key_header
    if not isinstance(data, list):
        return {}
    return {str(row[key]).strip(): row for row in data if isinstance(row, dict) and row.get(key)}


def _commits(root: Path, folder: str) -> list[tuple[str, dt.date, list[str]]]:
    log = _git(root, "log", "--reverse", "--no-renames", "--format=@@%H %cs", "--name-only", "--", folder)
    commits: list[tuple[str, dt.date, list[str]]] = []
    for line in (log or "").splitlines():
        if line.startswith("@@"):
            sha, _, day = line[2:].partition(" ")
            commits.append((sha, dt.date.fromisoformat(day), []))
        elif line.strip() and commits and line.endswith((".yml", ".yaml")):
            commits[-1][2].append(line.strip())
    return commits


def _diff(day: dt.date, old: dict[str, Item], new: dict[str, Item]) -> DayChange:
    name = "事项名称"
    change = DayChange(day)
    change.added = sorted((c, str(new[c].get(name, ""))) for c in new.keys() - old.keys())
    change.removed = sorted((c, str(old[c].get(name, ""))) for c in old.keys() - new.keys())
    order = {h: i for i, h in enumerate(POWER_ITEMS.headers)}
    for code in sorted(old.keys() & new.keys()):
        a, b = old[code], new[code]
        fields = tuple(
            sorted(
                (h for h in a.keys() | b.keys() if a.get(h) != b.get(h)), key=lambda h: (order.get(h, 99), h)
            )
        )
        if fields:
            change.changed.append((code, str(b.get(name, "")), fields))
    return change


def power_item_changes(root: Path, data_dir: str = "data") -> list[DayChange] | None:
    """Changes per date, newest first; None when the project is not a git checkout."""
    if _git(root, "rev-parse", "--is-inside-work-tree") is None:
        return None
    folder = f"{data_dir.rstrip('/')}/{POWER_ITEMS.name}"
    files: dict[str, dict[str, Item]] = {}
    days: list[DayChange] = []
    previous: dict[str, Item] = {}
    commits = _commits(root, folder)
    for index, (sha, day, paths) in enumerate(commits):
        for path in paths:
            # --name-only paths are relative to the repository top, as `git show REV:PATH` expects.
            items = _items(_git(root, "show", f"{sha}:{path}"))
            if items is not None:
                files[path] = items
        last_of_day = index + 1 == len(commits) or commits[index + 1][1] != day
        if last_of_day:
            current = {code: item for items in files.values() for code, item in items.items()}
            change = _diff(day, previous, current)
            if not change.empty:
                days.append(change)
            previous = current
    days.sort(key=lambda d: d.day, reverse=True)
    return days


def last_changed(days: list[DayChange] | None) -> dict[str, dt.date]:
    """Power-item code → the latest date it was added or changed (for the feeds and sitemap)."""
    out: dict[str, dt.date] = {}
    for day in sorted(days or [], key=lambda d: d.day):
        for code, _ in day.added:
            out[code] = day.day
        for code, _, _ in day.changed:
            out[code] = day.day
    return out
