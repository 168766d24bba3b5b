"""Load + validate benchmark of the data core: N synthetic penalties through `load_and_validate`.

    .venv/bin/python bench/load_bench.py --penalties 100000

Generates the data once (cached under --work, default /tmp/gongkai-load-bench/N), then measures in a
fresh subprocess the wall time of `generator.validate.load_and_validate` and the peak RSS of that
process (resource.getrusage ru_maxrss).  Target at 100k penalties: ≤ 20 s and ≤ 1.5 GB.
`--profile` runs the measurement under pyinstrument and prints its report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 21)
TARGET_SECONDS = 20.0
TARGET_RSS_MB = 1536.0
CONFIG = "site_name: 负载测试\nplugins:\n  - gongkai: {}\n"

MEASURE = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from generator.settings import Settings
from generator.validate import load_and_validate
started = time.perf_counter()
import resource as _r
cpu_before = _r.getrusage(_r.RUSAGE_SELF).ru_utime + _r.getrusage(_r.RUSAGE_SELF).ru_stime
catalog, problems = load_and_validate(Path({project!r}), Settings())
seconds = time.perf_counter() - started
print(json.dumps({{
    "seconds": seconds,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "cpu_seconds": _r.getrusage(_r.RUSAGE_SELF).ru_utime + _r.getrusage(_r.RUSAGE_SELF).ru_stime - cpu_before,
    "penalties": len(catalog.penalties),
    "errors": len(problems.errors),
    "warnings": len(problems.warnings),
    "first_error": problems.errors[0].as_text() if problems.errors else "",
}}))
"""


def generate(project: Path, penalties: int) -> None:
    """Synthetic data into project/data (skipped when already there)."""
    data = project / "data"
    if (project / ".complete").exists():
        return
    project.mkdir(parents=True, exist_ok=True)
    (project / "site_config.yml").write_text(CONFIG, encoding="utf-8")
    started = time.perf_counter()
    try:
        from generator.synth import synth
    except ImportError:
        _simple_synth(data, penalties)
    else:
        synth(penalties, max(penalties // 100, 1), 200, data, AS_OF)
    (project / ".complete").write_text("", encoding="utf-8")
    size = sum(p.stat().st_size for p in data.rglob("*.yml")) / 1e6
    seconds = time.perf_counter() - started
    print(f"generated {penalties:,} penalties in {seconds:.1f} s ({size:.0f} MB of YAML)")


def _simple_synth(data: Path, penalties: int) -> None:
    """A fallback when generator.synth is not there: repetitive but valid records."""
    from generator.rules.identifiers import make_credit_code
    from generator.schema.headers import PENALTY_HEADERS
    from generator.sources.yaml_writer import dump_records

    authority = make_credit_code("11420900MB0123456")
    by_year: dict[int, list[dict]] = {}
    for i in range(penalties):
        year = 2020 + i % 6
        by_year.setdefault(year, []).append({
            "行政相对人名称": f"云澜市第{i}化工有限公司",
            "行政相对人类别": "法人及非法人组织",
            "统一社会信用代码": make_credit_code(f"914209{i % 10**8:08d}MA4"),
            "行政处罚决定书文号": f"云应急罚〔{year}〕{i}号",
            "违法行为类型": "未按规定对从业人员进行安全生产教育和培训",
            "违法事实": f"经查，该公司未按规定对从业人员进行安全生产教育和培训（第{i}号）。\n"
                        "特种作业人员未持证上岗。",
            "处罚依据": "《中华人民共和国安全生产法》第九十七条第一项",
            "处罚类别": ["警告", "罚款"],
            "处罚内容": "警告，并处罚款2万元",
            "罚款金额（万元）": "2",
            "处罚决定日期": f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "处罚机关": "云澜市应急管理局",
            "处罚机关统一社会信用代码": authority,
            "数据来源单位": "云澜市应急管理局",
            "数据来源单位统一社会信用代码": authority,
        })
    (data / "penalties").mkdir(parents=True, exist_ok=True)
    for year, rows in by_year.items():
        (data / "penalties" / f"{year}.yml").write_text(dump_records(rows, PENALTY_HEADERS), encoding="utf-8")


def measure(project: Path, profile: bool) -> dict:
    code = MEASURE.format(root=str(ROOT), project=str(project))
    if profile:
        argv = [sys.executable, "-m", "pyinstrument", "-c", code]
        subprocess.run(argv, check=True)
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--penalties", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=None, help="where the synthetic project is kept")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile first")
    args = parser.parse_args()
    project = args.work or Path(f"/tmp/gongkai-load-bench/{args.penalties}")
    generate(project, args.penalties)
    results = [measure(project, args.profile and i == 0) for i in range(args.runs)]
    best = min(results, key=lambda r: r["seconds"])
    ok = best["seconds"] <= TARGET_SECONDS and best["peak_rss_mb"] <= TARGET_RSS_MB
    print(
        f"load_and_validate: {best['penalties']:,} penalties in {best['seconds']:.2f} s "
        f"(CPU {best['cpu_seconds']:.2f} s), "
        f"peak RSS {best['peak_rss_mb']:.0f} MB ({best['errors']} errors, {best['warnings']} warnings) — "
        f"target ≤ {TARGET_SECONDS:.0f} s and ≤ {TARGET_RSS_MB:.0f} MB: {'met' if ok else 'MISSED'}"
    )
    if best["first_error"]:
        print("first error:", best["first_error"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
