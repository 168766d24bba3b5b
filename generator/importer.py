"""`gongkai import KIND FILE`: a staff table → canonical data files, all or nothing.

Rows are validated exactly like data files (plus privacy).  The table's records are merged into the
kind's existing data files by key (a re-import replaces, never duplicates), then every file that
changes is written atomically.  Any problem in the table or in the existing files: nothing written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from generator.problem_codes import problem
from generator.problems import Problem, Problems
from generator.rules.privacy import published_party_name
from generator.schema.kinds import KINDS, Kind
from generator.schema.models import Penalty, Record
from generator.schema.rows import row_of
from generator.settings import Settings
from generator.sources.tables import read_table
from generator.sources.yaml_loader import load_records
from generator.sources.yaml_writer import dump_records, natural_key
from generator.validate import Checked, check_records, check_references, duplicate_keys


def import_table(kind: Kind, table: Path, display: str, data_dir: Path, settings: Settings) -> tuple[Problems, list[Path]]:
    """Returns the problems and the files written (none when there is any error)."""
    problems = Problems()
    if data_dir.exists() and not data_dir.is_dir():
        problems.add(problem("file.output", str(data_dir), 1, 1, "", "", "导入目标是一个已有的文件，不是数据目录"))
        return problems, []
    raws, read_problems = read_table(table, display, kind.headers, kind.required_headers)
    problems.extend(read_problems)
    columns = {header for raw in raws for header in raw.values}  # the table's columns (all rows have all)
    checked, record_problems = check_records(kind, raws, settings)
    problems.extend(record_problems)
    if not raws and not problems.has_errors:
        problems.add(problem("table.empty", display, 2, 1, "", "", "表格只有表头，没有数据行"))
    existing: dict[str, list[Checked]] = {}
    for other in KINDS.values():
        existing[other.name], existing_problems = _existing_records(other, data_dir, settings)
        problems.extend(existing_problems)
    # References (父项编码, 权责事项编码) are checked on the data as it will be after the import.
    imported_keys = {c.entry.key for c in checked}
    after = dict(existing)
    kept = [c for c in existing[kind.name] if c.entry.key not in imported_keys]
    after[kind.name] = checked + kept
    problems.extend(check_references(after))
    # A row whose key is an existing record's written differently (〔〕 for [], a full-width digit …)
    # would not replace that record but add a second copy of it.
    problems.extend(duplicate_keys(kind, kept + checked))
    if problems.has_errors:
        return problems, []
    merged = {
        c.entry.key: (f"{kind.name}/{Path(c.raw.path).name}", c.entry.record) for c in existing[kind.name]
    }
    # Only the files an imported record goes to or leaves are rewritten; every other file keeps its
    # bytes (comments, formatting) even where the canonical writer would write it differently.
    touched = set()
    for c in checked:
        target = kind.data_file(c.entry.record)
        previous = merged.get(c.entry.key)
        record = c.entry.record
        if previous is not None:
            record = keep_unpublished(record, previous[1], columns, settings.name_mask)
        touched.update({target, previous[0]} if previous else {target})
        merged[c.entry.key] = (target, record)
    try:
        return problems, _write_changed_files(kind, data_dir, merged, touched)
    except OSError as exc:  # e.g. a file where a directory of the target should be
        where = exc.filename or data_dir
        problems.add(problem("file.output", str(where), 1, 1, "", "", f"无法写入数据文件（{exc.strerror or type(exc).__name__}）；没有写入任何文件"))
        return problems, []


def keep_unpublished(new: Record, old: Record, columns: set[str] | None = None, name_mask: str = "张某某") -> Record:
    """A re-imported record keeps what the table does not say: the fields of columns the table does
    not have (the downloads carry the national standard's columns, not 权责事项编码, 公示日期 or an
    accident's report parts), never-published fields (法定代表人, 证件号码 …) the table leaves empty
    (the downloads carry those columns empty), and a natural person's full name where the table has
    its published, masked form.  Importing a download back must not erase what only the data files
    hold."""
    kept = {}
    if (
        isinstance(new, Penalty) and isinstance(old, Penalty) and new.party_name != old.party_name
        and new.party_name == published_party_name(old.party_name, old.party_type, name_mask)
    ):
        kept["party_name"] = old.party_name
    for name, info in type(new).model_fields.items():
        old_value = getattr(old, name)
        if old_value is None:
            continue
        if columns is not None and (info.alias or name) not in columns:
            kept[name] = old_value  # the table has no such column: the new value is only a default
        elif getattr(new, name) is None and not (info.json_schema_extra or {}).get("published", True):  # type: ignore[union-attr]
            kept[name] = old_value
    return new.model_copy(update=kept) if kept else new


def _existing_records(kind: Kind, data_dir: Path, settings: Settings) -> tuple[list[Checked], list[Problem]]:
    """The kind's records already in the data directory, checked like `gongkai validate` does."""
    problems: list[Problem] = []
    raws = []
    for path in sorted((data_dir / kind.name).glob("*.yml")):
        records, load_problems = load_records(path, str(path), kind.key_header)
        raws.extend(records)
        problems.extend(p for p in load_problems if p.code != "file.empty")
    checked, record_problems = check_records(kind, raws, settings)
    return checked, problems + record_problems


def _write_changed_files(
    kind: Kind, data_dir: Path, merged: dict[str, tuple[str, Record]], touched: set[str]
) -> list[Path]:
    by_file: dict[str, list[Record]] = {rel: [] for rel in touched}  # a file all of whose records
    for rel, record in merged.values():  # moved elsewhere (a corrected year) is emptied, not left stale
        if rel in touched:
            by_file[rel].append(record)
    texts = {
        rel: dump_records((row_of(r) for r in sorted(recs, key=_order_key)), kind.headers) if recs else "[]\n"
        for rel, recs in by_file.items()
    }
    changed = {rel: text for rel, text in sorted(texts.items()) if _differs(data_dir / rel, text)}
    staged: list[tuple[Path, Path]] = []
    try:
        for rel, text in changed.items():
            target = data_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".import-", suffix=".yml")
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            staged.append((Path(tmp), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    return [target for _, target in staged]


def _order_key(record: Record) -> tuple:
    date = getattr(record, "decision_date", None) or getattr(record, "occurred", "")
    return (str(date), natural_key(record.key))  # type: ignore[attr-defined]


def _differs(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") != text
    except (OSError, UnicodeDecodeError):
        return True
