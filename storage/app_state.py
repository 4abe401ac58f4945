"""Small facts about the bot itself (is the Slack installation usable?), as key/value rows."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from storage.db import write


def get_state(db: Database, key: str) -> str | None:
    """Return the value stored under ``key``, if any."""
    row = db.execute("SELECT value FROM app_state WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_state(db: Database, key: str, value: str, now: datetime) -> str | None:
    """Store ``value`` under ``key`` and return the previous value."""
    with write(db):
        previous = get_state(db, key)
        db.execute(
            "INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            [key, value, now.isoformat()],
        )
    return previous
