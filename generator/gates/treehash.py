"""One hash for a whole built site: the publish workflow compares it with the deployed site's to
decide whether a scheduled build changed anything. Usage: python -m generator.gates.treehash SITE [--write]
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from generator.gates.sitefiles import rel, site_files

HASH_FILE = "build-hash.txt"  # written into the site after the gates; not part of its own hash


def tree_hash(site: Path) -> str:
    digest = hashlib.sha256()
    for file in site_files(site):
        name = rel(site, file)
        if name == HASH_FILE:
            continue
        content = hashlib.sha256(file.read_bytes()).hexdigest()
        digest.update(f"{name}\0{content}\n".encode())
    return digest.hexdigest()


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    site = Path(argv[0])
    value = tree_hash(site)
    if "--write" in argv[1:]:
        (site / HASH_FILE).write_text(value + "\n", encoding="ascii")
    print(value)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
