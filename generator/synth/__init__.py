"""Deterministic, seeded synthetic records for the three disclosure kinds (penalties, accidents,
power items) of the fictional 云澜市应急管理局: the shipped sample data and `gongkai synth`.

Records are plain dicts keyed by the headers of generator.schema.headers, values str (处罚类别 a
list of str); empty fields are left out.  Same arguments → same records → same bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .accidents import accidents as _accidents
from .penalties import penalties as _penalties
from .power import power_items as _power_items
from .write import write_dataset

__all__ = ["Dataset", "generate", "sample_dataset", "synth", "write_dataset", "SAMPLE_AS_OF"]

DEFAULT_SEED = 20261121
SAMPLE_AS_OF = date(2026, 11, 21)
# every level present in the sample, the rarer ones more often than chance would have them
_SAMPLE_FORCED_LEVELS = ("特别重大", "重大", "重大", "较大", "较大", "较大", "较大", "较大")


@dataclass
class Dataset:
    penalties: list[dict] = field(default_factory=list)
    accidents: list[dict] = field(default_factory=list)
    power_items: list[dict] = field(default_factory=list)


def _rng(seed: int, kind: str) -> random.Random:
    # One stream per kind, so that changing one count leaves the other kinds unchanged.
    return random.Random(f"gongkai-synth:{seed}:{kind}")


def generate(penalties: int, accidents: int, power_items: int, *, as_of: date,
             seed: int = DEFAULT_SEED) -> Dataset:
    """penalties/accidents/power_items records, dated so that most are public at as_of."""
    items, vmap = _power_items(power_items)
    return Dataset(
        penalties=_penalties(_rng(seed, "penalties"), penalties, as_of, vmap),
        accidents=_accidents(_rng(seed, "accidents"), accidents, as_of),
        power_items=items,
    )


def sample_dataset() -> Dataset:
    """The sample shipped in data/: the full city list, 2024–2026 penalties, 2024–2026 accidents."""
    from .power import catalogue

    n_items = sum(len(v) for v in catalogue().values())
    items, vmap = _power_items(n_items)
    as_of = SAMPLE_AS_OF
    return Dataset(
        penalties=_penalties(_rng(DEFAULT_SEED, "penalties"), 340, as_of, vmap, earliest=date(2024, 1, 2),
                             pool_size=150),
        accidents=_accidents(_rng(DEFAULT_SEED, "accidents"), 36, as_of, earliest=date(2024, 1, 1),
                             force_levels=_SAMPLE_FORCED_LEVELS),
        power_items=items,
    )


def synth(penalties: int, accidents: int, power_items: int, out: Path, as_of: date,
          seed: int = DEFAULT_SEED) -> list[Path]:
    """generate + write_dataset into the data directory `out`; returns the files written."""
    return write_dataset(generate(penalties, accidents, power_items, as_of=as_of, seed=seed), Path(out))
