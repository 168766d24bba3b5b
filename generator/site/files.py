"""Where the generator reads mkdocs' pages from and writes the site to.

A full build writes into a fresh directory that mkdocs has just filled: `base` and `out` are one.
A patch build (generator.incremental) writes into the live site instead: mkdocs' pages come from
the build cache's copy (`base`), a file is replaced only when its bytes differ — through a
temporary file and a rename, so a visitor never reads half of one — and every path the build makes
is recorded (`produced`), so that the files no longer made can be removed at the end.  Generation
code reads and writes through this object and never needs to know which build it is part of.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from generator.incremental.store import write_atomic


def _write_plain(path: str, data: bytes) -> None:
    # Plain os calls: with 100k pages, pathlib's per-call overhead is measurable.
    folder = os.path.dirname(path)
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def tree_files(folder: Path) -> list[str]:
    """Every file under `folder`, as sorted folder-relative POSIX paths.  os.walk, not rglob: the
    search index alone has ~20k files at 100k records, and pathlib costs a second over them."""
    out = []
    for top, _dirs, names in os.walk(folder):
        rel = os.path.relpath(top, folder)
        out += [name if rel == "." else f"{rel}/{name}".replace(os.sep, "/") for name in names]
    return sorted(out)


def _normal(rel: str) -> str:
    """One spelling per file ("./index.html" is "index.html"), so that what was made is recognised."""
    return posixpath.normpath(rel) if rel.startswith(".") or "/." in rel or "//" in rel else rel


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


class SiteFiles:
    def __init__(self, out: Path, base: Path | None = None) -> None:
        self.out = out
        self.base = base if base is not None else out
        self.patching = base is not None
        self.produced: set[str] = set()
        self.changed: set[str] = set()  # patch builds: the paths whose bytes this build replaced
        self.made_pages = 0  # pages made afresh through this view (site.page_tasks.make_page)
        self._earlier: frozenset[str] = frozenset()  # made before this view was taken (child views)

    def child(self) -> SiteFiles:
        """A view for one task (in a worker process): it reports only what the task makes, and reads
        what was made before it was taken (the home page) as made."""
        view = SiteFiles(self.out, self.base if self.patching else None)
        view._earlier = self._earlier | self.produced
        return view

    def write(self, rel: str, data: bytes) -> None:
        rel = _normal(rel)
        self.produced.add(rel)
        target = os.path.join(self.out, rel)
        if not self.patching:
            _write_plain(target, data)
        elif not _same_bytes(target, data):
            write_atomic(Path(target), data)
            self.changed.add(rel)

    def write_text(self, rel: str, text: str) -> None:
        self.write(rel, text.encode("utf-8"))

    def keep(self, rel: str) -> None:
        """A file the previous build made exactly as this one would (known by its inputs'
        fingerprint): it stays as it is."""
        self.produced.add(_normal(rel))

    def _made(self, rel: str) -> bool:
        return rel in self.produced or rel in self._earlier

    def read_text(self, rel: str) -> str:
        """A page mkdocs rendered — or, once this build has written it, what it wrote."""
        rel = _normal(rel)
        if self.patching and not self._made(rel):
            return (self.base / rel).read_text(encoding="utf-8")
        return (self.out / rel).read_text(encoding="utf-8")

    def exists(self, rel: str) -> bool:
        rel = _normal(rel)
        if self.patching and not self._made(rel):
            return (self.base / rel).exists()
        return (self.out / rel).exists()

    def merge(self, produced: set[str], changed: set[str]) -> None:
        """What a worker process wrote through its own copy of this object."""
        self.produced |= produced
        self.changed |= changed
