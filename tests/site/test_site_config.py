"""A site configuration mkdocs would refuse is a positioned problem before anything is written, never
an internal error."""

from __future__ import annotations

import shutil
from pathlib import Path

from site_sample import AS_OF, make_root

from generator.cli import main


def _run(root: Path, monkeypatch, capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    monkeypatch.chdir(root)
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_missing_theme_directory_is_reported_at_its_setting(tmp_path: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    root = make_root(tmp_path / "project")
    shutil.rmtree(root / "theme")
    line = next(n for n, text in enumerate((root / "site_config.yml").read_text().splitlines(), 1) if "custom_dir" in text)
    expected = (
        f"site_config.yml:{line}:1: error[config.invalid]: theme › custom_dir: "
        "模板目录“theme”不存在（相对于 site_config.yml 所在的目录）；请恢复该目录或改正 custom_dir"
    )
    for argv in (["validate"], ["build", "--out", str(tmp_path / "site"), "--as-of", AS_OF.isoformat()]):
        code, out, err = _run(root, monkeypatch, capsys, *argv)
        assert (code, err) == (1, ""), err
        assert expected in out.splitlines(), out
    assert not (tmp_path / "site").exists()


def test_a_setting_mkdocs_refuses_is_a_problem_and_the_old_site_stays(tmp_path: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    root = make_root(tmp_path / "project")
    out_dir = tmp_path / "site"
    (out_dir / "data").mkdir(parents=True)
    (out_dir / "data" / "manifest.json").write_text("{}", encoding="utf-8")  # an earlier build's site
    (out_dir / "index.html").write_text("旧网站", encoding="utf-8")
    config = root / "site_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("markdown_extensions:\n", "markdown_extensions:\n  - no_such_extension\n"),
        encoding="utf-8",
    )
    line = config.read_text(encoding="utf-8").splitlines().index("markdown_extensions:") + 1
    code, out, err = _run(root, monkeypatch, capsys, "build", "--out", str(out_dir), "--as-of", AS_OF.isoformat())
    assert (code, err) == (1, ""), err
    assert out.startswith(
        f"site_config.yml:{line}:1: error[config.invalid]: markdown_extensions: mkdocs 无法使用站点配置："
        "Config value 'markdown_extensions': Failed to load extension 'no_such_extension'."
    ), out
    assert sorted(p.name for p in out_dir.iterdir()) == ["data", "index.html"]
    assert (out_dir / "index.html").read_text(encoding="utf-8") == "旧网站"
