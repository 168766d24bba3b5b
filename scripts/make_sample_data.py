"""Regenerate the sample data shipped in data/ (the fictional 云澜市应急管理局).

Run from the repository root:  .venv/bin/python scripts/make_sample_data.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.synth import sample_dataset, write_dataset  # noqa: E402

if __name__ == "__main__":
    for path in write_dataset(sample_dataset(), Path("data")):
        print(path)
