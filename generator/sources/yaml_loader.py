"""The strict YAML loader for data files.

YAML's conveniences are traps for disclosure data: `NO` becomes False, `0012` becomes 12, a date
becomes a datetime, and a repeated key silently overwrites the first.  So we never let YAML
construct values: we read libyaml's event stream (the C parser when available, for speed) and keep
every scalar as the exact text written, with its line and column.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

import yaml

from generator.problem_codes import problem
from generator.problems import Problem
from generator.sources.raw import MAX_CELL_CHARS, RawRecord, RawScalar, RawValue
from generator.sources.text import decode_utf8_or_problem
from generator.sources.yaml_fast import read_canonical

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
    canonical = read_canonical(text, display_path, key_header)
    if canonical is not None:  # written by Gongkai itself: the fast reader gives the same records
        return canonical, []
    too_deep = _too_deep(text)
    if too_deep:
        return [], [replace(too_deep, path=display_path)]
    reader = _EventReader(text, display_path, key_header)
    try:
        records = reader.read()
    except yaml.YAMLError as exc:
        return [], [syntax_problem(exc, display_path, text)]
    except StopIteration:  # pragma: no cover - libyaml always ends a stream or raises
        return [], [problem("yaml.syntax", display_path, 1, 1, "", "", "YAML 语法错误：文件意外结束")]
    return records, reader.problems


class _EventReader:
    """Builds raw records straight from libyaml's event stream.

    Composing the whole node tree first would hold every node (with two position marks each) of a
    large year file in memory at once: at 100k penalties that alone is most of a gigabyte.  Events are
    read one at a time and only the strings we keep survive.
    """

    def __init__(self, text: str, path: str, key_header: str | None) -> None:
        self.events = yaml.parse(text, Loader=_Composer)
        self.path = path
        self.key_header = key_header
        self.problems: list[Problem] = []

    def _next(self) -> yaml.Event:
        return next(self.events)

    def read(self) -> list[RawRecord]:
        self._next()  # StreamStart
        event = self._next()
        if isinstance(event, yaml.StreamEndEvent):  # only comments
            self.problems.append(problem("file.empty", self.path, 1, 1, "", "", "文件中没有任何记录"))
            return []
        root = self._next()  # after DocumentStart
        if isinstance(root, yaml.ScalarEvent) and _is_null_event(root):  # a lone "---" or "~"
            self.problems.append(problem("file.empty", self.path, 1, 1, "", "", "文件中没有任何记录"))
            self._drain()
            return []
        if not isinstance(root, yaml.SequenceStartEvent):
            line, col = _pos(root)
            found = "一个映射" if isinstance(root, yaml.MappingStartEvent) else "一个单独的值"
            msg = f"文件应是记录的列表（每条记录以 “- ” 开头）；实际是{found}"
            self.problems.append(problem("yaml.structure", self.path, line, col, "", "", msg))
            self._skip(root)
            self._drain()
            return []
        records = self._records()
        self._drain()
        return records

    def _drain(self) -> None:
        """Consume the rest, so that a syntax error anywhere (or a second document) is still reported."""
        for event in self.events:
            if isinstance(event, yaml.DocumentStartEvent):
                line, col = _pos(event)
                msg = "文件中只能有一个 YAML 文档；请删除多余的 “---”"
                self.problems.append(problem("yaml.structure", self.path, line, col, "", "", msg))

    def _skip(self, start: yaml.Event) -> None:
        """Skip the rest of a collection whose start event was just read."""
        if not isinstance(start, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            return
        depth = 1
        while depth:
            event = self._next()
            if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                depth += 1
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                depth -= 1

    def _records(self) -> list[RawRecord]:
        records: list[RawRecord] = []
        index = 0
        while True:
            item = self._next()
            if isinstance(item, yaml.SequenceEndEvent):
                return records
            index += 1
            label = f"记录 {index}"
            if isinstance(item, yaml.AliasEvent):  # a whole record repeated by its anchor
                line, col = _pos(item)
                msg = "不支持别名（*）：请把这条记录完整写出"
                self.problems.append(problem("yaml.alias", self.path, line, col, label, "", msg))
                continue
            if not isinstance(item, yaml.MappingStartEvent):
                line, col = _pos(item)
                what = "列表" if isinstance(item, yaml.SequenceStartEvent) else "单独的值"
                msg = "每条记录应是“字段: 值”的映射；实际是" + what
                self.problems.append(problem("yaml.structure", self.path, line, col, label, "", msg))
                self._skip(item)
                continue
            records.append(self._record(item, label))

    def _record(self, start: yaml.MappingStartEvent, label: str) -> RawRecord:
        line, col = _pos(start)
        record = RawRecord(self.path, line, col, label)
        found: list[Problem] = []
        while True:
            key_event = self._next()
            if isinstance(key_event, yaml.MappingEndEvent):
                break
            found.extend(self._field(record, key_event))
        key = record.text(self.key_header) if self.key_header else ""
        if key:
            record.label = key  # the same label as the schema's problems for this record
            found = [replace(p, record=key) for p in found]
        self.problems.extend(found)
        return record

    def _field(self, record: RawRecord, key_event: yaml.Event) -> list[Problem]:
        """One "key: value" pair; the key's event has been read, the value's is next."""
        path, label = record.path, record.label
        kline, kcol = _pos(key_event)
        if not isinstance(key_event, yaml.ScalarEvent):
            self._skip(key_event)
            self._skip(self._next())
            return [problem("yaml.structure", path, kline, kcol, label, "", "字段名应是一段文本")]
        key = sys.intern(key_event.value.strip())  # 37 headers × 100k records: one string each
        value_event = self._next()
        line, col = _pos(value_event)
        if key in record.values:
            self._skip(value_event)
            first = record.values[key]
            msg = f"字段 “{key}” 在本条记录中出现了两次（第一次在第 {first.line} 行）"
            return [problem("yaml.duplicate-key", path, kline, kcol, label, key, msg)]
        value, problems = self._value(value_event, label, key)
        quoted = isinstance(value_event, yaml.ScalarEvent) and value_event.style in ("'", '"')
        record.values[key] = RawValue(value, line, col, 1 if quoted else 0)
        if problems and value is None:
            record.reported += (key,)
        return problems

    def _value(self, event: yaml.Event, label: str, key: str) -> tuple[RawScalar, list[Problem]]:
        line, col = _pos(event)
        if isinstance(event, yaml.AliasEvent):
            return None, [problem("yaml.alias", self.path, line, col, label, key, "不支持别名（*），请直接写出值")]
        if isinstance(event, yaml.ScalarEvent):
            return self._scalar(event, label, key)
        if isinstance(event, yaml.SequenceStartEvent):
            return self._sequence(label, key)
        self._skip(event)
        return None, [problem("field.type", self.path, line, col, label, key, "应为一段文本或文本列表；实际是一个映射")]

    def _sequence(self, label: str, key: str) -> tuple[RawScalar, list[Problem]]:
        items: list[str] = []
        problems: list[Problem] = []
        while True:
            child = self._next()
            if isinstance(child, yaml.SequenceEndEvent):
                return (None, problems) if problems else (items, [])
            if problems:
                self._skip(child)
                continue
            cline, ccol = _pos(child)
            if isinstance(child, yaml.AliasEvent):
                msg = "不支持别名（*），请直接写出值"
                problems.append(problem("yaml.alias", self.path, cline, ccol, label, key, msg))
            elif not isinstance(child, yaml.ScalarEvent):
                self._skip(child)
                problems.append(problem("field.type", self.path, cline, ccol, label, key, "列表中的每一项应是一段文本"))
            else:
                text, scalar_problems = self._scalar(child, label, key)
                problems.extend(scalar_problems)
                if text is not None:
                    items.append(text)

    def _scalar(self, event: yaml.ScalarEvent, label: str, key: str) -> tuple[str | None, list[Problem]]:
        if _is_null_event(event):
            return None, []
        if len(event.value) > MAX_CELL_CHARS:
            line, col = _pos(event)
            msg = f"内容有 {len(event.value):,} 个字符，超过上限 {MAX_CELL_CHARS:,}"
            return None, [problem("field.too-long", self.path, line, col, label, key, msg)]
        value = event.value
        # Short values repeat across records (authorities, categories, party types): share them.
        return (sys.intern(value) if len(value) <= _INTERN_MAX else value), []


_INTERN_MAX = 40


def _is_null_event(event: yaml.ScalarEvent) -> bool:
    # A plain scalar's style is None from the Python parser but "" from libyaml's.
    return not event.style and event.value in _PLAIN_NULLS


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
    "found unhashable key": "字段名不能是列表或映射（例如 “? [a]”），应为文字",
}


def syntax_problem(exc: yaml.YAMLError, display_path: str, text: str) -> Problem:
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


def _pos(event: yaml.Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1
