"""/data/{kind}.csv and .json of the public records, and /data/manifest.json (shared/interfaces.md).

CSV: every header of the kind in import order (unpublished columns stay, empty), UTF-8 with BOM and
CRLF line ends (what Excel expects), 处罚类别 joined with "；", and the formula guard: a cell starting
with = + - @ TAB or CR gets one leading "'", which import removes again (unquote_formula_guard).
JSON: a list of objects with the published headers, one record per line, each line being exactly the
record's canonical JSON, so the manifest hash of a record is the SHA-256 of its line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable

from generator.history import History
from generator.publication import Publication
from generator.schema.kinds import KINDS
from generator.sources.tables import FORMULA_STARTS, is_formula_guarded

from .records import (
    KIND_ORDER,
    PublicRow,
    cell_text,
    sha256_hex,
)

BOM = "\ufeff"


def guard_cell(text: str) -> str:
    """Neutralise spreadsheet formula injection; the one quote is removed again on import (a value
    that already looks guarded gets one more quote, so that it too comes back as it was)."""
    return "'" + text if text.startswith(FORMULA_STARTS) or is_formula_guarded(text) else text


def csv_bytes(kind_name: str, rows: list[PublicRow]) -> bytes:
    headers = KINDS[kind_name].download_headers
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([guard_cell(cell_text(row.row.get(h))) for h in headers])
    return (BOM + out.getvalue()).encode("utf-8")


def json_bytes(rows: list[PublicRow]) -> bytes:
    if not rows:
        return b"[]\n"
    lines = [r.canonical for r in rows]
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")


def record_hash(row: PublicRow) -> str:
    return sha256_hex(row.canonical)


def first_published(row: PublicRow, publication: Publication, history: History, as_of: dt.date) -> dt.date:
    """The 公示日期 stated in the data, else the first commit containing the record, else the build date."""
    if row.kind.name == "penalties":
        status = publication.penalty_status.get(row.key)
        if status and status.published_on:
            return status.published_on
    return history.first_seen.get(row.key) or as_of


def manifest_bytes(
    rows: Iterable[PublicRow], publication: Publication, history: History, as_of: dt.date
) -> bytes:
    records = [
        {
            "kind": row.kind.name,
            "key": row.key,
            "sha256": record_hash(row),
            "first_published": first_published(row, publication, history, as_of).isoformat(),
        }
        for row in rows
    ]
    records.sort(key=lambda r: (KIND_ORDER.index(r["kind"]), r["key"]))
    doc = {
        "generated_for": as_of.isoformat(),
        "hash": "SHA-256 of each record's canonical JSON (keys sorted, no spaces, UTF-8), "
        "which is one line of data/KIND.json",
        "records": records,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")
