"""What a person sees, in the system Chromium against a local server: content present, the
listing filter working, no console errors, and no request to another host."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

pytestmark = pytest.mark.browser

from generator.gates.tools import CHROMIUM_ARGS  # noqa: E402 - one list of browser flags for all tests


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="module")
def server(tiny_site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(tiny_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("system Chromium not installed")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


def _visit(browser, url: str, *, wait_for: str = "") -> tuple[object, list[str], list[str]]:
    page = browser.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r) -> None:
        if urlsplit(r.request.url).hostname != "127.0.0.1":
            foreign.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    page.route("**/*", route)
    page.goto(url, wait_until="networkidle")
    if wait_for:
        page.wait_for_function(wait_for)
    return page, errors, foreign


CASES = [
    ("", "h1", "云澜市应急管理局安全生产信息公开", "云应急罚〔2026〕12号"),
    (
        "penalties/2026-12-5af7d62e6a/",
        "article[data-record-kind=penalty] h1",
        "云应急罚〔2026〕12号",
        "50,000 元",
    ),
    (
        "accidents/2025-06-12-25cf4e9e73/",
        "article[data-record-kind=accident] h1",
        "较大中毒和窒息事故",
        "六、事故防范和整改措施",
    ),
    ("enterprises/91530100MA6K8XY01W/", "h1", "云澜市恒通化工有限公司", "云应急罚〔2026〕12号"),
    (
        "power-items/yj-cf-001/",
        "article[data-record-kind=power-item] h1",
        "安全生产教育和培训的处罚",
        "对特种作业人员未按照规定",
    ),
]


@pytest.mark.parametrize(("path", "heading", "title", "content"), CASES)
def test_page_shows_its_content(
    server: str, browser, path: str, heading: str, title: str, content: str
) -> None:
    page, errors, foreign = _visit(browser, server + path)
    assert title in page.inner_text(heading)
    assert content in page.inner_text("main")
    assert page.is_visible("nav[aria-label='面包屑']") or path == ""
    assert errors == [] and foreign == []
    page.close()


def test_listing_filter_applied(server: str, browser) -> None:
    url = f"{server}penalties/?party={quote('自然人')}&sort=-amount"
    page, errors, foreign = _visit(
        browser, url, wait_for="document.getElementById('gk-total').textContent.startsWith('筛选结果')"
    )
    rows = page.locator("table.gk-table tbody tr")
    assert rows.count() == 1
    assert "张某某" in rows.first.inner_text()
    assert page.input_value("#gk-filter-party") == "自然人"
    assert errors == [] and foreign == []
    page.close()


def test_listing_reads_without_javascript(server: str, browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "penalties/")
    assert page.locator("table.gk-table tbody tr").count() == 3
    context.close()


def test_filtered_view_downloads_as_the_import_csv(server: str, browser) -> None:
    """"Download this filtered view": the rows the filter shows, as the /data/ CSV does them."""
    url = f"{server}penalties/?party={quote('自然人')}"
    page, errors, foreign = _visit(
        browser, url, wait_for="!document.getElementById('gk-filtered-download').hidden"
    )
    with page.expect_download() as download:
        page.click("#gk-filtered-download")
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as the full download
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("行政相对人名称,行政相对人类别,")
    body = [line for line in lines[1:] if line]
    assert len(body) == 1 and "张某某" in body[0]
    assert errors == [] and foreign == []
    page.close()


PHONE = {"width": 390, "height": 844}


def test_a_listing_reads_as_cards_on_a_phone_without_sideways_scrolling(server: str, browser) -> None:
    """Found by a phone review: seven columns in 360 px stacked one character per line, and a long
    filter option made the whole page scroll sideways."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    page = context.new_page()
    page.goto(server + "penalties/", wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    first = page.locator("table.gk-table tbody tr").first.locator("td").nth(2)
    label = page.evaluate("td => getComputedStyle(td, '::before').content", first.element_handle())
    assert label == '"当事人"'
    assert first.bounding_box()["width"] > 300  # a whole line, not a sliver of a column
    assert not page.is_visible("#gk-filtered-download")  # nothing filtered: nothing to offer
    context.close()


def test_an_empty_filter_result_says_so(server: str, browser) -> None:
    url = f"{server}penalties/?party={quote('自然人')}&year=1999"
    page, errors, _ = _visit(browser, url, wait_for="document.getElementById('gk-total').textContent.startsWith('筛选结果')")
    assert "没有符合条件的记录" in page.inner_text("table.gk-table")
    assert not page.is_visible("#gk-filtered-download")
    assert errors == []
    page.close()


def test_search_results_come_before_the_filters_on_a_phone(server: str, browser) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(server + "search/?q=" + quote("安全"), wait_until="networkidle")
    page.wait_for_selector("[data-search-total]")
    assert page.evaluate("document.querySelector('[data-search-facet-box]').open") is False
    status_top = page.locator("[data-search-status]").bounding_box()["y"]
    assert status_top < PHONE["height"]  # the result count is on the first screen
    assert page.inner_text("h1") == "搜索"
    context.close()


def test_searching_a_company_finds_its_profile_and_its_decision_first_by_code(server: str, browser) -> None:
    page, errors, _ = _visit(browser, server + "search/?q=" + quote("恒通化工"), wait_for="document.querySelector('[data-search-total]')")
    hrefs = [a.get_attribute("href") for a in page.query_selector_all("[data-search-result]")]
    assert any(h.endswith("enterprises/91530100MA6K8XY01W/") for h in hrefs)
    page.goto(server + "search/?q=91530100MA6K8XY01W")
    page.wait_for_selector("[data-search-total]")
    first = page.query_selector("[data-search-result]").get_attribute("href")
    assert "/penalties/" in first  # the record carrying the code ranks first (issue 4), the profile after
    assert errors == []
    page.close()


def test_what_a_record_page_shows_is_found_and_the_menus_reference_pages_too(server: str, browser) -> None:
    """Text the page composes (categories joined by 、, labels, the accident's level basis) is found as
    the visitor reads it; the privacy notice and the data dictionary are in the index."""
    for query, expected in (("警告、罚款", "/penalties/"), ("公示截止期", "/penalties/"), ("个人信息保护说明", "/privacy/"),
                            ("数据字典", "/data-dictionary/")):
        page, errors, _ = _visit(browser, server + "search/?q=" + quote(query), wait_for="document.querySelector('[data-search-total]')")
        hrefs = [a.get_attribute("href") for a in page.query_selector_all("[data-search-result]")]
        assert any(expected in h for h in hrefs), (query, hrefs)
        assert errors == []
        page.close()
