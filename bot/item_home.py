"""The App Home tab: my claimed items, free items of the last 7 days, newsletter items.

Other parts add their own sections (upcoming sessions, my open decisions) with
:func:`add_home_section`; a section that fails is logged and left out, the rest still shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.render.item_list import build_home
from storage.claims import iso
from storage.search import list_items

logger = logging.getLogger(__name__)
HOME_LIMIT = 10
RECENT = timedelta(days=7)
HomeSection = Callable[[str, str], list[dict]]
HOME_SECTIONS: list[HomeSection] = []


def add_home_section(section: HomeSection) -> HomeSection:
    """Register ``section(user_id, lang) -> blocks`` to show after the items (usable as decorator)."""
    if section not in HOME_SECTIONS:
        HOME_SECTIONS.append(section)
    return section


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
    for section in HOME_SECTIONS:
        try:
            extra += section(user, lang)
        except Exception:  # one broken section must not blank the whole Home tab
            logger.exception("App Home section %r failed", section)
    return build_home(sections, lang, extra)
