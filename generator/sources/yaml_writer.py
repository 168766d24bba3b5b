"""The canonical data-file format: the one way Gongkai writes a list of records as YAML.

Import, `gongkai synth` and the published source copies all write through here, so the same
records always give the same bytes (import is idempotent) and the strict loader reads back exactly
the strings written:
- every one-line value is double-quoted, with YAML escapes for anything YAML would not keep as is
  (so 是, 0012, 2024-03-05 and null stay text, and NEL or U+2028 cannot break a line);
- multi-line text is a literal block (`|` keeps one final newline, `|-` none), readable in diffs,
  when it can be written that way without loss; otherwise it is quoted;
- keys follow the header order; empty values are left out; UTF-8, LF, final newline.
`generator.sources.yaml_fast` reads exactly this format quickly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

RowValue = str | Sequence[str] | None

ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f\x85\u2028\u2029\ufeff]')
_BLOCK_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff\r]")
BLOCK_INDENT = "    "


def _escape(match: re.Match) -> str:
    c = match.group(0)
    return ESCAPES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def quoted(text: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


def _block_ok(value: str) -> bool:
    """A literal block gives back `value` exactly: YAML takes the indentation from the first line and
    chomps trailing blank lines and trailing spaces would be invisible in review, so those go quoted."""
    return (
        "\n" in value
        and not _BLOCK_UNSAFE.search(value)
        and bool(value.strip("\n"))
        and not value.startswith((" ", "\n", "\t"))
        and not value.endswith("\n\n")
        and all(line == line.rstrip(" \t") for line in value.split("\n"))
    )


def _scalar(value: str) -> str:
    """What follows `key:` — a quoted value, or a block indicator and the block's lines."""
    if _block_ok(value):
        body = value[:-1] if value.endswith("\n") else value
        chomp = "|" if value.endswith("\n") else "|-"
        lines = [(BLOCK_INDENT + line) if line else "" for line in body.split("\n")]
        return f" {chomp}\n" + "\n".join(lines)
    return " " + quoted(value)


def dump_record_lines(row: Mapping[str, RowValue], order: Sequence[str]) -> list[str]:
    lines: list[str] = []
    keys = [k for k in order if k in row] + sorted(k for k in row if k not in order)
    for key in keys:
        value = row[key]
        if value is None or value == "" or (not isinstance(value, str) and not value):
            continue
        lead = "  " if lines else "- "
        if isinstance(value, str):
            lines.append(f"{lead}{key}:{_scalar(value)}")
        else:
            lines.append(f"{lead}{key}:")
            lines += [f"    - {quoted(item)}" for item in value]
    return lines


def dump_records(rows: Iterable[Mapping[str, RowValue]], order: Sequence[str]) -> str:
    """A data file's full text."""
    out: list[str] = []
    for row in rows:
        out += dump_record_lines(row, order) or ["- {}"]
    return "\n".join(out) + "\n" if out else "[]\n"


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """Numbers in a key compared as numbers: 〔2025〕9号 before 〔2025〕10号 (the order records are
    written in, by import and synth alike)."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(text))
