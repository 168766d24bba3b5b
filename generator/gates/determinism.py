"""Determinism: two builds of the same input with the same --as-of are byte-identical.

The builds run as separate processes (`python -m generator build`), so that nothing cached in one
Python process (a dict order, a memoised date) can make them agree by accident.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.gates.findings import Finding
from generator.gates.sitefiles import rel, site_files

GATE = "determinism"

Builder = Callable[[Path], None]


def compare_trees(first: Path, second: Path) -> list[Finding]:
    """A finding for every file that exists in one tree only or differs in its bytes."""
    a = {rel(first, f): f for f in site_files(first)}
    b = {rel(second, f): f for f in site_files(second)}
    findings = []
    for name in sorted(a.keys() | b.keys()):
        if name not in b:
            findings.append(Finding(GATE, name, 0, "只出现在第一次生成的结果中"))
        elif name not in a:
            findings.append(Finding(GATE, name, 0, "只出现在第二次生成的结果中"))
        else:
            left, right = a[name].read_bytes(), b[name].read_bytes()
            if left != right:
                at = next(
                    (i for i, (x, y) in enumerate(zip(left, right, strict=False)) if x != y),
                    min(len(left), len(right)),
                )
                line = left.count(b"\n", 0, at) + 1
                findings.append(Finding(GATE, name, line, f"两次生成的内容不同（自第 {at} 字节起）"))
    return findings


def cli_builder(project: Path, as_of: dt.date, config: str = "site_config.yml") -> Builder:
    def build(out: Path) -> None:
        command = [
            sys.executable,
            "-m",
            "generator",
            "--config",
            config,
            "build",
            "--out",
            str(out),
            "--as-of",
            as_of.isoformat(),
        ]
        done = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(
                f"gongkai build 失败（{done.returncode}）：{done.stdout[-2000:]}{done.stderr[-2000:]}"
            )

    return build


def check_determinism(build: Builder) -> list[Finding]:
    with tempfile.TemporaryDirectory(prefix="gongkai-det-") as tmp:
        first, second = Path(tmp) / "first", Path(tmp) / "second"
        try:
            build(first)
            build(second)
        except RuntimeError as exc:
            return [Finding(GATE, "", 0, str(exc))]
        return compare_trees(first, second)
