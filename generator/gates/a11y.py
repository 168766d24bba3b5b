"""Accessibility: axe-core (npm, pinned) in the system Chromium on home, listings, one record of
each kind, a search with results and the statistics page; no 'serious' or 'critical' violation.

The same browser session is the dynamic half of the "nothing from another host" rule: every request
not addressed to the local server is refused and reported, as is any failed local request or
uncaught script error on these pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from generator.gates import tools
from generator.gates.findings import Finding
from generator.gates.localserver import serve
from generator.gates.sitefiles import ROOT, SiteUrl, rel, site_files

GATE = "a11y"
BLOCKING_IMPACTS = ("serious", "critical")
LISTINGS = ("penalties/", "accidents/", "power-items/", "enterprises/")
STATISTICS = ("statistics/", "stats/")
DEFAULT_QUERY = "安全"
_KIND = re.compile(r"""data-record-kind=["']([a-z-]+)["']""")
_NOINDEX = re.compile(r"""<meta[^>]+name=["']?robots["']?[^>]+noindex""", re.I)


@dataclass(frozen=True, slots=True)
class Target:
    path: str  # site-relative URL path, with ?query if any
    what: str
    search: bool = False


def record_pages(site: Path) -> dict[str, str]:
    """kind → site-relative URL of the first public (not noindex) page holding a record of that kind."""
    found: dict[str, str] = {}
    for file in site_files(site, (".html",)):
        text = file.read_text(encoding="utf-8", errors="replace")
        if _NOINDEX.search(text):
            continue
        for kind in _KIND.findall(text):
            found.setdefault(kind, rel(site, file).removesuffix("index.html"))
    return dict(sorted(found.items()))


def targets(site: Path, query: str = DEFAULT_QUERY, extra: tuple[str, ...] = ()) -> list[Target]:
    chosen = [Target("", "首页")]
    chosen += [Target(p, "列表") for p in LISTINGS if (site / p / "index.html").is_file()]
    chosen += [Target(url, f"{kind} 记录") for kind, url in record_pages(site).items()]
    if (site / "search" / "index.html").is_file():
        chosen.append(Target(f"search/?q={query}", "搜索结果", search=True))
    chosen += [Target(p, "统计") for p in STATISTICS if (site / p / "index.html").is_file()]
    chosen += [Target(p, "指定页面") for p in extra]
    return chosen


@dataclass
class _Watch:
    """What the browser asked for beyond the local server, and what went wrong locally."""

    origin: str
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def route(self, route, request) -> None:  # noqa: ANN001 - playwright objects
        url = request.url
        if url.startswith(self.origin) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort("blockedbyclient")

    def response(self, response) -> None:  # noqa: ANN001
        if response.status >= 400 and response.url.startswith(self.origin):
            self.failed.append(f"{response.status} {response.url}")

    def drain(self) -> tuple[list[str], list[str], list[str]]:
        """What was seen since the last call (one page), and start afresh."""
        seen = (self.outside, self.failed, self.errors)
        self.outside, self.failed, self.errors = [], [], []
        return seen


def check_a11y(
    site: Path,
    site_url: SiteUrl = ROOT,
    *,
    query: str = DEFAULT_QUERY,
    extra: tuple[str, ...] = (),
    timeout_ms: int = 20000,
) -> list[Finding]:
    from playwright.sync_api import sync_playwright

    site = site.resolve()
    axe = tools.axe_script().read_text(encoding="utf-8")
    findings: list[Finding] = []
    with serve(site, site_url.prefix) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=tools.chromium(), args=tools.CHROMIUM_ARGS)
        try:
            origin = "{0.scheme}://{0.netloc}/".format(urlsplit(base))
            watch = _Watch(origin)
            # bypass_csp: axe is injected as an inline script, which a strict CSP would refuse
            context = browser.new_context(bypass_csp=True, service_workers="block")
            context.route("**/*", watch.route)
            page = context.new_page()
            page.on("response", watch.response)
            page.on(
                "pageerror", lambda exc: watch.errors.append(str(exc))
            )  # watch.errors is replaced per page
            for target in targets(site, query, extra):
                findings += _check_page(page, base, target, axe, watch, timeout_ms)
            context.close()
        finally:
            browser.close()
    return findings


def _check_page(page, base: str, target: Target, axe: str, watch: _Watch, timeout_ms: int) -> list[Finding]:  # noqa: ANN001
    where = target.path or "/"
    findings = []
    page.goto(base + target.path, wait_until="load", timeout=timeout_ms)
    if target.search:
        findings += _await_results(page, where, timeout_ms)
    page.wait_for_load_state("networkidle", timeout=timeout_ms)
    page.add_script_tag(content=axe)
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    for v in result:
        if v["impact"] in BLOCKING_IMPACTS:
            nodes = "、".join(v["nodes"][:3]) + ("……" if len(v["nodes"]) > 3 else "")
            message = f"{target.what}：{v['impact']} [{v['id']}] {v['help']}（{len(v['nodes'])} 处：{nodes}）"
            findings.append(Finding(GATE, where, 0, message))
    outside, failed, errors = watch.drain()
    findings += [Finding(GATE, where, 0, f"{target.what}：请求了其他主机 {url}") for url in outside]
    findings += [Finding(GATE, where, 0, f"{target.what}：请求失败 {item}") for item in failed]
    findings += [Finding(GATE, where, 0, f"{target.what}：脚本错误 {err}") for err in errors]
    return findings


def _await_results(page, where: str, timeout_ms: int) -> list[Finding]:  # noqa: ANN001
    """The search must finish and show hits, so that axe sees the results list as people do."""
    try:
        page.wait_for_function(
            "() => { const t = document.querySelector('[data-search-total]');"
            " return t && t.textContent.trim() !== ''; }",
            timeout=timeout_ms,
        )
    except Exception:  # noqa: BLE001 - playwright's TimeoutError; reported as a finding
        return [Finding(GATE, where, 0, "搜索结果页：[data-search-total] 未在时限内给出结果总数")]
    if page.locator("a[data-search-result]").count() == 0:
        return [
            Finding(GATE, where, 0, "搜索结果页：没有任何结果（a[data-search-result]），无法检查结果列表")
        ]
    return []
