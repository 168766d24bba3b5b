"""A static file server on 127.0.0.1 for the browser gate, serving the site under its own prefix
("/" or "/repo/") exactly as GitHub or GitLab Pages would, so sub-path bugs show up here too."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


class _Handler(SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path: str) -> str:
        route = urlsplit(path).path
        if not route.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")  # 404
        return super().translate_path("/" + route[len(self.prefix) :])

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        pass  # the gate reports what matters; access logs would bury it


@contextlib.contextmanager
def serve(site: Path, prefix: str = "/") -> Iterator[str]:
    """Serve `site` on an ephemeral port; yields the base URL, e.g. http://127.0.0.1:41234/repo/."""
    handler = type("Handler", (_Handler,), {"prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
