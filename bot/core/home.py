"""The App Home tab, assembled from the parts the features hand in (``Feature.home``).

Each part returns its Block Kit blocks for one person. A part that fails is logged and left
out, so a broken meetings part never blanks the items above it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlite_utils import Database

from bot.core.config import Config
from bot.core.messenger import Messenger
from bot.core.visibility import Sight, viewing, visibility_of
from storage.channels import known_channels
from storage.db import connect

logger = logging.getLogger(__name__)

HomePart = Callable[[Database, str, str, str, datetime], list[dict]]
"""``part(db, user, lang, tz, now)`` → blocks."""
VIEW_BLOCK_LIMIT = 100  # Slack's limit per view


def build_home_view(
    parts: Sequence[HomePart], db: Database, user: str, lang: str, tz: str, now: datetime,
    sight: Sight | None = None,
) -> dict:  # fmt: skip
    """Return the App Home view for ``user``: every part's blocks, in order.

    ``sight`` says which channels' content ``user`` may see; parts read it with
    :func:`bot.core.visibility.viewer_channels`.
    """
    blocks: list[dict] = []
    with viewing(sight):
        for part in parts:
            try:
                blocks += part(db, user, lang, tz, now)
            except Exception:  # one broken part must not blank the whole Home tab
                logger.exception("App Home: part %s failed", getattr(part, "__name__", part))
    return {"type": "home", "blocks": blocks[:VIEW_BLOCK_LIMIT]}


def publish_home(
    parts: Sequence[HomePart], config: Config, messenger: Messenger, user: str, now: datetime
) -> None:
    """Publish the App Home tab for ``user``."""
    with connect(config.db_path) as db:
        sight = visibility_of(messenger).visible_channels(user, known_channels(db))
        view = build_home_view(parts, db, user, config.lang, config.tz, now, sight)
    messenger.publish_home(user, view)
