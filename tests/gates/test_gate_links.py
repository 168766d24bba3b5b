"""The internal-link gate: every href/src/srcset/url() inside the site resolves."""

from __future__ import annotations

from pathlib import Path

from minisite import replace_in

from generator.gates.links import check_links, local_target
from generator.gates.sitefiles import SiteUrl


def test_clean_site_passes(site: Path) -> None:
    assert check_links(site) == []


def test_broken_link_is_caught(site: Path) -> None:
    replace_in(site / "penalties/index.html", 'href="2024-1-abc/"', 'href="2024-9-zzz/"')
    [finding] = check_links(site)
    assert (finding.gate, finding.path) == ("links", "penalties/index.html")
    assert finding.line > 0 and "2024-9-zzz/" in finding.message


def test_missing_image_stylesheet_and_css_url_are_caught(site: Path) -> None:
    (site / "img/logo.png").unlink()
    found = check_links(site)
    # <img src> on the home page, url() in the stylesheet
    assert {f.path for f in found} == {"index.html", "assets/site.css"}


def test_missing_fragment_is_caught(site: Path) -> None:
    replace_in(site / "index.html", "#facts", "#nowhere")
    [finding] = check_links(site)
    assert "nowhere" in finding.message


def test_fragment_check_can_be_turned_off(site: Path) -> None:
    replace_in(site / "index.html", "#facts", "#nowhere")
    assert check_links(site, fragments=False) == []


def test_root_relative_links_honour_the_site_prefix(site: Path) -> None:
    replace_in(
        site / "index.html", 'href="penalties/2024-1-abc/#facts"', 'href="/repo/penalties/2024-1-abc/#facts"'
    )
    assert check_links(site, SiteUrl.parse("https://x.github.io/repo/")) == []
    # At the root of a host the same link points elsewhere: served under /repo/ it would 404
    [finding] = check_links(site, SiteUrl.parse("https://x.github.io/"))
    assert "repo/penalties" in finding.message


def test_absolute_links_to_the_own_host_are_checked(site: Path) -> None:
    # canonical is https://gongkai.example.gov.cn/ in every page; that host is the site itself
    replace_in(
        site / "index.html",
        'href="https://gongkai.example.gov.cn/"',
        'href="https://gongkai.example.gov.cn/x/"',
    )
    [finding] = check_links(site, SiteUrl.parse("https://gongkai.example.gov.cn/"))
    assert "x/" in finding.message


def test_other_hosts_mail_and_data_urls_are_not_followed() -> None:
    for url in ("https://flk.npc.gov.cn/", "mailto:a@b.gov.cn", "data:image/png;base64,xx", "tel:12350"):
        assert local_target(url, "index.html", SiteUrl()) is None


def test_resolution_rules() -> None:
    assert local_target("../b/?q=1#x", "a/index.html", SiteUrl()) == ("b/", "x")
    assert local_target("#top", "a/index.html", SiteUrl()) == ("a/index.html", "top")
    assert local_target("%E6%90%9C/", "index.html", SiteUrl()) == ("搜/", "")
    assert "根目录之外" in local_target("../../x", "a/index.html", SiteUrl())


def test_srcset_candidates_are_checked(site: Path) -> None:
    replace_in(
        site / "index.html",
        'src="img/logo.png"',
        'src="img/logo.png" srcset="img/logo.png 1x, img/big.png 2x"',
    )
    [finding] = check_links(site)
    assert "img/big.png" in finding.message
