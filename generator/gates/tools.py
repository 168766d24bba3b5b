"""Where the gates' outside tools are: the npm packages of package.json and the system browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# The same flags as the browser tests: nothing of Chromium's own phones home during a gate.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class GateUnavailable(RuntimeError):
    """A tool a gate needs is missing: the gate fails (a gate that cannot run has not passed)."""


def node_modules() -> Path:
    return Path(os.environ.get("GONGKAI_NODE_MODULES", REPO / "node_modules"))


def vnu_jar() -> Path:
    jar = node_modules() / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.is_file():
        raise GateUnavailable(f"找不到 {jar}：请先在项目目录运行 npm ci --ignore-scripts")
    return jar


def java() -> str:
    found = shutil.which("java")
    if not found:
        raise GateUnavailable("找不到 java（需要 Java 17 或更高版本来运行 Nu Html Checker）")
    return found


def axe_script() -> Path:
    script = node_modules() / "axe-core" / "axe.min.js"
    if not script.is_file():
        raise GateUnavailable(f"找不到 {script}：请先在项目目录运行 npm ci --ignore-scripts")
    return script


def chromium() -> str:
    if not Path(CHROMIUM).is_file():
        raise GateUnavailable(f"找不到 {CHROMIUM}：请安装 Debian 的 chromium 软件包")
    return CHROMIUM
