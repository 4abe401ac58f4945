"""Items (one row per story per channel) and their sources; creation and posting state.

:class:`Item` and :func:`item_from_row` are the one mapping of an ``items`` row: the
claim/annotate part (storage/claims.py, storage/search.py) reads and changes the same rows
through them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from storage.db import iso


@dataclass(frozen=True)
class Item:
    """A story posted (or to be posted) in a channel, its status and owner, its live notes."""

    id: int
    channel_id: str
    title: str
    link: str | None
    canonical_url: str | None
    title_key: str
    summary: str
    published_at: str | None
    first_seen_at: str
    status: str
    owner: str | None
    newsletter: bool
    post_state: str
    post_attempts: int
    message_ts: str | None
    thread_parent_ts: str | None
    note_count: int = 0
    deadline_on: str | None = None  # ISO date, meaningful when deadline_state == "set"
    deadline_state: str = ""  # "" undecided, "set", "none" (see migration 0050)
    deadline_set_at: str | None = None
    added_by: str = ""  # who added the link by hand, space-separated Slack ids


@dataclass(frozen=True)
class Source:
    """A feed in which an item was seen."""

    feed_id: int
    feed_title: str
    origin: str
    link: str | None
    added_by: str


ITEM_SELECT = (
    "SELECT items.*, (SELECT COUNT(*) FROM notes WHERE notes.item_id = items.id"
    " AND notes.deleted = 0) AS note_count FROM items"
)


def item_from_row(row: dict) -> Item:
    """Build an Item from a row selected with :data:`ITEM_SELECT` (``db.query`` dicts)."""
    values = {name: row[name] for name in Item.__dataclass_fields__ if name in row}
    values["newsletter"] = bool(row["newsletter"])
    return Item(**values)


def get_item(db: Database, item_id: int) -> Item | None:
    """Return the item with this id (its short number), or None."""
    rows = list(db.query(ITEM_SELECT + " WHERE items.id = ?", [item_id]))
    return item_from_row(rows[0]) if rows else None


def list_sources(db: Database, item_id: int) -> list[Source]:
    """Return the feeds an item was seen in, first seen first."""
    sql = (
        "SELECT f.id AS feed_id, COALESCE(NULLIF(f.title, ''), f.url) AS feed_title, f.origin,"
        " s.link, f.added_by FROM item_sources s JOIN feeds f ON f.id = s.feed_id"
        " WHERE s.item_id = ? ORDER BY s.seen_at, s.id"
    )
    return [Source(**row) for row in db.query(sql, [item_id])]


def pending_items(db: Database, channel_id: str | None = None) -> list[Item]:
    """Return items waiting to be posted, oldest first."""
    sql = ITEM_SELECT + " WHERE items.post_state = 'pending'"
    params: list[str] = []
    if channel_id:
        sql += " AND items.channel_id = ?"
        params.append(channel_id)
    return [item_from_row(row) for row in db.query(sql + " ORDER BY items.id", params)]


def pending_channels(db: Database) -> list[str]:
    """Return the channels that have items waiting to be posted."""
    sql = "SELECT DISTINCT channel_id FROM items WHERE post_state = 'pending' ORDER BY channel_id"
    return [row[0] for row in db.execute(sql).fetchall()]


def mark_attempt(db: Database, item_id: int) -> None:
    """Record that a post is about to be sent (so a restart knows to reconcile first)."""
    db.execute("UPDATE items SET post_attempts = post_attempts + 1 WHERE id = ?", [item_id])


def mark_posted(db: Database, item_id: int, ts: str) -> None:
    """Record the Slack message of a posted item."""
    db.execute("UPDATE items SET post_state = 'posted', message_ts = ? WHERE id = ?", [ts, item_id])


def mark_failed(db: Database, item_id: int, reason: str, now: datetime) -> None:
    """Give up on posting an item (e.g. Slack refuses its content) and keep why."""
    db.execute("UPDATE items SET post_state = 'failed' WHERE id = ?", [item_id])
    db["item_events"].insert(
        {
            "item_id": item_id,
            "actor": "veilleur",
            "action": "post_failed",
            "detail": reason,
            "at": iso(now),
        }
    )


def set_thread_parent(db: Database, item_ids: list[int], ts: str) -> None:
    """Attach items to the grouped message they will be posted under."""
    for item_id in item_ids:
        db.execute("UPDATE items SET thread_parent_ts = ? WHERE id = ?", [ts, item_id])


def count_items(db: Database, feed_id: int) -> int:
    """Return how many items a feed contributed to."""
    sql = "SELECT COUNT(*) FROM item_sources WHERE feed_id = ?"
    return db.execute(sql, [feed_id]).fetchone()[0]
