"""The `gongkai` process ends without freeing what a build held, its output flushed all the same."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(body: str) -> subprocess.CompletedProcess:
    script = "import logging, sys\nfrom generator import quick_exit\n" + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)


def test_a_process_holding_objects_ends_with_its_code_and_its_output_flushed() -> None:
    done = _run("""
        import atexit
        atexit.register(lambda: print("atexit ran"))  # skipped: the process ends at once
        quick_exit.enable()
        quick_exit.hold([object() for _ in range(10)])
        sys.stdout.write("网站已生成")  # no newline: still in the buffer
        logging.basicConfig(stream=sys.stderr)
        logging.getLogger("mkdocs").warning("警告")
        quick_exit.end(3)
    """)
    assert done.returncode == 3
    assert done.stdout == "网站已生成"
    assert "警告" in done.stderr


def test_without_anything_held_the_process_exits_the_usual_way() -> None:
    done = _run("""
        import atexit
        atexit.register(lambda: print("atexit ran"))
        quick_exit.enable()
        quick_exit.end(4)
    """)
    assert (done.returncode, done.stdout) == (4, "atexit ran\n")


def test_hold_keeps_nothing_unless_enabled() -> None:
    done = _run("""
        import gc, weakref
        class Thing: pass
        thing = Thing()
        gone = weakref.ref(thing)
        quick_exit.hold(thing)
        del thing
        gc.collect()
        print(gone() is None)
    """)
    assert done.stdout == "True\n"
