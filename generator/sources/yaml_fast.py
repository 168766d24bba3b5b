"""A fast reader for files in exactly the canonical format of `yaml_writer` (import and synth output).

The general loader walks libyaml's event stream in Python: correct for any YAML, but at 100k records
most of a build's validation time.  Files written by Gongkai itself follow a small line grammar, so
they are read here line by line, giving exactly the raw records (values, lines, columns) that the
general loader gives.  Anything outside that grammar — a comment, a plain scalar, an unknown escape,
a repeated key, a value too long — returns None and the general loader reads the file instead, so
every problem is still reported the same way.
"""

from __future__ import annotations

import re
import sys

from generator.sources.raw import MAX_CELL_CHARS, RawRecord, RawValue
from generator.sources.yaml_writer import BLOCK_INDENT, ESCAPES

# A key ends with a non-space character: "违法事实 :" is valid YAML for the key 违法事实, which the
# general loader reads as such, so a key with trailing spaces is left to it.
_FIELD = re.compile(r'(- |  )([^\s:"#\'&*!|>%@`{}\[\],?-](?:[^:"#]*[^\s:"#])?):(?: (".*"|\|-?))?$')
_ITEM = re.compile(r'    - (".*")$')
_UNESCAPE = {v[1]: k for k, v in ESCAPES.items()}
_ESCAPE = re.compile(r'\\(x[0-9a-f]{2}|u[0-9a-f]{4}|.)')
_INTERN_MAX = 40
# Characters YAML rejects or reads as line breaks, and CR: a file holding any of them is left to the
# general loader, which reports or folds them exactly as YAML does.
_NOT_CANONICAL = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def _unquote(token: str) -> str | None:
    body = token[1:-1]
    if "\\" not in body:
        return None if '"' in body else body
    out, at = [], 0
    for match in _ESCAPE.finditer(body):
        piece = body[at : match.start()]
        if '"' in piece:
            return None
        out.append(piece)
        code = match.group(1)
        if code[0] in "xu" and len(code) > 1:
            char = chr(int(code[1:], 16))
            if "\ud800" <= char <= "\udfff":  # a lone surrogate: YAML refuses it, and so must we
                return None
            out.append(char)
        elif code in _UNESCAPE:
            out.append(_UNESCAPE[code])
        else:
            return None
        at = match.end()
    rest = body[at:]
    if '"' in rest or "\\" in rest:  # a lone backslash: YAML would read the quote as escaped
        return None
    out.append(rest)
    return "".join(out)


def _value(text: str) -> str:
    return sys.intern(text) if len(text) <= _INTERN_MAX else text


def read_canonical(text: str, path: str, key_header: str | None) -> list[RawRecord] | None:
    """The records of a canonical file, or None when the file is not canonical."""
    if text == "[]\n":
        return []
    if _NOT_CANONICAL.search(text):
        return None
    lines = text.split("\n")
    if lines[-1] != "" or not lines[0].startswith("- "):
        return None
    records: list[RawRecord] = []
    record: RawRecord | None = None
    i, last = 0, len(lines) - 1
    while i < last:
        line = lines[i]
        match = _FIELD.match(line)
        if not match:
            return None
        lead, key, token = match.groups()
        key = sys.intern(key)
        number = i + 1
        if lead == "- ":
            record = RawRecord(path, number, 3, f"记录 {len(records) + 1}")
            records.append(record)
        assert record is not None
        if key in record.values:
            return None
        column = len(lead) + len(key) + 3
        if token is None:  # a list of quoted items on the following lines
            items = []
            while i + 1 < last and (item := _ITEM.match(lines[i + 1])):
                value = _unquote(item.group(1))
                if value is None:
                    return None
                items.append(_value(value))
                i += 1
            if not items:
                return None
            record.values[key] = RawValue(items, number + 1, 5, 0)
        elif token[0] == '"':
            value = _unquote(token)
            if value is None or len(value) > MAX_CELL_CHARS:
                return None
            record.values[key] = RawValue(_value(value), number, column, 1)
        else:
            body: list[str] = []
            while i + 1 < last and (lines[i + 1].startswith(BLOCK_INDENT) or lines[i + 1] == ""):
                body.append(lines[i + 1][len(BLOCK_INDENT) :])
                i += 1
            if not body or not body[0] or body[0][0] in " \t" or body[-1] == "":
                return None
            value = "\n".join(body) + ("\n" if token == "|" else "")
            if len(value) > MAX_CELL_CHARS:
                return None
            record.values[key] = RawValue(value, number, column, 0)
        i += 1
    if key_header:
        for rec in records:
            label = rec.text(key_header)
            if label:
                rec.label = label
    return records
