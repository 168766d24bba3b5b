"""What a cached result depends on besides the records themselves, as short digests.

The code version covers every file of the generator package (templates, scripts and styles too)
and the versions of the libraries whose output ends up in the site, so a changed template or an
upgraded mkdocs-material can never be served from a cache written by the old one.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import generator

# Libraries whose behaviour shapes the output (rendering, parsing, numbers, search encoding).
_LIBRARIES = ("mkdocs", "mkdocs-material", "jinja2", "pydantic", "pyyaml", "pandas", "numpy", "markdown",
              "pymdown-extensions", "chinese-calendar", "zhconv", "pyahocorasick", "openpyxl")


# The build cache's digests are SHA-256 cut to 16 bytes, not BLAKE2b: with the SHA extensions of
# current x86 and ARM processors it is twice as fast on large inputs (56 against 106 ms per 100 MB
# here: an edited year file is digested whole and record by record) and a fifth faster on the
# small ones (page keys, 100k of them per build).
_SIZE = 16


def short_digest(data: bytes) -> bytes:
    """16 bytes naming `data`."""
    return hashlib.sha256(data).digest()[:_SIZE]


def digest_bytes(*parts: str | bytes) -> bytes:
    """16 bytes naming the parts in order (each length-prefixed, so ("ab", "c") ≠ ("a", "bc"))."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()[:_SIZE]


def digest(*parts: str | bytes) -> str:
    return digest_bytes(*parts).hex()


@functools.cache
def code_version() -> str:
    package = Path(generator.__file__).parent
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    parts: list[str | bytes] = []
    for path in files:
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    for name in _LIBRARIES:
        try:
            parts.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} absent")
    return digest(*parts)


def tree_digest(paths: Iterable[Path], root: Path) -> str:
    """Digest of files and directory trees: every file's path (relative to root) and bytes.  A
    missing path counts as such, so creating it later changes the digest."""
    parts: list[str | bytes] = []
    for top in paths:
        if top.is_file():
            parts += [_shown(top, root), top.read_bytes()]
            continue
        if not top.is_dir():
            parts.append(f"absent:{_shown(top, root)}")
            continue
        for folder, dirs, names in os.walk(top):
            dirs.sort()
            for name in sorted(names):
                path = Path(folder) / name
                parts += [_shown(path, root), path.read_bytes()]
    return digest(*parts)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
