"""The benchmark's feed server: N feeds on 127.0.0.1 with a realistic mix of behaviours.

Runs in its own process so that its CPU time and memory are not counted as Veilleur's.
"""

from __future__ import annotations

import gzip
import hashlib
import random
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTML = b"<!DOCTYPE html><html><head><title>Connexion</title></head><body><form>...</form></body></html>"


@dataclass(frozen=True)
class FeedSpec:
    """How feed number ``n`` behaves."""

    kind: str  # ok | slow | silent | fail | redirect | html
    body: int  # index into the bodies
    gzip: bool


def plan(count: int, bodies: int, seed: int = 7) -> list[FeedSpec]:
    """Return the mix: 10% slow (2 s), 2% silent, 5% failing, 5% redirects, 3% HTML, 30% gzip."""
    rng = random.Random(seed)
    kinds = ["slow"] * 10 + ["silent"] * 2 + ["fail"] * 5 + ["redirect"] * 5 + ["html"] * 3
    kinds += ["ok"] * (100 - len(kinds))
    return [
        FeedSpec(kinds[n % 100], n % bodies, rng.random() < 0.3)
        for n in rng.sample(range(count), count)
    ]


class _Server(ThreadingHTTPServer):
    # A class attribute: the constructor calls listen() with it. Set on the instance afterwards
    # (as before) it was ignored, the backlog stayed at 5, and a burst of connections beyond it
    # waited for the kernel's SYN retry (1 s, then 3 s), for Veilleur and the peer alike.
    request_queue_size = 1024
    daemon_threads = True


def serve(specs: list[FeedSpec], paths: list[str], ready, stop) -> None:
    """Serve /feed/<n> until ``stop`` is set; put the port in ``ready``."""
    raw = [open(path, "rb").read() for path in paths]  # noqa: SIM115
    zipped = [gzip.compress(body, 6) for body in raw]
    etags = ['"' + hashlib.sha1(body).hexdigest()[:16] + '"' for body in raw]
    halt = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            parts = self.path.strip("/").split("/")
            number = int(parts[1])
            spec = specs[number]
            if spec.kind == "silent":
                halt.wait(3600)
                return
            if spec.kind == "slow":
                halt.wait(2)
            if spec.kind == "redirect" and parts[0] == "feed":
                self.send_response(301)
                self.send_header("Location", f"/moved/{number}")
                self.end_headers()
                return
            if spec.kind == "fail":
                status = (500, 404, 503, 410, 403)[number % 5]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if spec.kind == "html":
                self._send(HTML, {"Content-Type": "text/html"})
                return
            etag = etags[spec.body]
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            headers = {"Content-Type": "application/xml", "ETag": etag}
            body = raw[spec.body]
            if spec.gzip and "gzip" in (self.headers.get("Accept-Encoding") or ""):
                body = zipped[spec.body]
                headers["Content-Encoding"] = "gzip"
            self._send(body, headers)

        def _send(self, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(200)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = _Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    ready.put(server.server_address[1])
    stop.wait()
    halt.set()
    server.shutdown()
