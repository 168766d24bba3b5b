"""Writes a Dataset as the YAML data files of data/ (the layout the data dictionary states):

    data/penalties/<YYYY>.yml      by year of 处罚决定日期, sorted by date then 文号
    data/accidents/<YYYY>.yml      by year of 发生时间, sorted by date then 事故名称
    data/power-items/<slug>.yml    by 事项类型, sorted by 事项编码

The format is the project's canonical one (generator/sources/yaml_writer.py).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from generator.schema.headers import ACCIDENT_HEADERS, PENALTY_HEADERS, POWER_ITEM_HEADERS
from generator.sources.yaml_writer import dump_records, natural_key

from .power import TYPE_SLUGS


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def _as_loaded(rec: dict) -> dict:
    """Values as the loader keeps them (stripped), so that importing a download of the site gives
    back these very files (`import` writes records in this form)."""
    return {k: v.strip() if isinstance(v, str) else v for k, v in rec.items()}


def write_dataset(ds, data_dir: Path) -> list[Path]:
    """Write ds into data_dir; returns the files written.  Nothing else is removed or touched.
    Records are ordered as `gongkai import` orders them (date, then key with numbers as numbers)."""
    data_dir = Path(data_dir)
    written: list[Path] = []
    groups: dict[Path, list[dict]] = defaultdict(list)
    for rec in ds.penalties:
        groups[data_dir / "penalties" / f"{rec['处罚决定日期'][:4]}.yml"].append(rec)
    for path in sorted(groups):
        recs = sorted(groups[path], key=lambda r: (r["处罚决定日期"], natural_key(r["行政处罚决定书文号"])))
        _write(path, dump_records(map(_as_loaded, recs), PENALTY_HEADERS))
        written.append(path)
    groups.clear()
    for rec in ds.accidents:
        groups[data_dir / "accidents" / f"{rec['发生时间'][:4]}.yml"].append(rec)
    for path in sorted(groups):
        recs = sorted(groups[path], key=lambda r: (r["发生时间"], natural_key(r["事故名称"])))
        _write(path, dump_records(map(_as_loaded, recs), ACCIDENT_HEADERS))
        written.append(path)
    groups.clear()
    for rec in ds.power_items:
        groups[data_dir / "power-items" / f"{TYPE_SLUGS[rec['事项类型']]}.yml"].append(rec)
    for path in sorted(groups):
        recs = sorted(groups[path], key=lambda r: natural_key(r["事项编码"]))
        _write(path, dump_records(map(_as_loaded, recs), POWER_ITEM_HEADERS))
        written.append(path)
    return written
