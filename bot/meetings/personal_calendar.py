"""A person's own calendar: the sessions and item deadlines they may see, behind their token.

``/session calendrier`` gives each person a random token (``secrets.token_urlsafe``) that the
calendar route (``GET /calendar.ics?token=…``) accepts besides the shared VEILLEUR_ICS_TOKEN;
``/session calendrier nouveau`` replaces it, so the old address answers 404 at once. What the
calendar holds follows who sees what (``bot/core/visibility``) each time an app fetches it:
public channels' content, plus that of the private channels the person is a member of; when
Slack cannot be asked, private channels are left out.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlite_utils import Database

from bot.core.config import Config
from bot.core.i18n import t
from bot.core.visibility import Visibility
from bot.meetings.calendar import build_calendar
from storage import calendar_tokens as token_store
from storage import calls as call_store
from storage.channels import known_channels
from storage.db import connect

PATH = "/calendar.ics"
TOKEN_BYTES = 32  # 256 random bits: 43 URL-safe characters
LONGEST_TOKEN = 200  # anything longer is no token of ours: 404 without a query


def new_token() -> str:
    """Return a fresh random calendar token."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def own_token(db_path: str, user: str, now: datetime, renew: bool = False) -> str:
    """Return the person's calendar token, made on first use; ``renew`` replaces the old one."""
    with connect(db_path) as db:
        if renew:
            token = new_token()
            token_store.replace_token(db, user, token, now)
            return token
        return token_store.token_of(db, user) or token_store.keep_token(db, user, new_token(), now)


def calendar_path(token: str) -> str:
    """Return the path and query of the calendar behind ``token``."""
    return f"{PATH}?token={token}"


def calendar_address(config: Config, token: str) -> str | None:
    """Return the full subscription address, or None while VEILLEUR_PUBLIC_URL is not set."""
    return config.public_url + calendar_path(token) if config.public_url else None


def owner_of(db: Database, token: str) -> str | None:
    """Return whose calendar ``token`` opens (None: wrong or revoked)."""
    if not token or len(token) > LONGEST_TOKEN:
        return None
    return token_store.owner_of(db, token)


def personal_calendar(db: Database, visibility: Visibility, user: str, lang: str, tz: str) -> bytes:
    """Return the sessions and open items' deadlines ``user`` may see, as iCalendar bytes."""
    sight = visibility.visible_channels(user, known_channels(db))
    # every deadline still to meet, past ones too: an app drops an event that leaves the feed
    deadlines = [
        item for item in call_store.list_deadlines(db, date.min) if sight.allows(item.channel_id)
    ]
    sequences = call_store.deadline_sequences(db, [item.id for item in deadlines])
    return build_calendar(
        db, lang, tz, sight.channels, deadlines, sequences, t("calendar.name.personal", lang)
    )
