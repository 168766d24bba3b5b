"""Run one function in a forked child process while the parent goes on with other work.

The build uses it to let mkdocs render its own pages and the page shells (which need no record)
while the parent loads and checks the data:

    with Forked(run_mkdocs, config, temp, as_of) as mkdocs_part:
        ...                      # the parent's own work
        value = mkdocs_part.result()

Leaving the block without the result (invalid data, an exception, Ctrl-C) stops the child.  Where
fork is unavailable, or fails (no memory or process left for a child), the function simply runs
in-process when its result is asked for.  Only fork
from a process without threads (a forked child inherits locks other threads may hold).
"""

from __future__ import annotations

import multiprocessing
import signal
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class ChildFailed(RuntimeError):
    """The function raised in the child: str() is its exception type and message; `details`
    holds the child's traceback, for GONGKAI_DEBUG only (users never see a traceback)."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


def _child(conn: Any, fn: Callable[..., Any], args: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops us
    try:
        conn.send(("ok", fn(*args)))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it there
        conn.send(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    finally:
        conn.close()


class Forked(Generic[T]):
    def __init__(self, fn: Callable[..., T], *args: Any) -> None:
        self._fn, self._args = fn, args
        self._proc: Any = None
        self._conn: Any = None
        self._finished = False

    def __enter__(self) -> Forked[T]:
        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self._conn, child_conn = context.Pipe(duplex=False)
            self._proc = context.Process(target=_child, args=(child_conn, self._fn, self._args))
            try:
                self._proc.start()
            except OSError:  # ENOMEM, EAGAIN: result() runs it here instead
                self._conn.close()
                self._proc = self._conn = None
            child_conn.close()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cancel()

    def result(self) -> T:
        if self._finished:
            raise RuntimeError("result() was already taken")
        self._finished = True
        if self._proc is None:  # no fork on this platform: run it here, now
            return self._fn(*self._args)
        try:
            message = self._conn.recv()
        except EOFError:
            message = None
        except BaseException:
            self.cancel()
            raise
        self._proc.join()
        code = self._proc.exitcode
        self._release()
        if message is None:
            raise ChildFailed(f"子进程异常退出（退出码 {code}）")
        if message[0] == "error":
            raise ChildFailed(message[1], message[2])
        return message[1]

    def cancel(self) -> None:
        """Stop the child if it still runs; harmless after result()."""
        if self._proc is not None:
            self._proc.terminate()
            self._proc.join()
            self._release()

    def _release(self) -> None:
        self._conn.close()
        self._proc.close()
        self._proc = self._conn = None
