"""A real browser sees the statistics charts (static SVG, no JavaScript needed) and their tables."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from opendata_helpers import Built

from generator.gates.tools import CHROMIUM  # noqa: E402
from generator.gates.tools import CHROMIUM_ARGS as ARGS  # noqa: E402 - one list of browser flags

pytestmark = pytest.mark.browser


def document(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{margin:0 1rem}figure{margin:1rem 0}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


@pytest.fixture
def served(built_fixture: Built, tmp_path: Path) -> Iterator[str]:
    for url, page in built_fixture.pages.items():
        target = tmp_path / url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(document(page.title, page.body_html), encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no system Chromium")
def test_statistics_charts_visible(served: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(java_script_enabled=False, viewport={"width": 390, "height": 844})
            outside: list[str] = []
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(served) else None)
            for url in ("statistics/", "statistics/2026/"):
                page.goto(served + url)
                charts = page.locator("figure.gk-chart svg[role=img]")
                assert charts.count() >= 5
                for i in range(charts.count()):
                    chart = charts.nth(i)
                    assert chart.is_visible()
                    box = chart.bounding_box()
                    assert box and box["width"] > 300 and box["height"] > 30
                    assert box["width"] <= 390, "charts fit a phone screen"
                    assert chart.locator("rect, polyline").count() > 0
                tables = page.locator("figure.gk-chart table caption")
                assert (
                    tables.count()
                    == page.locator("figure.gk-chart").count() - page.get_by_text("暂无数据").count()
                )
                assert page.locator("h1").inner_text().strip()
            assert outside == []
        finally:
            browser.close()


@pytest.fixture
def served_files(built_fixture: Built, tmp_path: Path) -> Iterator[str]:
    for path, content in built_fixture.files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    script = '<script src="assets/javascripts/filtered-download.js"></script>'
    (tmp_path / "index.html").write_text(document("下载", script), encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no system Chromium")
def test_filtered_download_builds_the_same_csv(built_fixture: Built, served_files: str) -> None:
    """The browser-side CSV of all records equals the site's CSV byte for byte (guard, BOM, CRLF)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.goto(served_files)
            for kind in ("penalties", "accidents", "power-items"):
                text = page.evaluate(
                    """async (kind) => {
                        const records = await (await fetch(`data/${kind}.json`)).json();
                        return GongkaiDownload.toCsv(kind, records);
                    }""",
                    kind,
                )
                assert text.encode("utf-8") == built_fixture.files[f"data/{kind}.csv"], kind
        finally:
            browser.close()
