"""The built site's sitemap.xml and feed.xml parse, and the sitemap lists exactly the public pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "a": "http://www.w3.org/2005/Atom"}


def test_sitemap_lists_public_pages_and_no_notice(tiny_site: Path) -> None:
    locs = [e.text or "" for e in ET.parse(tiny_site / "sitemap.xml").getroot().findall("s:url/s:loc", NS)]
    assert locs and all(loc.startswith(("http://", "https://")) for loc in locs)
    paths = {loc.split("/", 3)[3] for loc in locs}
    assert "" in paths and "./" not in paths  # the home page at its canonical address
    for html in tiny_site.rglob("index.html"):
        text = html.read_text(encoding="utf-8")
        url = html.parent.relative_to(tiny_site).as_posix() + "/"
        if 'data-record-kind="penalty"' in text:
            assert url in paths, url
        if '<meta name="robots" content="noindex">' in text:
            assert url not in paths, url
    for url in ("statistics/", "data-dictionary/", "privacy/", "power-items/changes/", "penalties/", "about/"):
        assert url in paths, url


def test_a_sitemap_without_site_url_uses_a_placeholder_host_and_says_so() -> None:
    import datetime as dt

    from generator.site.sitemap import sitemap_files

    files = sitemap_files("", {"./": None, "penalties/": None}, dt.date(2026, 1, 1))
    text = files["sitemap.xml"].decode("utf-8")
    assert "site_url 未配置" in text
    locs = [e.text for e in ET.fromstring(files["sitemap.xml"]).findall("s:url/s:loc", NS)]
    assert locs == ["https://example.invalid/", "https://example.invalid/penalties/"]


def test_feed_is_atom(tiny_site: Path) -> None:
    root = ET.parse(tiny_site / "feed.xml").getroot()
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.findall("a:entry", NS)


def test_no_cdn_address_in_any_shipped_file(tiny_site: Path) -> None:
    """mkdocs-material's bundle can load scripts from unpkg.com; the build neutralises them (and drops its
    unused lunr files), so not even an old browser contacts another host."""
    for path in tiny_site.rglob("*"):
        if path.is_file() and path.suffix in (".js", ".html", ".css", ".json"):
            data = path.read_bytes()
            assert b"unpkg.com" not in data and b"cdn.jsdelivr" not in data, path
    assert not (tiny_site / "assets" / "javascripts" / "lunr").exists()


def test_a_record_page_is_dated_by_its_data_in_the_page_and_the_sitemap(tiny_site: Path) -> None:
    """最后更新 and <lastmod> say when the record's disclosure last changed, the same day in both, and
    the feed agrees; the build day is no such date (a page would look changed on every build)."""
    import re

    lastmod = {
        (u.findtext("s:loc", namespaces=NS) or "").split("/", 3)[3]: u.findtext("s:lastmod", namespaces=NS)
        for u in ET.parse(tiny_site / "sitemap.xml").getroot().findall("s:url", NS)
    }
    feed = {
        (e.find("a:link", NS).get("href") or "").split("/", 3)[3]: (e.findtext("a:updated", namespaces=NS) or "")[:10]
        for e in ET.parse(tiny_site / "feed.xml").getroot().findall("a:entry", NS)
    }
    shown_days = set()
    for html in (tiny_site / "penalties").rglob("index.html"):
        text = html.read_text(encoding="utf-8")
        if 'data-record-kind="penalty"' not in text:
            continue
        url = html.parent.relative_to(tiny_site).as_posix() + "/"
        y, m, d = map(int, re.search(r"最后更新：(\d+)年(\d+)月(\d+)日", text).groups())
        shown = f"{y:04d}-{m:02d}-{d:02d}"
        assert lastmod[url] == shown, url
        if url in feed:
            assert feed[url] == shown, url
        shown_days.add(shown)
    assert len(shown_days) > 1  # records differ, so their dates do
    assert lastmod[""] is None  # the home page changes with any record: no single date claimed


def test_a_record_page_does_not_change_with_the_build_day(tiny_site: Path, tmp_path: Path) -> None:
    """Built a day later with nothing expiring, every penalty and accident page is byte-identical: a
    host or CDN that syncs the site re-uploads only what changed.  (A power item's date comes from the
    git history of its file; this project is not a git checkout, so its items fall back to the day.)"""
    import datetime as dt

    from site_sample import AS_OF, make_root

    from generator.site.build import build_site

    later = tmp_path / "site"
    assert not build_site(make_root(tmp_path / "project"), later, AS_OF + dt.timedelta(days=1), workers=1).has_errors
    kinds = ('data-record-kind="penalty"', 'data-record-kind="accident"')
    pages = [p for p in tiny_site.rglob("index.html") if any(k in p.read_text(encoding="utf-8") for k in kinds)]
    assert len(pages) >= 5
    for page in pages:
        assert (later / page.relative_to(tiny_site)).read_bytes() == page.read_bytes(), page


def test_a_generated_page_marks_its_sections_header_tab(tiny_site: Path) -> None:
    """A decision's page highlights 行政处罚 in the header as its listing does (the shared page shell
    has no section of its own)."""
    import re

    tab = re.compile(r'<li class="md-tabs__item md-tabs__item--active">\s*<a href="([^"]*)"')
    expected = {"penalty": "../../penalties/", "accident": "../../accidents/", "power-item": "../../power-items/"}
    seen = set()
    for html in tiny_site.rglob("index.html"):
        text = html.read_text(encoding="utf-8")
        kind = re.search(r'data-record-kind="([^"]+)"', text)
        if kind:
            assert tab.findall(text) == [expected[kind.group(1)]], html
            seen.add(kind.group(1))
    assert seen == set(expected)
    assert len(tab.findall((tiny_site / "penalties" / "index.html").read_text(encoding="utf-8"))) == 1


def _dated_source(items: list[str], days: dict[str, int], asked: list[str]):  # noqa: ANN202
    from generator.site.page_tasks import PageSource

    def updated(_ctx: object, item: str):  # noqa: ANN202
        import datetime as dt

        asked.append(item)
        return dt.date.fromordinal(days[item])

    def unused(*_args: object) -> None:
        raise AssertionError("not called")

    return PageSource(items, lambda item: f"{item}/", unused, unused, updated=updated)


def test_a_patch_build_dates_only_the_pages_it_makes_again(monkeypatch) -> None:  # noqa: ANN001
    """Kept pages keep the previous build's sitemap dates unasked; made pages are dated anew; pages
    the sitemap leaves out (a source without dates: notices) are not listed, kept or not."""
    import datetime as dt

    from generator.site import generate
    from generator.site.page_tasks import VERIFY_KEYS_ENV, PageSource

    monkeypatch.delenv(VERIFY_KEYS_ENV, raising=False)
    day = dt.date(2026, 5, 1).toordinal()
    asked: list[str] = []
    records = _dated_source(["a", "b", "c"], {"a": day, "b": day + 1, "c": day + 9}, asked)
    notices = PageSource(["n"], lambda item: f"{item}/", records.inputs, records.view)
    previous = {"a/": day, "b/": day + 1, "c/": day, "gone/": day}
    kept = frozenset({"a/", "b/", "n/"})
    dated = generate.indexable_record_urls(None, [records, notices], kept, [(0, [2])], previous)  # type: ignore[arg-type]
    assert dated == {"a/": dt.date.fromordinal(day), "b/": dt.date.fromordinal(day + 1), "c/": dt.date.fromordinal(day + 9)}
    assert asked == ["c"]
    # Without the previous build's dates (its memo missing or not trusted), every page is dated.
    asked.clear()
    assert generate.indexable_record_urls(None, [records, notices], kept, [(0, [2])], None) == dated  # type: ignore[arg-type]
    assert asked == ["a", "b", "c"]


def test_in_the_tests_key_mode_a_kept_page_whose_date_moved_stops_the_build(monkeypatch) -> None:  # noqa: ANN001
    import pytest

    from generator.site import generate
    from generator.site.page_tasks import VERIFY_KEYS_ENV

    monkeypatch.setenv(VERIFY_KEYS_ENV, "1")
    day = 740000
    records = _dated_source(["a", "b"], {"a": day, "b": day + 3}, [])
    with pytest.raises(AssertionError, match="^b/: the sitemap date"):
        generate.indexable_record_urls(None, [records], frozenset({"a/", "b/"}), [], {"a/": day, "b/": day})  # type: ignore[arg-type]
