"""Checks of content/ pages: their YAML front matter must parse and be a mapping of known keys."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.problem_codes import problem
from generator.problems import Problem

# mkdocs and mkdocs-material keys a narrative page may set.
KNOWN_KEYS = frozenset({"title", "description", "template", "hide", "icon", "status", "search", "tags", "updated"})


def check_content(content_dir: Path, root: Path) -> list[Problem]:
    problems: list[Problem] = []
    for path in sorted(content_dir.rglob("*.md")):
        display = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        problems.extend(_front_matter_problems(path, display))
    return problems


def _front_matter_problems(path: Path, display: str) -> list[Problem]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return [problem("content.front-matter", display, 1, 1, "", "", "页面须为 UTF-8 编码的 Markdown 文本")]
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return []
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() in ("---", "..."))
    except StopIteration:
        return [problem("content.front-matter", display, 1, 1, "", "", "头信息以 --- 开始，但没有结束的 ---")]
    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        col = mark.column + 1 if mark else 1
        return [problem("content.front-matter", display, line, col, "", "", f"头信息不是合法的 YAML（{getattr(exc, 'problem', exc)}）")]
    if data is None:
        return []
    if not isinstance(data, dict):
        return [problem("content.front-matter", display, 2, 1, "", "", "头信息应是“键: 值”的映射")]
    out = []
    for key in data:
        if key not in KNOWN_KEYS:
            line = next((i + 1 for i, ln in enumerate(lines[: end + 1]) if ln.startswith(f"{key}:")), 2)
            msg = f"未知的头信息键 “{key}”；可用：{'、'.join(sorted(KNOWN_KEYS))}"
            out.append(problem("content.front-matter", display, line, 1, "", key, msg))
    return out
