"""``GET /calendar.ics?token=…`` in HTTP mode, so people can subscribe from their calendar.

Without VEILLEUR_ICS_TOKEN, or with a wrong token, the answer is a plain 404: the URL does not
reveal that a calendar exists.
"""

from __future__ import annotations

import hmac

from bot.core.feature import Response, Route
from bot.core.runtime import Runtime
from bot.meetings.calendar import build_calendar
from storage.db import connect

PATH = "/calendar.ics"


def serve_calendar(runtime: Runtime, query: dict[str, list[str]]) -> Response:
    """Return the sessions calendar when the token matches, else 404."""
    expected = runtime.config.ics_token
    given = (query.get("token") or [""])[0]
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return Response(404, b"Not Found")
    with connect(runtime.config.db_path) as db:
        body = build_calendar(db, runtime.config.lang, runtime.config.tz)
    return Response(200, body, "text/calendar; charset=utf-8")


ROUTES = (Route("GET", PATH, serve_calendar),)
