"""The names Slack gives people, kept so exports and minutes read without Slack at hand."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlite_utils import Database

from storage.db import iso, write


def remember_name(db: Database, user_id: str, name: str, now: datetime) -> None:
    """Store (or refresh) the display name of ``user_id``."""
    with write(db):
        db.execute(
            "INSERT INTO people (user_id, name, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, "
            "updated_at = excluded.updated_at",
            [user_id, name, iso(now)],
        )


def known_names(db: Database) -> dict[str, str]:
    """Return every stored name, by user ID."""
    return {row[0]: row[1] for row in db.execute("SELECT user_id, name FROM people")}


def name_updated_at(db: Database, user_id: str) -> str | None:
    """Return when ``user_id``'s name was last stored (ISO, UTC), if ever."""
    row = db.execute("SELECT updated_at FROM people WHERE user_id = ?", [user_id]).fetchone()
    return row[0] if row else None


def name_of(names: Mapping[str, str], user_id: str) -> str:
    """Return the stored name of ``user_id``, or the ID itself when none is known."""
    return names.get(user_id) or user_id
