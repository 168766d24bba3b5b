"""/data/{kind}.csv and .json of the public records, and /data/manifest.json (shared/interfaces.md).

CSV: every header of the kind in import order (unpublished columns stay, empty), UTF-8 with BOM and
CRLF line ends (what Excel expects), 处罚类别 joined with "；", and the formula guard: a cell starting
with = + - @ TAB or CR gets one leading "'", which import removes again (unquote_formula_guard).
JSON: a list of objects with the published headers, one record per line, each line being exactly the
record's canonical JSON, so the manifest hash of a record is the SHA-256 of its line.

Each file is one piece per record (generator.opendata.splice): a patch build makes only the pieces
of the records that changed and takes the others from the previous build's file.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Mapping

from generator.history import History
from generator.publication import Publication
from generator.schema.kinds import KINDS
from generator.sources.tables import FORMULA_STARTS, is_formula_guarded

from .records import (
    KIND_ORDER,
    KindRows,
    PublicRow,
    cell_text,
    sha256_hex,
)
from .splice import KEY, Made, Previous, spliced

BOM = "\ufeff"
# data/manifest.json, written piece by piece exactly as json.dumps(doc, ensure_ascii=False, indent=1)
# writes it, so that each record's entry is one piece (generator.opendata.splice).
HASH_NOTE = "SHA-256 of each record's canonical JSON (keys sorted, no spaces, UTF-8), which is one line of data/KIND.json"
_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes a string with


def guard_cell(text: str) -> str:
    """Neutralise spreadsheet formula injection; the one quote is removed again on import (a value
    that already looks guarded gets one more quote, so that it too comes back as it was)."""
    return "'" + text if text.startswith(FORMULA_STARTS) or is_formula_guarded(text) else text


class _Echo:
    """A csv.writer target that hands each row's text back (writerow returns what write returns)."""

    @staticmethod
    def write(text: str) -> str:
        return text


def _csv_writer():  # noqa: ANN202 - a csv writer
    return csv.writer(_Echo(), lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def _csv_head(writer, headers: tuple[str, ...]) -> bytes:  # noqa: ANN001 - a csv writer
    return (BOM + writer.writerow(headers)).encode("utf-8")


def _csv_line(writer, headers: tuple[str, ...], row: PublicRow) -> bytes:  # noqa: ANN001 - a csv writer
    values = row.row
    return writer.writerow([guard_cell(cell_text(values.get(h))) for h in headers]).encode("utf-8")


def csv_bytes(kind_name: str, rows: list[PublicRow]) -> bytes:
    headers = KINDS[kind_name].download_headers
    writer = _csv_writer()
    return _csv_head(writer, headers) + b"".join(_csv_line(writer, headers, row) for row in rows)


def csv_file(path: str, rows: KindRows, previous: Previous | None = None) -> Made:
    """data/KIND.csv; each row's line is keyed by its record's digest."""
    headers = rows.kind.download_headers
    writer = _csv_writer()
    return spliced(
        path,
        rows.digests,
        lambda i: _csv_line(writer, headers, rows.row(i)),
        _csv_head(writer, headers),
        previous=previous,
        blob=rows.digest_blob,
    )


def json_bytes(rows: list[PublicRow]) -> bytes:
    if not rows:
        return b"[]\n"
    lines = [r.canonical for r in rows]
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")


def json_file(path: str, rows: KindRows, previous: Previous | None = None) -> Made:
    """data/KIND.json: one record a line, each keyed by its record's digest."""
    if not len(rows):
        return Made(path, b"[]\n", None)
    return spliced(
        path,
        rows.digests,
        lambda i: rows.row(i).canonical.encode("utf-8"),
        b"[\n",
        b"\n]\n",
        b",\n",
        previous=previous,
        blob=rows.digest_blob,
    )


def record_hash(row: PublicRow) -> str:
    return sha256_hex(row.canonical)


def first_published(row: PublicRow, publication: Publication, history: History, as_of: dt.date) -> dt.date:
    """The 公示日期 stated in the data, else the first commit containing the record, else the build date."""
    return _first_published(row.kind.name, row.key, publication, history, as_of)


def _first_published(
    kind_name: str, key: str, publication: Publication, history: History, as_of: dt.date
) -> dt.date:
    if kind_name == "penalties":
        status = publication.penalty_status.get(key)
        if status and status.published_on:
            return status.published_on
    return history.first_seen.get(key) or as_of


def _manifest_head(as_of: dt.date) -> bytes:
    return f'{{\n "generated_for": {_string(as_of.isoformat())},\n "hash": {_string(HASH_NOTE)},\n "records": [\n'.encode()


def _manifest_entry(kind_name: str, key: str, sha256: str, first: dt.date) -> bytes:
    return (
        f'  {{\n   "kind": {_string(kind_name)},\n   "key": {_string(key)},\n   "sha256": {_string(sha256)},\n'
        f'   "first_published": {_string(first.isoformat())}\n  }}'
    ).encode()


MANIFEST_TAIL = b"\n ]\n}\n"


def _empty_manifest(as_of: dt.date) -> bytes:
    doc = {"generated_for": as_of.isoformat(), "hash": HASH_NOTE, "records": []}
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def manifest_bytes(
    rows: Iterable[PublicRow], publication: Publication, history: History, as_of: dt.date
) -> bytes:
    ordered = sorted(rows, key=lambda r: (KIND_ORDER.index(r.kind.name), r.key))
    if not ordered:
        return _empty_manifest(as_of)
    entries = [
        _manifest_entry(r.kind.name, r.key, record_hash(r), first_published(r, publication, history, as_of))
        for r in ordered
    ]
    return _manifest_head(as_of) + b",\n".join(entries) + MANIFEST_TAIL


def manifest_file(
    path: str,
    kinds: Mapping[str, KindRows],
    publication: Publication,
    history: History,
    as_of: dt.date,
    previous: Previous | None = None,
) -> Made:
    """data/manifest.json: the records by kind and key; each entry is keyed by its record's digest
    and its first publication date (which the git history may move)."""
    order: list[tuple[KindRows, int]] = []  # (kind, row) in the manifest's order
    record_keys: list[str] = []
    firsts: list[dt.date] = []
    entry_keys: list[bytes] = []
    first_seen = history.first_seen
    for name in KIND_ORDER:
        rows, digests = kinds[name], kinds[name].digests
        perm = sorted(range(len(rows)), key=rows.keys.__getitem__)
        these = [rows.keys[i] for i in perm]
        if name == "penalties":  # = _first_published, a list at a time (100k records)
            stated = [s.published_on if s else None for s in (rows.statuses[i] for i in perm)]
            first = [p or first_seen.get(k) or as_of for p, k in zip(stated, these, strict=True)]
        else:
            first = [first_seen.get(k) or as_of for k in these]
        order += [(rows, i) for i in perm]
        record_keys += these
        firsts += first
        entry_keys += [  # key_with_day
            d + f.toordinal().to_bytes(4, "little") if d else b""
            for d, f in zip((digests[i] for i in perm), first, strict=True)
        ]
    if not order:
        return Made(path, _empty_manifest(as_of), None)

    def piece(n: int) -> bytes:
        rows, i = order[n]
        return _manifest_entry(rows.kind.name, record_keys[n], record_hash(rows.row(i)), firsts[n])

    return spliced(
        path,
        entry_keys,
        piece,
        _manifest_head(as_of),
        MANIFEST_TAIL,
        b",\n",
        width=KEY + 4,
        previous=previous,
    )
