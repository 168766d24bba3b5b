"""A tiny static site around the search fragment, its index, a local server and a browser.

Shared by the browser tests and bench/search_bench.py.  The real accident texts are read from
../shared (beside the repository) at run time and never copied into the repository (they carry no licence).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from generator.search import SearchDoc, build_index, copy_assets, render_search_page

ROOT = Path(__file__).resolve().parents[2]
REALDATA = ROOT.parent / "shared" / "realdata" / "cn-hazmat-accident-cases" / "HazmatCases(137).json"
from generator.gates.tools import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 - one list of browser flags

sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from synth_search_docs import synth_docs  # noqa: E402

_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def real_accident_docs() -> list[SearchDoc]:
    cases = json.loads(REALDATA.read_text(encoding="utf-8"))
    docs = []
    for i, case in enumerate(cases):
        text = case.get("正文", "") or "；".join(case.get("间接原因", []) or [])
        m = _DATE.search(text)
        date = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}" if m and 1 <= int(m[2]) <= 12 else ""
        if date and not 1 <= int(date[8:]) <= 31:
            date = ""
        docs.append(
            SearchDoc(
                url=f"accidents/{i:03d}/",
                title=case["标题"],
                kind="accident",
                date=date,
                text=text,
                facets={"industry": ("危险化学品运输",)},
            )
        )
    return docs


XSS_TITLE = '<img src=x onerror="window.__xss=1">危险货物XSS测试'
XSS_TEXT = "记录正文<script>window.__xss=1</script>包含脚本标签的测试文本<b>粗体</b>"


def special_docs() -> list[SearchDoc]:
    """Identifier look-alikes (the exact one must win) and a hostile record."""
    docs = []
    for i, (docno, code) in enumerate(
        [
            ("滇应急罚〔2024〕12号", "91530100MA6K7XQ12B"),
            ("滇应急罚〔2024〕123号", "91530100MA6K7XQ13C"),
            ("滇应急罚〔2023〕12号", "91530100MA6K7XQ14D"),
            ("滇应急罚〔2024〕112号", "91530100MA6K7XQ15E"),
        ]
    ):
        docs.append(
            SearchDoc(
                url=f"penalties/special-{i}/",
                title=f"云南测试化工有限公司行政处罚决定（{docno}）",
                kind="penalty",
                date=f"2024-0{i + 1}-15",
                text=f"行政处罚决定书文号：{docno}。统一社会信用代码：{code}。未落实安全生产责任制。"
                f"另见滇应急罚〔2024〕12号至滇应急罚〔2024〕123号的相关决定。",
                identifiers=(docno, code),
                facets={"category": ("罚款",), "authority": ("云南省应急管理厅",)},
                sort_keys={"amount": 10000.0 * (i + 1)},
            )
        )
    docs.append(
        SearchDoc(url="penalties/xss/", title=XSS_TITLE, kind="penalty", date="2025-01-01", text=XSS_TEXT)
    )
    docs.append(
        SearchDoc(
            url="pages/about/", title="关于本站", kind="page", text="本站公开安全生產行政处罚和事故调查信息。"
        )
    )
    return docs


def all_docs(n_synth: int = 300) -> list[SearchDoc]:
    return real_accident_docs() + special_docs() + synth_docs(n_synth)


PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>搜索</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="../assets/search/search.css">
<script src="../assets/search/search.js" defer></script></head>
<body><main>{body}</main></body></html>
"""


def build_site(site: Path, docs: list[SearchDoc]) -> None:
    build_index(docs, site / "search" / "index")
    copy_assets(site / "assets" / "search")
    page = PAGE.format(body=render_search_page(index_url="index/", site_root="../"))
    (site / "search" / "index.html").write_text(page, encoding="utf-8")
    for d in docs:  # result links must resolve to something
        target = site / d.url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("<!doctype html><meta charset=utf-8><title>r</title>", encoding="utf-8")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as any real static host does

    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a browser closing a connection early is not a failure


@contextlib.contextmanager
def serve(site: Path, command: list[str] | None = None) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 (random free port); yields the base URL.

    The server runs in its own process: in a thread it would share the GIL with Playwright's
    driver and add tens of milliseconds to every request, which is not what a static host does."""
    argv = [*(command or [sys.executable, __file__]), str(site)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, cwd=str(site))
    try:
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _serve_forever(site: str) -> None:
    handler = functools.partial(_Quiet, directory=site)
    server = _Server(("127.0.0.1", 0), handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


def launch(playwright):  # noqa: ANN001, ANN201 - playwright types are optional here
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


if __name__ == "__main__":
    _serve_forever(sys.argv[1])
