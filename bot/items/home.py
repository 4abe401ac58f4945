"""The App Home's items part: my claimed items, free items of the last 7 days, newsletter items."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.core.visibility import viewer_channels
from bot.items.lists import list_page
from bot.items.render.lists import build_home_sections
from bot.items.states import ItemList
from storage.db import iso

HOME_LIMIT = 10
RECENT = timedelta(days=7)


def build_items_home(db: Database, user: str, lang: str, tz: str, now: datetime) -> list[dict]:
    """Return the Home blocks of ``user``'s items, the recent free ones and the newsletter's."""
    seen = viewer_channels()  # who sees what (bot/core/visibility)
    sections = [
        ("items.home.mine", list_page(db, ItemList.MINE, user, limit=HOME_LIMIT, channels=seen)),
        (
            "items.home.unclaimed",
            list_page(
                db, ItemList.FREE, user, limit=HOME_LIMIT, since=iso(now - RECENT), channels=seen
            ),
        ),
        (
            "items.home.newsletter",
            list_page(db, ItemList.NEWSLETTER, user, limit=HOME_LIMIT, channels=seen),
        ),
    ]
    return build_home_sections(sections, lang)
