"""`build_site`: the one entry point the CLI calls — validate, then build into a temporary
directory beside the output and swap it in, so that a failed build leaves the old site untouched."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator import quick_exit, timings
from generator.catalog import Catalog, Entry
from generator.content_check import check_content
from generator.history import read_history
from generator.incremental.memo import NO_MEMO, Memo, MemoTable
from generator.incremental.store import loading
from generator.opendata.changelog import last_changed, power_item_changes
from generator.problem_codes import problem
from generator.problems import Problem, Problems
from generator.publication import Publication, decide
from generator.schema.models import Penalty
from generator.settings import Settings, line_of, load_settings
from generator.site import live_files, urls
from generator.site.build_cache import CACHE_DIR, BuildCache, BuildState, MkdocsCopy, build_lock, exclusive
from generator.site.files import SiteFiles
from generator.site.forked import ChildFailed, Forked
from generator.site.generate import generate
from generator.site.index import build_index
from generator.site.record_views import Context
from generator.validate import load_and_validate

CONFIG_FILE = "site_config.yml"


@dataclass
class BuildReport:
    """How a build went, for the people running it: a full build writes the whole site afresh; a
    patch build (generator.site.build_cache) replaced `changed` files in place and removed
    `removed` ones."""

    mode: str = ""  # "full" or "patch"; "" when nothing was built
    changed: int = 0
    removed: int = 0
    made_pages: int = 0  # patch builds: record, enterprise and law pages made again (the rest kept)
    # files of the live site found other than the last build left them (so the build was full)
    altered: tuple[str, ...] = ()


@dataclass
class Prepared:
    """Everything a build needs, checked: what `generate` writes the site from."""

    root: Path
    settings: Settings
    catalog: Catalog
    publication: Publication
    ctx: Context


def prepare(
    root: Path, settings: Settings, as_of: dt.date, cache: BuildCache | None = None, memo: Memo = NO_MEMO
) -> tuple[Prepared | None, Problems]:
    """Validate the data and apply the dated rules; None when there is any error.  With the build
    `cache`, unchanged records are not read and checked again and the git history is read once
    per commit; with its `memo` the dated rules and citations of unchanged records are not worked
    out again."""
    # Everything made here lives until the build ends: the cycle collector is paused meanwhile and
    # then kept off it (`loading`), and so off the workers' copies of it.
    with loading():
        return _prepare(root, settings, as_of, cache, memo)


def _prepare(
    root: Path, settings: Settings, as_of: dt.date, cache: BuildCache | None, memo: Memo
) -> tuple[Prepared | None, Problems]:
    with timings.stage("validate"):
        catalog, problems = load_and_validate(root, settings, cache.records if cache else None)
    problems.extend(check_content(root / settings.content_dir, root, settings.email_allowed_domains))  # the same checks as `validate`
    if problems.has_errors:
        return None, problems
    with timings.stage("git history"):
        if cache:
            history, power_days = cache.git_history(settings.data_dir)
        else:
            history, power_days = read_history(root, settings.data_dir), power_item_changes(root, settings.data_dir)
    with timings.stage("dated rules"):
        publication = decide(catalog, settings, as_of, history.first_seen, history.withdrawn_seen, memo)
    problems.extend(publication.problems)
    with timings.stage("site index"):
        index = build_index(catalog, publication, memo)
        problems.extend(_url_clashes(index.catalog, memo))
    if problems.has_errors:
        return None, problems
    ctx = Context(settings, as_of, index, root, history, power_days, last_changed(power_days), memo)
    return Prepared(root, settings, catalog, publication, ctx), problems


_KEY_CODES = {  # kind → (the key's header, the problem code for two records with one key)
    "penalties": ("行政处罚决定书文号", "penalty.duplicate-number"),
    "accidents": ("事故名称", "accident.duplicate-name"),
    "power-items": ("事项编码", "power.duplicate-code"),
}


def _penalty_url(entry: Entry[Penalty], table: MemoTable) -> str:
    url = table.get(entry, lambda: urls.penalty(entry.record))
    urls.known_penalty(entry.record, url)
    return url


def _url_clashes(catalog: Catalog, memo: Memo = NO_MEMO) -> list[Problem]:
    """Two records whose pages would share one URL, reported at the later record."""
    table = memo.table("url")
    kinds = [("penalties", catalog.penalties), ("accidents", catalog.accidents), ("power-items", catalog.power_items)]
    pairs = [(e.key, _penalty_url(e, table)) for e in catalog.penalties]
    pairs += [(e.key, urls.accident(e.record)) for e in catalog.accidents]
    pairs += [(e.key, urls.power_item(e.record)) for e in catalog.power_items]

    def at(i: int) -> tuple[str, Entry]:  # the kind and record of pairs[i]
        for kind, of_kind in kinds:
            if i < len(of_kind):
                return kind, of_kind[i]
            i -= len(of_kind)
        raise IndexError(i)

    out = []
    for i, (first, url) in urls.first_clash(pairs).items():
        (kind, entry), (_, earlier) = at(i), at(first)
        header, code = _KEY_CODES[kind]
        message = (
            f"“{entry.key}”与 {earlier.source_path} 第 {earlier.source_line} 行的“{earlier.key}”"
            f"会得到同一个网址（{url}）：请改用能区分的写法（例如统一大小写）"
        )
        out.append(problem(code, entry.source_path, entry.source_line, 1, entry.key, header, message))
    return out


def build_site(
    root: Path, out: Path, as_of: dt.date, *, workers: int | None = None, report: BuildReport | None = None
) -> Problems:
    """Build the whole site from `root` (which holds site_config.yml, data/, content/, theme/) into `out`.

    Returns every problem found.  With any error nothing is written and `out` stays as it was.
    When the build cache holds the previous build of `out` and only records changed, the live
    site is patched instead (same bytes as a full build); `report` says which it was.
    """
    report = report if report is not None else BuildReport()
    root = root.resolve()
    settings, config_problems = load_settings(root / CONFIG_FILE)
    problems = Problems()
    problems.extend(config_problems)
    if settings is None or problems.has_errors:
        return problems
    out = out.resolve()

    def refused(message: str) -> Problems:
        problems.extend(prepare(root, settings, as_of)[1])  # the data's own problems still count
        problems.add(problem("file.output", _shown(out, root), 1, 1, "", "", message))
        return problems

    refusal = _unsafe_output(root, out, settings)
    if refusal:
        return refused(refusal)
    cache = BuildCache.open(
        root, out, repr(settings), root / CONFIG_FILE, root / settings.data_dir, root / settings.content_dir, as_of
    )
    with exclusive(root) if cache else contextlib.nullcontext():
        if cache:  # only under the lock: without it another build's folder could be in use
            remove_leftovers(out, build_lock(root))
        return _build_with(root, out, settings, as_of, cache, workers, problems, refused, report)


def remove_leftovers(out: Path, lock: Path | None = None) -> None:
    """Delete what a killed build left beside `out`: its half-written new site (`.site.building-*`)
    or a replaced site whose deletion did not finish (`.site.old-*`).  Each would otherwise keep a
    whole site's worth of disk.  A large one is left to a detached process like any replaced site
    (`discard`): it may be the previous build's old site, still being deleted, and the build must
    not wait for that."""
    for pattern in (f".{out.name}.building-*", f".{out.name}.old-*"):
        for folder in out.parent.glob(pattern):
            if folder.is_dir() and not folder.is_symlink():
                discard(folder, lock)


def _build_with(
    root: Path, out: Path, settings: Settings, as_of: dt.date, cache: BuildCache | None, workers: int | None,
    problems: Problems, refused, report: BuildReport,  # noqa: ANN001 - refused: the caller's problem reporter
) -> Problems:
    """A patch build when the cache allows one, else a full build."""
    with loading(), timings.stage("cache: load state"):
        state = cache.state() if cache else None
        mkdocs_copy = cache.mkdocs_copy() if cache and state else None
    quick_exit.hold(cache, state)  # the records read and the last build's state: large
    patchable = cache is not None and state is not None and mkdocs_copy is not None
    if patchable and _patch(root, out, settings, as_of, cache, state, mkdocs_copy, workers, problems, report):
        return problems
    return _full_build(root, out, settings, as_of, cache, workers, problems, refused, report)


def _patch(
    root: Path, out: Path, settings: Settings, as_of: dt.date, cache: BuildCache, state: BuildState,
    mkdocs: MkdocsCopy, workers: int | None, problems: Problems, report: BuildReport,
) -> bool:
    """Bring the live site at `out` up to date in place (generator.site.build_cache): False when
    the site could not be patched and a full build must run instead."""
    memo = Memo(state.record_memo)
    # Meanwhile the other core checks that the live site is the one the state describes.
    with Forked(live_files.differences, out, state.files) as live_check:
        prepared, data_problems = prepare(root, settings, as_of, cache, memo)
        if prepared is None:
            problems.extend(data_problems)
            return True  # invalid data: nothing is written, exactly as for a full build
        with timings.stage("live site check (waiting for it)"):
            altered = _checked(live_check)
    if altered:  # changed behind the build's back: what a patch would keep or copy is not trusted
        report.altered = tuple(altered)
        return False
    if not cache.begin_patch():
        return False
    files = SiteFiles(out, base=mkdocs.folder)
    try:
        made = generate(
            files, prepared.ctx, mkdocs.site_url, mkdocs.content_urls, workers,
            known=state.fingerprints, memos=state.memos, cache_folder=cache.folder, keep_memo=cache.keep_memo,
        )
    except OSError:
        # The live site cannot be written in place (read-only files, a full disk): a full build,
        # which writes beside it and swaps the folders, may still succeed, or says why it cannot.
        # The patching marker stays, so no later build trusts what this one left half done.
        return False
    stale = state.files.keys() - made.produced
    _remove_stale(out, stale)
    with timings.stage("cache: save"):
        files_now = live_files.stats_of(out, made.produced, state.files, made.changed)
        cache.save_state(files_now, made.fingerprints, made.memos, memo.tables(_digests(prepared.catalog)))
        cache.save_shared()
    quick_exit.hold(prepared, memo, files, made)
    problems.extend(data_problems)
    report.mode, report.changed, report.removed = "patch", len(made.changed), len(stale)
    report.made_pages = made.made_pages
    return True


def _checked(live_check: Forked[list[str]]) -> list[str]:
    """The live site's differences from the state; a check that died (killed, out of memory)
    answers that the site differs: the build is then a full one, never an error."""
    try:
        return live_check.result()
    except (ChildFailed, OSError) as exc:
        return [f"（检查未能完成：{exc}）"]


def _digests(catalog: Catalog) -> set[bytes]:
    return {e.digest for entries in (catalog.penalties, catalog.accidents, catalog.power_items) for e in entries}


def _remove_stale(out: Path, stale: set[str]) -> None:
    """Delete the files the site no longer has, and the folders that leaves empty."""
    folders = set()
    for rel in sorted(stale):
        with contextlib.suppress(OSError):  # one left behind is an extra file: the next build is a full one
            os.unlink(out / rel)
        folders.update(Path(rel).parents)
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        if folder != Path("."):
            with contextlib.suppress(OSError):
                os.rmdir(out / folder)  # only when empty


def _full_build(
    root: Path, out: Path, settings: Settings, as_of: dt.date, cache: BuildCache | None, workers: int | None,
    problems: Problems, refused, report: BuildReport,  # noqa: ANN001 - refused: the caller's problem reporter
) -> Problems:
    created = [d for d in (out.parent, *out.parent.parents) if not d.exists()]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    except OSError as exc:
        _remove_empty(created)
        return refused(f"无法写入输出目录（{_reason(exc)}）")
    built = False
    try:
        from generator.plugin import run_mkdocs  # mkdocs is imported only by the plugin module

        # mkdocs' own pages need no record: they are rendered while the data is being checked.
        with Forked(run_mkdocs, root / CONFIG_FILE, temp, as_of) as mkdocs_part:
            memo = Memo() if cache else NO_MEMO
            prepared, data_problems = prepare(root, settings, as_of, cache, memo)
            problems.extend(data_problems)
            if prepared is None:
                return problems
            with timings.stage("mkdocs (waiting for it)"):
                mkdocs = mkdocs_part.result()
        if mkdocs.config_error:
            problems.add(_mkdocs_config_problem(root / CONFIG_FILE, mkdocs.config_error))
            return problems
        if cache:
            with timings.stage("cache: keep mkdocs' output"):
                cache.keep_mkdocs(temp, mkdocs.site_url, mkdocs.content_urls)
        try:
            made = generate(
                SiteFiles(temp), prepared.ctx, mkdocs.site_url, mkdocs.content_urls, workers,
                cache_folder=cache.folder if cache else None, keep_memo=cache.keep_memo if cache else None,
            )
            with timings.stage("swap in"):
                swap_in(temp, out, build_lock(root) if cache else None)
        except OSError as exc:  # a full disk, a folder made read-only meanwhile: the old site stays
            problems.add(problem("file.output", _shown(out, root), 1, 1, "", "", f"无法写入输出目录（{_reason(exc)}）"))
            return problems
        built = True
        report.mode = "full"
        if cache:
            with timings.stage("cache: save"):
                with contextlib.suppress(OSError):  # a site that cannot be walked leaves no state: a full build next
                    cache.save_state(live_files.walk(out), made.fingerprints, made.memos, memo.tables())
                cache.save_shared()
        quick_exit.hold(prepared, memo, made)
    finally:
        if not built:  # invalid data or a failure: leave no trace, not even the parent directories
            shutil.rmtree(temp, ignore_errors=True)
            _remove_empty(created)
    return problems


def _mkdocs_config_problem(config_path: Path, said: str) -> Problem:
    """mkdocs names the setting it refused ("Config value 'nav': …"): point at that setting's line."""
    setting = re.match(r"Config value '([^']+)'", said)
    line = line_of(config_path, setting.group(1) + ":", 1) if setting else 1
    key = setting.group(1) if setting else ""
    return problem("config.invalid", config_path.name, line, 1, "", key, f"mkdocs 无法使用站点配置：{said}")


def _unsafe_output(root: Path, out: Path, settings: Settings) -> str:
    """Why `out` must not be built into ('' when it may): the build replaces the whole output
    directory, so it must not be, hold or sit inside the project's own inputs."""
    inputs = [root / settings.data_dir, root / settings.content_dir, root / "theme", root / CONFIG_FILE, root / CACHE_DIR]
    if root.is_relative_to(out):
        return "输出目录不能是项目目录或它的上级目录：构建会用网站替换整个输出目录"
    for source in inputs:
        if out.is_relative_to(source.resolve()):
            return f"输出目录不能在 {source.relative_to(root).as_posix()} 之内：那是网站的源文件"
    if out.exists() and not out.is_dir():
        return "输出路径是一个已有的文件，不是目录"
    if out.is_dir() and not _replaceable(out):
        return (f"输出目录中已有其他文件，但不是以前生成的网站（没有 {SITE_SIGNATURE}，或含有 .git）：构建会替换整个目录，"
                "为免误删，请指定新目录、空目录或以前生成的网站目录")
    return ""


# Every site the build writes holds this file; a directory without it is somebody else's.
SITE_SIGNATURE = "data/manifest.json"


def _replaceable(out: Path) -> bool:
    """An empty directory, or a site an earlier build wrote (and not also a git checkout, such as a
    gh-pages worktree): the only directories a build replaces."""
    if (out / ".git").exists():
        return False
    return (out / SITE_SIGNATURE).is_file() or not any(out.iterdir())


def _shown(out: Path, root: Path) -> str:
    return out.relative_to(root).as_posix() if out.is_relative_to(root) else out.as_posix()


_REASONS = {
    errno.EEXIST: "路径中有同名的文件",
    errno.ENOTDIR: "路径中有同名的文件",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "文件系统只读",
    errno.ENOSPC: "磁盘空间不足",
}


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__


def _remove_empty(folders: list[Path]) -> None:
    """Remove the directories a failed build created (deepest first), if still empty."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def swap_in(new: Path, out: Path, lock: Path | None = None) -> None:
    """Replace `out` by `new`: the old tree is renamed aside first, so at every moment one whole site
    exists; it is deleted only once the new one is in place (`discard`: `lock` is the build lock of
    the project, if builds hold one)."""
    new.chmod(0o755)  # mkdtemp creates 0700; a web server must be able to read the site
    if not out.exists():
        os.replace(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(old)
    os.replace(out, old)
    try:
        os.replace(new, out)
    except OSError:
        os.replace(old, out)
        raise
    discard(old, lock)


# Below this many entries (files and folders) the old site is deleted at once; above, by a
# detached process, because deleting a 100k-record site (130k files, each record page in its own
# folder) takes minutes on a disk mounted with online discard, and nothing waits for it.
BACKGROUND_DELETE_FROM = 5000


# Where the `generator` package lives: the detached deleter imports it from there.
_PACKAGE_HOME = Path(__file__).resolve().parents[2]


def discard(old: Path, lock: Path | None = None) -> None:
    """Delete a replaced site tree (already renamed aside, so nothing serves or reads it).  A large
    one is left to a detached deleter, which gives way to any build holding `lock` (the project's
    build lock: generator.site.deleter)."""
    if _entries_reach(old, BACKGROUND_DELETE_FROM):
        subprocess.Popen(  # noqa: S603 - our own interpreter, our own module and path
            [sys.executable, "-m", "generator.site.deleter", str(old), *([str(lock)] if lock else [])], cwd=_PACKAGE_HOME,
            start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        return
    shutil.rmtree(old, ignore_errors=True)


def _entries_reach(tree: Path, limit: int) -> bool:
    """Whether `tree` holds at least `limit` files and folders, counted only that far.  Folders
    count as much as files: a site is mostly folders of one page each."""
    seen = 0
    for _, folders, files in os.walk(tree):
        seen += len(folders) + len(files)
        if seen >= limit:
            return True
    return False
