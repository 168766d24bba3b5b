"""The `gongkai` command line (also `python -m generator`).

Exit codes: 0 success, 1 problems in the input (nothing written), 2 usage or internal error.
No Python traceback reaches a user: unexpected errors are reported in one Chinese line (set
GONGKAI_DEBUG=1 to see the traceback when developing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import traceback
from pathlib import Path
from typing import NoReturn

from generator import quick_exit
from generator.problems import Problems, render

FORMATS = ("text", "github", "json")


# --as-of: the years a build can stand in (file timestamps in the output start in 1980).
AS_OF_YEARS = (1980, 2099)


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"应为 YYYY-MM-DD 格式的有效日期，实际为 {text!r}") from exc
    if not AS_OF_YEARS[0] <= day.year <= AS_OF_YEARS[1]:
        raise argparse.ArgumentTypeError(f"日期应在 {AS_OF_YEARS[0]}—{AS_OF_YEARS[1]} 年之间，实际为 {text!r}")
    return day


# argparse's own messages (a wrong subcommand or option, a missing argument), in the language of the
# rest of the tool.  argparse looks its messages up through its module's `_` when it reports.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值 %(value)r（应为 %(type)s）",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "缺少参数值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
}


def _parser() -> argparse.ArgumentParser:
    argparse._ = lambda message: _ARGPARSE_ZH.get(message, message)  # type: ignore[attr-defined]
    parser = argparse.ArgumentParser(prog="gongkai", description="安全生产政务公开网站生成器")
    parser.add_argument("--config", default="site_config.yml", help="站点配置文件（默认 site_config.yml）")
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="检查 data/ 和 content/ 中的所有文件")
    validate.add_argument("--format", choices=FORMATS, default="text")

    build = sub.add_parser("build", help="检查并生成整个静态网站")
    build.add_argument("--out", default="site", help="输出目录（默认 site）")
    build.add_argument("--as-of", type=_date, default=None, help="以该日期为“今天”计算公示期和时限")
    build.add_argument("--format", choices=FORMATS, default="text")

    serve = sub.add_parser("serve", help="本地预览，数据或页面变化时自动重建")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000")
    serve.add_argument("--as-of", type=_date, default=None)

    imp = sub.add_parser("import", help="从 CSV/XLSX 表格导入数据")
    imp.add_argument("kind", choices=("penalties", "accidents", "power-items"))
    imp.add_argument("file")
    imp.add_argument("--into", default=None, help="写入的数据目录（默认 data/）")
    imp.add_argument("--format", choices=FORMATS, default="text")

    synth = sub.add_parser("synth", help="生成指定规模的合成数据（用于性能测试）")
    synth.add_argument("--penalties", type=int, default=1000)
    synth.add_argument("--accidents", type=int, default=50)
    synth.add_argument("--power-items", type=int, default=200)
    synth.add_argument("--out", required=True)
    synth.add_argument("--as-of", type=_date, default=None)
    return parser


def run() -> NoReturn:
    """The `gongkai` command: `main`, then the end of the process, where a build's objects are
    not freed one by one (generator.quick_exit)."""
    quick_exit.enable()
    quick_exit.end(main())


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback for users
        if os.environ.get("GONGKAI_DEBUG"):
            traceback.print_exc()
            print(getattr(exc, "details", ""), file=sys.stderr)  # a child process's traceback, if any
        print(f"gongkai: 内部错误（{type(exc).__name__}: {exc}）。请把此信息报告给维护人员。", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace) -> int:
    config = Path(args.config)
    root = config.resolve().parent
    if args.command == "synth":
        return _synth(args)
    from generator.settings import load_settings

    if args.command in ("validate", "import") and not config.exists():
        # Checking or importing data needs no site: without a site_config.yml the defaults apply.
        from generator.settings import Settings

        settings, config_problems = Settings(), []
    else:
        settings, config_problems = load_settings(config)
    if settings is None:
        return _report(Problems(config_problems), getattr(args, "format", "text"))
    if args.command == "validate":
        from generator.validate_all import validate_project

        problems = Problems(config_problems)
        problems.extend(validate_project(root, settings))
        return _report(problems, args.format)
    if args.command == "import":
        return _import(args, root, settings)
    if args.command == "build":
        from generator.site.build import BuildReport, build_site

        as_of = args.as_of or dt.date.today()
        out = Path(args.out)
        report = BuildReport()
        problems = build_site(root, out if out.is_absolute() else Path.cwd() / out, as_of, report=report)
        from generator import timings

        timings.report()
        code = _report(problems, args.format)
        if code == 0:
            how = (
                f"；增量更新：{report.changed} 个文件有变化，删除 {report.removed} 个" if report.mode == "patch"
                else f"；网站目录与上次构建时不同（{report.altered[0]}{' 等' if len(report.altered) > 1 else ''}），已完整重建"
                if report.altered
                else ""
            )
            print(f"网站已生成：{out}（以 {as_of.isoformat()} 为当日{how}）", file=sys.stderr)
        return code
    if args.command == "serve":
        from generator.serve import serve

        return serve(root, config, args.dev_addr, args.as_of)
    raise AssertionError(args.command)


def _report(problems: Problems, fmt: str) -> int:
    if problems.items or fmt == "text":
        stream = sys.stdout
        stream.write(render(problems, fmt))
        stream.flush()
    return 1 if problems.has_errors else 0


def _import(args: argparse.Namespace, root: Path, settings) -> int:  # noqa: ANN001
    from generator.importer import import_table
    from generator.schema.kinds import KINDS

    data_dir = Path(args.into) if args.into else root / settings.data_dir
    table = Path(args.file)
    problems, written = import_table(KINDS[args.kind], table, args.file, data_dir, settings)
    code = _report(problems, args.format)
    if code == 0:
        print(f"导入完成：写入 {len(written)} 个文件（其余文件内容未变）。", file=sys.stderr)
    return code


def _synth(args: argparse.Namespace) -> int:
    from generator.synth import synth

    as_of = args.as_of or dt.date.today()
    for name in ("penalties", "accidents", "power_items"):
        if getattr(args, name) < 0:
            print(f"gongkai synth: --{name.replace('_', '-')} 不能为负数", file=sys.stderr)
            return 2
    synth(args.penalties, args.accidents, args.power_items, Path(args.out), as_of)
    return 0
