"""A tiny built site, written by the tests: clean, so that each gate test can plant one defect in it."""

from __future__ import annotations

import base64
from pathlib import Path

from generator.rules.identifiers import id_check_char

# A 1×1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def id_number() -> str:
    """A valid 18-character ID number (check character right), as a leak would contain."""
    first17 = "11010519491231002"
    return first17 + id_check_char(first17)


def page(title: str, body: str, depth: int, head: str = "") -> str:
    up = "../" * depth
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - 云澜市应急管理局</title>
<link rel="stylesheet" href="{up}assets/site.css">
<link rel="alternate" type="application/atom+xml" href="{up}feed.xml" title="更新">
<link rel="canonical" href="https://gongkai.example.gov.cn/">
{head}</head>
<body>
<header><a href="{up}">首页</a> <a href="{up}penalties/">行政处罚</a> <a href="{up}search/">搜索</a></header>
<main id="main">
<h1>{title}</h1>
{body}
</main>
<footer><p>云澜市应急管理局 <a href="mailto:gongkai@yunlan.example.gov.cn">报告错误</a></p></footer>
<script src="{up}assets/site.js"></script>
</body>
</html>
"""


HOME = """<p><img src="img/logo.png" alt="局徽" width="1" height="1"></p>
<p>法律依据见 <a href="https://flk.npc.gov.cn/">国家法律法规数据库</a>。</p>
<p><a href="penalties/2024-1-abc/#facts">最新处罚决定</a></p>"""

LISTING = """<table><caption>行政处罚决定</caption>
<thead><tr><th scope="col">文号</th><th scope="col">当事人</th></tr></thead>
<tbody><tr><td><a href="2024-1-abc/">云应急罚〔2024〕1号</a></td><td>张某某</td></tr></tbody></table>"""

RECORD = """<article data-record-kind="penalty" data-record-id="云应急罚〔2024〕1号">
<h2 id="facts">违法事实</h2><p>未按规定对从业人员进行安全生产教育和培训。</p>
<p><a href="../../data/penalties.csv">下载全部数据</a></p>
</article>"""

SEARCH = """<form action="./" role="search">
<label for="q">搜索</label> <input id="q" name="q" type="search"></form>
<p>共 <span data-search-total></span> 条结果</p>
<ul id="results"></ul>"""

SEARCH_JS = """/*! site.js — licence: https://example.org/licence (a comment, never fetched) */
// Renders the search results the way the real site does: each hit an <a data-search-result>.
(function () {
  var list = document.getElementById("results");
  if (!list) return;
  var q = new URLSearchParams(location.search).get("q") || "";
  var hits = q ? [{href: "../penalties/2024-1-abc/", title: "云应急罚〔2024〕1号"}] : [];
  hits.forEach(function (hit) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.setAttribute("data-search-result", "");
    a.href = hit.href;
    a.textContent = hit.title;
    li.appendChild(a);
    list.appendChild(li);
  });
  document.querySelector("[data-search-total]").textContent = String(hits.length);
})();
"""

CSS = """/* theme; see https://example.org/theme for the licence */
body { font-family: sans-serif; color: #111; background: #fff; }
header { background: url("../img/logo.png") no-repeat; }
"""

CSV = "\ufeff行政处罚决定书文号,行政相对人名称,证件号码\n云应急罚〔2024〕1号,张某某,\n"


def write_site(root: Path) -> Path:
    """The clean site under root/site; returns that directory."""
    site = root / "site"
    files: dict[str, str | bytes] = {
        "index.html": page("首页", HOME, 0),
        "penalties/index.html": page("行政处罚", LISTING, 1),
        "penalties/2024-1-abc/index.html": page("云应急罚〔2024〕1号", RECORD, 2),
        "search/index.html": page("搜索", SEARCH, 1),
        "assets/site.css": CSS,
        "assets/site.js": SEARCH_JS,
        "img/logo.png": PNG,
        "data/penalties.csv": CSV,
        "data/penalties.json": '[{"行政处罚决定书文号": "云应急罚〔2024〕1号", "名称": "张某某"}]\n',
        "feed.xml": '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"/>\n',
    }
    for name, content in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return site


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
