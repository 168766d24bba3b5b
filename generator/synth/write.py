"""Writes a Dataset as the YAML data files of data/ (the layout the data dictionary states):

    data/penalties/<YYYY>.yml      by year of 处罚决定日期, sorted by date then 文号
    data/accidents/<YYYY>.yml      by year of 发生时间, sorted by date then 事故名称
    data/power-items/<slug>.yml    by 事项类型, sorted by 事项编码

Every scalar is written double-quoted (multi-line text as a literal block), so a loader that
reads all scalars as strings gets back exactly the string that was meant; keys are in header
order.  The emitter is hand-written: it is deterministic and fast enough for 100k records.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from generator.schema.headers import ACCIDENT_HEADERS, PENALTY_HEADERS, POWER_ITEM_HEADERS

from .power import TYPE_SLUGS

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f\x85\u2028\u2029\ufeff]')
_BLOCK_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff\r]")


def _escape(m: re.Match) -> str:
    c = m.group(0)
    return _ESCAPES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def quoted(s: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(_escape, s) + '"'


def _scalar(value: str, indent: str) -> str:
    """` "text"` or a literal block ` |` / ` |-` followed by its lines, for after `key:`."""
    if "\n" in value and not _BLOCK_UNSAFE.search(value) and value.strip("\n") \
            and not value.startswith((" ", "\n")) and not value.endswith("\n\n") \
            and not any(line != line.rstrip(" \t") for line in value.split("\n")):
        body = value[:-1] if value.endswith("\n") else value
        chomp = "|" if value.endswith("\n") else "|-"
        lines = [(indent + line) if line else "" for line in body.split("\n")]
        return f" {chomp}\n" + "\n".join(lines)
    return " " + quoted(value)


def dump_records(records: list[dict], headers: tuple[str, ...]) -> str:
    out: list[str] = []
    for rec in records:
        first = True
        for key in headers:
            value = rec.get(key)
            if value is None or value == "" or value == []:
                continue
            lead = "- " if first else "  "
            first = False
            if isinstance(value, list):
                out.append(f"{lead}{key}:")
                out.extend(f"    - {quoted(v)}" for v in value)
            else:
                out.append(f"{lead}{key}:{_scalar(value, '    ')}")
        if first:
            out.append("- {}")
    return "\n".join(out) + "\n" if out else "[]\n"


_DIGITS = re.compile(r"(\d+)")


def natural_key(s: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in _DIGITS.split(s))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_dataset(ds, data_dir: Path) -> list[Path]:
    """Write ds into data_dir; returns the files written.  Nothing else is removed or touched."""
    data_dir = Path(data_dir)
    written: list[Path] = []
    groups: dict[Path, list[dict]] = defaultdict(list)
    for rec in ds.penalties:
        groups[data_dir / "penalties" / f"{rec['处罚决定日期'][:4]}.yml"].append(rec)
    for path in sorted(groups):
        recs = sorted(groups[path], key=lambda r: (r["处罚决定日期"], natural_key(r["行政处罚决定书文号"])))
        _write(path, dump_records(recs, PENALTY_HEADERS))
        written.append(path)
    groups.clear()
    for rec in ds.accidents:
        groups[data_dir / "accidents" / f"{rec['发生时间'][:4]}.yml"].append(rec)
    for path in sorted(groups):
        recs = sorted(groups[path], key=lambda r: (r["发生时间"], r["事故名称"]))
        _write(path, dump_records(recs, ACCIDENT_HEADERS))
        written.append(path)
    groups.clear()
    for rec in ds.power_items:
        groups[data_dir / "power-items" / f"{TYPE_SLUGS[rec['事项类型']]}.yml"].append(rec)
    for path in sorted(groups):
        recs = sorted(groups[path], key=lambda r: natural_key(r["事项编码"]))
        _write(path, dump_records(recs, POWER_ITEM_HEADERS))
        written.append(path)
    return written
