#!/usr/bin/env python3
"""Search benchmark: bytes per new query and keystroke→results latency in headless Chromium.

usage: .venv/bin/python bench/search_bench.py --records 10000 100000 [--material 10000]
                                               [--out bench/SEARCH_RESULTS.md]

For each size: synthetic penalty-like docs (bench/synth_search_docs.py) → build_index (timed) →
a /search/ page served on 127.0.0.1.  Per query:
* bytes: a fresh browser context opens /search/?q=…; every response except the HTML page is
  counted as a server would send it gzipped (gzip -6 of the file), up to the first page of results
  and up to the exact total;
* latency: on a page whose engine is loaded (meta read, no shard of this query cached), type
  the query and time input event → first page shown ([data-search-estimate] or
  [data-search-total] present) and → [data-search-total] present (the exact total: on the
  largest sites a phrase of very common bigrams first shows an estimate).
--material N builds the same records as a mkdocs-material site (shared/anchor_site.py) and
measures its built-in search the same way (bytes = search_index.json gzipped + its JS worker).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests" / "search")]

from search_site import PAGE, launch, serve  # noqa: E402
from synth_search_docs import synth_docs  # noqa: E402

from generator.search import SearchDoc, build_index, copy_assets, render_search_page  # noqa: E402
from generator.search.fold import fold  # noqa: E402

ANCHOR = Path(__file__).resolve().parents[1].parent / "shared" / "anchor_site.py"
# A static server in Node when available: Python's http.server adds tens of ms per request on 2
# cores, which would be measured as search latency.
SERVER = ["node", str(ROOT / "bench" / "static_server.js")] if shutil.which("node") else None
SERVER_NAME = "node bench/static_server.js" if SERVER else "python http.server"


@dataclass
class Row:
    engine: str
    records: int
    label: str
    query: str
    total: int | str
    true_count: int
    exact: bool
    kb_gz: float
    requests: int
    ms: float
    kb_first: float = 0.0  # up to the first page of results (an estimated total, or the exact one)
    ms_first: float = 0.0


def queries(docs: list[SearchDoc]) -> list[tuple[str, str]]:
    mid = docs[len(docs) // 2]
    docno = mid.identifiers[0].replace("〔", "[").replace("〕", "]")
    street = mid.text[mid.text.index("区") + 1 : mid.text.index("号", mid.text.index("区"))]
    return [
        ("common phrase", "安全生产"),
        ("phrase", "特种作业人员"),
        ("long phrase", "未建立事故隐患排查治理制度"),
        ("rare phrase", street),
        ("identifier [..]", docno),
        ("credit code", mid.identifiers[1].lower()),
        ("single char", "罚"),
        ("traditional", "危險化學品"),
    ]


def true_count(docs: list[SearchDoc], q: str) -> int:
    f = fold(q)
    return sum(1 for d in docs if f in fold(d.title) or f in fold(d.text))


def gz_size(path: Path, cache: dict[Path, int]) -> int:
    if path not in cache:
        cache[path] = len(gzip.compress(path.read_bytes(), compresslevel=6))
    return cache[path]


FIRST_PAGE = "[data-search-total], [data-search-estimate]"
FIRST_PAGE_CLOCK = (
    "new MutationObserver(function (_m, observer) {"
    f"  if (document.querySelector({json.dumps(FIRST_PAGE)})) {{ window.firstPageAt = performance.now(); observer.disconnect(); }}"
    "}).observe(document, {subtree: true, childList: true});"
)


def measure_bytes(browser, url: str, site: Path, ready: str, cache: dict) -> tuple[float, int, float]:  # noqa: ANN001
    """(KB up to `ready`, requests, KB up to the first page of results)."""
    ctx = browser.new_context()
    page = ctx.new_page()
    # When the first page showed, by the page's clock: the requests started before it are its own.
    page.add_init_script(FIRST_PAGE_CLOCK)
    seen: list[str] = []
    page.on("response", lambda r: seen.append(r.url))
    page.goto(url)
    page.wait_for_selector(ready, timeout=120_000)
    page.wait_for_timeout(200)
    first = page.evaluate(
        "() => performance.getEntriesByType('resource').filter(e => e.startTime < window.firstPageAt).map(e => e.name)"
    )

    def kb(urls: list[str]) -> float:
        total = 0
        for u in urls:
            path = site / urlparse(u).path.lstrip("/")
            if path.is_dir():
                continue  # the HTML page itself: the site shell, not the search
            if path.is_file():
                total += gz_size(path, cache)
        return total / 1024

    out = kb(seen), len(seen) - 1, kb(first)
    ctx.close()
    return out


TYPE_AND_WAIT = """async q => {
  const input = document.querySelector('input[name=q]');
  const t0 = performance.now();
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  while (!document.querySelector('[data-search-total], [data-search-estimate]')) await new Promise(r => setTimeout(r, 1));
  const first = performance.now() - t0;
  while (!document.querySelector('[data-search-total]')) await new Promise(r => setTimeout(r, 1));
  const el = document.querySelector('[data-search-total]');
  return {first: first, ms: performance.now() - t0, total: el.textContent, exact: el.dataset.searchExact === 'true'};
}"""


def measure_latency(browser, base: str) -> callable:  # noqa: ANN001
    def run(q: str) -> dict:
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(base + "search/")
        page.wait_for_function("document.querySelector('[data-search-facets] input')")
        out = page.evaluate(TYPE_AND_WAIT, q)
        ctx.close()
        return out

    return run


def bench_gongkai(n: int, work: Path, browser) -> tuple[list[Row], dict]:  # noqa: ANN001
    docs = synth_docs(n)
    site = work / f"gongkai-{n}"
    t0 = time.perf_counter()
    stats = build_index(docs, site / "search" / "index")
    build_s = time.perf_counter() - t0
    copy_assets(site / "assets" / "search")
    page = PAGE.format(body=render_search_page(index_url="index/", site_root="../"))
    (site / "search" / "index.html").write_text(page, encoding="utf-8")
    rows, cache = [], {}
    with serve(site, SERVER) as base:
        latency = measure_latency(browser, base)
        for label, q in queries(docs):
            kb, req, kb_first = measure_bytes(
                browser, f"{base}search/?q={quote(q)}", site, "[data-search-total]", cache
            )
            runs = [latency(q) for _ in range(3)]
            lat = min(runs, key=lambda r: r["ms"])
            rows.append(
                Row(
                    "gongkai",
                    n,
                    label,
                    q,
                    lat["total"],
                    true_count(docs, q),
                    lat["exact"],
                    kb,
                    req,
                    lat["ms"],
                    kb_first,
                    min(r["first"] for r in runs),
                )
            )
        kb, req, _first = measure_bytes(
            browser, f"{base}search/?kind=penalty&year=2024", site, "[data-search-total]", cache
        )
        rows.append(Row("gongkai", n, "facet only", "kind=penalty&year=2024", "", 0, True, kb, req, 0.0, kb))
    info = {"build_s": build_s, "files": stats.files, "mb": stats.bytes / 1e6, "shards": stats.gram_shards}
    shutil.rmtree(site, ignore_errors=True)
    return rows, info


def material_csv(docs: list[SearchDoc], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["行政处罚决定书文号", "行政相对人名称", "处罚决定日期", "内容"])
        for d in docs:
            w.writerow([d.identifiers[0], d.fields.get("当事人", ""), d.date, d.text])


MATERIAL_TYPE = """async q => {
  const input = document.querySelector('.md-search__input');
  input.focus();
  const meta = document.querySelector('.md-search-result__meta');
  const before = meta.textContent;
  const t0 = performance.now();
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: 'a'}));
  const t1 = performance.now();
  while (meta.textContent === before && performance.now() - t1 < 20000)
    await new Promise(r => setTimeout(r, 2));
  return {ms: performance.now() - t0, meta: meta.textContent};
}"""


def bench_material(n: int, work: Path, browser) -> tuple[list[Row], dict]:  # noqa: ANN001
    docs = synth_docs(n)
    src = work / f"material-{n}"
    material_csv(docs, work / "penalties.csv")
    subprocess.run([sys.executable, str(ANCHOR), str(work / "penalties.csv"), str(n), str(src)], check=True)
    t0 = time.perf_counter()
    mkdocs = Path(sys.executable).with_name("mkdocs")
    subprocess.run([str(mkdocs), "build", "-q", "-f", str(src / "mkdocs.yml")], check=True)
    build_s = time.perf_counter() - t0
    site = src / "site"
    rows, cache = [], {}
    with serve(site, SERVER) as base:
        for label, q in queries(docs):
            ctx = browser.new_context()
            page = ctx.new_page()
            seen: list[str] = []
            page.on("response", lambda r, seen=seen: seen.append(r.url))
            page.goto(base)
            page.wait_for_selector(".md-search__input")
            page.click(".md-search__input")
            res = page.evaluate(MATERIAL_TYPE, q)  # first query: index download + lunr load
            kb = sum(
                gz_size(site / urlparse(u).path.lstrip("/"), cache)
                for u in seen
                if (site / urlparse(u).path.lstrip("/")).is_file() and "search" in u
            )
            kb /= 1024
            digits = "".join(c if c.isdigit() else " " for c in res["meta"]).split()
            total = int(digits[0]) if digits else 0
            rows.append(
                Row(
                    "mkdocs-material", n, label, q, total, true_count(docs, q), True, kb, len(seen), res["ms"], kb, res["ms"]
                )
            )
            ctx.close()
    return rows, {
        "build_s": build_s,
        "index_mb": (site / "search" / "search_index.json").stat().st_size / 1e6,
    }


NOTES = [
    "Notes:",
    "- true count: records whose folded title or text contains the folded query (what the page must show).",
    "- first page ≠ total: the phrase's bigram positions exceed the first page's position budget (400 KB raw), "
    "so the first page shows candidates (records containing every tiling bigram) checked against their text (in "
    "batches of 20, until the page holds 10 real matches) with an estimated total (约 N: the candidate count "
    "scaled by the share that matched); then the positions are downloaded after all (up to 3 MB raw) and the "
    "exact total replaces the estimate. Candidate sets of ≤ 24 records are checked against their text instead, "
    "so identifiers and rare phrases are exact at once. exact 约: even the exact count's budget did not suffice.",
    "- KB gz total also counts what the page fetches after the results: the facet counts (10k; at 100k the "
    "facet files exceed FACET_COUNT_BYTES and the overall counts are shown), and the positions for an exact total.",
    "- mkdocs-material: bytes = everything with `search` in its URL (search_index.json + the search worker), "
    "gzip -6; ms = first query after opening the page (index download and lunr load included), as a visitor "
    "sees it; total = the number in its result summary (0 when it says nothing was found).",
    "- facet only: no keystroke, so no latency; bytes for a fresh load of the filtered listing.",
]


def report(rows: list[Row], infos: dict, argv: list[str]) -> str:
    lines = [
        "# Search benchmark",
        "",
        f"Machine: {os.cpu_count()}-core {platform.machine()}, Python {platform.python_version()}, "
        f"headless Chromium (system), server {SERVER_NAME}, "
        f"date {datetime.date(2026, 11, 21)} (run {datetime.date.today()}).",
        f"Command: `.venv/bin/python bench/search_bench.py {' '.join(argv)}`",
        "",
        "Bytes: a new query on a fresh page load (engine JS+CSS, meta, shards, doc chunks; each file counted "
        "gzip -6), up to the first page of results and up to the exact total. Latency: input event → first page "
        "shown, and → `[data-search-total]` present (the final total), engine already loaded, best of 3.",
        "",
        "| engine | records | query | q | total shown | true count | exact | KB gz first page | KB gz total "
        "| requests | ms first page | ms total |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        exact = "—" if r.engine != "gongkai" else "yes" if r.exact else "约"
        ms = f"{r.ms:.0f}" if r.ms else "—"
        ms_first = f"{r.ms_first:.0f}" if r.ms_first else "—"
        lines.append(
            f"| {r.engine} | {r.records:,} | {r.label} | `{r.query}` | {r.total} | {r.true_count or ''} | "
            f"{exact} | {r.kb_first:.1f} | {r.kb_gz:.1f} | {r.requests} | {ms_first} | {ms} |"
        )
    lines += ["", "| engine | records | build |", "|---|---|---|"]
    for (engine, n), info in infos.items():
        detail = ", ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in info.items())
        lines.append(f"| {engine} | {n:,} | {detail} |")
    return "\n".join(lines + ["", *NOTES]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, nargs="+", default=[10000])
    parser.add_argument(
        "--material", type=int, nargs="*", default=[], help="also measure mkdocs-material at N"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "SEARCH_RESULTS.md")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows: list[Row] = []
    infos: dict = {}
    work = Path(tempfile.mkdtemp(prefix="gongkai-search-bench-"))
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
            for n in args.records:
                r, info = bench_gongkai(n, work, browser)
                rows += r
                infos[("gongkai", n)] = info
            for n in args.material:
                r, info = bench_material(n, work, browser)
                rows += r
                infos[("mkdocs-material", n)] = info
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(rows, infos, sys.argv[1:])
    print(text)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
