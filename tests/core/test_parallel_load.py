"""Checking the data files on two cores gives exactly what checking them one by one gives."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from generator import validate
from generator.forkpool import _halves, map_on_two_cores
from generator.settings import load_settings
from generator.synth import synth


def test_halves_balance_by_weight_and_keep_every_job_once() -> None:
    mine, helpers = _halves([5, 1, 1, 1, 1, 1])
    assert sorted(mine + helpers) == [0, 1, 2, 3, 4, 5]
    assert {sum([5, 1, 1, 1, 1, 1][i] for i in group) for group in (mine, helpers)} == {5}


def test_results_come_back_in_job_order_from_two_processes() -> None:
    out = map_on_two_cores(lambda n: (n * n, os.getpid()), list(range(6)), [1] * 6)
    assert [square for square, _ in out] == [n * n for n in range(6)]
    assert len({pid for _, pid in out}) == 2 and os.getpid() in {pid for _, pid in out}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """Synthetic data in several files per kind, with a key repeated across two files, a record with
    an error and an ID number, so that every kind of problem crosses the split."""
    synth(400, 30, 60, tmp_path / "data", dt.date(2026, 11, 21))
    (tmp_path / "site_config.yml").write_text("site_name: 测试站\nplugins:\n  - gongkai: {}\n", encoding="utf-8")
    files = sorted((tmp_path / "data" / "penalties").glob("*.yml"))
    assert len(files) >= 2
    first, last = files[0].read_text(encoding="utf-8"), files[-1].read_text(encoding="utf-8")
    repeated = first[: first.index("\n- ", 1) + 1]  # the first record of the first file …
    files[-1].write_text(last + repeated, encoding="utf-8")  # … again at the end of the last one
    # The first file's last record gets a wrong amount and an ID number (its first record stays valid,
    # so that its copy is a duplicate).
    last_start = first.rindex("\n- ") + 1
    tail = first[last_start:].replace('罚款金额（万元）: "', '罚款金额（万元）: "五万', 1)
    tail = tail.replace('违法事实: "', '违法事实: "身份证号11010519491231002X，', 1)
    files[0].write_text(first[:last_start] + tail, encoding="utf-8")
    return tmp_path


def test_parallel_and_sequential_checks_agree(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings, _ = load_settings(project / "site_config.yml")
    runs = []
    for threshold in (10**12, 0):  # one process, then two
        monkeypatch.setattr(validate, "PARALLEL_FROM_BYTES", threshold)
        catalog, problems = validate.load_and_validate(project, settings)
        runs.append((catalog, [p.as_text() for p in problems]))
    (one, one_problems), (two, two_problems) = runs
    codes = {text.split("[")[1].split("]")[0] for text in one_problems}
    assert {"penalty.duplicate-number", "penalty.amount", "privacy.id-number"} <= codes
    assert two_problems == one_problems
    for kind in ("penalties", "accidents", "power_items"):
        assert [(e.key, e.source_path, e.source_line, e.record) for e in getattr(two, kind)] == [
            (e.key, e.source_path, e.source_line, e.record) for e in getattr(one, kind)
        ]
