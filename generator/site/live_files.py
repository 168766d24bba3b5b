"""Is the live site still the one the last build wrote?  A patch build keeps most files as they
are and copies parts of others (listing rows, open-data rows, search postings) from them, so a
file deleted, cut short or edited by hand between two builds would stay wrong, and spread.

Each build records every file's size and modification time (whole seconds: a site restored from a
CI cache keeps its files' times, but not every archiver keeps their fractions); the next patch
build walks the site on the core that validation leaves idle and compares.  Any difference —
a file missing, added, or with another size or time — and the build is a full one, which writes
the whole site afresh.  (An edit that keeps a file's size and its time to the second is not seen:
only a hand that sets the time back does that.)
"""

from __future__ import annotations

import array
import os
from collections.abc import Iterable
from pathlib import Path

Stat = tuple[int, int]  # (size in bytes, modification time in whole seconds)

SHOWN = 5  # differences reported (BuildReport.altered; the summary line names the first)


def _stat_of(st: os.stat_result) -> Stat:
    return st.st_size, int(st.st_mtime)


def walk(out: Path) -> dict[str, Stat]:
    """Every file under `out` by site-relative POSIX path (os.scandir: one call per folder, and
    no stat for folders: a 100k site has that many)."""
    found: dict[str, Stat] = {}
    folders = [("", str(out))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((f"{prefix}{entry.name}/", entry.path))
                else:
                    found[prefix + entry.name] = _stat_of(entry.stat(follow_symlinks=False))
    return found


def stats_of(out: Path, rels: Iterable[str], previous: dict[str, Stat], changed: set[str]) -> dict[str, Stat]:
    """After a patch build: the stat of each of `rels`, the files it wrote (`changed`) or that are
    new taken afresh, the others' from the `previous` build's record."""
    out_text = str(out)
    stats = {}
    for rel in rels:
        stat = None if rel in changed else previous.get(rel)
        if stat is None:
            try:
                stat = _stat_of(os.stat(os.path.join(out_text, rel)))
            except OSError:  # gone already (removed by hand meanwhile): the next build sees it
                stat = (-1, -1)
        stats[rel] = stat
    return stats


def pack(stats: dict[str, Stat]) -> tuple[list[str], array.array]:
    """For the build cache: the paths sorted, and their sizes and times in one array (a dict of
    150k tuples takes ten times longer to store and read back)."""
    rels = sorted(stats)
    return rels, array.array("q", [n for rel in rels for n in stats[rel]])


def unpack(rels: list[str], numbers: array.array) -> dict[str, Stat] | None:
    if not isinstance(rels, list) or not isinstance(numbers, array.array) or len(numbers) != 2 * len(rels):
        return None
    return {rel: (numbers[2 * i], numbers[2 * i + 1]) for i, rel in enumerate(rels)}


def differences(out: Path, recorded: dict[str, Stat]) -> list[str]:
    """Up to SHOWN files whose size or time is not the recorded one, or that only one side has
    (none: the site is as the last build left it)."""
    try:
        now = walk(out)
    except OSError as exc:
        return [f"（无法读取：{exc.strerror or exc}）"]
    differ = [rel for rel, stat in now.items() if recorded.get(rel) != stat]
    differ += [rel for rel in recorded.keys() - now.keys()]
    return sorted(differ)[:SHOWN]
