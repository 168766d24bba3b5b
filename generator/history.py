"""When records first appeared in the data's git history.

The law measures timeliness from the day a decision was published; the honest witness of that day,
when the data does not state a 公示日期, is the first commit on the published branch that contained the
record.  Likewise the day a 撤销/变更 state reached the data is the day the publication was withdrawn.
Outside a git checkout (or without git) these maps are empty and callers fall back to the data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

_KEY_LINE = re.compile(r"^[+ ]-?\s*(行政处罚决定书文号|事项编码|事故名称):\s*(.+?)\s*$")
_STATE_LINE = re.compile(r'^\+\s*状态:\s*"?(撤销|变更)"?\s*$')


@dataclass
class History:
    first_seen: dict[str, dt.date] = field(default_factory=dict)  # record key → first commit date
    withdrawn_seen: dict[str, dt.date] = field(default_factory=dict)  # penalty key → first 撤销/变更 commit
    changes: list[tuple[dt.date, str, str]] = field(default_factory=list)  # (date, commit, path) per file change


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
    return history


def _walk(log: str):  # noqa: ANN202 - a small generator of (date, commit, line)
    date, commit = dt.date.min, ""
    for line in log.splitlines():
        if line.startswith("@@") and not line.startswith("@@ "):
            stamp, _, commit = line[2:].partition(" ")
            date = dt.date.fromisoformat(stamp)
            continue
        yield date, commit, line
