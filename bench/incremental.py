"""Patch-build benchmark (issue 8): build a project once, change one record, build again, time it.

    .venv/bin/python bench/incremental.py PROJECT [--change text|fine|line|new|new-recent|withdraw|withdraw-old ...] [--verify]

PROJECT holds site_config.yml, data/, content/, theme/ (e.g. `gongkai synth --penalties 100000
--accidents 2000 --power-items 1000 --out PROJECT/data` plus the repository's content/, theme/ and
site_config.yml).  The first build is a full one (it fills the build cache); then, for each change
asked for, one penalty near the middle of the largest penalty file is changed as staff would edit
it (withdraw-old: the first published penalty of the oldest file that has one; new: a copy of it
under a new number, new-recent the same dated two days before the as-of date), and
`gongkai build` runs again (a patch build), timed with its peak RSS.  --verify also builds
the same data fully into a fresh directory without the cache and compares the two sites byte for
byte (minutes at 100k).  Each change is undone before the next, and at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

AS_OF = "2026-11-21"
GONGKAI = [sys.executable, "-m", "generator"]


def build(project: Path, out: Path, *, cache: bool = True) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB of the build process, the build's last line)."""
    env = None if cache else {**__import__("os").environ, "GONGKAI_NO_CACHE": "1"}
    started = time.perf_counter()
    done = subprocess.run(
        [*GONGKAI, "build", "--out", str(out), "--as-of", AS_OF], cwd=project, env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stdout}\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines = done.stderr.strip().splitlines()
    stages = [line for line in lines if line.startswith("gongkai timings")]  # with GONGKAI_TIMINGS set
    return wall, peak, "\n    ".join([lines[-1], *stages])


def largest_penalty_file(project: Path) -> Path:
    return max((project / "data" / "penalties").glob("*.yml"), key=lambda p: p.stat().st_size)


def oldest_penalty_file(project: Path, published: str) -> Path:
    """The file of the oldest year that still has a published penalty."""
    for path in sorted((project / "data" / "penalties").glob("*.yml")):
        numbers = re.findall(r'行政处罚决定书文号: "([^"]+)"', path.read_text(encoding="utf-8"))
        if any(number in published for number in numbers):
            return path
    raise SystemExit("no published penalty to withdraw")


def change(path: Path, how: str, published: str) -> str:
    """Edit the first published penalty after the middle of `path` (for withdraw-old: from its
    start, `path` being the oldest file with a published penalty: as far back as a withdrawal
    goes) — one whose decision number is in the site's download `published`: editing an expired
    one changes nothing on the site; returns its decision number."""
    text = path.read_text(encoding="utf-8")
    start = 0 if how == "withdraw-old" else text.index("\n- ", len(text) // 2) + 1
    while True:
        end = text.index("\n- ", start + 1) + 1
        record = text[start:end]
        number = re.search(r'行政处罚决定书文号: "([^"]+)"', record).group(1)
        if number in published and "违法事实: " in record and "罚款金额" in record:
            break
        start = end
    if how == "text":  # a correction inside 违法事实 (a quoted value or a block)
        record = re.sub(r'(  违法事实: (?:"|\|-?\n    )[^"\n]{10})', r"\1（经复核）", record, count=1)
    elif how == "fine":
        record = re.sub(r'  罚款金额（万元）: "[^"]*"', '  罚款金额（万元）: "7.77"', record, count=1)
    elif how == "line":  # a field added: the records below move down a line
        record = record.rstrip("\n") + '\n  备注: "经复核更正"\n'
    elif how in ("withdraw", "withdraw-old"):
        record = re.sub(r'  状态: "正常"', '  状态: "撤销"\n  状态变更日期: "2026-11-20"\n  状态变更原因: "经行政复议决定撤销"', record, count=1)
    elif how in ("new", "new-recent"):  # a new decision after the last one of the file, same party
        new = re.sub(r'行政处罚决定书文号: "[^"]+"', '行政处罚决定书文号: "基准应急罚〔2026〕1号"', record, count=1)
        if how == "new-recent":  # as decisions usually come: decided two days ago, published yesterday
            decided = dt.date.fromisoformat(AS_OF) - dt.timedelta(days=2)
            new = re.sub(r'处罚决定日期: "[^"]+"', f'处罚决定日期: "{decided}"', new, count=1)
            new = re.sub(r'公示日期: "[^"]+"', f'公示日期: "{decided + dt.timedelta(days=1)}"', new, count=1)
        return _write(path, text + new, "基准应急罚〔2026〕1号")
    else:
        raise SystemExit(f"unknown change {how!r}")
    return _write(path, text[:start] + record + text[end:], number)


def _write(path: Path, text: str, number: str) -> str:
    path.write_text(text, encoding="utf-8")
    return number


CHANGES = ["text", "fine", "line", "new", "new-recent", "withdraw", "withdraw-old"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--change", nargs="+", default=["text"], choices=CHANGES)
    parser.add_argument("--verify", action="store_true")
    parser.add_argument("--skip-full", action="store_true", help="the site is already built with this code")
    args = parser.parse_args()
    project = args.project.resolve()
    site = project / "site"
    if not args.skip_full:
        wall, peak, said = build(project, site)
        print(f"full build: {wall:.1f} s  ({said})", flush=True)
    published = (site / "data" / "penalties.csv").read_text(encoding="utf-8")
    targets = {how: oldest_penalty_file(project, published) if how == "withdraw-old" else largest_penalty_file(project) for how in args.change}
    files = {path: path.read_bytes() for path in targets.values()}
    try:
        for how in args.change:
            target = targets[how]
            original = files[target]
            number = change(target, how, published)
            wall, peak, said = build(project, site)
            print(f"patch build after one change ({how}, {number}): {wall:.2f} s wall  ({said})", flush=True)
            if args.verify:
                fresh = project / "site-full"
                shutil.rmtree(fresh, ignore_errors=True)
                build(project, fresh, cache=False)
                diff = subprocess.run(["diff", "-rq", str(site), str(fresh)], capture_output=True, text=True)
                print("  byte-identical to a full build" if diff.returncode == 0 else f"  DIFFERS:\n{diff.stdout[:2000]}")
                shutil.rmtree(fresh, ignore_errors=True)
            target.write_bytes(original)
            wall, _, said = build(project, site)
            print(f"  (change undone, patch build: {wall:.2f} s)", flush=True)
    finally:
        for path, original in files.items():
            path.write_bytes(original)


if __name__ == "__main__":
    main()
