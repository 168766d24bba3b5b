"""Problems: what is wrong with the input, where, and in words the bureau's staff understand.

Every check in Gongkai reports a `Problem` instead of raising.  Problems are collected for all
files first and shown together (shared/interfaces.md):

    data/penalties/2024.yml:14:17: error[penalty.amount]: 孝应急罚〔2024〕17号 › 罚款金额（万元）: …

The catalogue of codes lives in `generator.problem_codes`; this module only carries and prints.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    column: int
    severity: Severity
    code: str
    record: str
    field: str
    message: str

    def sort_key(self) -> tuple[str, int, int, str, str, str, str]:
        # Every field takes part, so that the order never depends on set iteration (hash seeds).
        return (self.path, self.line, self.column, self.code, self.record, self.field, self.message)

    @property
    def where(self) -> str:
        """'record › field', or whichever of the two is known."""
        return " › ".join(part for part in (self.record, self.field) if part)

    def as_text(self) -> str:
        # One problem, one line: a line break inside a key or a quoted value is shown as \n.
        where, message = _one_line(self.where), _one_line(self.message)
        head = f"{_one_line(self.path)}:{self.line}:{self.column}: {self.severity}[{self.code}]"
        return f"{head}: {where}: {message}" if where else f"{head}: {message}"

    def as_github(self) -> str:
        # Workflow-command syntax: properties escape , and : ; the message escapes % CR LF.
        level = "error" if self.severity is Severity.ERROR else "warning"
        props = ",".join(
            f"{k}={_gh_escape(v, prop=True)}"
            for k, v in (
                ("file", self.path),
                ("line", str(self.line)),
                ("col", str(self.column)),
                ("title", self.code),
            )
        )
        where = f"{self.where}: " if self.where else ""
        return f"::{level} {props}::{_gh_escape(where + self.message, prop=False)}"

    def as_json(self) -> str:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _gh_escape(text: str, *, prop: bool) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


@dataclass
class Problems:
    """An ordered, de-duplicated collection of problems."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=Problem.sort_key)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity is Severity.WARNING]

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.items)


def summary_line(problems: Problems) -> str:
    errors, warnings = len(problems.errors), len(problems.warnings)
    if not errors and not warnings:
        return "检查通过：没有发现问题。"
    return f"共发现 {errors} 个错误、{warnings} 个警告。"


def render(problems: Problems, fmt: str) -> str:
    """All problems in one of the output formats, each on its own line, plus a summary for text."""
    ordered = problems.sorted()
    if fmt == "json":
        return "".join(p.as_json() + "\n" for p in ordered)
    if fmt == "github":
        return "".join(p.as_github() + "\n" for p in ordered)
    lines = [p.as_text() for p in ordered]
    lines.append(summary_line(problems))
    return "\n".join(lines) + "\n"


_LINE_BREAKING = {ord(c): repr(c)[1:-1] for c in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}


def _one_line(text: str) -> str:
    return text.translate(_LINE_BREAKING)
