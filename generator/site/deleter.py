"""`python -m generator.site.deleter FOLDER [BUILD_LOCK]`: delete a replaced site tree, detached
from the build that replaced it (generator.site.build.discard).

Every build also hands any `.site.old-*` folder it finds to a deleter (a killed deleter must not
leave one for good), so while one deleter is still at work on a 130k-file tree, later builds start
others on the same folder.  The first holds a lock on the folder; the others see it and leave at
once, instead of walking the same tree side by side and taking the CPU the builds need.

A deleter also gives way to builds: the deletion of a 100k-record site takes a minute or more, and
the patch build that staff start right after a full build would otherwise share the machine with
it (10.5–11.5 s instead of 9).  BUILD_LOCK is the file a build of the project holds while it runs
(generator.site.build_cache.exclusive); between small batches of deletions the deleter looks
whether a build holds it, and if so waits until that build is done.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys

BATCH = 200  # entries deleted between two looks at the build lock (a few ms of work)


def delete(folder: str, build_lock: str | None = None) -> bool:
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
        if build_lock:
            _delete_between_builds(folder, build_lock)
        shutil.rmtree(folder, ignore_errors=True)  # what is left (or all of it, without a build lock)
    finally:
        os.close(handle)  # the lock goes with it
    return True


def _delete_between_builds(folder: str, build_lock: str) -> None:
    """Delete the tree bottom-up, waiting for any build of the project between batches."""
    try:
        lock = os.open(build_lock, os.O_RDONLY)
    except OSError:
        return  # no build lock: nobody to give way to
    try:
        done = 0
        for parent, folders, files in os.walk(folder, topdown=False):
            for name in files + folders:
                if done % BATCH == 0:
                    _wait_for_builds(lock)
                done += 1
                path = os.path.join(parent, name)
                with contextlib.suppress(OSError):
                    if name in folders and not os.path.islink(path):
                        os.rmdir(path)
                    else:
                        os.unlink(path)
    finally:
        os.close(lock)


def _wait_for_builds(lock: int) -> None:
    """Return at once when no build holds the lock, else once the build is done.  A shared lock,
    taken and dropped at once: a build asking for its exclusive lock meanwhile waits a moment at
    most (one batch), never for the whole deletion."""
    import fcntl

    fcntl.flock(lock, fcntl.LOCK_SH)  # blocks while a build holds it exclusively
    fcntl.flock(lock, fcntl.LOCK_UN)


if __name__ == "__main__":
    # At the lowest priority: the next build, which may start at once, needs the cores more.  (On
    # Linux the disk scheduler derives this process's I/O priority from it too, where it has one.)
    os.nice(19)
    delete(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
