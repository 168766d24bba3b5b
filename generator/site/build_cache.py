"""The build cache of one output directory: what a patch build needs from the build before it.

A build writes the whole site; the next build with the same code, configuration, narrative pages,
theme, holiday files and as-of date — only records changed — can instead *patch* the live site
(generator.site.build): it gets mkdocs' pages from the copy kept here, keeps every page whose
inputs have the fingerprint recorded here, replaces the files whose bytes differ and removes the
files no longer made.  Everything here is checked before it is used:

- every blob carries a checksum and the key it was written for (generator.incremental.store);
- the state names the output directory it describes by device and inode: another directory at
  the same path (deleted and rebuilt, restored from elsewhere) is not patched;
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
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.incremental.keys import code_version, digest, tree_digest
from generator.incremental.records import RecordCache
from generator.incremental.store import Store, write_atomic

CACHE_DIR = ".gongkai-cache"
DISABLE_ENV = "GONGKAI_NO_CACHE"  # set (to anything) to build without reading or writing a cache


@dataclass
class BuildState:
    """What the last complete build of this output made."""

    site: tuple[int, int]  # (st_dev, st_ino) of the output directory it was written into
    outputs: list[str]  # every file of the site, site-relative
    # page URL → (its key's fingerprint, its inputs' fingerprint): site.generate.plan_pages
    fingerprints: dict[str, tuple[bytes | None, bytes | None]] = field(default_factory=dict)
    memos: dict[str, Any] = field(default_factory=dict)  # generation tasks' memos (site.generate.TaskResult)
    record_memo: dict[str, Any] = field(default_factory=dict)  # values by record digest (incremental.memo)


@dataclass(frozen=True)
class MkdocsCopy:
    """mkdocs' own output for the current inputs, as the build that made it left it aside."""

    folder: Path
    site_url: str
    content_urls: list[str]


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        info = folder.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


class BuildCache:
    def __init__(self, root: Path, out: Path, settings_repr: str, config_file: Path, data_dir: Path,
                 content_dir: Path, as_of: dt.date) -> None:
        self.root = root
        self.out = out
        store = Store(root / CACHE_DIR)
        self.records = RecordCache(store, digest("records", code_version(), settings_repr))
        # One folder per output location: building into site/ and into preview/ keep separate states.
        self.folder = root / CACHE_DIR / "sites" / digest(str(out))[:16]
        self.store = Store(self.folder)
        theme = root / "theme"
        self.mkdocs_key = digest(
            "mkdocs", code_version(), settings_repr, as_of.isoformat(),
            tree_digest([config_file, content_dir, theme], root),
        )
        self.key = digest("site", self.mkdocs_key, str(out), tree_digest([data_dir / "holidays"], root))

    @classmethod
    def open(cls, root: Path, out: Path, settings_repr: str, config_file: Path, data_dir: Path,
             content_dir: Path, as_of: dt.date) -> BuildCache | None:
        if os.environ.get(DISABLE_ENV):
            return None
        return cls(root, out, settings_repr, config_file, data_dir, content_dir, as_of)

    # --- mkdocs' part ----------------------------------------------------------------------------

    def mkdocs_copy(self) -> MkdocsCopy | None:
        said = self.store.load("mkdocs", self.mkdocs_key)
        folder = self.folder / "mkdocs"
        if not isinstance(said, tuple) or not folder.is_dir():
            return None
        site_url, content_urls = said
        return MkdocsCopy(folder, site_url, list(content_urls))

    def keep_mkdocs(self, rendered: Path, site_url: str, content_urls: list[str]) -> None:
        """Copy what mkdocs rendered (before generation fills it in) for later patch builds."""
        self.store.remove("mkdocs")  # the copy is being replaced: no state may point at half of it
        folder = self.folder / "mkdocs"
        try:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(rendered, folder)
        except OSError:
            return
        self.store.save("mkdocs", self.mkdocs_key, (site_url, list(content_urls)))

    # --- the last build's state ------------------------------------------------------------------

    @property
    def _marker(self) -> Path:
        return self.folder / "patching"

    def state(self) -> BuildState | None:
        """The last build's state, when it can be patched: written for these inputs, for the very
        directory at the output path, and not left behind by an interrupted patch build."""
        if self._marker.exists():
            return None
        state = self.store.load("state", self.key)
        if not isinstance(state, BuildState) or state.site != _identity(self.out):
            return None
        return state

    def begin_patch(self) -> bool:
        try:
            write_atomic(self._marker, b"a patch build is writing into the site\n")
        except OSError:
            return False
        return True

    def save_state(
        self, outputs: set[str], fingerprints: dict[str, tuple[bytes | None, bytes | None]], memos: dict[str, Any], record_memo: dict[str, Any]
    ) -> None:
        site = _identity(self.out)
        state = BuildState(site, sorted(outputs), fingerprints, memos, record_memo) if site is not None else None
        if state is not None and self.store.save("state", self.key, state):
            with contextlib.suppress(OSError):
                self._marker.unlink()

    def forget_state(self) -> None:
        self.store.remove("state")
