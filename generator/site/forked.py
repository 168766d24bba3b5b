"""Run one function in a forked child process while the parent goes on with other work.

The build uses it to let mkdocs render its own pages and the page shells (which need no record)
while the parent loads and checks the data.  Where fork is unavailable the call simply runs
in-process when its result is asked for.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class ChildFailed(RuntimeError):
    """The function raised in the child; the message carries the child's exception."""


def _child(conn: Any, fn: Callable[..., Any], args: tuple) -> None:
    try:
        conn.send(("ok", fn(*args)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it there
        conn.send(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    finally:
        conn.close()


class Forked(Generic[T]):
    def __init__(self, fn: Callable[..., T], *args: Any) -> None:
        self._fn, self._args = fn, args
        self._proc = None
        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self._conn, child_conn = context.Pipe(duplex=False)
            self._proc = context.Process(target=_child, args=(child_conn, fn, args), daemon=True)
            self._proc.start()
            child_conn.close()

    def result(self) -> T:
        if self._proc is None:
            return self._fn(*self._args)
        try:
            message = self._conn.recv()
        except EOFError:
            message = ("error", f"子进程异常退出（退出码 {self._proc.exitcode}）", "")
        finally:
            self._proc.join()
            self._proc = None
        if message[0] == "error":
            raise ChildFailed(message[1] + ("\n" + message[2] if message[2] else ""))
        return message[1]

    def cancel(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.join()
            self._proc = None
