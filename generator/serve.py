"""`gongkai serve`: build, serve on localhost, rebuild when an input changes.

The preview is a real build (same code path as `gongkai build`) into .cache/serve/, served by the
standard library; a change under data/, content/, theme/ or to site_config.yml triggers a rebuild.
A failed rebuild prints its problems and keeps serving the last good site.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import subprocess
import sys
import threading
import time
from pathlib import Path

WATCHED = ("data", "content", "theme", "site_config.yml")


def _snapshot(root: Path) -> dict[str, float]:
    stamps: dict[str, float] = {}
    for name in WATCHED:
        base = root / name
        paths = [base] if base.is_file() else (p for p in base.rglob("*") if p.is_file())
        for path in paths:
            try:
                stamps[str(path)] = path.stat().st_mtime
            except OSError:
                continue
    return stamps


def _build(root: Path, config: Path, out: Path, as_of: dt.date | None) -> bool:
    """One `gongkai build` in a fresh process: the build forks workers, and forking this process
    (whose server threads may hold locks) could leave a child stuck on one of them."""
    day = as_of or dt.date.today()
    started = time.monotonic()
    command = [sys.executable, "-m", "generator", "--config", str(config.resolve()), "build", "--out", str(out)]
    done = subprocess.run([*command, "--as-of", day.isoformat()], cwd=root, check=False)  # noqa: S603
    if done.returncode != 0:
        print("构建失败：继续提供上一次成功构建的网站。", file=sys.stderr)
        return False
    print(f"已构建（{time.monotonic() - started:.1f} 秒，以 {day.isoformat()} 为当日）", file=sys.stderr)
    return True


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def serve(root: Path, config: Path, address: str, as_of: dt.date | None) -> int:
    out = root / ".cache" / "serve"
    out.parent.mkdir(parents=True, exist_ok=True)
    if not _build(root, config, out, as_of) and not out.exists():
        return 1
    host, _, port = address.rpartition(":")
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer((host or "127.0.0.1", int(port)), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"本地预览：http://{host or '127.0.0.1'}:{port}/  （Ctrl+C 退出）", file=sys.stderr)
    stamps = _snapshot(root)
    try:
        while True:
            time.sleep(1.0)
            current = _snapshot(root)
            if current != stamps:
                stamps = current
                _build(root, config, out, as_of)
    except KeyboardInterrupt:
        server.shutdown()
        return 0
