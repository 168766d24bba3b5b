"""The privacy gate: personal data anywhere in the output bytes, in any encoding."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from urllib.parse import quote

from minisite import id_number, replace_in

from generator.gates.privacy import check_privacy, mask


def test_clean_site_passes(site: Path) -> None:
    # The clean site has a masked name and an official gov.cn address: both may be published.
    assert check_privacy(site) == []


def test_id_number_in_a_page_is_caught_and_not_repeated_in_the_log(site: Path) -> None:
    record = site / "penalties/2024-1-abc/index.html"
    replace_in(record, "未按规定", f"当事人身份证 {id_number()} 未按规定")
    line = next(n for n, text in enumerate(record.read_text("utf-8").splitlines(), 1) if id_number() in text)
    [finding] = check_privacy(site)
    assert (finding.gate, finding.path, finding.line) == ("privacy", "penalties/2024-1-abc/index.html", line)
    assert "身份证号码" in finding.message
    assert id_number() not in finding.message and mask(id_number()) in finding.message


def test_id_number_hidden_by_json_escapes_is_caught(site: Path) -> None:
    escaped = json.dumps(
        {"备注": "证件 " + id_number().translate(str.maketrans("0123456789", "０１２３４５６７８９"))}
    )
    assert "\\u" in escaped  # full-width digits, written as \uXXXX escapes
    (site / "data/penalties.json").write_text(escaped, encoding="ascii")
    [finding] = check_privacy(site)
    assert finding.path == "data/penalties.json"


def test_id_number_as_html_entities_is_caught(site: Path) -> None:
    entities = "".join(f"&#{ord(c)};" for c in id_number())
    replace_in(site / "index.html", "局徽", f"局徽 {entities}")
    [finding] = check_privacy(site)
    assert "HTML 实体解码后" in finding.message


def test_mobile_number_percent_encoded_in_a_url_is_caught(site: Path) -> None:
    replace_in(site / "index.html", 'href="search/"', f'href="search/?q={quote("电话：13912345678")}"')
    [finding] = check_privacy(site)
    assert "手机号码" in finding.message


def test_gb18030_csv_and_gzip_are_read(site: Path) -> None:
    # Full-width digits in GB18030 are two bytes each, unreadable unless the file is decoded as GB18030
    full_width = id_number().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    (site / "data/penalties.csv").write_bytes(f"证件号码\n{full_width}\n备注：张三\n".encode("gb18030"))
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(b"<loc>x</loc> zhangsan@qq.com"))
    found = {(f.path, f.message.split(" ")[0]) for f in check_privacy(site)}
    assert found == {("data/penalties.csv", "含身份证号码"), ("sitemap.xml.gz", "含个人电子邮箱")}


def test_allowed_email_domains_come_from_the_settings(site: Path) -> None:
    replace_in(site / "index.html", "局徽", "局徽 ajxx@yunlan.example.org")
    assert len(check_privacy(site)) == 1
    assert check_privacy(site, ("gov.cn", "yunlan.example.org")) == []
