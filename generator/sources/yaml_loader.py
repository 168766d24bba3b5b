"""The strict YAML loader for data files.

YAML's conveniences are traps for disclosure data: `NO` becomes False, `0012` becomes 12, a date
becomes a datetime, and a repeated key silently overwrites the first.  So we never let YAML
construct values: we compose the node tree (libyaml's C composer when available, for speed) and
read every scalar as the exact text written, with its line and column.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.problem_codes import problem
from generator.problems import Problem
from generator.sources.raw import MAX_CELL_CHARS, RawRecord, RawScalar, RawValue
from generator.sources.text import decode_utf8_or_problem

_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# An unquoted empty value, ~ or null means "no value"; a quoted "null" is the text null.
_PLAIN_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


def load_records(path: Path, display_path: str) -> tuple[list[RawRecord], list[Problem]]:
    """Read one data file: a YAML list of mappings from header to value."""
    text, problems = decode_utf8_or_problem(path, display_path)
    if text is None:
        return [], problems
    if not text.strip():
        return [], [problem("file.empty", display_path, 1, 1, "", "", "文件中没有任何记录")]
    try:
        root = yaml.compose(text, Loader=_Composer)
    except yaml.YAMLError as exc:
        return [], [_syntax_problem(exc, display_path)]
    if root is None:
        return [], [problem("file.empty", display_path, 1, 1, "", "", "文件中没有任何记录")]
    return _records_from_root(root, display_path)


def _syntax_problem(exc: yaml.YAMLError, display_path: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    detail = f"{context}，{what}" if context else what
    return problem("yaml.syntax", display_path, line, column, "", "", f"YAML 语法错误（{detail}）")


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _records_from_root(root: yaml.Node, path: str) -> tuple[list[RawRecord], list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(root, yaml.SequenceNode):
        line, col = _pos(root)
        found = "一个映射" if isinstance(root, yaml.MappingNode) else "一个单独的值"
        msg = f"文件应是记录的列表（每条记录以 “- ” 开头）；实际是{found}"
        return [], [problem("yaml.structure", path, line, col, "", "", msg)]
    seen: set[int] = set()
    records: list[RawRecord] = []
    for index, item in enumerate(root.value, start=1):
        label = f"记录 {index}"
        line, col = _pos(item)
        if not isinstance(item, yaml.MappingNode):
            msg = "每条记录应是“字段: 值”的映射；实际是" + ("列表" if isinstance(item, yaml.SequenceNode) else "单独的值")
            problems.append(problem("yaml.structure", path, line, col, label, "", msg))
            continue
        record = RawRecord(path, line, col, label)
        for key_node, value_node in item.value:
            problems.extend(_read_field(record, key_node, value_node, seen))
        records.append(record)
    return records, problems


def _read_field(record: RawRecord, key_node: yaml.Node, value_node: yaml.Node, seen: set[int]) -> list[Problem]:
    path, label = record.path, record.label
    kline, kcol = _pos(key_node)
    if not isinstance(key_node, yaml.ScalarNode):
        return [problem("yaml.structure", path, kline, kcol, label, "", "字段名应是一段文本")]
    key = key_node.value.strip()
    if key in record.values:
        first = record.values[key]
        msg = f"字段 “{key}” 在本条记录中出现了两次（第一次在第 {first.line} 行）"
        return [problem("yaml.duplicate-key", path, kline, kcol, label, key, msg)]
    value, problems = _read_value(value_node, seen, path, label, key)
    line, col = _pos(value_node)
    record.values[key] = RawValue(value, line, col)
    return problems


def _read_value(node: yaml.Node, seen: set[int], path: str, label: str, key: str) -> tuple[RawScalar, list[Problem]]:
    line, col = _pos(node)
    if id(node) in seen:
        # libyaml hands back the anchored node again for an alias.
        return None, [problem("yaml.alias", path, line, col, label, key, "不支持别名（*），请直接写出值")]
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, path, label, key)
    if isinstance(node, yaml.SequenceNode):
        items: list[str] = []
        for child in node.value:
            if not isinstance(child, yaml.ScalarNode):
                cline, ccol = _pos(child)
                return None, [problem("field.type", path, cline, ccol, label, key, "列表中的每一项应是一段文本")]
            text, problems = _scalar(child, path, label, key)
            if problems:
                return None, problems
            if text is not None:
                items.append(text)
        return items, []
    return None, [problem("field.type", path, line, col, label, key, "应为一段文本或文本列表；实际是一个映射")]


def _scalar(node: yaml.ScalarNode, path: str, label: str, key: str) -> tuple[str | None, list[Problem]]:
    if node.style is None and node.value in _PLAIN_NULLS:
        return None, []
    if len(node.value) > MAX_CELL_CHARS:
        line, col = _pos(node)
        msg = f"内容有 {len(node.value):,} 个字符，超过上限 {MAX_CELL_CHARS:,}"
        return None, [problem("field.too-long", path, line, col, label, key, msg)]
    return node.value, []
