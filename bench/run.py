"""Build benchmarks: Gongkai vs the mkdocs-material anchor, side by side, in one run.

    python bench/run.py [--sizes 1000 5000] [--anchor 5000] [--as-of 2026-11-21] [--keep DIR]
                        [--search 10000 100000]

For each size N it generates synthetic data with `gongkai synth` (N penalties, N/50 accidents,
min(1000, N/10) power items), builds the site in a subprocess and records wall time, peak RSS, output
size, page count and the largest record page.  For the anchor size it also writes the same penalties
as a plain mkdocs-material site (shared/anchor_site.py: fixed nav, one page per record, built-in
search) and times `mkdocs build`.  Prints a Markdown table; copy it into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import itertools
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANCHOR = ROOT.parent / "shared" / "anchor_site.py"
BIN = Path(sys.executable).parent
REPEAT_UP_TO = 20_000  # larger builds run once


@dataclass
class Run:
    label: str
    records: int
    seconds: float
    peak_rss_mb: float
    output_mb: float
    pages: int
    largest_page_kb: float
    attempts: tuple[float, ...] = ()  # wall seconds of every run; the fastest is the one reported


# A fresh wrapper process per measurement, so RUSAGE_CHILDREN covers exactly that command (and its
# worker processes: ru_maxrss is the largest single process, which is what a machine must hold).
_WRAPPER = (
    "import resource, subprocess, sys; rc = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(rc)"
)


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    peak_kb = int(proc.stderr.strip().splitlines()[-1])
    return seconds, peak_kb / 1024


def measure_output(site: Path) -> tuple[float, int, float]:
    total, pages, largest = 0, 0, 0
    for path in site.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            total += size
            if path.suffix == ".html":
                pages += 1
                largest = max(largest, size)
    return total / 1e6, pages, largest / 1024


def make_project(work: Path, penalties: int, as_of: str) -> Path:
    project = work / f"project-{penalties}"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for name in ("site_config.yml",):
        shutil.copy(ROOT / name, project / name)
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, project / name)
    accidents, powers = max(penalties // 50, 5), min(1000, max(penalties // 10, 50))
    subprocess.run(
        [str(BIN / "gongkai"), "synth", "--penalties", str(penalties), "--accidents", str(accidents),
         "--power-items", str(powers), "--out", str(project / "data"), "--as-of", as_of],
        check=True,
    )
    return project


def penalties_csv(project: Path, out: Path) -> None:
    """The project's penalties as an import-format CSV (the anchor script's input)."""
    sys.path.insert(0, str(ROOT))
    from generator.schema.headers import PENALTY_HEADERS
    from generator.settings import Settings
    from generator.validate import load_and_validate

    catalog, _ = load_and_validate(project, Settings())
    from generator.schema.rows import row_of

    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PENALTY_HEADERS)
        for entry in catalog.penalties:
            row = row_of(entry.record, published_only=True)
            writer.writerow(["；".join(v) if isinstance(v, list) else (v or "") for v in
                             (row.get(h) for h in PENALTY_HEADERS)])


def bench_gongkai(work: Path, n: int, as_of: str, attempt: int = 0) -> Run:
    project = work / f"project-{n}"  # made by main() for this run
    site = project / f"site-{attempt}"  # a new directory each time: no old tree to replace
    seconds, rss = timed([str(BIN / "gongkai"), "build", "--out", str(site), "--as-of", as_of], project)
    size, pages, largest = measure_output(site)
    return Run("gongkai build", n, seconds, rss, size, pages, largest)


def bench_anchor(work: Path, n: int, as_of: str, attempt: int = 0) -> Run:
    project = work / f"project-{n}"  # made by main() for this run
    anchor = work / f"anchor-{n}"
    if not anchor.exists():
        csv_path = work / f"penalties-{n}.csv"
        penalties_csv(project, csv_path)
        subprocess.run([sys.executable, str(ANCHOR), str(csv_path), str(n), str(anchor)], check=True)
    site = anchor / f"site-{attempt}"
    cmd = [str(BIN / "mkdocs"), "build", "-q", "-f", str(anchor / "mkdocs.yml"), "-d", str(site)]
    seconds, rss = timed(cmd, anchor)
    size, pages, largest = measure_output(site)
    return Run("mkdocs-material anchor", n, seconds, rss, size, pages, largest)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--anchor", type=int, nargs="*", default=[5000])
    parser.add_argument("--as-of", default="2026-11-21")
    parser.add_argument("--repeat", type=int, default=3, help=f"runs per build up to {REPEAT_UP_TO:,} records; the fastest counts")
    parser.add_argument("--keep", type=Path, default=None, help="work directory to keep (default: a temp dir)")
    parser.add_argument(
        "--search", type=int, nargs="*", default=[],
        help="also run bench/search_bench.py at these sizes (bytes per query, latency; needs Chromium)",
    )
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    runs: list[Run] = []
    for n in sorted(set(args.sizes) | set(args.anchor)):
        # Runs alternate (ours, anchor, ours, anchor …) and the fastest of each counts: this disk's
        # speed drifts by tens of percent from one minute to the next, and both builds mostly write files.
        ours: list[Run] = []
        theirs: list[Run] = []
        make_project(work, n, args.as_of)  # fresh each run, also in a kept work directory
        shutil.rmtree(work / f"anchor-{n}", ignore_errors=True)
        for attempt in range(args.repeat if n <= REPEAT_UP_TO else 1):
            if n in args.sizes:
                ours.append(bench_gongkai(work, n, args.as_of, attempt))
            if n in args.anchor:
                theirs.append(bench_anchor(work, n, args.as_of, attempt))
        for found in (ours, theirs):
            if found:
                best = min(found, key=lambda r: r.seconds)
                runs.append(dataclasses.replace(best, attempts=tuple(r.seconds for r in found)))
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}\n")
    print("| build | penalties | wall s (fastest) | all runs s | ms/record | peak RSS MB | output MB | HTML pages "
          "| largest page KB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        runs_s = ", ".join(f"{a:.1f}" for a in r.attempts)
        print(f"| {r.label} | {r.records:,} | {r.seconds:.1f} | {runs_s} | {1000 * r.seconds / r.records:.2f} | "
              f"{r.peak_rss_mb:.0f} | {r.output_mb:.1f} | {r.pages:,} | {r.largest_page_kb:.1f} |")
    ours_by_size = sorted((r for r in runs if r.label == "gongkai build"), key=lambda r: r.records)
    for small, large in itertools.pairwise(ours_by_size):
        # Linear growth: wall time and output grow by about the factor the records grow by (or less).
        print(f"\ngrowth {small.records:,} → {large.records:,} records (×{large.records / small.records:g}): "
              f"wall ×{large.seconds / small.seconds:.1f}, output ×{large.output_mb / small.output_mb:.1f}, "
              f"peak RSS ×{large.peak_rss_mb / small.peak_rss_mb:.1f}")
    for n in args.anchor:
        ours = next((r for r in runs if r.label == "gongkai build" and r.records == n), None)
        anchor = next(r for r in runs if r.label != "gongkai build" and r.records == n)
        if ours:
            print(f"\nspeed-up at {n:,} penalties: {anchor.seconds / ours.seconds:.1f}× faster than the anchor")
    if args.search:
        # Bytes per new query and keystroke→results latency, beside mkdocs-material's built-in search.
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "search_bench.py"), "--records", *map(str, args.search),
             "--material", str(min(args.search))],
            check=True,
        )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
