"""Queries for what happens to an item after it is posted: claim, release, done, dismiss, flag.

Every change is one conditional ``UPDATE … WHERE id = ? AND <expected state>`` inside
:func:`storage.db.write` (``BEGIN IMMEDIATE``), followed by its ``item_events`` row in the same
transaction. The rowcount says whether this caller won: two people claiming at once cannot
both succeed, and nobody reads a state that another writer changes before the write.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from storage.db import iso, write
from storage.items import ITEM_SELECT, Item, item_from_row

# Re-exported: the claim part reads items and their sources through this module too.
from storage.items import get_item as get_item
from storage.items import list_sources as list_sources


@dataclass(frozen=True)
class ItemEvent:
    """One line of an item's history: who did what, when."""

    id: int
    item_id: int
    actor: str
    action: str
    detail: str
    at: str


def find_item_by_message(db: Database, channel_id: str, message_ts: str) -> Item | None:
    """Return the item posted as this Slack message (channel, ts), or None."""
    sql = ITEM_SELECT + " WHERE items.channel_id = ? AND items.message_ts = ?"
    rows = list(db.query(sql, [channel_id, message_ts]))
    return item_from_row(rows[0]) if rows else None


def record_event(
    db: Database, item_id: int, actor: str, action: str, now: datetime, detail: str = ""
) -> None:
    """Append one history row for an item (call inside the change's transaction)."""
    db.execute(
        "INSERT INTO item_events (item_id, actor, action, detail, at) VALUES (?, ?, ?, ?, ?)",
        [item_id, actor, action, detail, iso(now)],
    )


@contextlib.contextmanager
def in_write(db: Database) -> Iterator[Database]:
    """Join the caller's write transaction if there is one, else start one with :func:`write`.

    Joining (instead of a nested savepoint) keeps the write lock held for fewer statements; an
    error still rolls back the whole outer transaction.
    """
    if db.conn.in_transaction:
        yield db
        return
    with write(db):
        yield db


def _transition(
    db: Database, item_id: int, sql: str, params: list, actor: str, action: str, now: datetime
) -> bool:
    """Run one conditional UPDATE; on success record the event in the same transaction."""
    with in_write(db):
        changed = db.execute(sql, [*params, item_id]).rowcount == 1
        if changed:
            record_event(db, item_id, actor, action, now)
    return changed


def claim(db: Database, item_id: int, user: str, now: datetime) -> bool:
    """Make ``user`` the owner of an open item; False if it was not open any more."""
    sql = "UPDATE items SET status = 'claimed', owner = ? WHERE status = 'open' AND id = ?"
    return _transition(db, item_id, sql, [user], user, "claimed", now)


def release(
    db: Database, item_id: int, actor: str, now: datetime, *, as_admin: bool = False
) -> bool:
    """Give a claimed item back; only its owner may, unless ``as_admin``."""
    sql = "UPDATE items SET status = 'open', owner = NULL WHERE status = 'claimed'"
    params: list = []
    if not as_admin:
        sql += " AND owner = ?"
        params = [actor]
    return _transition(db, item_id, sql + " AND id = ?", params, actor, "released", now)


def close(
    db: Database, item_id: int, actor: str, status: str, now: datetime, *, as_admin: bool = False
) -> bool:
    """Put an item in a closed ``status`` if it is open, or claimed by ``actor`` (or ``as_admin``).

    Which statuses close an item is the domain's word (``bot.items.states.CLOSED``).
    """
    sql = "UPDATE items SET status = ?, owner = ? WHERE (status = 'open' OR (status = 'claimed'"
    params: list = [status, actor]
    if as_admin:
        sql += "))"
    else:
        sql += " AND owner = ?))"
        params.append(actor)
    sql += " AND id = ?"
    return _transition(db, item_id, sql, params, actor, status, now)


def reopen(
    db: Database,
    item_id: int,
    actor: str,
    now: datetime,
    *,
    closed: Collection[str],
    as_admin: bool = False,
) -> bool:
    """Put an item in one of the ``closed`` statuses back to open; whoever closed it, or an admin."""
    marks = ", ".join("?" for _ in closed)
    sql = f"UPDATE items SET status = 'open', owner = NULL WHERE status IN ({marks})"
    params: list = list(closed)
    if not as_admin:
        sql += " AND owner = ?"
        params.append(actor)
    return _transition(db, item_id, sql + " AND id = ?", params, actor, "reopened", now)


def set_newsletter(db: Database, item_id: int, actor: str, flag: bool, now: datetime) -> bool:
    """Flag (or unflag) an item for the newsletter; False if it already was."""
    sql = "UPDATE items SET newsletter = ? WHERE newsletter = ? AND id = ?"
    action = "flagged" if flag else "unflagged"
    return _transition(db, item_id, sql, [int(flag), int(not flag)], actor, action, now)


def list_events(db: Database, item_id: int) -> list[ItemEvent]:
    """Return an item's history, oldest first."""
    rows = db.execute(
        "SELECT id, item_id, actor, action, detail, at FROM item_events "
        "WHERE item_id = ? ORDER BY at, id",
        [item_id],
    ).fetchall()
    return [ItemEvent(*row) for row in rows]


def mark_reaction(
    db: Database, item_id: int, user: str, reaction: str, event_ts: str, present: bool
) -> bool:
    """Record a reaction event unless a later one for the same person and emoji was applied.

    Returns False for a stale or repeated event (its ``event_ts`` is not newer than the one
    stored), which the caller then ignores. Call inside the transaction that applies it.
    """
    row = db.execute(
        "SELECT CAST(event_ts AS REAL) >= CAST(? AS REAL) FROM reaction_marks "
        "WHERE item_id = ? AND user_id = ? AND reaction = ?",
        [event_ts, item_id, user, reaction],
    ).fetchone()
    if row and row[0]:
        return False
    db.execute(
        "INSERT INTO reaction_marks (item_id, user_id, reaction, event_ts, present) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (item_id, user_id, reaction) "
        "DO UPDATE SET event_ts = excluded.event_ts, present = excluded.present",
        [item_id, user, reaction, event_ts, int(present)],
    )
    return True


def others_keep_reaction(db: Database, item_id: int, user: str, reaction: str) -> bool:
    """Tell whether someone other than ``user`` still has this emoji on the item."""
    row = db.execute(
        "SELECT 1 FROM reaction_marks WHERE item_id = ? AND reaction = ? AND user_id != ? "
        "AND present = 1 LIMIT 1",
        [item_id, reaction, user],
    ).fetchone()
    return row is not None
