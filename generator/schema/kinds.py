"""The registry of record kinds.

Adding a record kind touches exactly these places (keep this list true):
  1. generator/schema/headers.py   its column headers
  2. generator/schema/models.py    its pydantic model (aliases = headers, Chinese meanings)
  3. this registry                 names, key, where its data files live
  4. generator/validate.py         its cross-record rules
  5. generator/site/               its view model, page template and listing
  6. tests/fixtures/               a valid and a broken example
The data dictionary page and the CSV/JSON downloads are generated from 1–3.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.schema import headers as H
from generator.schema.models import Accident, Penalty, PowerItem, Record

POWER_TYPE_SLUGS = {
    "行政许可": "licensing",
    "行政处罚": "penalty",
    "行政强制": "coercion",
    "行政征收": "levy",
    "行政给付": "payment",
    "行政检查": "inspection",
    "行政确认": "confirmation",
    "行政奖励": "reward",
    "行政裁决": "adjudication",
    "其他行政权力": "other",
}


@dataclass(frozen=True)
class Kind:
    name: str  # CLI and URL name: penalties, accidents, power-items
    record_kind: str  # data-record-kind: penalty, accident, power-item
    label: str  # Chinese name shown to people
    model: type[Record]
    headers: tuple[str, ...]  # every column the kind knows (import accepts them all), in order
    required_headers: tuple[str, ...]  # columns a staff table must have
    key_header: str
    data_file: Callable[[Record], str]  # the data file (relative to data/) a record is stored in
    # The columns of /data/KIND.csv and the keys of /data/KIND.json: exactly those shared/interfaces.md
    # names, in its order; the other columns stay in the data files, the pages and the search.
    download_headers: tuple[str, ...] = ()


def _penalty_file(record: Record) -> str:
    assert isinstance(record, Penalty)
    return f"penalties/{record.decision_date.year}.yml"


def _accident_file(record: Record) -> str:
    assert isinstance(record, Accident)
    return f"accidents/{record.occurred_date.year}.yml"


def _power_item_file(record: Record) -> str:
    assert isinstance(record, PowerItem)
    return f"power-items/{POWER_TYPE_SLUGS[record.item_type]}.yml"


PENALTIES = Kind(
    "penalties", "penalty", "行政处罚决定", Penalty, H.PENALTY_HEADERS, H.PENALTY_STANDARD,
    "行政处罚决定书文号", _penalty_file, H.PENALTY_STANDARD + ("失信严重程度", "状态"),
)
ACCIDENTS = Kind(
    "accidents", "accident", "生产安全事故调查", Accident, H.ACCIDENT_HEADERS, H.ACCIDENT_REQUIRED_ORDER,
    "事故名称", _accident_file, H.ACCIDENT_REQUIRED_ORDER,
)
POWER_ITEMS = Kind(
    "power-items", "power-item", "权责清单事项", PowerItem, H.POWER_ITEM_HEADERS, H.POWER_ITEM_HEADERS,
    "事项编码", _power_item_file, H.POWER_ITEM_HEADERS,
)

KINDS: dict[str, Kind] = {k.name: k for k in (POWER_ITEMS, PENALTIES, ACCIDENTS)}
