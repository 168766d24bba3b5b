"""What a person sees, in the system Chromium against a local server: content present, the
listing filter working, no console errors, and no request to another host."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from site_sample import AS_OF, build_site, make_root

pytestmark = pytest.mark.browser

from generator.gates.tools import CHROMIUM_ARGS  # noqa: E402 - one list of browser flags for all tests


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextlib.contextmanager
def _serving(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def server(tiny_site: Path) -> Iterator[str]:
    with _serving(tiny_site) as url:
        yield url


@pytest.fixture(scope="module")
def warning_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The tiny site with 张某某's decision a warning only: a penalty without a fine."""
    work = tmp_path_factory.mktemp("warning")
    root = make_root(work / "project")
    data = root / "data" / "penalties" / "2026.yml"
    text = data.read_text(encoding="utf-8")
    fined = '  处罚类别: "罚款"\n  处罚内容: "处罚款人民币伍仟元整。"\n  罚款金额（万元）: "0.5"\n'
    assert fined in text
    data.write_text(text.replace(fined, '  处罚类别: "警告"\n  处罚内容: "给予警告。"\n'), encoding="utf-8")
    problems = build_site(root, work / "site", AS_OF, workers=1)
    assert not problems.has_errors, [p.as_text() for p in problems]
    with _serving(work / "site") as url:
        yield url


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
    url = f"{server}penalties/?party={quote('自然人')}&category={quote('没收违法所得')}"
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
    # A record's hit shows its date; the profile's none (its doc's date is its oldest record's, an
    # ordering detail: search_docs.enterprise_doc).
    dated = page.eval_on_selector_all(
        ".gk-hit", "hs => hs.map(h => [h.querySelector('a').href, !!h.querySelector('.gk-hit-meta time')])"
    )
    assert [has for href, has in dated if href.endswith("enterprises/91530100MA6K8XY01W/")] == [False]
    assert any(has for href, has in dated if "/penalties/" in href)
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


def _search(browser, server: str, query: str, **context: object) -> tuple[object, object, list[str]]:
    """The /search/ page for `query` (a URL query string), once the facet counts are in."""
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}search/?{query}", wait_until="networkidle")
    page.wait_for_selector("[data-search-total]")
    page.wait_for_function("!document.querySelector('[data-count-for]') || "
                           "[...document.querySelectorAll('[data-count-for]')].every(s => s.textContent)")
    page.wait_for_load_state("networkidle")  # the facet counts come after the hits
    return ctx, page, errors


def test_search_hits_show_dates_as_the_record_pages_do(server: str, browser) -> None:
    """A UX review found ISO dates (2026-03-05) in the hits while every other page says 2026年3月5日."""
    ctx, page, errors = _search(browser, server, "q=" + quote("恒通化工"))
    times = page.locator(".gk-hit-meta time")
    assert times.count() >= 2
    for i in range(times.count()):
        shown, iso = times.nth(i).inner_text(), times.nth(i).get_attribute("datetime")
        year, month, day = (int(x) for x in iso.split("-"))
        assert shown == f"{year}年{month}月{day}日"  # no leading zeros, as display.cn_date
    assert errors == []
    ctx.close()


def _facet_labels(page) -> list[tuple[str, bool, bool]]:
    """(text, visible, checked) of every facet choice."""
    return page.evaluate(
        "[...document.querySelectorAll('.gk-facet label')].map(l => [l.textContent.trim(), "
        "l.getClientRects().length > 0, l.querySelector('input').checked])"
    )


def test_search_facets_without_hits_are_hidden_unless_chosen(server: str, browser) -> None:
    ctx, page, errors = _search(browser, server, "q=" + quote("恒通化工"))
    labels = _facet_labels(page)
    assert any(text.endswith("(0)") for text, _, _ in labels)  # the tiny site has such values here
    for text, visible, _ in labels:
        assert visible == (not text.endswith("(0)")), text
    boxes = page.evaluate(
        "[...document.querySelectorAll('.gk-facet')].map(b => [b.getClientRects().length > 0, "
        "[...b.querySelectorAll('label')].some(l => l.getClientRects().length > 0)])"
    )
    assert all(box == choices for box, choices in boxes)  # a facet with no choice left is hidden whole
    ctx.close()
    # A chosen value stays visible (and can be unticked) even when nothing has it.
    ctx, page, errors = _search(browser, server, "q=" + quote("恒通化工") + "&party=" + quote("自然人"))
    assert page.inner_text("[data-search-total]") == "0"
    chosen = [(text, visible) for text, visible, checked in _facet_labels(page) if checked]
    assert chosen == [("自然人 (0)", True)]
    assert errors == []
    ctx.close()


def test_a_ticked_filter_leaves_its_alternatives_on_offer(server: str, browser) -> None:
    """Values of one facet are alternatives: with one ticked, the others (counted 0 within the narrowed
    results) stay visible so a second can be added or the choice switched."""
    ctx, page, errors = _search(browser, server, "q=" + quote("安全") + "&kind=penalty")
    kinds = page.evaluate(
        "[...document.querySelectorAll('[data-facet=kind] label')].map(l => [l.querySelector('input').value, "
        "l.getClientRects().length > 0])"
    )
    assert len(kinds) > 1 and all(visible for _, visible in kinds), kinds
    assert errors == []
    ctx.close()


TOUCH = {"viewport": {"width": 375, "height": 800}, "has_touch": True, "is_mobile": True}
_CONTROLS = """() => [...document.querySelectorAll(
    'input:not([type=checkbox]):not([type=hidden]), select, button, summary, .md-button,'
    + ' .gk-facet label, .gk-pager a, .gk-pager span:not(.gk-gap)')]
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .map(e => [e.id || e.name || e.className || e.tagName, e.getBoundingClientRect().height])"""


@pytest.mark.parametrize(
    "path",
    ["search/?q=" + quote("安全"), "penalties/", "penalties/?party=" + quote("自然人"), "power-items/", ""],
)
def test_every_control_is_a_touch_target_on_a_phone(server: str, browser, path: str) -> None:
    """A UX review measured the search page's 排序 select at 19 px on a phone; 44 px is the size
    the listing filters already had (2.2rem)."""
    ctx = browser.new_context(**TOUCH)
    page = ctx.new_page()
    page.goto(server + path, wait_until="networkidle")
    if path.startswith("search/"):
        page.wait_for_selector("[data-search-total]")
        page.click("[data-search-facet-box] > summary")  # folded on a phone; its choices count too
    controls = page.evaluate(_CONTROLS)
    assert len(controls) >= 2  # at least the header search
    assert [(name, h) for name, h in controls if h < 43.5] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= TOUCH["viewport"]["width"]
    ctx.close()


FILTERED = "document.getElementById('gk-total').textContent.startsWith('筛选结果')"


def _column(page, label: str) -> list[str]:
    return page.eval_on_selector_all(f"table.gk-table tbody td[data-label='{label}']", "tds => tds.map(t => t.innerText)")


def test_the_power_list_sorts_by_code_type_or_penalties_and_back(server: str, browser) -> None:
    """A UX review found one sort option (处罚件数), no way back to code order, and a caption that
    kept saying 按事项编码排列 after sorting."""
    page, errors, _ = _visit(browser, f"{server}power-items/?sort=type", wait_for=FILTERED)
    assert page.eval_on_selector_all("#gk-sort option", "os => os.map(o => o.value)") == ["code", "type", "-penalties"]
    assert page.input_value("#gk-sort") == "type"
    assert _column(page, "事项类型") == ["行政许可", "行政处罚", "行政处罚"]  # 行政许可 comes first among the types
    assert _column(page, "事项编码") == ["YJ-XK-001", "YJ-CF-001", "YJ-CF-001-01"]  # by code within a type
    assert page.inner_text("caption") == "权责清单事项（按事项类型排列）"
    page.select_option("#gk-sort", "code")
    with page.expect_navigation(wait_until="networkidle"):
        page.click("form.gk-filter button[type=submit]")
    page.wait_for_function(FILTERED)
    assert "sort=code" in page.url
    assert _column(page, "事项编码") == ["YJ-CF-001", "YJ-CF-001-01", "YJ-XK-001"]
    assert page.inner_text("caption") == "权责清单事项（按事项编码排列）"
    assert errors == []
    page.close()


def test_the_caption_says_how_the_table_is_filtered_and_sorted(server: str, browser) -> None:
    url = f"{server}penalties/?party={quote('自然人')}&sort=amount"
    page, errors, _ = _visit(browser, url, wait_for=FILTERED)
    assert page.inner_text("caption") == "公示中的行政处罚决定（当事人类别：自然人；按罚款金额由低到高）"
    page.goto(f"{server}accidents/?sort=level", wait_until="networkidle")
    page.wait_for_function(FILTERED)
    assert page.inner_text("caption") == "生产安全事故调查报告（按事故等级由重到轻）"
    assert _column(page, "事故等级") == ["较大事故", "一般事故"]
    assert errors == []
    page.close()


def test_without_javascript_the_listing_offers_what_works(server: str, browser) -> None:
    """The filter form submitted but filtered nothing without JavaScript: it is not offered then;
    the note says how the table is ordered and links to where each year starts and to the CSV."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "penalties/")
    assert not page.is_visible("form.gk-filter")
    note = page.locator(".gk-noscript")
    assert note.is_visible()
    assert "按决定日期由近及远" in note.inner_text()
    assert note.locator("a", has_text="2026年").count() == 1
    page.click(".gk-noscript a:has-text('2026年')")
    assert page.locator("table.gk-table tbody tr").count() == 3
    assert page.get_attribute(".gk-noscript a[download]", "href") == "../data/penalties.csv"
    context.close()
    page, errors, _ = _visit(browser, server + "penalties/")
    assert page.is_visible("form.gk-filter") and not page.is_visible(".gk-noscript")
    assert errors == []
    page.close()


def test_dates_and_decision_numbers_stay_on_one_line_on_a_desktop(server: str, browser) -> None:
    context = browser.new_context(viewport={"width": 800, "height": 900})
    for path, columns in (("penalties/", ("决定书文号", "决定日期")), ("accidents/", ("发生日期",))):
        page = context.new_page()
        page.goto(server + path, wait_until="networkidle")
        for label in columns:
            lines = page.eval_on_selector_all(
                f"table.gk-table tbody td[data-label='{label}']",
                """tds => tds.map(td => { const r = document.createRange(); r.selectNodeContents(td);
                   return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; })""",
            )
            assert lines and set(lines) == {1}, (path, label, lines)
        page.close()
    context.close()


def test_a_penalty_without_a_fine_says_so_and_sorts_last(warning_server: str, browser) -> None:
    """The warning-only decision had an empty amount cell that sorted first by amount."""
    page, errors, _ = _visit(browser, warning_server + "penalties/")
    row = page.locator("table.gk-table tbody tr", has_text="张某某")
    cell = row.locator("td[data-label='罚款金额']")
    assert cell.inner_text().strip().startswith("—")
    assert cell.locator(".gk-visually-hidden").inner_text() == "无罚款"
    assert cell.locator("[aria-hidden=true]").inner_text() == "—"
    for sort in ("-amount", "amount"):
        page.goto(f"{warning_server}penalties/?sort={sort}", wait_until="networkidle")
        page.wait_for_function(FILTERED)
        amounts = _column(page, "罚款金额")
        assert amounts[-1].startswith("—") and "无罚款" in amounts[-1], (sort, amounts)
        fined = [int(a.replace(",", "").removesuffix(" 元")) for a in amounts[:-1]]
        assert fined == sorted(fined, reverse=sort.startswith("-")), (sort, amounts)
    for sort in ("amount", "amount-asc"):  # the search sorts it last as well, and shows no empty 罚款金额
        page.goto(f"{warning_server}search/?kind=penalty&sort={sort}", wait_until="networkidle")
        page.wait_for_selector("[data-search-total]")
        metas = page.eval_on_selector_all(".gk-hit-meta", "ps => ps.map(p => p.textContent)")
        assert len(metas) == 3 and "张某某" in metas[-1] and "罚款金额" not in metas[-1], (sort, metas)
    assert errors == []
    page.close()


@pytest.mark.parametrize(
    ("query", "notice", "rows"),
    [
        ("year=1999", "没有年份为“1999”的公示记录，已显示全部年份。", 3),
        (f"category={quote('训诫')}&party={quote('自然人')}", "没有处罚类别为“训诫”的公示记录，已显示全部处罚类别。", 1),
        ("sort=fastest", "没有“fastest”这种排序方式，已按决定日期由近及远。", 3),
    ],
)
def test_a_filter_value_the_listing_does_not_have_is_said_and_dropped(
    server: str, browser, query: str, notice: str, rows: int
) -> None:
    """?year=1999 showed 全部 in the dropdown while the URL said 1999; now the URL, the form and
    the table agree, and a notice says what was left out."""
    page, errors, _ = _visit(browser, f"{server}penalties/?{query}")
    page.wait_for_selector("#gk-filter-notice:not([hidden])")
    assert page.inner_text("#gk-filter-notice") == notice
    assert query.split("=")[0] not in urlsplit(page.url).query
    assert page.locator("table.gk-table tbody tr").count() == rows
    assert page.input_value("#gk-filter-year") == "" and page.input_value("#gk-filter-category") == ""
    assert errors == []
    page.close()


def test_a_search_filter_the_index_does_not_have_is_said_and_dropped(server: str, browser) -> None:
    """The search, like the listings: ?level=x found nothing, with no filter shown as chosen."""
    ctx, page, errors = _search(browser, server, "q=" + quote("恒通化工") + "&level=x&sort=fastest")
    assert page.inner_text("[data-search-notice]") == "没有事故等级为“x”的内容；没有“fastest”这种排序方式，已忽略该条件。"
    assert "level=" not in page.url and "sort=" not in page.url
    assert int(page.inner_text("[data-search-total]")) > 0
    page.goto(f"{server}search/?q={quote('恒通化工')}&level={quote('较大事故')}", wait_until="networkidle")
    page.wait_for_selector("[data-search-total]")
    assert not page.is_visible("[data-search-notice]")
    assert errors == []
    ctx.close()
