"""Helpers for the patch-build tests: edit a project's data files as staff would, build, and compare
two built sites byte for byte."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from generator.schema.kinds import KINDS
from generator.site.build import BuildReport, build_site
from generator.site.page_tasks import VERIFY_KEYS_ENV
from generator.sources.yaml_loader import load_records
from generator.sources.yaml_writer import dump_records

REPO = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 21)
Row = dict[str, object]


def sample_project(target: Path) -> Path:
    """A copy of the repository's sample project (data, content, theme, config)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("data", "content", "theme"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "site_config.yml", target / "site_config.yml")
    return target


def build(project: Path, out: Path, *, cache: bool = True, as_of: dt.date = AS_OF, workers: int = 1) -> BuildReport:
    """Build with the build cache (a patch build when it can) or, with cache=False, a full build
    that neither reads nor writes it."""
    report = BuildReport()
    before = os.environ.pop("GONGKAI_NO_CACHE", None)
    if not cache:
        os.environ["GONGKAI_NO_CACHE"] = "1"
    os.environ[VERIFY_KEYS_ENV] = "1"  # a page kept by its key must have unchanged inputs
    try:
        problems = build_site(project, out, as_of, workers=workers, report=report)
    finally:
        os.environ.pop("GONGKAI_NO_CACHE", None)
        os.environ.pop(VERIFY_KEYS_ENV, None)
        if before is not None:
            os.environ["GONGKAI_NO_CACHE"] = before
    assert not problems.has_errors, [p.as_text() for p in problems.errors]
    return report


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def differences(one: Path, other: Path) -> list[str]:
    """The files that differ between two sites (or that only one has), as a short list."""
    a, b = tree(one), tree(other)
    out = [f"only in {one.name}: {p}" for p in sorted(a.keys() - b.keys())]
    out += [f"only in {other.name}: {p}" for p in sorted(b.keys() - a.keys())]
    out += [f"differs: {p}" for p in sorted(a.keys() & b.keys()) if a[p] != b[p]]
    # …and in who may read them: a web server often runs as another user than the build.
    out += [
        f"mode {oct(_mode(one / p))} against {oct(_mode(other / p))}: {p}"
        for p in sorted(a.keys() & b.keys())
        if _mode(one / p) != _mode(other / p)
    ]
    return out


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def edit_rows(project: Path, kind_name: str, file_name: str, change: Callable[[list[Row]], list[Row]]) -> None:
    """Rewrite one data file in the canonical form, with `change` applied to its records (as
    dicts header → value): only the records changed get other text."""
    kind = KINDS[kind_name]
    path = project / "data" / kind_name / file_name
    raws, problems = load_records(path, str(path), kind.key_header)
    assert not problems
    rows: list[Row] = [{h: v.value for h, v in raw.values.items()} for raw in raws]
    path.write_text(dump_records(change(rows), kind.headers), encoding="utf-8")


def edit_record(project: Path, kind_name: str, key: str, **values: object) -> None:
    """Set fields of the record with this key (None removes a field), wherever it is."""
    kind = KINDS[kind_name]
    for path in sorted((project / "data" / kind_name).glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        if key not in text:
            continue

        def change(rows: list[Row]) -> list[Row]:
            for row in rows:
                if row.get(kind.key_header) == key:
                    for header, value in values.items():
                        if value is None:
                            row.pop(header, None)
                        else:
                            row[header] = value
            return rows

        edit_rows(project, kind_name, path.name, change)
        return
    raise AssertionError(f"no record {key}")


def records(project: Path, kind_name: str, file_name: str) -> list[Row]:
    kind = KINDS[kind_name]
    path = project / "data" / kind_name / file_name
    raws, _ = load_records(path, str(path), kind.key_header)
    return [{h: v.value for h, v in raw.values.items()} for raw in raws]
