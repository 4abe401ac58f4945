"""Queries for the weekly digest and the newsletter export: what happened to items in a window.

When an item was done, dismissed or flagged is read from its history (``item_events``); an item
with no such event (inserted by hand or by an older version) counts from when it was first seen.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlite_utils import Database

from storage.channels import in_channels
from storage.items import ITEM_SELECT, Item, item_from_row

_CHANGED_AT = (
    "coalesce((SELECT max(e.at) FROM item_events e WHERE e.item_id = items.id"
    " AND e.action = ?), items.first_seen_at)"
)


def list_new_items(db: Database, since: str, until: str) -> list[Item]:
    """Return the items first seen in [since, until], newest first."""
    rows = db.query(
        ITEM_SELECT + " WHERE items.first_seen_at >= ? AND items.first_seen_at <= ?"
        " ORDER BY items.first_seen_at DESC, items.id DESC",
        [since, until],
    )
    return [item_from_row(row) for row in rows]


def list_items_changed(
    db: Database, status: str, action: str, since: str, until: str
) -> list[Item]:
    """Return items now in ``status`` whose latest ``action`` event falls in [since, until]."""
    rows = db.query(
        ITEM_SELECT + " WHERE items.status = ? "
        f"AND {_CHANGED_AT} >= ? AND {_CHANGED_AT} <= ? ORDER BY items.id DESC",
        [status, action, since, action, until],
    )
    return [item_from_row(row) for row in rows]


def list_flagged_items(db: Database, since: str, until: str) -> list[Item]:
    """Return the items kept for the newsletter, flagged in [since, until], oldest flag first."""
    rows = db.query(
        ITEM_SELECT + " WHERE items.newsletter = 1 "
        f"AND {_CHANGED_AT} >= ? AND {_CHANGED_AT} <= ? ORDER BY {_CHANGED_AT}, items.id",
        ["flagged", since, "flagged", until, "flagged"],
    )
    return [item_from_row(row) for row in rows]


def count_claims_by_owner(
    db: Database, channels: Collection[str] | None = None
) -> list[tuple[str, int]]:
    """Return (owner, how many items they hold) for claimed items (of ``channels``), most first."""
    seen, params = in_channels("channel_id", channels)  # who sees what (bot/core/visibility)
    rows = db.execute(
        "SELECT owner, count(*) FROM items WHERE status = 'claimed' AND owner IS NOT NULL "
        f"AND {seen} GROUP BY owner ORDER BY count(*) DESC, owner",
        params,
    ).fetchall()
    return [(owner, count) for owner, count in rows]


def last_entry_seen_by_feed(db: Database) -> dict[int, str]:
    """Return, for each feed that ever had one, when its newest entry was first seen (ISO)."""
    rows = db.execute("SELECT feed_id, MAX(seen_at) FROM seen_entries GROUP BY feed_id")
    return {row[0]: row[1] for row in rows}
