"""The build cache on disk: named blobs, each checksummed and tagged with the key it is valid for.

A blob is written to a temporary file and renamed into place, so a reader sees the old blob or the
new one, never half of one.  A blob that is missing, truncated, altered, written by another cache
format or for another key reads as None: the caller then computes afresh.  Nothing read from the
cache is trusted without that check — a corrupt cache costs a full build, never a wrong site.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import os
import pickle
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MAGIC = b"GKCACHE3\n"
_DIGEST = 32


def _checksum(payload: bytes) -> bytes:
    # SHA-256, not BLAKE2b: with the SHA extensions of current x86 and ARM processors it checks
    # the ~160 MB a 100k patch build reads twice as fast (70 ms per 100 MB here against 140).
    return hashlib.sha256(payload).digest()


def dump_blob(key: str, value: Any) -> bytes:
    payload = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
    return MAGIC + _checksum(payload) + payload


def load_blob(data: bytes, key: str) -> Any | None:
    """The value in `data` if it is an intact blob for `key`, else None."""
    head = len(MAGIC) + _DIGEST
    if len(data) < head or not data.startswith(MAGIC):
        return None
    payload = data[head:]
    if _checksum(payload) != data[len(MAGIC) : head]:
        return None
    try:
        stored_key, value = pickle.loads(payload)  # noqa: S301 - our own checksummed file
    except Exception:  # noqa: BLE001 - an unreadable blob is a cache miss, whatever the reason
        return None
    return value if stored_key == key else None


@contextlib.contextmanager
def loading() -> Iterator[None]:
    """Around reading a large cache, or making the data a build keeps to its end: unpickling or
    making a few hundred thousand objects triggers the cycle collector again and again (it counts
    allocations), and each pass walks everything made so far.  So it is paused meanwhile, and what
    was made is then frozen (moved out of the collector's sight): it lives until the build ends
    anyway.  Freezing before the build forks its workers also spares them walking those objects
    in their own collections, and copying every object's page when the collector would touch it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


_TEMP_NAMES = itertools.count()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same directory and a rename, so that
    a reader (a visitor of the live site, the next build) sees the old file or the new one.  The
    temporary file is opened as any file is (not with mkstemp, whose mode 0600 would make a patched
    page unreadable to a web server running as another user: a full build's files are 0644 under
    the usual umask); its name carries the process, a counter and a random part, so writers never
    share one."""
    # The random part: a temporary file a killed process left under the same pid and count
    # (pid 1 in a container) must not stop every later write.
    temp = path.with_name(f".{path.name}.{os.getpid()}-{next(_TEMP_NAMES)}-{secrets.token_hex(4)}.tmp")
    try:
        handle = open(temp, "xb")  # noqa: SIM115 - closed below, before the rename
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(temp, "xb")  # noqa: SIM115
    try:
        with handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _named(name: str, key: str) -> str:
    # A blob is valid for its key under its own name only: two blobs swapped (a restored cache
    # mixing files, a hand's mistake) read as missing, not as each other.
    return f"{name}\n{key}"


class Store:
    """One folder of blobs.  Every operation that fails on the file system degrades to "no cache":
    a read-only or full disk never stops a build."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.pkl"

    def load(self, name: str, key: str) -> Any | None:
        try:
            data = self.path(name).read_bytes()
        except OSError:
            return None
        return load_blob(data, _named(name, key))

    def save(self, name: str, key: str, value: Any) -> bool:
        try:
            write_atomic(self.path(name), dump_blob(_named(name, key), value))
        except OSError:
            return False
        return True

    def remove(self, name: str) -> None:
        with contextlib.suppress(OSError):
            self.path(name).unlink()

    def names(self, prefix: str) -> set[str]:
        """The blob names starting with `prefix` (e.g. "groups/")."""
        folder = self.folder / prefix
        try:
            return {f"{prefix}{p.stem}" for p in folder.iterdir() if p.suffix == ".pkl"}
        except OSError:
            return set()
