"""``GET /calendar.ics?token=…`` in HTTP mode, so people can subscribe from their calendar.

Without VEILLEUR_ICS_TOKEN, or with a wrong token, the answer is a plain 404: the URL does not
reveal that a calendar exists. The token is shared, so the calendar holds public channels'
sessions only (README, "Who sees what"); ``veilleur sessions ics`` exports everything.
"""

from __future__ import annotations

import hmac

from bot.core.feature import Response, Route
from bot.core.runtime import Runtime
from bot.core.visibility import visibility_of
from bot.meetings.calendar import build_calendar
from storage.channels import known_channels
from storage.db import connect

PATH = "/calendar.ics"


def serve_calendar(runtime: Runtime, query: dict[str, list[str]]) -> Response:
    """Return the sessions calendar when the token matches, else 404."""
    expected = runtime.config.ics_token
    given = (query.get("token") or [""])[0]
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return Response(404, b"Not Found")
    with connect(runtime.config.db_path) as db:
        # a shared link: anyone holding it sees only public channels' sessions
        public = visibility_of(runtime.messenger).public_channels(known_channels(db))
        body = build_calendar(db, runtime.config.lang, runtime.config.tz, public.channels)
    return Response(200, body, "text/calendar; charset=utf-8")


ROUTES = (Route("GET", PATH, serve_calendar),)
