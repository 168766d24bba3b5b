"""`gongkai serve`: builds, serves on localhost, rebuilds when an input changes, keeps the last good
site when a rebuild fails (README's first command runs it)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from site_sample import make_root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local server
        return response.read().decode("utf-8")


def _wait_for(predicate, seconds: float = 60.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("timed out")


def test_serve_builds_rebuilds_on_change_and_keeps_the_last_good_site(tmp_path: Path) -> None:
    root = make_root(tmp_path / "project")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}", "--as-of", "2026-11-21"],
        cwd=root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(lambda: "data-record-kind" in _get(base + "penalties/2026-12-5af7d62e6a/"))
        about = root / "content" / "about.md"
        about.write_text(about.read_text(encoding="utf-8") + "\n\n新增的一段说明文字。\n", encoding="utf-8")
        _wait_for(lambda: "新增的一段说明文字" in _get(base + "about/"))
        # Invalid data: the rebuild fails with the problem printed, the previous site stays served.
        bad = root / "data" / "penalties" / "2026.yml"
        bad.write_text(bad.read_text(encoding="utf-8").replace('"5"', '"五万"', 1), encoding="utf-8")
        _wait_for(lambda: "构建失败" in Path(log.name).read_text(encoding="utf-8"))
        assert "新增的一段说明文字" in _get(base + "about/")
        output = Path(log.name).read_text(encoding="utf-8")
        assert "error[penalty.amount]" in output and "Traceback" not in output
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=20)
        log.close()
