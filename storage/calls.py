"""Queries behind calls for proposals: items' deadlines and the links people add by hand.

What a deadline is and when it is reminded is decided in ``bot/calls/``; these functions only
read and write the rows it asks for. Every change writes the item's history row in the same
``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlite_utils import Database

from storage.claims import in_write, record_event
from storage.db import iso
from storage.items import ITEM_SELECT, Item, item_from_row
from storage.notes import sync_item_fts


def set_deadline(db: Database, item_id: int, day: date, actor: str, now: datetime) -> bool:
    """Give the item this deadline (a new date restarts its reminders); False if no such item."""
    with in_write(db):
        changed = db.execute(
            "UPDATE items SET deadline_on = ?, deadline_state = 'set', deadline_set_at = ?"
            " WHERE id = ?",
            [day.isoformat(), iso(now), item_id],
        ).rowcount
        if changed:
            record_event(db, item_id, actor, "deadline_set", now, day.isoformat())
    return bool(changed)


def clear_deadline(db: Database, item_id: int, actor: str, now: datetime) -> bool:
    """Say the item has no deadline (no proposal shown any more); False if no such item."""
    with in_write(db):
        changed = db.execute(
            "UPDATE items SET deadline_on = NULL, deadline_state = 'none', deadline_set_at = ?"
            " WHERE id = ?",
            [iso(now), item_id],
        ).rowcount
        if changed:
            record_event(db, item_id, actor, "deadline_removed", now)
    return bool(changed)


def list_deadlines(db: Database, first: date, last: date | None = None) -> list[Item]:
    """Return open or claimed items whose deadline falls from ``first`` to ``last``, soonest first."""
    sql = (
        ITEM_SELECT + " WHERE items.deadline_state = 'set' AND items.deadline_on >= ?"
        " AND items.status IN ('open', 'claimed')"
    )
    params: list[str] = [first.isoformat()]
    if last is not None:
        sql += " AND items.deadline_on <= ?"
        params.append(last.isoformat())
    return [item_from_row(row) for row in db.query(sql + " ORDER BY deadline_on, id", params)]


def deadline_sequences(db: Database, item_ids: Collection[int]) -> dict[int, int]:
    """Return how many times each item's deadline was set after the first (iCalendar SEQUENCE)."""
    if not item_ids:
        return {}
    marks = ", ".join("?" for _ in item_ids)
    rows = db.execute(
        "SELECT item_id, count(*) - 1 FROM item_events WHERE action = 'deadline_set'"
        f" AND item_id IN ({marks}) GROUP BY item_id",
        sorted(item_ids),
    ).fetchall()
    return {row[0]: max(row[1], 0) for row in rows}


def item_with_url(db: Database, channel_id: str, canonical_url: str) -> Item | None:
    """Return the channel's item at this canonical URL, if any (the oldest)."""
    sql = ITEM_SELECT + " WHERE items.channel_id = ? AND items.canonical_url = ? ORDER BY id"
    rows = list(db.query(sql + " LIMIT 1", [channel_id, canonical_url]))
    return item_from_row(rows[0]) if rows else None


def create_added_item(
    db: Database,
    channel_id: str,
    *,
    title: str,
    link: str,
    canonical_url: str,
    title_key: str,
    summary: str,
    user: str,
    now: datetime,
) -> int:
    """Insert a pending item for a link someone added, with its search row and history."""
    with in_write(db):
        cursor = db.execute(
            "INSERT INTO items (channel_id, title, link, canonical_url, title_key, summary,"
            " first_seen_at, post_state, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)",
            [channel_id, title, link, canonical_url, title_key, summary, iso(now), user],
        )
        item_id = cursor.lastrowid
        sync_item_fts(db, item_id)
        record_event(db, item_id, user, "link_added", now, link)
    return item_id


def record_addition(
    db: Database, item_id: int, user: str, url: str, note: str, now: datetime
) -> bool:
    """Remember that ``user`` added this link; add them to the item's adders. True if new."""
    with in_write(db):
        db.execute(
            "INSERT INTO link_additions (item_id, user_id, url, note, added_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [item_id, user, url, note, iso(now)],
        )
        row = db.execute("SELECT added_by FROM items WHERE id = ?", [item_id]).fetchone()
        adders = (row[0] if row else "").split()
        if user in adders:
            return False
        db.execute(
            "UPDATE items SET added_by = ? WHERE id = ?", [" ".join([*adders, user]), item_id]
        )
        record_event(db, item_id, user, "link_added", now, url)
    return True
