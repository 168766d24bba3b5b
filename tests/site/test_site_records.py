"""What the built sample site must hold, whatever the layout: one page per public record, no
personal data, nothing loaded from another host."""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

RECORD = re.compile(r'<article[^>]*data-record-kind="([^"]+)" data-record-id="([^"]+)"')
PUBLIC = {
    ("penalty", "云应急罚〔2026〕12号"),
    ("penalty", "云应急罚〔2026〕9号"),
    ("penalty", "西应急罚〔2026〕3号"),
    ("accident", "云澜市恒通化工有限公司“6·12”较大中毒和窒息事故"),
    ("accident", "西山区某建筑工地“3·2”一般高处坠落事故"),
    ("power-item", "YJ-CF-001"),
    ("power-item", "YJ-CF-001-01"),
    ("power-item", "YJ-XK-001"),
}


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_every_public_record_has_exactly_one_page(tiny_site: Path) -> None:
    found = Counter()
    for text in _pages(tiny_site).values():
        for kind, key in RECORD.findall(text):
            found[(kind, html.unescape(key))] += 1
    assert set(found) == PUBLIC
    assert set(found.values()) == {1}


def test_listings_carry_no_record_attributes(tiny_site: Path) -> None:
    for url in ("index.html", "penalties/index.html", "accidents/index.html", "power-items/index.html"):
        assert "data-record-" not in (tiny_site / url).read_text(encoding="utf-8")


def test_no_personal_data_anywhere(tiny_site: Path) -> None:
    for path in tiny_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".yml", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert "张三丰" not in text, path
            assert "530102199001011234" not in text and "530102198001011234" not in text, path


def test_withdrawn_and_expired_records_are_gone_from_listings(tiny_site: Path) -> None:
    for url in ("index.html", "penalties/index.html", "penalties/data/2026.json", "enterprises/index.html"):
        text = (tiny_site / url).read_text(encoding="utf-8")
        assert "云应急罚〔2026〕5号" not in text and "云应急罚〔2024〕3号" not in text, url


_URL = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//([^/"'\s>]+)""", re.I)


def test_nothing_loads_from_another_host(tiny_site: Path) -> None:
    """Links out (report URLs) are allowed; src/href to another host in our pages are not, except the
    canonical link, which names our own host."""
    for name, text in _pages(tiny_site).items():
        hosts = {h for h in _URL.findall(text) if h != "gongkai.yunlan.example.gov.cn"}
        assert hosts == set(), name
    css = "".join(p.read_text(encoding="utf-8") for p in tiny_site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "@import url(http" not in css


_ANCHOR = re.compile(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>', re.S)


def test_the_enterprise_section_has_one_name_everywhere(tiny_site: Path) -> None:
    """A UX review found the enterprise page's breadcrumb saying 企业 where the search, the home page
    and the listing caption say 单位 (a party may be a person's business or any organisation)."""
    names = Counter()
    for name, text in _pages(tiny_site).items():
        base = "/" + name.rsplit("/", 1)[0] + "/" if "/" in name else "/"
        for href, label in _ANCHOR.findall(text):
            target = re.sub(r"index\.html$", "", href.split("#")[0])
            resolved = Path(base + target).resolve().as_posix().rstrip("/") + "/" if target else ""
            if resolved == "/enterprises/":
                names[re.sub(r"<[^>]+>|\s+", "", label)] += 1
    assert names, "no page links to the enterprise listing"
    assert all("单位" in label and "企业" not in label for label in names), names
    listing = (tiny_site / "enterprises" / "index.html").read_text(encoding="utf-8")
    assert "<h1>单位信息</h1>" in listing and "<title>单位信息" in listing
