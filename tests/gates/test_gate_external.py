"""The no-other-host gate: nothing is loaded from a CDN or any other host."""

from __future__ import annotations

from pathlib import Path

from minisite import replace_in

from generator.gates.external import check_external, script_urls
from generator.gates.sitefiles import SiteUrl


def test_clean_site_passes(site: Path) -> None:
    # The clean site links to flk.npc.gov.cn and has licence URLs in comments: neither is a load.
    assert check_external(site) == []


def test_external_script_is_caught(site: Path) -> None:
    replace_in(
        site / "index.html", "</head>", '<script src="https://cdn.example.com/x.js"></script>\n</head>'
    )
    [finding] = check_external(site)
    assert (finding.gate, finding.path) == ("external", "index.html")
    assert "https://cdn.example.com/x.js" in finding.message and finding.line > 0


def test_web_font_stylesheet_preconnect_and_css_import_are_caught(site: Path) -> None:
    replace_in(
        site / "penalties/index.html",
        "</head>",
        '<link rel="preconnect" href="https://fonts.gstatic.com">\n'
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Roboto">\n'
        "<style>@import 'https://cdn.example.com/a.css';</style>\n</head>",
    )
    (site / "assets/site.css").write_text(
        "body{background:url(https://cdn.example.com/bg.png)}", encoding="utf-8"
    )
    found = check_external(site)
    assert len(found) == 4
    assert {f.path for f in found} == {"penalties/index.html", "assets/site.css"}


def test_fetch_target_in_a_script_is_caught(site: Path) -> None:
    with (site / "assets/site.js").open("a", encoding="utf-8") as f:
        f.write('fetch("https://api.example.com/track?x=1");\n')
    [finding] = check_external(site)
    assert finding.path == "assets/site.js" and "api.example.com" in finding.message


def test_own_host_and_namespaces_are_not_foreign() -> None:
    js = 'a="https://gongkai.example.gov.cn/data.json";b="http://www.w3.org/2000/svg";'
    assert script_urls(js, SiteUrl.parse("https://gongkai.example.gov.cn/")) == []
    assert [u for _, u in script_urls(js, SiteUrl())] == ["https://gongkai.example.gov.cn/data.json"]


def test_external_image_in_inline_style_is_caught(site: Path) -> None:
    replace_in(site / "index.html", "<h1>", "<h1 style=\"background:url('https://img.example.com/a.png')\">")
    [finding] = check_external(site)
    assert "img.example.com" in finding.message


def test_comments_are_ignored_but_strings_and_regexes_are_understood() -> None:
    js = (
        "/*! lib https://a.example.com */ var x = 1 / 2; // https://b.example.com\n"
        "var r = /https?:\\/\\/[a-z]+/g, accept = '*/*';\n"
        'load("https://c.example.com/x.js"); `${"//"}`; /* https://d.example.com */\n'
    )
    assert [u for _, u in script_urls(js, SiteUrl())] == ["https://c.example.com/x.js"]


def test_allowed_script_urls_are_specific_and_explained() -> None:
    from generator.gates.external import ALLOWED_SCRIPT_URLS, allowed_reason

    for pattern, prefix, reason in ALLOWED_SCRIPT_URLS:
        assert (
            pattern.startswith("assets/javascripts/") and prefix.startswith("https://") and len(reason) > 30
        )
    # an allowance for one file does not cover the same URL in another file
    assert allowed_reason("assets/javascripts/bundle.a5f9d56c.min.js", "https://api.github.com/repos/x")
    assert allowed_reason("assets/gongkai/listing.js", "https://api.github.com/repos/x") is None
    # the CDN scripts the theme could load are neutralised by the build, so they are no longer allowed
    assert allowed_reason("assets/javascripts/bundle.a5f9d56c.min.js", "https://unpkg.com/mermaid@11/x.js") is None
