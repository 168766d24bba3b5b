"""When records first appeared in the data's git history.

The law measures timeliness from the day a decision was published; the honest witness of that day,
when the data does not state a 公示日期, is the first commit on the published branch that contained the
record.  Likewise the day a 撤销/变更 state reached the data is the day the publication was withdrawn.
And a published record that staff later correct has changed: the day of the last commit that changed
one of its lines, after the day the record first appeared, dates the change in the feeds, the sitemap
and the page's 最后更新.  (Lines are attributed by `git blame`: a record only moved within its file
counts as changed on the day it moved.)
Outside a git checkout (or without git) these maps are empty and callers fall back to the data.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

_KEY_LINE = re.compile(r"^[+ ]-?\s*(行政处罚决定书文号|事项编码|事故名称):\s*(.+?)\s*$")
_STATE_LINE = re.compile(r'^\+\s*状态:\s*"?(撤销|变更)"?\s*$')


@dataclass
class History:
    first_seen: dict[str, dt.date] = field(default_factory=dict)  # record key → first commit date
    withdrawn_seen: dict[str, dt.date] = field(default_factory=dict)  # penalty key → first 撤销/变更 commit
    changes: list[tuple[dt.date, str, str]] = field(default_factory=list)  # (date, commit, path) per file change
    last_changed: dict[str, dt.date] = field(default_factory=dict)  # record key → its last correction


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, check=True, timeout=600
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.decode("utf-8", errors="replace")


def _value(text: str) -> str:
    text = text.strip()
    if text.startswith('"'):
        try:
            return str(json.loads(text))
        except json.JSONDecodeError:
            return text.strip('"')
    return text.strip("'")


def read_history(root: Path, data_dir: str = "data") -> History:
    history = History()
    if _git(root, "rev-parse", "--is-inside-work-tree") is None:
        return history
    log = _git(root, "log", "--reverse", "--format=@@%cs %H", "-p", "--unified=0", "--no-renames", "--", data_dir)
    first_commit: dict[str, str] = {}
    for date, commit, line in _walk(log or ""):
        match = _KEY_LINE.match(line)
        if match and line.startswith("+"):
            key = _value(match.group(2))
            history.first_seen.setdefault(key, date)
            first_commit.setdefault(key, commit)
    # Withdrawals are few: a second pass with context finds the key each state line belongs to.
    log = _git(
        root, "log", "--reverse", "--format=@@%cs %H", "-p", "-U60", "--no-renames",
        "-G", "状态: \"?(撤销|变更)", "--", f"{data_dir}/penalties",
    )
    last_key = ""
    for date, commit, line in _walk(log or ""):
        key_match = _KEY_LINE.match(line)
        if key_match and key_match.group(1) == "行政处罚决定书文号":
            last_key = _value(key_match.group(2))
        elif line.startswith("@@") or line.startswith("diff "):
            last_key = ""
        elif _STATE_LINE.match(line) and last_key and first_commit.get(last_key) != commit:
            # A record that entered the data already withdrawn says nothing about when it was
            # taken down: its withdrawal date stays unknown rather than "the day it was added".
            history.withdrawn_seen.setdefault(last_key, date)
    history.last_changed = _corrections(root, data_dir, history.first_seen)
    return history


def _corrections(root: Path, data_dir: str, first_seen: dict[str, dt.date]) -> dict[str, dt.date]:
    """Record key → the day of the last commit, after the day the record first appeared, that changed
    one of its lines: from `git blame` of the committed files (uncommitted edits have no date yet)."""
    listed = _git(root, "ls-files", "-z", "--", f"{data_dir}/penalties", f"{data_dir}/accidents")
    out: dict[str, dt.date] = {}
    for path in (listed or "").split("\0"):
        if not path.endswith(".yml"):
            continue
        starts, keys = _records_of(_git(root, "show", f"HEAD:./{path}") or "")  # ./: from the project, not the repository's top
        latest: list[dt.date | None] = [None] * len(starts)
        # Only a commit after the record first appeared counts: a record added later is no correction.
        # (Git's move detection is not used: it misses moves of Chinese lines, which have few ASCII
        # letters to match on, and would credit a corrected value to any older line that had it.)
        blame = _git(root, "blame", "--incremental", "-w", "HEAD", "--", path)
        for first_line, count, _commit, day in _blame_ranges(blame or ""):
            # The records whose lines this run of lines touches (records are in line order).
            last = bisect.bisect_right(starts, first_line + count - 1) - 1
            for index in range(max(bisect.bisect_right(starts, first_line) - 1, 0), last + 1):
                appeared = first_seen.get(keys[index])
                if appeared and day > appeared and (latest[index] is None or day > latest[index]):
                    latest[index] = day
        out.update((key, day) for key, day in zip(keys, latest, strict=True) if key and day)
    return out


def _records_of(text: str) -> tuple[list[int], list[str]]:
    """The first line of each record of a data file (1-based) and its key ("" when it has none)."""
    starts: list[int] = []
    keys: list[str] = []
    line, at = 1, 0
    for match in _RECORD_PART.finditer(text):
        line += text.count("\n", at, match.start())
        at = match.start()
        if match.group(0).startswith("- "):
            starts.append(line)
            keys.append(_value(match.group(2)) if match.group(1) else "")
        elif keys and not keys[-1]:
            keys[-1] = _value(match.group(4))
    return starts, keys


# A record's first line ("- …", perhaps its key) and a key line inside it ("  行政处罚决定书文号: …").
_KEY_NAMES = "(行政处罚决定书文号|事故名称)"
_RECORD_PART = re.compile(
    rf"^- (?:{_KEY_NAMES}:[ \t]*([^\n]*?)[ \t]*$)?|^  {_KEY_NAMES}:[ \t]*([^\n]*?)[ \t]*$", re.M
)


def _blame_ranges(incremental: str) -> Iterator[tuple[int, int, str, dt.date]]:
    """(first line, line count, commit, committer day) for each run of lines `git blame --incremental`
    attributes to one commit; a commit's day is taken in its committer's time zone."""
    days: dict[str, dt.date] = {}
    pending: list[tuple[int, int, str]] = []
    stamp, commit = 0, ""
    for line in incremental.split("\n"):
        head = line.split(" ")
        if len(head) == 4 and len(head[0]) == 40:
            commit = head[0]
            pending.append((int(head[2]), int(head[3]), commit))
        elif head[0] == "committer-time":
            stamp = int(head[1])
        elif head[0] == "committer-tz":
            tz = head[1]
            offset = (1 if tz[0] == "+" else -1) * dt.timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5]))
            days[commit] = (dt.datetime.fromtimestamp(stamp, dt.UTC) + offset).date()
    for first_line, count, run_commit in pending:
        yield first_line, count, run_commit, days[run_commit]


def _walk(log: str):  # noqa: ANN202 - a small generator of (date, commit, line)
    date, commit = dt.date.min, ""
    for line in log.splitlines():
        if line.startswith("@@") and not line.startswith("@@ "):
            stamp, _, commit = line[2:].partition(" ")
            date = dt.date.fromisoformat(stamp)
            continue
        yield date, commit, line
