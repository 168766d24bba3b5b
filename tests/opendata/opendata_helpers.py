"""Helpers of the open-data tests (imported by the test modules): load, decide, produce the outputs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.catalog import Catalog
from generator.history import History
from generator.opendata import GeneratedFile, GeneratedPage, open_data_outputs
from generator.opendata.changelog import power_item_changes
from generator.publication import Publication, decide
from generator.settings import Settings
from generator.validate import load_and_validate

FIXTURE = Path(__file__).parent / "fixtures"
SAMPLE = Path(__file__).resolve().parents[2]  # the repository: its data/ holds the sample data
AS_OF = dt.date(2026, 6, 30)
SITE_URL = "https://yj.yunlan.example.gov.cn/"


@dataclass
class Built:
    catalog: Catalog
    publication: Publication
    files: dict[str, bytes]
    pages: dict[str, GeneratedPage]
    raw_files: list[GeneratedFile]


def build(
    root: Path, as_of: dt.date = AS_OF, settings: Settings | None = None, site_url: str = SITE_URL
) -> Built:
    settings = settings or Settings()
    catalog, problems = load_and_validate(root, settings)
    assert not problems.has_errors, [str(p) for p in problems.items][:5]
    history = History()  # outside git: first_published falls back to the data or as_of
    publication = decide(catalog, settings, as_of, history.first_seen, history.withdrawn_seen)
    power_days = power_item_changes(root, settings.data_dir)
    files, pages = open_data_outputs(catalog, publication, settings, as_of, history, site_url, power_days)
    return Built(catalog, publication, {f.path: f.content for f in files}, {p.url: p for p in pages}, files)


def has_sample() -> bool:
    return any((SAMPLE / "data" / "penalties").glob("*.yml"))
