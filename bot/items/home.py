"""The App Home tab: my claimed items, free items of the last 7 days, newsletter items, then
upcoming sessions and my open decisions. If the meetings part fails it is logged and left out:
the items still show.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.items.render.lists import build_home
from bot.meetings.home import build_meetings_home
from storage.db import iso
from storage.search import list_items

logger = logging.getLogger(__name__)
HOME_LIMIT = 10
RECENT = timedelta(days=7)


def build_item_home(
    db: Database, user: str, lang: str, now: datetime, tz: str = "Europe/Paris"
) -> dict:
    """Return the App Home view for ``user``."""
    sections = [
        ("items.home.mine", list_items(db, "miennes", user, limit=HOME_LIMIT)),
        (
            "items.home.unclaimed",
            list_items(db, "libres", user, limit=HOME_LIMIT, since=iso(now - RECENT)),
        ),
        ("items.home.newsletter", list_items(db, "lettre", user, limit=HOME_LIMIT)),
    ]
    try:
        extra = build_meetings_home(db, user, lang, tz, now)
    except Exception:  # a broken meetings part must not blank the whole Home tab
        logger.exception("App Home: meetings part failed")
        extra = []
    return build_home(sections, lang, extra)
