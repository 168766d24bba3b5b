"""`gongkai validate`: data files, holiday schedules and content/ front matter, every problem at once."""

from __future__ import annotations

from pathlib import Path

from generator.content_check import check_content
from generator.problems import Problems
from generator.settings import Settings
from generator.validate import load_and_validate


def validate_project(root: Path, settings: Settings) -> Problems:
    _, problems = load_and_validate(root, settings)
    problems.extend(check_content(root / settings.content_dir, root, settings.email_allowed_domains))
    return problems
