"""The /search/ page in the system Chromium, over an index of real accident texts plus synthetic
penalties, identifier look-alikes and a hostile record."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from search_site import REALDATA, XSS_TEXT, XSS_TITLE, all_docs, build_site, launch, serve

from generator.search import SearchDoc, placeholders
from generator.search.fold import fold

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists() or not REALDATA.exists(), reason="needs chromium"
    ),
]


@pytest.fixture(scope="module")
def docs() -> list[SearchDoc]:
    return all_docs(300)


def stand_ins(docs: list[SearchDoc]) -> list[SearchDoc]:
    """Stand-ins for withdrawn records, at some of the docs' dates and one of their own: the
    index holds them, yet no test here may ever see one (every expectation is over `docs`)."""
    dates = sorted({d.date for d in docs if d.date})
    return placeholders([*dates[::7], dates[0], "2031-01-01"])  # two on the first date


@pytest.fixture(scope="module")
def base(docs: list[SearchDoc], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("site")
    build_site(site, [*docs, *stand_ins(docs)])
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch(pw)
        yield b
        b.close()


@pytest.fixture()
def page(browser, base: str):  # noqa: ANN001, ANN201
    page = browser.new_page()
    foreign: list[str] = []
    errors: list[str] = []

    def route(r) -> None:  # noqa: ANN001
        if urlparse(r.request.url).hostname == "127.0.0.1" or r.request.url.startswith("data:"):
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    page.close()
    assert not foreign, f"requests to another host: {foreign}"
    assert not errors, f"console errors: {errors}"


def containing(docs: list[SearchDoc], phrase: str) -> set[str]:
    """What an outside checker counts: records whose title or text contains the phrase."""
    return {d.url for d in docs if phrase in d.title or phrase in d.text}


def folded_containing(docs: list[SearchDoc], phrase: str) -> set[str]:
    f = fold(phrase)
    return {d.url for d in docs if f in fold(d.title) or f in fold(d.text)}


def containing_tiling_bigrams(docs: list[SearchDoc], phrase: str) -> set[str]:
    """The engine's candidates for a 4-character phrase when positions are not fetched."""
    f = fold(phrase)
    grams = (f[0:2], f[2:4])
    return {d.url for d in docs if all(g in fold(d.title) + "\n" + fold(d.text) for g in grams)}


def search(page, base: str, query: str) -> dict:  # noqa: ANN001
    page.goto(f"{base}search/?{query}")
    total = page.wait_for_selector("[data-search-total]", timeout=10_000)
    return {
        "total": int(total.inner_text()),
        "exact": total.get_attribute("data-search-exact") == "true",
        "urls": [
            urlparse(a.get_attribute("href")).path.strip("/") + "/"
            for a in page.query_selector_all("[data-search-result]")
        ],
    }


def sample_phrases(docs: list[SearchDoc], n: int = 40) -> list[str]:
    """Substrings of 2–8 characters of the real accident texts, some with digits."""
    rng = random.Random(20261121)
    texts = [d.text for d in docs if d.kind == "accident" and d.text]
    phrases: list[str] = []
    while len(phrases) < n:
        text = rng.choice(texts)
        length = rng.randrange(2, 9)
        start = rng.randrange(0, max(1, len(text) - length))
        phrase = text[start : start + length]
        if phrase.strip() == phrase and not any(c.isspace() for c in phrase) and len(phrase) == length:
            phrases.append(phrase)
    digits = [d.text for d in docs if d.kind == "accident"]
    phrases += [
        "危险化学品",
        "液化石油气",
        "2008年10月21日",
        "特种作业人员",
        "22.34吨",
        "安全生产",
        "gb",
        "氯",
    ]
    return phrases + [t[i : i + 6] for t in digits[:5] for i in (t.find("时"),) if i > 0]


def test_recall_and_exact_totals_for_real_phrases(page, base: str, docs: list[SearchDoc]) -> None:  # noqa: ANN001
    page.goto(f"{base}search/")
    page.wait_for_function("window.GongkaiSearch !== undefined")
    for phrase in sample_phrases(docs):
        res = page.evaluate(
            "async q => { const r = await GongkaiSearch.query({q, pageSize: 500});"
            " return {total: r.total, exact: r.exact, urls: r.hits.map(h => h.url)}; }",
            phrase,
        )
        expected = folded_containing(docs, phrase)
        assert containing(docs, phrase) <= expected
        assert res["exact"], phrase
        assert res["total"] == len(expected), phrase
        assert set(res["urls"]) == expected if len(expected) <= 500 else set(res["urls"]) <= expected, phrase


def test_page_shows_total_and_ten_hits(page, base: str, docs: list[SearchDoc]) -> None:  # noqa: ANN001
    res = search(page, base, "q=" + quote("危险化学品"))
    expected = containing(docs, "危险化学品")
    assert res["total"] == len(expected) and res["exact"]
    assert len(res["urls"]) == 10 and set(res["urls"]) <= expected
    assert page.query_selector("[data-search-results] mark").inner_text() == "危险化学品"
    page.click("[data-search-pager] a[data-page='2']")
    page.wait_for_url("**page=2**")
    page.wait_for_selector("[data-search-total]")
    second = [a.get_attribute("href") for a in page.query_selector_all("[data-search-result]")]
    assert len(second) == 10 and not set(second) & {base + u for u in res["urls"]}


@pytest.mark.parametrize(
    "typed",
    [
        "滇应急罚〔2024〕12号",
        "滇应急罚[2024]12号",
        "滇应急罚【2024】12号",
        "滇应急罚(2024)12号",
        "滇应急罚（２０２４）１２号",
        "滇应急罚 〔2024〕 12 号",
        "91530100ma6k7xq12b",
        "9153 0100 MA6K 7XQ1 2B",
    ],
)
def test_exact_identifier_ranks_first(page, base: str, typed: str) -> None:  # noqa: ANN001
    res = search(page, base, "q=" + quote(typed))
    assert res["urls"][0] == "penalties/special-0/", typed


@pytest.mark.parametrize("typed", ["滇应急罚〔2024〕12号", "滇应急罚[2024]12号", "滇应急罚（２０２４）１２号"])
def test_identifier_total_comes_from_its_id_table_alone(page, base: str, docs: list[SearchDoc], typed: str) -> None:  # noqa: ANN001
    """A typed identifier is answered by one id-table file (no bigram tables), with the exact total:
    every special record's text cites 滇应急罚〔2024〕12号, and only its own record has it as its number."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(urlparse(r.url).path))
    res = search(page, base, "q=" + quote(typed))
    expected = folded_containing(docs, typed)
    assert len(expected) == 4 and res["exact"] and res["total"] == 4
    assert res["urls"][0] == "penalties/special-0/" and set(res["urls"]) == expected
    index_files = [p.split("/search/index/")[1] for p in fetched if "/search/index/" in p]
    assert [f for f in index_files if f.startswith("id/")] and not [f for f in index_files if f.startswith("g")]


def test_traditional_input_finds_simplified(page, base: str, docs: list[SearchDoc]) -> None:  # noqa: ANN001
    res = search(page, base, "q=" + quote("安全生產"))
    expected = containing(docs, "安全生产") | containing(docs, "安全生產")
    assert res["total"] == len(expected) > 300
    assert search(page, base, "q=" + quote("危險化學品"))["total"] == len(containing(docs, "危险化学品"))


def test_facets_from_url(page, base: str, docs: list[SearchDoc]) -> None:  # noqa: ANN001
    res = search(page, base, "q=" + quote("安全生产") + "&kind=penalty&year=2024")
    expected = {
        d.url
        for d in docs
        if "安全生产" in d.text + d.title and d.kind == "penalty" and d.date.startswith("2024")
    }
    assert res["total"] == len(expected) > 0 and set(res["urls"]) <= expected
    assert page.is_checked("input[name=kind][value=penalty]") and page.is_checked(
        "input[name=year][value='2024']"
    )
    only = search(page, base, "kind=accident")
    assert only["total"] == sum(1 for d in docs if d.kind == "accident")
    # A placeholder has no kind and no year: a year alone counts the records of that year, and
    # a year only placeholders have is not offered.
    year = min(d.date for d in docs if d.date)[:4]
    assert search(page, base, f"year={year}")["total"] == sum(1 for d in docs if d.date.startswith(year))
    assert page.query_selector("input[name=year][value='2031']") is None
    multi = search(page, base, "category=" + quote("警告") + "&category=" + quote("责令停产停业"))
    cats = {"警告", "责令停产停业"}
    assert multi["total"] == sum(1 for d in docs if cats & set(d.facets.get("category", ())))


def test_sort_by_date_and_amount(page, base: str, docs: list[SearchDoc]) -> None:  # noqa: ANN001
    res = search(page, base, "q=" + quote("罚款") + "&sort=date-asc")
    dates = [next(d.date for d in docs if d.url == u) for u in res["urls"]]
    assert dates == sorted(dates)
    page.goto(f"{base}search/")
    page.wait_for_function("window.GongkaiSearch !== undefined")
    amounts = page.evaluate(
        "async () => (await GongkaiSearch.query({q: '', filters: {kind: ['penalty']},"
        " sort: 'amount', pageSize: 50})).hits.map(h => h.url)"
    )
    by_url = {d.url: d.sort_keys.get("amount", -1) for d in docs}
    values = [by_url[u] for u in amounts]
    assert values == sorted(values, reverse=True) and len(values) == 50


def test_typing_updates_results_and_url(page, base: str) -> None:  # noqa: ANN001
    page.goto(f"{base}search/")
    page.fill("input[name=q]", "液氯")
    page.wait_for_selector("[data-search-total]")
    assert "q=%E6%B6%B2%E6%B0%AF" in page.url
    assert page.get_attribute("[data-search-status]", "aria-live") == "polite"
    assert page.query_selector("label[for=gk-search-q]")


def test_a_query_typed_on_the_empty_page_is_ranked_by_relevance(page, base: str) -> None:  # noqa: ANN001
    """The empty page lists the newest first; what is typed there is ranked by relevance, so an
    exact 文号 still comes first (the date order shown before typing must not stick)."""
    page.goto(f"{base}search/")
    page.wait_for_selector("select[name=sort] option[value=relevance]", state="attached")
    page.fill("input[name=q]", "滇应急罚〔2024〕12号")
    page.wait_for_function("document.querySelector('[data-search-result]') && location.search.includes('q=')")
    page.wait_for_selector("[data-search-total]")
    assert "sort=" not in page.url
    first = page.get_attribute("[data-search-result]", "href")
    assert urlparse(first).path.strip("/") == "penalties/special-0", first


def test_back_returns_to_the_previous_search(page, base: str) -> None:  # noqa: ANN001
    page.goto(f"{base}search/?q=" + quote("液氯"))
    page.wait_for_selector("[data-search-total]")
    page.fill("input[name=q]", "罚款")
    page.press("input[name=q]", "Enter")
    page.wait_for_function("new URLSearchParams(location.search).get('q') === '罚款'")
    page.go_back()
    page.wait_for_function("new URLSearchParams(location.search).get('q') === '液氯'")
    page.wait_for_function("document.querySelector('input[name=q]').value === '液氯'")
    page.go_back()  # one entry per search, not one per keystroke or an extra one for Enter
    page.wait_for_function("!location.search")


def test_a_query_of_only_punctuation_or_control_characters_finds_nothing(page, base: str) -> None:  # noqa: ANN001
    for typed in ("\u0085", "\x1c", "、。，"):
        res = search(page, base, "q=" + quote(typed))
        assert (res["total"], res["urls"]) == (0, []), repr(typed)


def test_punctuation_with_a_filter_still_finds_nothing(page, base: str) -> None:  # noqa: ANN001
    res = search(page, base, "q=" + quote("\u0085\x1c") + "&kind=penalty")  # nothing left after folding
    assert (res["total"], res["urls"]) == (0, [])


def test_an_edit_after_a_pause_is_a_new_search_in_the_history(page, base: str) -> None:  # noqa: ANN001
    page.goto(f"{base}search/")
    page.wait_for_selector("select[name=sort] option[value=relevance]", state="attached")
    page.fill("input[name=q]", "液氯")
    page.wait_for_function("new URLSearchParams(location.search).get('q') === '液氯'")
    page.evaluate("() => { const t = Date.now; Date.now = () => t() + 10000; }")  # the pause, without waiting it
    page.fill("input[name=q]", "罚款")
    page.wait_for_function("new URLSearchParams(location.search).get('q') === '罚款'")
    page.go_back()
    page.wait_for_function("new URLSearchParams(location.search).get('q') === '液氯'")


def test_a_page_past_the_end_shows_the_last_page(page, base: str, docs: list[SearchDoc]) -> None:  # noqa: ANN001
    total = len(folded_containing(docs, "罚款"))
    res = search(page, base, "q=" + quote("罚款") + "&page=999")
    assert res["total"] == total and res["urls"]
    assert f"第 {-(-total // 10)} / {-(-total // 10)} 页" in page.inner_text("[data-search-pager]")
    assert f"page={-(-total // 10)}" in page.url  # the URL says the page shown


def test_nothing_found(page, base: str) -> None:  # noqa: ANN001
    res = search(page, base, "q=" + quote("完全不存在的短语组合甲乙丙"))
    assert res["total"] == 0 and res["urls"] == []
    assert "没有找到" in page.inner_text("[data-search-results]")


def test_record_text_is_never_html(page, base: str) -> None:  # noqa: ANN001
    res = search(page, base, "q=" + quote("XSS测试"))
    assert res["urls"] == ["penalties/xss/"]
    assert page.inner_text("[data-search-result]") == XSS_TITLE
    script = search(page, base, "q=" + quote("<script>"))
    assert script["urls"] == ["penalties/xss/"]
    assert "<script>window.__xss=1</script>" in page.inner_text("[data-search-results]")
    assert XSS_TEXT[:10] in page.inner_text("[data-search-results]")
    assert page.evaluate("window.__xss") is None
    assert not page.query_selector(
        "[data-search-results] img, [data-search-results] script, [data-search-results] b"
    )


def test_without_positions_small_sets_stay_exact_and_large_ones_say_about(
    browser, docs: list[SearchDoc], tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    """The 100k regime, forced at small scale: no phrase may download positions, not even to make a
    count exact afterwards."""
    from generator.search import builder

    monkeypatch.setattr(builder, "POSITION_BUDGET", 0)
    monkeypatch.setattr(builder, "EXACT_BUDGET", 0)
    site = tmp_path_factory.mktemp("nopos")
    build_site(site, docs)
    with serve(site) as url:
        page = browser.new_page()
        rare = search(page, url, "q=" + quote("液化石油气槽罐车"))
        assert rare["exact"] and rare["total"] == len(containing(docs, "液化石油气槽罐车"))
        ident = search(page, url, "q=" + quote("滇应急罚[2024]12号"))
        assert ident["exact"] and ident["urls"][0] == "penalties/special-0/"
        common = search(page, url, "q=" + quote("安全生产"))
        truth = folded_containing(docs, "安全生产")
        assert len(truth) > 30
        assert not common["exact"] and "约" in page.inner_text("[data-search-status]")
        # Unchecked candidates never show: the page is full of real matches (interfaces.md: ≥ 10).
        assert set(common["urls"]) <= truth and len(common["urls"]) == 10
        assert 10 <= common["total"] <= len(containing_tiling_bigrams(docs, "安全生产"))
        # Far past the last real match: the last page of real matches, never an empty page.
        deep = search(page, url, "q=" + quote("安全生产") + "&page=400")
        assert deep["urls"] and set(deep["urls"]) <= truth
        # A phrase no record has, made of bigrams most records have: the text check stops early
        # (a bounded number of doc-store files) instead of reading every record.
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url) if "/index/d/" in r.url else None)
        assert not folded_containing(docs, "产安全生") and len(containing_tiling_bigrams(docs, "产安全生")) > 100
        missing = search(page, url, "q=" + quote("产安全生"))
        assert missing["urls"] == [] and not missing["exact"]
        assert 0 < len(fetched) <= 100 // 4  # 100 candidates checked at most, several per file
        # One record has this one: "继续查找" checks further candidates until it shows.
        [only] = folded_containing(docs, "全生产安")
        search(page, url, "q=" + quote("全生产安"))
        for next_page in range(2, 6):
            if page.query_selector(f'[data-search-result][href$="{only}"]'):
                break
            page.click("text=继续查找")
            page.wait_for_function(
                "n => new URLSearchParams(location.search).get('page') === n && document.querySelector('[data-search-total]')",
                arg=str(next_page),
            )
        assert page.query_selector(f'[data-search-result][href$="{only}"]')
        page.close()


def test_an_estimated_total_is_made_exact_after_the_first_page(
    browser, docs: list[SearchDoc], tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    """A first page may not download positions (the 100k regime, forced), but the count may: the
    page first shows checked candidates with an estimate, and [data-search-total] only the exact
    total, once the positions have come."""
    from generator.search import builder

    monkeypatch.setattr(builder, "POSITION_BUDGET", 0)
    site = tmp_path_factory.mktemp("exactcount")
    build_site(site, docs)
    with serve(site) as url:
        page = browser.new_page()
        # Every state of the status line, as it changes.
        page.add_init_script(
            """new MutationObserver(function () {
                 var s = document.querySelector("[data-search-status]");
                 if (s) (window.statuses = window.statuses || []).push([s.textContent, !!s.querySelector("[data-search-total]")]);
               }).observe(document, {subtree: true, childList: true, characterData: true});"""
        )
        truth = folded_containing(docs, "安全生产")
        candidates = containing_tiling_bigrams(docs, "安全生产")
        assert 30 < len(truth) < len(candidates)
        common = search(page, url, "q=" + quote("安全生产"))
        assert common["exact"] and common["total"] == len(truth)
        assert set(common["urls"]) <= truth and len(common["urls"]) == 10
        assert "约" not in page.inner_text("[data-search-status]")
        statuses = page.evaluate("window.statuses")
        estimating = [has_total for text, has_total in statuses if "正在精确统计" in text]
        assert estimating and not any(estimating), statuses
        # A later page is counted exactly at once; a phrase no record has says so exactly.
        second = search(page, url, "q=" + quote("安全生产") + "&page=2")
        assert second["exact"] and second["total"] == len(truth) and set(second["urls"]) <= truth
        assert not any("正在精确统计" in text for text, _t in page.evaluate("window.statuses"))
        assert not folded_containing(docs, "产安全生")
        missing = search(page, url, "q=" + quote("产安全生"))
        assert missing == {"total": 0, "exact": True, "urls": []}
        assert "没有找到" in page.inner_text("[data-search-results]")
        page.close()


def test_listed_common_grams_are_fetched_without_their_tables(
    browser, docs: list[SearchDoc], tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    """Grams with files of their own are listed in meta.json, and a phrase made of them is answered
    from those files alone (no shard table first), with the same exact results."""
    from generator.search import builder

    monkeypatch.setattr(builder, "EXTERNAL_MIN", 16)  # at this corpus size, no gram would get a file
    site = tmp_path_factory.mktemp("common")
    build_site(site, docs)
    listed = json.loads((site / "search" / "index" / "meta.json").read_text(encoding="utf-8"))["common"]
    assert {"安全", "生产", "罚"} <= set(listed)
    with serve(site) as url:
        page = browser.new_page()
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(urlparse(r.url).path.split("/search/index/")[-1]))
        for phrase in ["安全生产", "危险化学品", "液化石油气槽罐车", "罚"]:
            fetched.clear()
            res = search(page, url, "q=" + quote(phrase))
            expected = folded_containing(docs, phrase)
            assert res["exact"] and res["total"] == len(expected), phrase
            assert set(res["urls"]) <= expected and len(res["urls"]) == min(10, len(expected)), phrase
            if phrase in ("安全生产", "罚"):
                assert not [f for f in fetched if f.startswith("g/")], fetched
                assert [f for f in fetched if f.startswith("gx/")], fetched
                # Every identifier here holds a digit, so a query without one needs no id table.
                assert not [f for f in fetched if f.startswith("id/")], fetched
        page.close()


def _newest_first(docs: list[SearchDoc]) -> list[str]:
    """What a visitor sees without another order: newest first, one date by url, undated last."""
    dated = sorted((d for d in docs if d.date), key=lambda d: d.url)
    dated.sort(key=lambda d: d.date, reverse=True)
    return [d.url for d in dated] + sorted(d.url for d in docs if not d.date)


def test_orders_that_rest_on_id_order(page, base: str, docs: list[SearchDoc]) -> None:  # noqa: ANN001
    """Doc ids run oldest first (builder._order): the client turns them into newest first for the
    default order, keeps undated docs last either way, and breaks ties newest first."""
    assert any(not d.date for d in docs) and len({d.date for d in docs if d.date}) < len(docs) - 1
    page.goto(f"{base}search/")
    page.wait_for_function("window.GongkaiSearch !== undefined")
    run = "async o => (await GongkaiSearch.query(Object.assign({pageSize: 1000}, o))).hits.map(h => h.url)"
    newest = _newest_first(docs)
    assert page.evaluate(run, {"q": ""}) == newest
    by_date = {d.url: d.date for d in docs}
    dated = [u for u in newest if by_date[u]]
    oldest = sorted(dated, reverse=True)  # one date by url descending, as ever for oldest first
    oldest.sort(key=by_date.get)
    assert page.evaluate(run, {"q": "", "sort": "date-asc"}) == oldest + [u for u in newest if not by_date[u]]
    amount = {d.url: d.sort_keys.get("amount") for d in docs}
    penalties = [u for u in newest if next(d.kind for d in docs if d.url == u) == "penalty"]
    ranked = sorted(penalties, key=lambda u: (amount[u] is None, -(amount[u] or 0)))  # stable: newest first
    assert page.evaluate(run, {"q": "", "filters": {"kind": ["penalty"]}, "sort": "amount"}) == ranked
    # A single bigram: its title postings are exactly the titles holding it (a longer phrase's
    # title tier is the titles holding each of its bigrams, not necessarily the phrase).
    term = "安全"
    hits = [u for u in newest if term in fold(next(d.title + "\n" + d.text for d in docs if d.url == u))]
    titled = [u for u in hits if term in fold(next(d.title for d in docs if d.url == u))]
    assert page.evaluate(run, {"q": term}) == titled + [u for u in hits if u not in titled]
