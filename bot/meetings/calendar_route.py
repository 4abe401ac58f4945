"""``GET /calendar.ics?token=…`` in HTTP mode, so people can subscribe from their calendar.

Two kinds of token open it. VEILLEUR_ICS_TOKEN is shared, so its calendar holds public channels'
sessions only (README, "Who sees what"); a personal token (``/session calendrier``) opens the
calendar of the person it was given to: the sessions and item deadlines they may see. With no
token, a wrong or a revoked one, the answer is a plain 404: the URL does not reveal that a
calendar exists. ``veilleur sessions ics`` exports everything.
"""

from __future__ import annotations

import hmac

from bot.core.feature import Response, Route
from bot.core.runtime import Runtime
from bot.core.visibility import visibility_of
from bot.meetings.calendar import build_calendar
from bot.meetings.personal_calendar import PATH, owner_of, personal_calendar
from storage.channels import known_channels
from storage.db import connect

NOT_FOUND = Response(404, b"Not Found")


def _is_shared(given: str, expected: str) -> bool:
    """Tell whether ``given`` is the shared VEILLEUR_ICS_TOKEN (constant-time comparison)."""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def serve_calendar(runtime: Runtime, query: dict[str, list[str]]) -> Response:
    """Return the shared or the personal calendar the token opens, else 404."""
    given = (query.get("token") or [""])[0]
    if not given:
        return NOT_FOUND
    config = runtime.config
    visibility = visibility_of(runtime.messenger)
    with connect(config.db_path) as db:
        if _is_shared(given, config.ics_token):
            # a shared link: anyone holding it sees only public channels' sessions
            public = visibility.public_channels(known_channels(db))
            body = build_calendar(db, config.lang, config.tz, public.channels)
        else:
            owner = owner_of(db, given)
            if owner is None:
                return NOT_FOUND
            body = personal_calendar(db, visibility, owner, config.lang, config.tz)
    return Response(200, body, "text/calendar; charset=utf-8")


ROUTES = (Route("GET", PATH, serve_calendar),)
