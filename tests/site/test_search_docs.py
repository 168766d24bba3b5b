"""The search index holds what a record page shows: every text block of a record's <article> is in
its search document, so a substring of what a visitor reads finds the record (issue 4), and the
menu's reference pages are documents too."""

from __future__ import annotations

import datetime as dt
import html.parser
from pathlib import Path

from incremental_helpers import edit_rows, sample_project
from site_sample import AS_OF, make_root

from generator.search import SearchDoc
from generator.search.fold import fold
from generator.settings import load_settings
from generator.site.build import prepare
from generator.site.enterprises import Enterprise
from generator.site.record_views import Context
from generator.site.search_docs import enterprise_docs, fragment_doc, record_docs


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


def _context(root: Path) -> Context:
    settings, _ = load_settings(root / "site_config.yml")
    prepared, problems = prepare(root, settings, AS_OF)
    assert prepared is not None, problems
    return prepared.ctx


def _enterprise_doc(ctx: Context, url: str) -> SearchDoc:
    return next(doc for doc in enterprise_docs(ctx) if doc.url == url)


def test_an_enterprise_doc_keeps_its_date_when_a_newer_decision_comes(tmp_path: Path) -> None:
    """An enterprise's doc is dated by its oldest public record (its place in the index's id
    order), so a new decision against it edits the doc where it is instead of moving it."""
    root = make_root(tmp_path / "project")
    ctx = _context(root)
    newer = AS_OF - dt.timedelta(days=2)
    enterprise = next(e for e in ctx.index.enterprises if e.penalties and all(p.record.decision_date < newer for p in e.penalties))
    days = [p.record.decision_date for p in enterprise.penalties] + [a.record.occurred_date for a in enterprise.accidents]
    before = _enterprise_doc(ctx, enterprise.url)
    assert before.date == min(days).isoformat()
    newest = max(enterprise.penalties, key=lambda p: p.record.decision_date)
    file_name = Path(newest.source_path).name

    def add_newer(rows: list[dict]) -> list[dict]:
        row = dict(next(r for r in rows if r["行政处罚决定书文号"] == newest.key))
        row["行政处罚决定书文号"] = "测应急罚〔2026〕901号"
        row["处罚决定日期"] = newer.isoformat()
        row.pop("公示日期", None)
        return [*rows, row]

    edit_rows(root, "penalties", file_name, add_newer)
    after = _enterprise_doc(_context(root), enterprise.url)
    assert after.date == before.date
    assert after.text != before.text  # its count of decisions grew


def test_an_enterprise_doc_keeps_its_date_when_its_oldest_decision_is_withdrawn(tmp_path: Path) -> None:
    """Its decisions withdrawn within their period date it too: withdrawing its oldest decision
    (and taking the withdrawal back) leaves the doc in its place in id order."""
    root = sample_project(tmp_path / "project")
    ctx = _context(root)

    def oldest_alone(e: Enterprise) -> bool:  # its oldest record is a decision, older than the rest
        days = sorted([p.record.decision_date for p in e.penalties] + [a.record.occurred_date for a in e.accidents])
        return len(e.penalties) >= 2 and days[0] < days[1] and days[0] == min(p.record.decision_date for p in e.penalties)

    enterprise = next(e for e in ctx.index.enterprises if oldest_alone(e))
    oldest = min(enterprise.penalties, key=lambda p: p.record.decision_date)
    before = _enterprise_doc(ctx, enterprise.url)
    assert before.date == oldest.record.decision_date.isoformat()

    def withdraw(rows: list[dict]) -> list[dict]:
        row = next(r for r in rows if r["行政处罚决定书文号"] == oldest.key)
        row.update({"状态": "撤销", "状态变更日期": (AS_OF - dt.timedelta(days=1)).isoformat(), "状态变更原因": "经行政复议决定撤销"})
        return rows

    edit_rows(root, "penalties", Path(oldest.source_path).name, withdraw)
    after_ctx = _context(root)
    assert oldest.key in {e.key for e in after_ctx.index.publication.withdrawn_in_period}
    after = _enterprise_doc(after_ctx, enterprise.url)
    assert after.date == before.date
    assert after.text != before.text  # one public decision fewer
