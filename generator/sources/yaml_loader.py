"""The strict YAML loader for data files.

YAML's conveniences are traps for disclosure data: `NO` becomes False, `0012` becomes 12, a date
becomes a datetime, and a repeated key silently overwrites the first.  So we never let YAML
construct values: we compose the node tree (libyaml's C composer when available, for speed) and
read every scalar as the exact text written, with its line and column.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import yaml

from generator.problem_codes import problem
from generator.problems import Problem
from generator.sources.raw import MAX_CELL_CHARS, RawRecord, RawScalar, RawValue
from generator.sources.text import decode_utf8_or_problem

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Composer(_Base):  # type: ignore[misc, valid-type]
    """Composes without resolving tags: values are read as the text written (by style), so the
    resolver's per-node regular expressions are wasted work (a fifth of the composing time)."""

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        return _TAGS[kind]


_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}

# An unquoted empty value, ~ or null means "no value"; a quoted "null" is the text null.
_PLAIN_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


def load_records(
    path: Path, display_path: str, key_header: str | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """Read one data file: a YAML list of mappings from header to value.

    With `key_header`, a record's problems are labelled with its key (e.g. its 文书号) when it has one."""
    text, problems = decode_utf8_or_problem(path, display_path)
    if text is None:
        return [], problems
    if not text.strip():
        return [], [problem("file.empty", display_path, 1, 1, "", "", "文件中没有任何记录")]
    too_deep = _too_deep(text)
    if too_deep:
        return [], [replace(too_deep, path=display_path)]
    try:
        root = yaml.compose(text, Loader=_Composer)
    except yaml.YAMLError as exc:
        return [], [_syntax_problem(exc, display_path, text)]
    if root is None or _is_null(root):  # only comments, or a lone "---" / "~"
        return [], [problem("file.empty", display_path, 1, 1, "", "", "文件中没有任何记录")]
    records, problems = _records_from_root(root, display_path, key_header)
    return records, _place_aliases(problems, text)


# libyaml's usual complaints, said the way the bureau's staff can act on them.
_SYNTAX_ZH = {
    "found character that cannot start any token": "此处的字符不能作为值的开头（以 @、` 等开头的值请加引号）",
    "did not find expected '-' indicator": "缩进不一致：同一列表的各项应以 “- ” 开头并对齐",
    "mapping values are not allowed in this context": "这里不能出现 “: ”；值中含有冒号时请给整个值加引号",
    "mapping values are not allowed here": "这里不能出现 “: ”；值中含有冒号时请给整个值加引号",
    "found unexpected end of stream": "文件在引号或括号内结束：引号或括号未闭合",
    "did not find expected key": "缩进不一致，或缺少 “字段: ”",
    "could not find expected ':'": "缺少冒号：每行应为 “字段: 值”（冒号后有一个空格）",
    "did not find expected ',' or ']'": "方括号 [ ] 未闭合，或各项之间缺少逗号",
    "did not find expected ',' or '}'": "花括号 { } 未闭合，或各项之间缺少逗号",
    "found undefined alias": "使用了未定义的别名（*）；请直接写出值",
}


def _syntax_problem(exc: yaml.YAMLError, display_path: str, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    lines = text.split("\n")
    if mark and line <= len(lines) and lines[line - 1][column - 1 : column] == "\t":
        said = "缩进或值的开头不能使用制表符（Tab），请改用空格"
    else:
        said = next((zh for en, zh in _SYNTAX_ZH.items() if what.startswith(en)), "")
    detail = f"{said}（{what}）" if said else what
    return problem("yaml.syntax", display_path, line, column, "", "", f"YAML 语法错误：{detail}")


# libyaml's composer recurses in C: some ten thousand nested [ or "- - -" overflow the C stack and kill
# the process.  Data files need 3 levels; deeper nesting is refused before composing.
_MAX_DEPTH = 100
_INDICATOR_CHAIN = re.compile(r"^[^\S\n]*(?:(?:[-?:]|[&!]\S*)[^\S\n]+){20,}", re.MULTILINE)
_DEEP_INDENT = re.compile(r"^[^\S\n]{200,}", re.MULTILINE)


def _too_deep(text: str) -> Problem | None:
    """A problem when the text nests deeper than _MAX_DEPTH; the exact (event) check runs only when a
    cheap bound (flow brackets, indicator chains, indentation) says deep nesting is possible."""
    if (
        text.count("[") + text.count("{") < _MAX_DEPTH // 2
        and not _INDICATOR_CHAIN.search(text)
        and not _DEEP_INDENT.search(text)
    ):
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Composer):
            if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                depth += 1
                if depth > _MAX_DEPTH:
                    line, column = event.start_mark.line + 1, event.start_mark.column + 1
                    msg = (f"嵌套层数过深（超过 {_MAX_DEPTH} 层）；"
                           "数据文件是记录的列表，每条记录是“字段: 值”的映射")
                    return problem("yaml.structure", "", line, column, "", "", msg)
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # composing reports it, at the same place
    return None


def _alias_marks(text: str) -> list[tuple[int, int]]:
    """Where each alias (*name) stands: the composer hands back the anchored node itself."""
    try:
        return [
            (event.start_mark.line + 1, event.start_mark.column + 1)
            for event in yaml.parse(text, Loader=_Composer)
            if isinstance(event, yaml.AliasEvent)
        ]
    except yaml.YAMLError:  # pragma: no cover - the text has already been composed once
        return []


def _place_aliases(problems: list[Problem], text: str) -> list[Problem]:
    aliases = [i for i, p in enumerate(problems) if p.code == "yaml.alias"]
    marks = _alias_marks(text) if aliases else []
    if len(marks) != len(aliases):
        return problems  # an alias we did not visit (e.g. as a key): keep the anchor's position
    placed = list(problems)
    for index, (line, column) in zip(aliases, marks, strict=True):
        placed[index] = replace(problems[index], line=line, column=column)
    return placed


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _records_from_root(
    root: yaml.Node, path: str, key_header: str | None
) -> tuple[list[RawRecord], list[Problem]]:
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
        record_problems: list[Problem] = []
        for key_node, value_node in item.value:
            record_problems.extend(_read_field(record, key_node, value_node, seen))
        key = record.text(key_header) if key_header else ""
        if key:
            record.label = key  # the same label as the schema's problems for this record
            record_problems = [replace(p, record=key) for p in record_problems]
        problems.extend(record_problems)
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
    quoted = isinstance(value_node, yaml.ScalarNode) and value_node.style in ("'", '"')
    record.values[key] = RawValue(value, line, col, 1 if quoted else 0)
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


def _is_null(node: yaml.Node) -> bool:
    # A plain scalar's style is None from the Python composer but "" from libyaml's.
    return isinstance(node, yaml.ScalarNode) and not node.style and node.value in _PLAIN_NULLS


def _scalar(node: yaml.ScalarNode, path: str, label: str, key: str) -> tuple[str | None, list[Problem]]:
    if _is_null(node):
        return None, []
    if len(node.value) > MAX_CELL_CHARS:
        line, col = _pos(node)
        msg = f"内容有 {len(node.value):,} 个字符，超过上限 {MAX_CELL_CHARS:,}"
        return None, [problem("field.too-long", path, line, col, label, key, msg)]
    return node.value, []
