"""Every search document of the last build, by URL, in the build cache: a patch build hands the
search index patcher (generator.search.patch) each changed document's old version, and rebuilds
the index from these when it cannot patch it, without making 100k documents again.

A store belongs to one build: its file name carries a token that the build's state records, so a
store that a failed or interrupted build left behind is never taken for the current one.  Each
row carries a checksum: a row that does not match it reads as missing (StoreDamaged).
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


class DocStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS docs (url TEXT PRIMARY KEY, doc BLOB NOT NULL)")

    @classmethod
    def fresh(cls, folder: Path) -> tuple[str, DocStore]:
        """A new, empty store in `folder`, and its token."""
        token = secrets.token_hex(8)
        folder.mkdir(parents=True, exist_ok=True)
        return token, cls(folder / f"search-docs-{token}.sqlite")

    @classmethod
    def existing(cls, folder: Path, token: str) -> DocStore | None:
        path = folder / f"search-docs-{token}.sqlite"
        return cls(path) if path.is_file() else None

    def put(self, docs: Iterable[SearchDoc]) -> None:
        rows = ((d.url, _pack(d)) for d in docs)
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO docs VALUES (?, ?)", rows)

    def remove(self, urls: Iterable[str]) -> None:
        with self._db:
            self._db.executemany("DELETE FROM docs WHERE url = ?", ((u,) for u in urls))

    def get(self, urls: Iterable[str]) -> dict[str, SearchDoc]:
        out = {}
        for url in urls:
            row = self._db.execute("SELECT doc FROM docs WHERE url = ?", (url,)).fetchone()
            if row is None:
                raise StoreDamaged(f"no stored search document for {url}")
            out[url] = _unpack(row[0])
        return out

    def urls(self) -> set[str]:
        return {url for (url,) in self._db.execute("SELECT url FROM docs")}

    def all(self) -> Iterator[SearchDoc]:
        for (blob,) in self._db.execute("SELECT doc FROM docs"):
            yield _unpack(blob)

    def close(self) -> None:
        self._db.close()


def drop_other_stores(folder: Path, keep: str) -> None:
    """Delete the stores of earlier builds."""
    for path in folder.glob("search-docs-*.sqlite"):
        if path.name != f"search-docs-{keep}.sqlite":
            with contextlib.suppress(OSError):
                path.unlink()
