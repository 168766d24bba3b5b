"""The accessibility gate: axe-core in the system Chromium, and no request to another host."""

from __future__ import annotations

from pathlib import Path

import pytest
from minisite import replace_in

from generator.gates.a11y import check_a11y, targets
from generator.gates.sitefiles import SiteUrl

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("axe")]


def test_pages_checked(site: Path) -> None:
    assert [t.path for t in targets(site)] == ["", "penalties/", "penalties/2024-1-abc/", "search/?q=安全"]


def test_clean_site_passes(site: Path) -> None:
    assert check_a11y(site) == []


def test_clean_site_passes_under_a_sub_path(site: Path) -> None:
    assert check_a11y(site, SiteUrl.parse("https://x.github.io/repo/")) == []


def test_missing_alt_is_caught(site: Path) -> None:
    replace_in(site / "index.html", ' alt="局徽"', "")
    [finding] = check_a11y(site)
    assert (finding.gate, finding.path) == ("a11y", "/")
    assert "critical [image-alt]" in finding.message


def test_request_to_another_host_is_caught_and_refused(site: Path) -> None:
    replace_in(
        site / "index.html", "</body>", '<script src="https://cdn.example.com/x.js"></script>\n</body>'
    )
    [finding] = check_a11y(site)
    assert "请求了其他主机 https://cdn.example.com/x.js" in finding.message


def test_search_without_results_is_reported(site: Path) -> None:
    replace_in(site / "assets/site.js", "var hits = q ?", "var hits = false ?")
    [finding] = check_a11y(site)
    assert finding.path == "search/?q=安全" and "没有任何结果" in finding.message
