"""The HTTP mode's WSGI application: Slack's endpoint plus a few plain routes.

``POST /slack/events`` goes to Bolt's WSGI adapter (passed in, so this module stays Slack-free),
but only once this layer has checked Slack's signature on the raw body: an unsigned, stale or
forged request gets 401 before anything parses it, a body over :data:`MAX_BODY_BYTES` gets 413,
and whatever escapes the adapter becomes a 400 with one log line, never a traceback.
``GET /healthz`` reports whether this process can serve, and the features' routes are handed in
(``bot.features.routes()``, for example ``GET /calendar.ics``).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import parse_qs

from bot.core.feature import Response, Route
from bot.core.runtime import Runtime
from storage.db import ping

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
# Slack's payloads are a few kB (a modal's view stays far under 100 kB): anything above this is
# not Slack, and is refused before it is read.
MAX_BODY_BYTES = 1024 * 1024
SIGNATURE_WINDOW_SECONDS = 300  # Slack's own rule: a request older than 5 minutes is a replay
REFUSAL_LOG_EVERY_SECONDS = 60.0

REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Content Too Large",
    503: "Service Unavailable",
}


def server_options(threads: int = 8) -> dict[str, Any]:
    """Return waitress's settings: many idle connections cost little and soon time out.

    Waitress reads a whole request before it gives it a thread, so a slow or half-open client
    only holds a socket, never a thread. The defaults (100 connections, then no more accepted
    until one of them times out after 120 s) let 150 idle sockets from one client take every
    request offline; here a socket silent for 10 s is dropped (Slack sends each request at once)
    and the limit is far above what one client can hold open in that time on a small server.
    A public deployment still belongs behind a reverse proxy (README, "Run it on a server").
    """
    return {
        "threads": threads,
        "connection_limit": 2000,
        "asyncore_use_poll": True,  # select() fails past file descriptor 1024
        "channel_timeout": 10,
        "cleanup_interval": 2,
        "max_request_body_size": MAX_BODY_BYTES,
        "max_request_header_size": 64 * 1024,
        "ident": "veilleur",
    }


def database_problem(db_path: str) -> str | None:
    """Return why the database cannot serve (unreachable or unwritable), or None when it can."""
    try:
        ping(db_path)
    except Exception as error:  # any failure here is exactly what health must report
        return f"error: {error}"
    if db_path == ":memory:":
        return None
    folder = os.path.dirname(os.path.abspath(db_path))
    # SQLite writes its journal next to the file: both must be writable for any write to work.
    if not os.access(db_path, os.W_OK) or not os.access(folder, os.W_OK):
        return "error: database is not writable"
    return None


def health(runtime: Runtime, scheduler_running: Callable[[], bool]) -> Response:
    """Report the database and this process's scheduling role; 503 only when it cannot serve.

    A follower (another process on the same database runs the jobs) is healthy: it answers Slack
    just as well, and a supervisor that restarted it for not scheduling would do so forever.
    """
    problem = database_problem(runtime.config.db_path)
    role = "leader" if scheduler_running() else "follower"
    body = json.dumps({"ok": problem is None, "database": problem or "ok", "scheduler": role})
    return Response(200 if problem is None else 503, body.encode(), "application/json")


def slack_signature_valid(
    secret: str, timestamp: str, signature: str, body: bytes, now: float
) -> bool:
    """Tell whether ``signature`` is Slack's v0 HMAC-SHA256 of ``body`` at a fresh ``timestamp``."""
    if not secret or not timestamp.isdigit() or not signature:
        return False
    if abs(now - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


class RefusalLog:
    """Log refused requests on one line, at most once a minute, with the count since the last."""

    def __init__(self, every: float = REFUSAL_LOG_EVERY_SECONDS) -> None:
        self.every = every
        self._lock = threading.Lock()
        self._last = -float("inf")
        self._missed = 0

    def note(self, status: int, why: str, address: str) -> None:
        """Count one refusal; log it unless one was logged less than ``every`` seconds ago."""
        with self._lock:
            now = time.monotonic()
            if now - self._last < self.every:
                self._missed += 1
                return
            missed, self._missed, self._last = self._missed, 0, now
        more = f" ({missed} more refused since the last line)" if missed else ""
        logger.warning(
            "refused a request to /slack/events from %s: %s %s%s", address, status, why, more
        )


def _read_body(environ: dict[str, Any]) -> bytes | None:
    """Read the raw body, or return None when it is larger than :data:`MAX_BODY_BYTES`."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return None
    stream = environ.get("wsgi.input")
    body = stream.read(length) if stream is not None and length > 0 else b""
    return body if len(body) <= MAX_BODY_BYTES else None


def _respond(start_response: Callable, response: Response) -> list[bytes]:
    status = f"{response.status} {REASONS.get(response.status, 'Error')}"
    start_response(
        status,
        [("Content-Type", response.content_type), ("Content-Length", str(len(response.body)))],
    )
    return [response.body]


def slack_endpoint(
    slack_app: WSGIApp,
    secret: str,
    refusals: RefusalLog,
    clock: Callable[[], float] = time.time,
) -> WSGIApp:
    """Wrap Bolt's adapter: size cap, then signature on the raw body, then Bolt, errors as 400."""

    def endpoint(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        address = environ.get("REMOTE_ADDR", "?")
        body = _read_body(environ)
        if body is None:
            refusals.note(413, "body too large", address)
            return _respond(start_response, Response(413, b"request body too large"))
        stamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not slack_signature_valid(secret, stamp, signature, body, clock()):
            refusals.note(401, "missing, stale or wrong signature", address)
            return _respond(start_response, Response(401, b"invalid request signature"))
        environ = {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        try:
            # Bolt's adapter answers with a list of bytes: what it raises, it raises here.
            return slack_app(environ, start_response)
        except Exception as error:
            logger.warning(
                "signed request Bolt could not handle: %s: %s", type(error).__name__, error
            )
            return _respond(start_response, Response(400, b"malformed request"))

    return endpoint


def build_wsgi(
    slack_app: WSGIApp,
    runtime: Runtime,
    scheduler_running: Callable[[], bool],
    routes: Sequence[Route] = (),
) -> WSGIApp:
    """Compose Slack's endpoint, /healthz and the features' routes into one WSGI app."""
    served = {(route.method, route.path): route.serve for route in routes}
    slack = slack_endpoint(slack_app, runtime.config.signing_secret, RefusalLog())

    def application(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        if path == "/slack/events" and method == "POST":
            return slack(environ, start_response)
        if (method, path) == ("GET", "/healthz"):
            response = health(runtime, scheduler_running)
        elif (method, path) in served:
            query = parse_qs(environ.get("QUERY_STRING", ""))
            try:
                response = served[(method, path)](runtime, query)
            except Exception:
                logger.exception("route %s %s failed", method, path)
                response = Response(503, b"temporarily unavailable")
        elif path == "/slack/events":
            response = Response(405, b"Method Not Allowed")
        else:
            response = Response(404, b"Not Found")
        return _respond(start_response, response)

    return application
