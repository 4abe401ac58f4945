"""The HTTP mode's WSGI application: Slack's endpoint plus a few plain routes.

``POST /slack/events`` goes to Bolt's WSGI adapter (passed in, so this module stays Slack-free),
``GET /healthz`` reports whether the database answers and the scheduler runs, and the features'
routes are handed in (``bot.features.routes()``, for example ``GET /calendar.ics``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import parse_qs

from bot.core.feature import Response, Route
from bot.core.runtime import Runtime
from storage.db import ping

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"}


def health(runtime: Runtime, scheduler_running: Callable[[], bool]) -> Response:
    """Say whether the database answers and the scheduler runs (503 when either does not)."""
    try:
        ping(runtime.config.db_path)
        database = "ok"
    except Exception as error:  # any failure here is exactly what health must report
        database = f"error: {error}"
    scheduler = "running" if scheduler_running() else "stopped"
    ok = database == "ok" and scheduler == "running"
    body = json.dumps({"ok": ok, "database": database, "scheduler": scheduler}).encode()
    return Response(200 if ok else 503, body, "application/json")


def _timestamp_is_numeric(environ: dict[str, Any]) -> bool:
    stamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
    return not stamp or stamp.isdigit()


def build_wsgi(
    slack_app: WSGIApp,
    runtime: Runtime,
    scheduler_running: Callable[[], bool],
    routes: Sequence[Route] = (),
) -> WSGIApp:
    """Compose Slack's endpoint, /healthz and the features' routes into one WSGI app."""
    served = {(route.method, route.path): route.serve for route in routes}

    def application(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        if path == "/slack/events" and _timestamp_is_numeric(environ):
            return slack_app(environ, start_response)
        if path == "/slack/events":  # Bolt would raise on it and answer 500
            response = Response(401, b"invalid request timestamp")
        elif (method, path) == ("GET", "/healthz"):
            response = health(runtime, scheduler_running)
        elif (method, path) in served:
            query = parse_qs(environ.get("QUERY_STRING", ""))
            try:
                response = served[(method, path)](runtime, query)
            except Exception:
                logger.exception("route %s %s failed", method, path)
                response = Response(503, b"temporarily unavailable")
        else:
            response = Response(404, b"Not Found")
        status = f"{response.status} {REASONS.get(response.status, 'Error')}"
        start_response(
            status,
            [("Content-Type", response.content_type), ("Content-Length", str(len(response.body)))],
        )
        return [response.body]

    return application
