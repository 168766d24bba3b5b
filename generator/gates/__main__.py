"""python -m generator.gates SITE_DIR [--only a,b] [--skip a,b] [--as-of DATE] [--format text|github]

Runs the quality gates on a built site and prints every finding, then one summary line per gate.
Exit 0 when every gate passed, 1 on any finding (or a gate that could not run), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from generator.gates import tools
from generator.gates.findings import Finding
from generator.gates.sitefiles import SiteUrl, email_domains_from_config, site_url_from_config

ORDER = ("links", "external", "privacy", "html", "a11y", "determinism")


def _runners(args: argparse.Namespace, site: Path, config: Path) -> dict[str, Callable[[], list[Finding]]]:
    site_url = SiteUrl.parse(args.site_url) if args.site_url is not None else site_url_from_config(config)

    def links() -> list[Finding]:
        from generator.gates.links import check_links

        return check_links(site, site_url)

    def external() -> list[Finding]:
        from generator.gates.external import check_external

        return check_external(site, site_url)

    def privacy() -> list[Finding]:
        from generator.gates.privacy import check_privacy

        return check_privacy(site, email_domains_from_config(config))

    def html() -> list[Finding]:
        from generator.gates.html_valid import check_html

        return check_html(site)

    def a11y() -> list[Finding]:
        from generator.gates.a11y import check_a11y

        return check_a11y(site, site_url, query=args.query)

    def determinism() -> list[Finding]:
        from generator.gates.determinism import check_determinism, cli_builder

        as_of = args.as_of or dt.date.today()
        return check_determinism(cli_builder(config.resolve().parent, as_of, config.name))

    return {
        "links": links,
        "external": external,
        "privacy": privacy,
        "html": html,
        "a11y": a11y,
        "determinism": determinism,
    }


def _names(text: str | None) -> list[str]:
    names = [n.strip() for n in (text or "").split(",") if n.strip()]
    unknown = [n for n in names if n not in ORDER]
    if unknown:
        raise argparse.ArgumentTypeError(f"未知的检查项：{'、'.join(unknown)}；可选：{','.join(ORDER)}")
    return names


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator.gates", description="发布前质量检查（质量关卡）"
    )
    parser.add_argument("site", help="已生成的网站目录，如 site 或 public")
    parser.add_argument(
        "--only", type=_names, default=None, help=f"只运行这些检查（逗号分隔）：{','.join(ORDER)}"
    )
    parser.add_argument("--skip", type=_names, default=None, help="跳过这些检查（逗号分隔）")
    parser.add_argument(
        "--config", default="site_config.yml", help="站点配置（读取 site_url 与允许公开的邮箱域名）"
    )
    parser.add_argument(
        "--site-url", default=None, help="覆盖 site_url（决定站点路径前缀，如 https://x.github.io/repo/）"
    )
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, default=None, help="确定性检查两次生成所用的日期"
    )
    parser.add_argument("--query", default="安全", help="可访问性检查中搜索页使用的查询词（须有结果）")
    parser.add_argument("--format", choices=("text", "github"), default="text")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    site, config = Path(args.site), Path(args.config)
    if not (site / "index.html").is_file():
        print(f"gates: {site} 不是已生成的网站目录（没有 index.html）", file=sys.stderr)
        return 2
    chosen = [n for n in (args.only or ORDER) if n not in (args.skip or [])]
    runners = _runners(args, site, config)
    failed = 0
    summary = []
    for name in chosen:
        started = time.monotonic()
        findings = _run(name, runners[name])
        for finding in sorted(findings):
            print(finding.as_github() if args.format == "github" else finding.as_text())
        failed += bool(findings)
        verdict = "通过" if not findings else f"{len(findings)} 个问题"
        summary.append(f"gate {name}: {verdict}（{time.monotonic() - started:.1f} 秒）")
    print("\n".join(summary))
    print(f"质量关卡：{len(chosen) - failed} 项通过，{failed} 项未通过")
    sys.stdout.flush()
    return 1 if failed else 0


def _run(name: str, runner: Callable[[], list[Finding]]) -> list[Finding]:
    """A gate that cannot run (missing tool, crash) fails with one finding instead of a traceback."""
    try:
        return runner()
    except tools.GateUnavailable as exc:
        return [Finding(name, "", 0, f"无法运行：{exc}")]
    except Exception as exc:  # noqa: BLE001 - report, never pass silently
        if os.environ.get("GONGKAI_DEBUG"):
            traceback.print_exc()
        return [Finding(name, "", 0, f"检查程序出错：{type(exc).__name__}: {exc}")]


if __name__ == "__main__":
    raise SystemExit(main())
