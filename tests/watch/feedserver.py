"""A scripted HTTP server on loopback for feed tests (one route per behaviour)."""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = Callable[[BaseHTTPRequestHandler], None]


class FeedServer(ThreadingHTTPServer):
    """Serve ``routes[path](handler)``; count hits per path; stop hanging handlers on close."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[dict[str, str]] = []
        self.stop = threading.Event()
        super().__init__((host, 0), _Handler)

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, status: int = 200, body: bytes = b"", **headers: str) -> None:
        """Serve a fixed response at ``path``."""

        def handler(request: BaseHTTPRequestHandler) -> None:
            send(request, status, body, headers)

        self.routes[path] = handler


def send(request: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict) -> None:
    """Write a complete response."""
    request.send_response(status)
    for name, value in headers.items():
        request.send_header(name.replace("_", "-"), value)
    if "Content-Length" not in {n.replace("_", "-") for n in headers}:
        request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    request.wfile.write(body)


class _Handler(BaseHTTPRequestHandler):
    server: FeedServer

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.hits[path] += 1
        self.server.requests.append({"path": self.path, **dict(self.headers)})
        route = self.server.routes.get(path)
        if route is None:
            send(self, 404, b"not found", {})
            return
        with contextlib.suppress(OSError):
            route(self)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(host: str = "127.0.0.1") -> Iterator[FeedServer]:
    """Run a FeedServer in a thread for the duration of the block."""
    server = FeedServer(host)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
