"""The App Home tab: my claimed items, free items of the last 7 days, newsletter items.

Other parts add their own sections (upcoming sessions, my open decisions) by appending a
callable to :data:`bot.render.item_list.HOME_EXTRA_SECTIONS`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.render import item_list
from bot.render.item_list import build_home
from storage.claims import iso
from storage.search import list_items

logger = logging.getLogger(__name__)
HOME_LIMIT = 10
RECENT = timedelta(days=7)


def build_item_home(db: Database, user: str, lang: str, now: datetime) -> dict:
    """Return the App Home view for ``user``."""
    sections = [
        ("items.home.mine", list_items(db, "miennes", user, limit=HOME_LIMIT)),
        (
            "items.home.unclaimed",
            list_items(db, "libres", user, limit=HOME_LIMIT, since=iso(now - RECENT)),
        ),
        ("items.home.newsletter", list_items(db, "lettre", user, limit=HOME_LIMIT)),
    ]
    extra: list[dict] = []
    for section in item_list.HOME_EXTRA_SECTIONS:
        try:
            extra += section(user, lang)
        except Exception:  # one broken section must not blank the whole Home tab
            logger.exception("App Home section %r failed", section)
    return build_home(sections, lang, extra)
