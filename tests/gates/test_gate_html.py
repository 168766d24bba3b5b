"""The HTML validity gate: the Nu Html Checker on one or two pages of each page type."""

from __future__ import annotations

from pathlib import Path

import pytest
from minisite import replace_in, write_site

from generator.gates.html_valid import check_html, page_type, sample_pages


def test_page_types_follow_url_patterns() -> None:
    assert page_type("index.html", "") == "home"
    assert page_type("404.html", "") == "404.html"
    assert page_type("penalties/index.html", "") == "penalties"
    assert page_type("penalties/2024-1-abc/index.html", "") == "penalties/*"
    assert page_type("penalties/page/3/index.html", "") == "penalties/page/*"
    expired = '<meta name="robots" content="noindex">'
    assert page_type("penalties/2020-1-x/index.html", expired) == "penalties/* noindex"


def test_sample_takes_first_and_last_of_each_type(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    for n in range(2, 6):
        (site / f"penalties/2024-{n}-x").mkdir()
        (site / f"penalties/2024-{n}-x/index.html").write_text("<p>x</p>", encoding="utf-8")
    names = [p.relative_to(site).as_posix() for p in sample_pages(site)]
    assert names == [
        "index.html",
        "penalties/2024-1-abc/index.html",
        "penalties/2024-5-x/index.html",
        "penalties/index.html",
        "search/index.html",
    ]


@pytest.mark.usefixtures("vnu")
def test_clean_site_passes(site: Path) -> None:
    assert check_html(site) == []


@pytest.mark.usefixtures("vnu")
def test_invalid_tag_is_caught(site: Path) -> None:
    replace_in(site / "penalties/2024-1-abc/index.html", "<h2 id=", "<p><div>块</div></p><h2 id=")
    found = check_html(site)
    assert found and {f.path for f in found} == {"penalties/2024-1-abc/index.html"}
    assert all(f.gate == "html" and f.line > 0 for f in found)
    assert any("No “p” element in scope" in f.message for f in found)


@pytest.mark.usefixtures("vnu")
def test_missing_alt_is_an_html_error_too(site: Path) -> None:
    replace_in(site / "index.html", ' alt="局徽"', "")
    [finding] = check_html(site)
    assert "alt" in finding.message


def test_the_ignored_theme_message_is_ignored_only_on_the_theme_toggles() -> None:
    from generator.gates.html_valid import ignored_reason

    message = "Attribute “autocomplete” is only allowed when the input type is “color”, …"
    toggle = (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
    )
    assert ignored_reason({"message": message, "extract": toggle})
    assert (
        ignored_reason({"message": message, "extract": '<input type="checkbox" autocomplete="off">'}) is None
    )
