"""Gongkai's own settings: the `gongkai` plugin entry of site_config.yml, validated, unknown keys rejected.

site_config.yml *is* the mkdocs config; everything the generator needs sits under

    plugins:
      - gongkai:
          bureau: 云澜市应急管理局
          ...
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.problem_codes import problem
from generator.problems import Problem

MaskStyle = Literal["张某某", "张某", "张*", "某某"]
SeverityName = Literal["轻微", "一般", "严重"]


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    data_dir: str = Field("data", description="数据文件目录（相对于 site_config.yml）")
    content_dir: str = Field("content", description="栏目页面 Markdown 目录")
    bureau: str = Field("云澜市应急管理局", description="发布机关名称")
    report_error_url: str = Field(
        "mailto:gongkai@yunlan.example.gov.cn", description="“报告错误”链接的地址（mailto: 或网页地址）"
    )
    source_url: str = Field(
        "", description="数据文件在线查看地址的前缀，如 https://github.com/机构/仓库/blob/main/；留空则链接到站内副本"
    )
    name_mask: MaskStyle = Field("张某某", description="自然人姓名遮蔽规则")
    email_allowed_domains: tuple[str, ...] = Field(("gov.cn",), description="允许公开的机关邮箱域名")
    publish_minor: bool = Field(False, description="是否公示轻微失信行为的处罚（2026 年起原则上不公示）")
    minimum_months: dict[SeverityName, int] = Field(
        default_factory=dict, description="本地规定的最短公示期（月），可延长法定最短期限"
    )
    default_severity: SeverityName = Field("一般", description="未填写失信严重程度时按此计算公示期")
    publication_working_days: int = Field(7, ge=1, le=60, description="处罚决定公示时限（工作日）")
    blacklist_months: int = Field(36, ge=1, le=120, description="严重失信主体名单的列入期限（月）")
    records_per_page: int = Field(50, ge=10, le=500, description="列表每页条数")


def parse_settings(options: dict[str, Any] | None) -> tuple[Settings | None, list[str]]:
    """Settings from the plugin options, or Chinese messages saying what is wrong."""
    settings, errors = _settings_errors(options)
    return settings, [message for _, message in errors]


def _settings_errors(options: dict[str, Any] | None) -> tuple[Settings | None, list[tuple[str, str]]]:
    """Settings, or (setting name, Chinese message) for each thing that is wrong."""
    try:
        return Settings.model_validate(options or {}), []
    except ValidationError as exc:
        errors = []
        for err in exc.errors(include_url=False):
            key = ".".join(str(p) for p in err["loc"])
            if err["type"] == "extra_forbidden":
                errors.append((key, f"未知设置项 “{key}”；可用的设置项为：{'、'.join(Settings.model_fields)}"))
            else:
                errors.append((key, f"设置项 “{key}” 不正确：{err['msg']}（实际为 {err.get('input')!r}）"))
        return None, errors


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs configs, which may use tags such as !ENV or !!python/name that we ignore."""


_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load_settings(config_path: Path) -> tuple[Settings | None, list[Problem]]:
    """The gongkai plugin settings from site_config.yml, as problems when invalid."""
    display = config_path.name
    try:
        config = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # noqa: S506
    except (OSError, UnicodeDecodeError) as exc:
        return None, [problem("config.invalid", display, 1, 1, "", "", f"无法读取站点配置（{exc}）")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [problem("config.invalid", display, line, col, "", "", f"站点配置不是合法的 YAML（{exc}）")]
    options = _plugin_options(config)
    if options is None:
        return None, [problem("config.invalid", display, 1, 1, "", "plugins", "plugins 中没有 gongkai 插件")]
    settings, errors = _settings_errors(options)
    plugin_line = line_of(config_path, "gongkai", 1)
    return settings, [
        problem("config.invalid", display, line_of(config_path, key.split(".")[0] + ":", plugin_line),
                1, "gongkai", key, message)
        for key, message in errors
    ] + _theme_problems(config, config_path)


def _theme_problems(config: dict[str, Any], config_path: Path) -> list[Problem]:
    """The site's own templates (theme.custom_dir) must exist: mkdocs would stop on it much later,
    with an English message, after the data had been checked."""
    theme = config.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    if not isinstance(custom_dir, str) or (config_path.parent / custom_dir).is_dir():
        return []
    line = line_of(config_path, "custom_dir", 1)
    message = f"模板目录“{custom_dir}”不存在（相对于 {config_path.name} 所在的目录）；请恢复该目录或改正 custom_dir"
    return [problem("config.invalid", config_path.name, line, 1, "theme", "custom_dir", message)]


def _plugin_options(config: Any) -> dict[str, Any] | None:
    plugins = config.get("plugins") if isinstance(config, dict) else None
    if not isinstance(plugins, list | dict):
        return None
    for entry in plugins if isinstance(plugins, list) else []:
        if entry == "gongkai":
            return {}
        if isinstance(entry, dict) and "gongkai" in entry:
            return entry["gongkai"] or {}
    if isinstance(plugins, dict) and "gongkai" in plugins:
        return plugins["gongkai"] or {}
    return None


def line_of(path: Path, needle: str, default: int) -> int:
    """The first line from `default` on that contains `needle` (the setting's own line, or the plugin's)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines[default - 1 :], start=default):
        if needle in line:
            return number
    return default
