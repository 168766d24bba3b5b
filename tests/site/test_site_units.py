from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from generator.settings import Settings
from generator.site import urls
from generator.site.display import cn_date, cn_datetime, report_error_href, yuan
from generator.site.legal_refs import chinese_number, parse_citations, to_chinese


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("九十七", 97),
        ("一百零二", 102),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("一百一十四", 114),
        ("97", 97),
        ("两百", 200),
        ("１２", 12),
    ],
)
def test_chinese_numbers(text: str, number: int) -> None:
    assert chinese_number(text) == number


@pytest.mark.parametrize("number", [1, 10, 11, 20, 97, 100, 102, 110, 114, 1000, 1005])
def test_to_chinese_round_trips(number: int) -> None:
    assert chinese_number(to_chinese(number)) == number


def test_citations() -> None:
    text = "《中华人民共和国安全生产法》第九十七条第一项；《危险化学品安全管理条例》第八十条、第八十一条"
    found = [(c.law_key, c.article) for c in parse_citations(text)]
    assert found == [("安全生产法", 97), ("危险化学品安全管理条例", 80), ("危险化学品安全管理条例", 81)]
    assert (
        parse_citations("《安全生产法》第97条；《中华人民共和国安全生产法》第九十七条")[0].law_key
        == "安全生产法"
    )
    assert len(parse_citations("《安全生产法》第97条；《中华人民共和国安全生产法》第九十七条")) == 1
    assert parse_citations("依法处理") == [] and parse_citations(None) == []


def test_display_strings() -> None:
    assert yuan(Decimal("2.5")) == "25,000 元"
    assert yuan(Decimal("0.00015")) == "1.50 元"
    assert yuan(None) == ""
    assert cn_date(dt.date(2024, 3, 5)) == "2024年3月5日"
    assert cn_datetime("2025-06-12 14:30") == "2025年6月12日 14:30"


def test_report_link_carries_the_key() -> None:
    href = report_error_href(Settings(report_error_url="mailto:a@b.gov.cn"), "云应急罚〔2026〕1号")
    assert href.startswith("mailto:a@b.gov.cn?subject=%E6%8A%A5")
    assert report_error_href(Settings(report_error_url="https://x.gov.cn/form?a=1"), "k").startswith(
        "https://x.gov.cn/form?a=1&subject="
    )


def test_urls_are_ascii_and_relative() -> None:
    assert urls.power_item_code("YJ-CF-001") == "power-items/yj-cf-001/"
    assert urls.power_item_code("应急-1").startswith("power-items/h-")
    assert urls.enterprise("91530100MA6K8XY01W", "x") == "enterprises/91530100MA6K8XY01W/"
    assert urls.enterprise(None, "兴旺五金店").startswith("enterprises/n-")
    assert urls.relative("penalties/a/", "accidents/b/") == "../../accidents/b/"
    assert urls.relative("", "") == "./"
    assert (
        urls.listing_page("penalties/", 1) == "penalties/"
        and urls.listing_page("penalties/", 3) == "penalties/page/3/"
    )
    assert urls.source_copy("/abs/../data/penalties/2024.yml") == "source/abs/data/penalties/2024.yml"
    assert urls.first_clash([("a", "x/"), ("b", "y/"), ("c", "x/"), ("a", "x/")]) == {2: (0, "x/")}


def test_the_pager_marks_a_gap_in_its_page_numbers() -> None:
    from generator.site.listings import pager_links

    links = pager_links(1, 5, lambda n: f"p{n}")
    assert [(link.label, link.note) for link in links] == [
        ("1", "current"), ("2", ""), ("3", ""), ("…", "gap"), ("5", "")
    ]
    assert [link.label for link in pager_links(4, 5, str)] == ["1", "2", "3", "4", "5"]


@pytest.mark.parametrize("anchored", [False, True])
@pytest.mark.parametrize("size", [0, 1, 3, 4, 5, 7, 8, 9, 23, 24, 25])
def test_pages_cover_every_row_once_and_know_where_each_row_is(size: int, anchored: bool) -> None:
    from generator.site.listings import page_of, page_span, page_total

    pages = page_total(size, 4, anchored)
    spans = [page_span(size, 4, anchored, n) for n in range(1, pages + 1)]
    assert [i for start, stop in spans for i in range(start, stop)] == list(range(size))
    assert all(page_of(size, 4, anchored, i) == n for n, (start, stop) in enumerate(spans, 1) for i in range(start, stop))
    sizes = [stop - start for start, stop in spans]
    if anchored:  # page 1 takes what the full pages of 4 leave over: 4 to 7 rows, fewer only when all
        assert sizes[1:] == [4] * (pages - 1) and (4 <= sizes[0] <= 7 or pages == 1 and sizes[0] < 4)
    else:
        assert sizes[:-1] == [4] * (pages - 1) and 1 <= sizes[-1] <= 4 or size == 0


def test_a_row_more_at_the_top_of_an_anchored_listing_moves_no_page_after_the_first() -> None:
    from generator.site.listings import page_span, page_total

    for size in range(8, 40):
        if page_total(size + 1, 4, True) == page_total(size, 4, True):
            for n in range(2, page_total(size, 4, True) + 1):
                start, stop = page_span(size, 4, True, n)
                assert page_span(size + 1, 4, True, n) == (start + 1, stop + 1)  # the same rows, one place down


def test_a_shortened_list_links_to_the_rest_in_search() -> None:
    from generator.site.record_views import RELATED_LIMIT, search_more

    assert search_more("enterprises/X/", RELATED_LIMIT, "X", "全部") is None  # nothing left out
    more = search_more("enterprises/91530100MA6K8XY01W/", RELATED_LIMIT + 1, "91530100MA6K8XY01W", "全部")
    assert more is not None
    assert more.href == "../../search/?q=91530100MA6K8XY01W&kind=penalty"


def test_links_from_the_data_resolve_from_the_site_root() -> None:
    """Found by adversarial testing: 调查报告链接 "reports/x.pdf" was written as is and resolved
    under the record's own directory."""
    from generator.site.record_views import site_link

    page = "accidents/2025-06-12-25cf4e9e73/"
    assert site_link(page, "reports/x.pdf") == site_link(page, "/reports/x.pdf") == "../../reports/x.pdf"
    assert site_link(page, "https://yjj.example.gov.cn/a.pdf") == "https://yjj.example.gov.cn/a.pdf"
    assert site_link(page, None) == ""


def test_forked_runs_the_function_in_process_when_fork_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """No memory or process left for a child (ENOMEM, EAGAIN): the work is done in the parent
    when its result is asked for, as where fork does not exist — the build goes on."""
    import errno
    import multiprocessing.context
    import os

    from generator.site.forked import Forked

    with Forked(os.getpid) as child:
        assert child.result() != os.getpid()

    def no_fork(self: object) -> None:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", no_fork)
    with Forked(os.getpid) as here:
        assert here.result() == os.getpid()
