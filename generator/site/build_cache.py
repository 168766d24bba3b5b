"""The build cache of one output directory: what a patch build needs from the build before it.

A build writes the whole site; the next build with the same code, configuration, narrative pages,
theme, holiday files and as-of date — only records changed — can instead *patch* the live site
(generator.site.build): it gets mkdocs' pages from the copy kept here, keeps every page whose
inputs have the fingerprint recorded here, replaces the files whose bytes differ and removes the
files no longer made.  Everything here is checked before it is used:

- every blob carries a checksum and the key it was written for (generator.incremental.store);
- the state names the site it describes by a digest of the files that change whenever the site
  does (the data manifest, which lists every record's hash, the sitemap, the feed, the search
  index's meta.json): another site at the same path — an older copy, another project's — is not
  patched, while the same site restored from a CI cache is;
- it records every file of the site with its size and time, and a patch build compares the live
  site with that record before it writes (generator.site.live_files): a file deleted, cut short,
  edited or added by hand since makes the build a full one;
- a marker is written before a patch build starts touching the site and removed only once its
  new state is saved: a patch build that was interrupted leaves the marker, and the next build
  is a full one.

The validation cache (generator.incremental.records) lives beside it with its own key (code and
settings only), so a new as-of date still reads unchanged records from it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.history import History, read_history
from generator.incremental.keys import code_version, digest, tree_digest
from generator.incremental.records import RecordCache
from generator.incremental.store import Store, write_atomic
from generator.opendata.changelog import DayChange, power_item_changes
from generator.site import live_files
from generator.site.live_files import Stat

CACHE_DIR = ".gongkai-cache"
DISABLE_ENV = "GONGKAI_NO_CACHE"  # set (to anything) to build without reading or writing a cache


@dataclass
class BuildState:
    """What the last complete build of this output made."""

    site: str  # the site's signature (`_signature`): which site this is the state of
    files: dict[str, Stat]  # every file of the site, site-relative, with its size and time (live_files)
    # page URL → (its key's fingerprint, its inputs' fingerprint): site.page_tasks.plan_pages
    fingerprints: dict[str, tuple[bytes | None, bytes | None]] = field(default_factory=dict)
    memos: Mapping[str, Any] = field(default_factory=dict)  # generation tasks' memos (site.tasks.TaskResult)
    record_memo: dict[str, Any] = field(default_factory=dict)  # values by record digest (incremental.memo)


@dataclass(frozen=True)
class MkdocsCopy:
    """mkdocs' own output for the current inputs, as the build that made it left it aside."""

    folder: Path
    site_url: str
    content_urls: list[str]


@dataclass(frozen=True)
class _StateIndex:
    """The "state" blob: which site the state is of, and the blob holding each of its parts."""

    site: str
    parts: dict[str, str]  # part label (`_parts`) → blob name


_PARTS = "state-parts/"  # the parts' blobs, each under a fresh name: the index is swapped in last


@dataclass(frozen=True)
class PartRef:
    """A part of the state already in the cache, by its blob: a task's memo that the worker which
    made it kept there (`BuildCache.keep_memo`), so that it does not travel to the parent."""

    blob: str


class _Memos(Mapping[str, Any]):
    """The tasks' memos of the last build, each read from its blob when first asked for — in the
    process that asks: a task reads its own in its worker, and the parent reads none of the large
    ones.  An unreadable memo is as good as none: its task then works without it."""

    def __init__(self, cache: BuildCache, names: list[str]) -> None:
        self._cache, self._names = cache, names

    def __getitem__(self, name: str) -> Any:  # noqa: ANN401 - each task's own memo type
        value = self._cache._part(f"memo:{name}") if name in self._names else None
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _parts(
    files: dict[str, Stat], fingerprints: dict[str, Any], memos: dict[str, Any], record_memo: dict[str, Any],
    read: Mapping[str, Any],
) -> dict[str, Any]:
    """The state cut where a patch build's changes fall: a one-record change alters the file list
    (the times of the files it wrote), the fingerprints, a task memo or two and one or two shards
    of each record memo table, and leaves the rest as they were.  `read`: the parts the build
    started from."""
    return {
        "files": live_files.pack(files),
        "fingerprints": fingerprints,
        **{f"memo:{name}": value for name, value in memos.items()},
        **{
            f"record-memo:{name}:{number}": shard
            for name, table in record_memo.items()
            for number, shard in enumerate(_shards(table, [read.get(f"record-memo:{name}:{n}") for n in range(_MEMO_SHARDS)]))
        },
    }


# Each record memo table (100k entries at 100k records) is kept in this many shards by record
# digest, so that one changed record rewrites two shards (its old and new digest's) of each.
_MEMO_SHARDS = 16


def _shard_of(key: Any) -> int:  # noqa: ANN401 - a digest or (digest, extra)
    digest = key if isinstance(key, bytes) else key[0]
    return digest[0] % _MEMO_SHARDS if digest else 0


def _shards(table: dict[Any, Any], previous: list[Any]) -> list[dict[Any, Any]]:
    """`table` in shards.  When the `previous` build's shards of the table are all there, only
    those holding a key that came or went are copied and changed; the others are passed on as they
    are (the save then finds them equal): putting 100k entries into shards again took a quarter
    of a second.  A key both tables hold has the same value in both (MemoTable.get keeps it)."""
    if not all(isinstance(shard, dict) for shard in previous):
        shards: list[dict[Any, Any]] = [{} for _ in range(_MEMO_SHARDS)]
        for key, value in table.items():
            shards[_shard_of(key)][key] = value
        return shards
    shards = list(previous)
    had = set().union(*previous)
    gone, came = had - table.keys(), table.keys() - had
    for number in {_shard_of(key) for key in gone | came}:
        shards[number] = dict(previous[number])
    for key in gone:
        del shards[_shard_of(key)][key]
    for key in came:
        shards[_shard_of(key)][key] = table[key]
    return shards


def _record_memo(parts: dict[str, Any]) -> dict[str, dict[Any, Any]]:
    tables: dict[str, dict[Any, Any]] = {}
    for label, shard in parts.items():
        if label.startswith("record-memo:"):
            tables.setdefault(label.removeprefix("record-memo:").rsplit(":", 1)[0], {}).update(shard)
    return tables


# Files that change whenever the site changes: together they tell one site from another.
_SIGNATURE_FILES = ("data/manifest.json", "sitemap.xml", "feed.xml", "search/index/meta.json")


def _signature(site: Path) -> str | None:
    parts: list[str | bytes] = []
    for rel in _SIGNATURE_FILES:
        try:
            parts += [rel, (site / rel).read_bytes()]
        except OSError:
            return None  # not a complete site: nothing to patch
    return digest(*parts)


def build_lock(root: Path) -> Path:
    """The file a build of the project at `root` holds while it runs (`exclusive`)."""
    return root / CACHE_DIR / "lock"


@contextlib.contextmanager
def exclusive(root: Path) -> Iterator[None]:
    """Held by a build that uses the cache, for all of its run: a second build of the project (a
    `serve` rebuild while someone runs `build`) waits, rather than both patching one site or
    pruning records the other still needs.  Without flock (not POSIX), builds are not guarded."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - POSIX only
        yield
        return
    lock = build_lock(root)
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        if lock.is_dir() and not lock.is_symlink():  # not ours to keep: the cache is, and needs guarding
            shutil.rmtree(lock)
        handle = open(lock, "a+b")  # noqa: SIM115 - held across the yield
    except OSError:
        yield  # no cache can be written either: nothing to guard
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _git_head(root: Path) -> str | None:
    """The commit checked out (the git history the build reads ends there), None outside git."""
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode().strip() if done.returncode == 0 else None


class BuildCache:
    def __init__(self, root: Path, out: Path, settings_repr: str, config_file: Path, data_dir: Path,
                 content_dir: Path, as_of: dt.date) -> None:
        self.root = root
        self.out = out
        store = Store(root / CACHE_DIR)
        self.records = RecordCache(store, digest("records", code_version(), settings_repr))
        self._shared = store
        self._new_history: tuple[str, Any] | None = None
        # One folder per output location: building into site/ and into preview/ keep separate states.
        self.folder = root / CACHE_DIR / "sites" / digest(str(out))[:16]
        self.store = Store(self.folder)
        theme = root / "theme"
        self.mkdocs_key = digest(
            "mkdocs", code_version(), settings_repr, as_of.isoformat(),
            tree_digest([config_file, content_dir, theme], root),
        )
        self.key = digest("site", self.mkdocs_key, str(out), tree_digest([data_dir / "holidays"], root))
        self._blobs: dict[str, str] = {}  # the last build's state: part label → blob
        self._read: dict[str, Any] = {}  # the parts read so far (in this process): label → value

    @classmethod
    def open(cls, root: Path, out: Path, settings_repr: str, config_file: Path, data_dir: Path,
             content_dir: Path, as_of: dt.date) -> BuildCache | None:
        if os.environ.get(DISABLE_ENV):
            return None
        return cls(root, out, settings_repr, config_file, data_dir, content_dir, as_of)

    # --- the git history ---------------------------------------------------------------------------

    def git_history(self, data_dir: str) -> tuple[History, list[DayChange] | None]:
        """The records' and the power items' git history (generator.history, opendata.changelog):
        read from git once per commit — at 100k records that takes seconds — and kept by the commit
        it ends at (it reads committed files only, so edits not yet committed leave it as it is)."""
        head = _git_head(self.root)
        if head is None:  # not a checkout: there is no history to read, and nothing to keep
            return read_history(self.root, data_dir), power_item_changes(self.root, data_dir)
        key = digest("history", code_version(), data_dir, head)
        cached = self._shared.load("history", key)
        if isinstance(cached, tuple):
            return cached
        value = (read_history(self.root, data_dir), power_item_changes(self.root, data_dir))
        self._new_history = (key, value)
        return value

    def save_shared(self) -> None:
        """Keep what this build learned for the next one: the records it checked, the history."""
        self.records.save()
        if self._new_history is not None:
            self._shared.save("history", *self._new_history)

    # --- mkdocs' part ----------------------------------------------------------------------------

    def mkdocs_copy(self) -> MkdocsCopy | None:
        """The copy, if it is whole: its files must have the digest recorded when it was made."""
        said = self.store.load("mkdocs", self.mkdocs_key)
        folder = self.folder / "mkdocs"
        if not isinstance(said, tuple) or len(said) != 3 or not folder.is_dir():
            return None
        site_url, content_urls, files_digest = said
        try:
            if tree_digest([folder], folder) != files_digest:
                return None
        except OSError:  # a file of the copy cannot be read: no copy
            return None
        return MkdocsCopy(folder, site_url, list(content_urls))

    def keep_mkdocs(self, rendered: Path, site_url: str, content_urls: list[str]) -> None:
        """Copy what mkdocs rendered (before generation fills it in) for later patch builds."""
        self.store.remove("mkdocs")  # the copy is being replaced: no state may point at half of it
        folder = self.folder / "mkdocs"
        try:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(rendered, folder)
            files_digest = tree_digest([folder], folder)
        except OSError:
            return
        self.store.save("mkdocs", self.mkdocs_key, (site_url, list(content_urls), files_digest))

    # --- the last build's state ------------------------------------------------------------------

    @property
    def _marker(self) -> Path:
        return self.folder / "patching"

    def state(self) -> BuildState | None:
        """The last build's state, when it can be patched: written for these inputs, for the very
        directory at the output path, and not left behind by an interrupted patch build.  The
        tasks' memos are read when asked for (`_Memos`); everything else is read now, and a part
        missing or altered means nothing of the state is trusted."""
        try:
            if os.path.lexists(self._marker) or not os.access(self.folder, os.R_OK | os.X_OK):
                return None
        except OSError:
            return None
        index = self.store.load("state", self.key)
        if not isinstance(index, _StateIndex) or index.site != _signature(self.out):
            return None
        if not {"files", "fingerprints"} <= index.parts.keys():
            return None
        self._blobs, self._read = dict(index.parts), {}
        now = [label for label in index.parts if not label.startswith("memo:")]
        if any(self._part(label) is None for label in now):
            self._blobs = {}
            return None
        parts = {label: self._read[label] for label in now}
        files = live_files.unpack(*parts["files"]) if isinstance(parts["files"], tuple) and len(parts["files"]) == 2 else None
        if files is None or not isinstance(parts["fingerprints"], dict):
            self._blobs = {}
            return None  # written by another layout of the state
        memos = _Memos(self, [label.removeprefix("memo:") for label in index.parts if label.startswith("memo:")])
        return BuildState(index.site, files, parts["fingerprints"], memos, _record_memo(parts))

    def _part(self, label: str) -> Any:  # noqa: ANN401 - any part
        """A part of the last build's state (None when it cannot be read), read once per process."""
        if label not in self._read:
            blob = self._blobs.get(label)
            self._read[label] = self.store.load(blob, self.key) if blob else None
        return self._read[label]

    def keep_memo(self, name: str, value: Any) -> Any:  # noqa: ANN401 - each task's own memo type
        """Put a task's memo into the cache, from the process that made it: the previous build's
        blob when it is the same, a new one otherwise.  Returns what stands for it in the state
        (a PartRef; the memo itself if it could not be written)."""
        label = f"memo:{name}"
        if label in self._blobs and self._part(label) == value:
            return PartRef(self._blobs[label])
        blob = f"{_PARTS}{secrets.token_hex(8)}"
        return PartRef(blob) if self.store.save(blob, self.key, value) else value

    def begin_patch(self) -> bool:
        try:
            write_atomic(self._marker, b"a patch build is writing into the site\n")
        except OSError:
            return False
        return True

    def save_state(
        self, files: dict[str, Stat], fingerprints: dict[str, tuple[bytes | None, bytes | None]], memos: dict[str, Any], record_memo: dict[str, Any]
    ) -> None:
        """Keep this build's state for the next.  It is kept in parts (`_parts`), and a part equal
        to the one the build started from is not written again: after a one-record change most
        of the ~50 MB are the same, and pickling them again took most of a second.  The tasks'
        memos come as PartRefs, already kept by their workers (`keep_memo`)."""
        site = _signature(self.out)
        if site is None:
            return
        names = {}
        for label, value in _parts(files, fingerprints, memos, record_memo, self._read).items():
            if isinstance(value, PartRef):
                names[label] = value.blob
                continue
            name = self._blobs.get(label, "")
            if not name or label not in self._read or self._read[label] != value:
                name = f"{_PARTS}{secrets.token_hex(8)}"
                if not self.store.save(name, self.key, value):
                    return
            names[label] = name
        if not self.store.save("state", self.key, _StateIndex(site, names)):
            return
        self._blobs, self._read = {}, {}
        for stale in self.store.names(_PARTS) - set(names.values()):
            self.store.remove(stale)
        with contextlib.suppress(OSError):
            self._marker.unlink()
