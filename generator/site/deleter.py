"""`python -m generator.site.deleter FOLDER`: delete a replaced site tree, detached from the build
that replaced it (generator.site.build.discard).

Every build also hands any `.site.old-*` folder it finds to a deleter (a killed deleter must not
leave one for good), so while one deleter is still at work on a 130k-file tree, later builds start
others on the same folder.  The first holds a lock on the folder; the others see it and leave at
once, instead of walking the same tree side by side and taking the CPU the builds need."""

from __future__ import annotations

import os
import shutil
import sys


def delete(folder: str) -> bool:
    """Delete `folder` unless another deleter holds it; whether this one did."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock to take
        shutil.rmtree(folder, ignore_errors=True)
        return True
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return False  # already gone
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        return False  # another deleter is at work on it
    try:
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        os.close(handle)  # the lock goes with it
    return True


if __name__ == "__main__":
    # At the lowest priority: the next build, which may start at once, needs the cores more.  (On
    # Linux the disk scheduler derives this process's I/O priority from it too, where it has one.)
    os.nice(19)
    delete(sys.argv[1])
