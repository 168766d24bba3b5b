"""Write generator/search/t2s.json: zhconv's traditional → simplified map, single characters only
(phrase-level conversions are skipped: a per-character map is what keeps folding a homomorphism).

    .venv/bin/python scripts/make_t2s_table.py        # after changing the pinned zhconv version
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.search.fold import T2S_FILE  # noqa: E402

# CJK blocks whose characters may have a traditional form (BMP unified + Ext A, and Ext B–F).
CJK_RANGES = ((0x3400, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2FA20))


def t2s_from_zhconv() -> dict[str, str]:
    import zhconv

    table: dict[str, str] = {}
    for lo, hi in CJK_RANGES:
        for cp in range(lo, hi):
            ch = chr(cp)
            simplified = zhconv.convert(ch, "zh-cn")
            if simplified != ch and len(simplified) == 1:
                table[ch] = simplified
    return table


def table_text(table: dict[str, str]) -> str:
    return json.dumps(dict(sorted(table.items())), ensure_ascii=False, indent=0) + "\n"


if __name__ == "__main__":
    T2S_FILE.write_text(table_text(t2s_from_zhconv()), encoding="utf-8")
    print(f"wrote {T2S_FILE}")
