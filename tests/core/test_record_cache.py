"""Validation through the record cache (generator.incremental.records) reports exactly what a cold
validation reports — same problems, same file, line and column — including problems found at
records the cache answered for without reading them again (their positions come from the packed
raw records it keeps)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator.incremental.records import RecordCache
from generator.incremental.store import Store
from generator.settings import load_settings
from generator.validate import load_and_validate

REPO = Path(__file__).resolve().parents[2]


def _project(target: Path) -> Path:
    shutil.copytree(REPO / "data", target / "data")
    shutil.copy(REPO / "site_config.yml", target / "site_config.yml")
    (target / "content").mkdir()
    return target


def _problems(root: Path, cached: bool) -> list[str]:
    settings, _ = load_settings(root / "site_config.yml")
    assert settings is not None
    cache = RecordCache(Store(root / ".cache"), "test") if cached else None
    _catalog, problems = load_and_validate(root, settings, cache)
    if cache:
        cache.save()
    return [p.as_text() for p in problems]


def test_problems_at_cached_records_stand_where_a_cold_validation_puts_them(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    assert _problems(root, cached=True) == _problems(root, cached=False)  # fills the cache
    penalties = root / "data" / "penalties" / "2025.yml"
    text = penalties.read_text(encoding="utf-8")
    numbers = re.findall(r'行政处罚决定书文号: "([^"]+)"', text)
    # A record near the end takes the number of one near the start (a duplicate, reported with the
    # earlier, unchanged record's line), and a line is added above both so that every later record
    # moves down: the cached records' positions must move with them.
    late = f'行政处罚决定书文号: "{numbers[-2]}"'
    at = text.rindex(late)
    text = text[:at] + f'行政处罚决定书文号: "{numbers[3]}"' + text[at + len(late) :]
    first_end = text.index("\n- ") + 1
    text = text[:first_end].rstrip("\n") + '\n  备注: "复核"\n' + text[first_end:]
    penalties.write_text(text, encoding="utf-8")
    # A power item the unchanged penalties cite is withdrawn from the list: each of them is
    # reported at its own 权责事项编码, a position only the cache knows without reading them again.
    cited = re.findall(r'权责事项编码: "([^"]+)"', text)[0]
    for path in sorted((root / "data" / "power-items").glob("*.yml")):
        items = path.read_text(encoding="utf-8")
        if f'事项编码: "{cited}"' in items:
            path.write_text(items.replace(f'事项编码: "{cited}"', f'事项编码: "{cited}-X"'), encoding="utf-8")
    cold = _problems(root, cached=False)
    assert any("duplicate-number" in p for p in cold) and any("power-item-missing" in p for p in cold)
    assert _problems(root, cached=True) == cold
    assert _problems(root, cached=True) == cold  # and again, now from what that run kept
