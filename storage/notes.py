"""Notes on items: add, edit, delete (keyed by the Slack reply's ts), counted and indexed.

Each change writes the note, the item's history row and the ``notes`` column of ``items_fts``
in one ``BEGIN IMMEDIATE`` transaction, so search always sees the notes that are stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from storage.claims import in_write, record_event
from storage.db import iso

NOTE_COLUMNS = "id, item_id, author, text, created_at, updated_at, message_ts"


@dataclass(frozen=True)
class Note:
    """A note someone left on an item (from a thread reply, the modal or ``/veille note``)."""

    id: int
    item_id: int
    author: str
    text: str
    created_at: str
    updated_at: str | None
    message_ts: str | None


def sync_item_fts(db: Database, item_id: int) -> None:
    """Rewrite the item's full-text row (title, summary, live notes) from the tables."""
    db.execute("DELETE FROM items_fts WHERE rowid = ?", [item_id])
    db.execute(
        "INSERT INTO items_fts (rowid, title, summary, notes) "
        "SELECT id, title, summary, (SELECT coalesce(group_concat(text, char(10)), '') "
        "FROM notes WHERE item_id = items.id AND deleted = 0) FROM items WHERE id = ?",
        [item_id],
    )


def add_note(
    db: Database,
    item_id: int,
    author: str,
    text: str,
    now: datetime,
    message_ts: str | None = None,
) -> Note | None:
    """Store a note and its history row; None if a note for this Slack message already exists."""
    with in_write(db):
        cursor = db.execute(
            "INSERT INTO notes (item_id, author, text, created_at, message_ts) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_ts) DO NOTHING",
            [item_id, author, text, iso(now), message_ts],
        )
        if cursor.rowcount != 1:
            return None
        note_id = cursor.lastrowid
        record_event(db, item_id, author, "noted", now, detail=str(note_id))
        sync_item_fts(db, item_id)
    return get_note(db, note_id)


def get_note(db: Database, note_id: int) -> Note | None:
    """Return a live note by id, or None."""
    row = db.execute(
        f"SELECT {NOTE_COLUMNS} FROM notes WHERE id = ? AND deleted = 0", [note_id]
    ).fetchone()
    return Note(*row) if row else None


def edit_note_by_message(db: Database, message_ts: str, text: str, now: datetime) -> Note | None:
    """Replace the text of the note made from this Slack reply; None if there is none."""
    with in_write(db):
        row = db.execute(
            "UPDATE notes SET text = ?, updated_at = ? WHERE message_ts = ? AND deleted = 0 "
            "RETURNING id, item_id, author",
            [text, iso(now), message_ts],
        ).fetchone()
        if row is None:
            return None
        note_id, item_id, author = row
        record_event(db, item_id, author, "note_edited", now, detail=str(note_id))
        sync_item_fts(db, item_id)
    return get_note(db, note_id)


def delete_note_by_message(db: Database, message_ts: str, now: datetime) -> int | None:
    """Remove the note made from this Slack reply; return its item id, or None."""
    with in_write(db):
        row = db.execute(
            "UPDATE notes SET deleted = 1, updated_at = ? WHERE message_ts = ? AND deleted = 0 "
            "RETURNING id, item_id, author",
            [iso(now), message_ts],
        ).fetchone()
        if row is None:
            return None
        note_id, item_id, author = row
        record_event(db, item_id, author, "note_deleted", now, detail=str(note_id))
        sync_item_fts(db, item_id)
    return item_id


def list_notes(db: Database, item_id: int) -> list[Note]:
    """Return an item's live notes, oldest first."""
    rows = db.execute(
        f"SELECT {NOTE_COLUMNS} FROM notes WHERE item_id = ? AND deleted = 0 "
        "ORDER BY created_at, id",
        [item_id],
    ).fetchall()
    return [Note(*row) for row in rows]


def count_notes(db: Database, item_id: int) -> int:
    """Return how many live notes an item has."""
    return db.execute(
        "SELECT count(*) FROM notes WHERE item_id = ? AND deleted = 0", [item_id]
    ).fetchone()[0]
