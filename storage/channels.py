"""The channels content is stored for, and the SQL filter that keeps a query to some of them."""

from __future__ import annotations

from collections.abc import Collection

from sqlite_utils import Database

# A skip-scan over the (channel_id, …) index: one index seek per channel, not one row per item.
_ITEM_CHANNELS = """
WITH RECURSIVE c(ch) AS (
    SELECT min(channel_id) FROM items
    UNION ALL
    SELECT (SELECT min(channel_id) FROM items WHERE channel_id > c.ch) FROM c WHERE c.ch IS NOT NULL
)
SELECT ch FROM c WHERE ch IS NOT NULL
UNION SELECT channel_id FROM feeds
UNION SELECT channel_id FROM meetings
UNION SELECT channel_id FROM decisions WHERE channel_id IS NOT NULL
UNION SELECT channel_id FROM holders
"""


def known_channels(db: Database) -> set[str]:
    """Return every channel that has items, feeds, sessions, decisions or project holders."""
    return {row[0] for row in db.execute(_ITEM_CHANNELS).fetchall()}


def in_channels(column: str, channels: Collection[str] | None) -> tuple[str, list[str]]:
    """Return an SQL condition keeping rows whose ``column`` is one of ``channels`` (None: all)."""
    if channels is None:
        return "1", []
    if not channels:
        return "0", []
    marks = ", ".join("?" for _ in channels)
    return f"{column} IN ({marks})", sorted(channels)
