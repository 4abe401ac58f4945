"""Project holders, their support log and the items kept for them (SQL only).

Every read that lists holders takes an optional ``channels`` filter: ``None`` means every
channel, a collection means only holders created in one of those channels (the visibility rule
plugs in there). ``holders_fts`` (rowid = holder id) is rewritten whenever a holder or its log
changes, and emptied with the holder when it is erased.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from storage.db import iso, write
from storage.search import fts_query

HOLDER_COLUMNS = (
    "id, name, structure, territory, network, referent, channel_id, created_at, updated_at"
)
EDITABLE = ("name", "structure", "territory", "network", "referent")


@dataclass(frozen=True)
class Holder:
    """A project holder (association, school, local authority) a network supports."""

    id: int
    name: str
    structure: str
    territory: str
    network: str
    referent: str
    channel_id: str
    created_at: str
    updated_at: str | None


@dataclass(frozen=True)
class SupportAction:
    """One entry of a holder's follow-up log; ``day`` is the local date, ISO."""

    id: int
    holder_id: int
    author: str
    kind: str
    text: str
    day: str
    created_at: str


@dataclass(frozen=True)
class LinkedItem:
    """An item of the watch kept for a holder."""

    item_id: int
    title: str
    link: str | None
    linked_by: str
    linked_at: str
    channel_id: str = ""  # the item's channel: who may see it (bot/core/visibility)


def _holder(row: tuple) -> Holder:
    return Holder(*row)


def _channel_filter(channels: Collection[str] | None) -> tuple[str, list[str]]:
    """Return the SQL condition and parameters that keep holders of ``channels``."""
    if channels is None:
        return "1", []
    if not channels:
        return "0", []
    marks = ", ".join("?" for _ in channels)
    return f"holders.channel_id IN ({marks})", list(channels)


def add_holder(
    db: Database, *, name: str, structure: str, territory: str, territory_key: str,
    network: str, referent: str, channel_id: str, now: datetime,
) -> int:  # fmt: skip
    """Store a new holder and index it; return its number."""
    with write(db):
        cursor = db.execute(
            "INSERT INTO holders (name, structure, territory, territory_key, network, referent, "
            "channel_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [name, structure, territory, territory_key, network, referent, channel_id, iso(now)],
        )
        holder_id = int(cursor.lastrowid or 0)
        _reindex(db, holder_id)
    return holder_id


def get_holder(
    db: Database, holder_id: int, channels: Collection[str] | None = None
) -> Holder | None:
    """Return the holder, or None when it does not exist or is not visible."""
    where, params = _channel_filter(channels)
    row = db.execute(
        f"SELECT {HOLDER_COLUMNS} FROM holders WHERE id = ? AND {where}", [holder_id, *params]
    ).fetchone()
    return _holder(row) if row else None


def list_holders(
    db: Database, *, referent: str | None = None, territory_key: str | None = None,
    channels: Collection[str] | None = None, limit: int = 200,
) -> list[Holder]:  # fmt: skip
    """Return the holders matching every criterion given, by name."""
    where, params = _channel_filter(channels)
    conditions = [where]
    if referent is not None:
        conditions.append("referent = ?")
        params.append(referent)
    if territory_key is not None:
        conditions.append("territory_key = ?")
        params.append(territory_key)
    rows = db.execute(
        f"SELECT {HOLDER_COLUMNS} FROM holders WHERE {' AND '.join(conditions)} "
        "ORDER BY name COLLATE NOCASE, id LIMIT ?",
        [*params, limit],
    ).fetchall()
    return [_holder(row) for row in rows]


def update_holder(
    db: Database, holder_id: int, changes: dict[str, str], now: datetime,
    territory_key: str | None = None,
) -> None:  # fmt: skip
    """Change some of a holder's fields (names from :data:`EDITABLE`) and re-index it."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    values = dict(changes)
    if territory_key is not None:
        values["territory_key"] = territory_key
    assignments = ", ".join(f"{column} = ?" for column in values)
    with write(db):
        db.execute(
            f"UPDATE holders SET {assignments}, updated_at = ? WHERE id = ?",
            [*values.values(), iso(now), holder_id],
        )
        _reindex(db, holder_id)


def add_action(
    db: Database, holder_id: int, *, author: str, kind: str, text: str, day: str, now: datetime
) -> int:
    """Log a support action for the holder; return its id."""
    with write(db):
        cursor = db.execute(
            "INSERT INTO holder_actions (holder_id, author, kind, text, day, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [holder_id, author, kind, text, day, iso(now)],
        )
        _reindex(db, holder_id)
    return int(cursor.lastrowid or 0)


def list_actions(db: Database, holder_id: int) -> list[SupportAction]:
    """Return the holder's log, oldest first."""
    rows = db.execute(
        "SELECT id, holder_id, author, kind, text, day, created_at FROM holder_actions "
        "WHERE holder_id = ? ORDER BY day, id",
        [holder_id],
    ).fetchall()
    return [SupportAction(*row) for row in rows]


def actions_between(
    db: Database, first_day: str, last_day: str, channels: Collection[str] | None = None
) -> list[tuple[Holder, SupportAction]]:
    """Return every support action dated in [first_day, last_day], with its holder."""
    where, params = _channel_filter(channels)
    rows = db.execute(
        f"SELECT {', '.join('holders.' + c.strip() for c in HOLDER_COLUMNS.split(','))}, "
        "a.id, a.holder_id, a.author, a.kind, a.text, a.day, a.created_at "
        "FROM holder_actions a JOIN holders ON holders.id = a.holder_id "
        f"WHERE a.day >= ? AND a.day <= ? AND {where} "
        "ORDER BY holders.network, holders.name COLLATE NOCASE, holders.id, a.day, a.id",
        [first_day, last_day, *params],
    ).fetchall()
    width = len(HOLDER_COLUMNS.split(","))
    return [(Holder(*row[:width]), SupportAction(*row[width:])) for row in rows]


def link_item(db: Database, holder_id: int, item_id: int, *, user: str, now: datetime) -> bool:
    """Keep ``item_id`` for the holder; return False when it already was."""
    with write(db):
        cursor = db.execute(
            "INSERT OR IGNORE INTO holder_items (holder_id, item_id, linked_by, linked_at) "
            "VALUES (?, ?, ?, ?)",
            [holder_id, item_id, user, iso(now)],
        )
    return cursor.rowcount == 1


def linked_items(db: Database, holder_id: int) -> list[LinkedItem]:
    """Return the items kept for the holder, latest link first."""
    rows = db.execute(
        "SELECT items.id, items.title, items.link, hi.linked_by, hi.linked_at, items.channel_id "
        "FROM holder_items hi JOIN items ON items.id = hi.item_id "
        "WHERE hi.holder_id = ? ORDER BY hi.linked_at DESC, items.id DESC",
        [holder_id],
    ).fetchall()
    return [LinkedItem(*row) for row in rows]


def search_holders(
    db: Database, text: str, channels: Collection[str] | None = None, limit: int = 20
) -> list[Holder]:
    """Return the holders whose name, structure, territory or log match ``text``, best first."""
    query = fts_query(text)
    if not query:
        return []
    where, params = _channel_filter(channels)
    rows = db.execute(
        f"SELECT {', '.join('holders.' + c.strip() for c in HOLDER_COLUMNS.split(','))} "
        "FROM holders_fts JOIN holders ON holders.id = holders_fts.rowid "
        f"WHERE holders_fts MATCH ? AND {where} "
        "ORDER BY bm25(holders_fts, 10.0, 5.0, 3.0, 1.0), holders.id LIMIT ?",
        [query, *params, limit],
    ).fetchall()
    return [_holder(row) for row in rows]


def erase_holder(db: Database, holder_id: int) -> bool:
    """Erase the holder, its log, its item links and its search entry; return whether it existed.

    ``secure_delete`` overwrites the freed pages and the index is merged afterwards, so the
    erased text does not linger in the database file.
    """
    db.execute("PRAGMA secure_delete = ON")
    try:
        with write(db):
            db.execute("DELETE FROM holder_actions WHERE holder_id = ?", [holder_id])
            db.execute("DELETE FROM holder_items WHERE holder_id = ?", [holder_id])
            db.execute("DELETE FROM holders_fts WHERE rowid = ?", [holder_id])
            gone = db.execute("DELETE FROM holders WHERE id = ?", [holder_id]).rowcount
            db.execute("INSERT INTO holders_fts (holders_fts) VALUES ('optimize')")
    finally:
        db.execute("PRAGMA secure_delete = OFF")
    return gone == 1


def _reindex(db: Database, holder_id: int) -> None:
    """Rewrite the holder's search entry from its row and log (inside the caller's write)."""
    db.execute("DELETE FROM holders_fts WHERE rowid = ?", [holder_id])
    db.execute(
        "INSERT INTO holders_fts (rowid, name, structure, territory, log) "
        "SELECT h.id, h.name, h.structure, h.territory, "
        "coalesce((SELECT group_concat(text, ' ') FROM holder_actions WHERE holder_id = h.id), '') "
        "FROM holders h WHERE h.id = ?",
        [holder_id],
    )
