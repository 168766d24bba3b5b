"""The canonical data-file format: the one way Gongkai writes a list of records as YAML.

Import and `gongkai synth` both write through here, so the same records always give the same bytes
(import is idempotent) and the strict loader reads back exactly the strings written:
- every one-line value is double-quoted (so 是, 0012, 2024-03-05 and null stay text);
- multi-line text is a literal block (`|-`), readable in diffs, unless it needs escapes;
- keys follow the header order; empty values are left out; UTF-8, LF, final newline.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

RowValue = str | Sequence[str] | None


def _quoted(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar; ensure_ascii=False keeps Chinese readable.
    return json.dumps(text, ensure_ascii=False)


def _block_safe(text: str) -> bool:
    lines = text.split("\n")
    # YAML takes a block's indentation from its first non-empty line: that line must not start with a space.
    first = next((line for line in lines if line), "")
    return (
        not any(ch in text for ch in "\r\t\x85\u2028\u2029\ufeff")
        and not first[:1].isspace()
        and all(line.isprintable() for line in lines)
    )


def _scalar_lines(key: str, text: str, indent: str) -> list[str]:
    text = text.rstrip("\n")
    if "\n" in text and _block_safe(text):
        body = [f"{indent}    {line}" if line else "" for line in text.split("\n")]
        return [f"{indent}  {key}: |-", *body]
    return [f"{indent}  {key}: {_quoted(text)}"]


def dump_record_lines(row: Mapping[str, RowValue], order: Sequence[str]) -> list[str]:
    lines: list[str] = []
    keys = [k for k in order if k in row] + sorted(k for k in row if k not in order)
    for key in keys:
        value = row[key]
        if value is None or value == "" or (not isinstance(value, str) and not value):
            continue
        if isinstance(value, str):
            lines += _scalar_lines(key, value, "")
        else:
            lines.append(f"  {key}:")
            lines += [f"    - {_quoted(item)}" for item in value]
    if not lines:
        return []
    lines[0] = "- " + lines[0][2:]
    return lines


def dump_records(rows: Iterable[Mapping[str, RowValue]], order: Sequence[str]) -> str:
    """A data file's full text."""
    out: list[str] = []
    for row in rows:
        lines = dump_record_lines(row, order)
        if lines:
            out += lines
    return "\n".join(out) + "\n" if out else "[]\n"
