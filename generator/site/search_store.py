"""Every search document of the last build, by URL, in the build cache: a patch build hands the
search index patcher (generator.search.patch) each changed, new or withdrawn document's old version,
so that it need not make every document again to know what changed.

A store belongs to one build: its file name carries a token that the build's state records, so a
store that a failed or interrupted build left behind is never taken for the current one.  Each
row carries a checksum: a row that does not match it reads as missing (StoreDamaged).  Whatever
SQLite itself reports — a file that is not a database, a malformed page, a full disk — is
StoreDamaged too: the store is only a cache, and a damaged one costs a rebuilt index, never a
failed build.
"""

from __future__ import annotations

import contextlib
import pickle
import secrets
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.incremental.keys import short_digest
from generator.search import SearchDoc


class StoreDamaged(Exception):
    """The store cannot give what it was asked for: the caller builds the index afresh."""


def _pack(doc: SearchDoc) -> bytes:
    data = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
    return short_digest(data) + data


def _unpack(blob: bytes) -> SearchDoc:
    data = blob[16:]
    if short_digest(data) != blob[:16]:
        raise StoreDamaged("a stored search document does not match its checksum")
    try:
        doc = pickle.loads(data)  # noqa: S301 - the build cache's own file, checksummed
    except Exception as exc:  # noqa: BLE001 - whatever is wrong, the store cannot be used
        raise StoreDamaged(str(exc)) from exc
    if not isinstance(doc, SearchDoc):
        raise StoreDamaged("a stored search document is not one")
    return doc


@contextlib.contextmanager
def _sqlite_errors() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreDamaged(f"{type(exc).__name__}: {exc}") from exc


class DocStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        with _sqlite_errors():
            self._db = sqlite3.connect(path)
            try:
                self._db.execute("CREATE TABLE IF NOT EXISTS docs (url TEXT PRIMARY KEY, doc BLOB NOT NULL)")
            except sqlite3.Error:
                self._db.close()
                raise

    @classmethod
    def fresh(cls, folder: Path) -> tuple[str, DocStore]:
        """A new, empty store in `folder`, and its token."""
        token = secrets.token_hex(8)
        folder.mkdir(parents=True, exist_ok=True)
        return token, cls(folder / f"search-docs-{token}.sqlite")

    @classmethod
    def existing(cls, folder: Path, token: str) -> DocStore | None:
        """The store of the build that made `token`, or None when it is gone or unreadable."""
        path = folder / f"search-docs-{token}.sqlite"
        if not path.is_file():
            return None
        try:
            return cls(path)
        except StoreDamaged:
            return None

    def put(self, docs: Iterable[SearchDoc]) -> None:
        rows = ((d.url, _pack(d)) for d in docs)
        with _sqlite_errors(), self._db:
            self._db.executemany("INSERT OR REPLACE INTO docs VALUES (?, ?)", rows)

    def remove(self, urls: Iterable[str]) -> None:
        with _sqlite_errors(), self._db:
            self._db.executemany("DELETE FROM docs WHERE url = ?", ((u,) for u in urls))

    def get(self, urls: Iterable[str]) -> dict[str, SearchDoc]:
        out = {}
        with _sqlite_errors():
            for url in urls:
                row = self._db.execute("SELECT doc FROM docs WHERE url = ?", (url,)).fetchone()
                if row is None:
                    raise StoreDamaged(f"no stored search document for {url}")
                out[url] = _unpack(row[0])
        return out

    def urls(self) -> set[str]:
        with _sqlite_errors():
            return {url for (url,) in self._db.execute("SELECT url FROM docs")}

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.close()


def drop_other_stores(folder: Path, keep: str) -> None:
    """Delete the stores of earlier builds."""
    for path in folder.glob("search-docs-*.sqlite"):
        if path.name != f"search-docs-{keep}.sqlite":
            with contextlib.suppress(OSError):
                path.unlink()
