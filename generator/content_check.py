"""Checks of content/ pages: their YAML front matter must parse and be a mapping of known keys."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.problem_codes import problem
from generator.problems import Problem

# mkdocs and mkdocs-material keys a narrative page may set.
KNOWN_KEYS = frozenset({"title", "description", "template", "hide", "icon", "status", "search", "tags", "updated"})


def check_content(
    content_dir: Path, root: Path, allowed_email_domains: tuple[str, ...] = ("gov.cn",)
) -> list[Problem]:
    problems: list[Problem] = []
    for path in sorted(content_dir.rglob("*.md")):
        display = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            problems.append(problem("content.front-matter", display, 1, 1, "", "", "页面须为 UTF-8 编码的 Markdown 文本"))
            continue
        problems.extend(_front_matter_problems(text, display, root / "theme"))
        problems.extend(_personal_data_problems(text, display, allowed_email_domains))
    return problems


def _personal_data_problems(text: str, display: str, allowed_email_domains: tuple[str, ...]) -> list[Problem]:
    """The same personal-data rules as for data fields: a narrative page is published too."""
    from generator.rules.privacy import find_personal_data
    from generator.validate import PRIVACY_CODES, mask_finding

    out = []
    for finding in find_personal_data(text, allowed_email_domains=allowed_email_domains):
        code, what = PRIVACY_CODES[finding.kind]
        line = text.count("\n", 0, finding.start) + 1
        column = finding.start - (text.rfind("\n", 0, finding.start) + 1) + 1
        message = f"{what}（{mask_finding(finding.text)}）；公开前必须删除或改为（略）"
        out.append(problem(code, display, line, column, "", "", message))
    return out


def _front_matter_problems(text: str, display: str, theme_dir: Path) -> list[Problem]:
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

    def line_of(key: str) -> int:
        return next((i + 1 for i, ln in enumerate(lines[: end + 1]) if ln.startswith(f"{key}:")), 2)

    for key in data:
        if key not in KNOWN_KEYS:
            msg = f"未知的头信息键 “{key}”；可用：{'、'.join(sorted(KNOWN_KEYS))}"
            out.append(problem("content.front-matter", display, line_of(key), 1, "", key, msg))
    template = data.get("template")
    if isinstance(template, str) and template not in available_templates(theme_dir):
        msg = f"找不到模板 “{template}”：模板须在 theme/ 中或是 mkdocs-material 自带的模板"
        out.append(problem("content.front-matter", display, line_of("template"), 1, "", "template", msg))
    return out


def available_templates(theme_dir: Path) -> frozenset[str]:
    """Template names a page may ask for: the site's overrides and mkdocs-material's own."""
    import material

    names = set()
    for base in (theme_dir, Path(material.__file__).parent / "templates"):
        if base.is_dir():
            names.update(p.relative_to(base).as_posix() for p in base.rglob("*.html"))
    return frozenset(names)
