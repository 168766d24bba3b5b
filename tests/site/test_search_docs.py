"""The search index holds what a record page shows: every text block of a record's <article> is in
its search document, so a substring of what a visitor reads finds the record (issue 4), and the
menu's reference pages are documents too."""

from __future__ import annotations

import html.parser
from pathlib import Path

from site_sample import AS_OF, make_root

from generator.search.fold import fold
from generator.settings import load_settings
from generator.site.build import prepare
from generator.site.search_docs import fragment_doc, record_docs


class _ArticleText(html.parser.HTMLParser):
    """The text nodes inside <article>, as a browser shows them."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.blocks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "article" or self.depth:
            self.depth += tag not in ("br", "img", "meta", "link", "input")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and data.strip():
            self.blocks.append(data.strip())


def test_every_text_block_of_a_record_page_is_in_its_search_document(tiny_site: Path, tmp_path: Path) -> None:
    root = make_root(tmp_path / "project")
    settings, _ = load_settings(root / "site_config.yml")
    prepared, problems = prepare(root, settings, AS_OF)
    assert prepared is not None, problems
    docs = {doc.url: doc for doc in record_docs(prepared.ctx)}
    kinds = {"penalty": 0, "accident": 0, "power-item": 0}
    for url, doc in docs.items():
        page = (tiny_site / url / "index.html").read_text(encoding="utf-8")
        parser = _ArticleText()
        parser.feed(page)
        held = fold(doc.title + doc.text)
        assert len(parser.blocks) > 5, url
        for block in parser.blocks:
            assert fold(block) in held, (url, block)
        # Across blocks too: the page's whole article text, read straight through.
        assert fold("".join(parser.blocks)) == held, url
        kinds[doc.kind] += 1
    assert all(kinds.values()), kinds


def test_scripts_and_styles_of_a_page_are_not_its_text() -> None:
    doc = fragment_doc("about/", "<h1>关于</h1><p>正文</p><script>var x = document.getElementById('a');</script><style>p{}</style>")
    assert (doc.title, doc.text) == ("关于", "关于 正文")
