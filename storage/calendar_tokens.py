"""Queries behind personal calendar addresses: one token per person, replaced to revoke it."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from storage.db import iso, write


def token_of(db: Database, user_id: str) -> str | None:
    """Return the person's current calendar token, if they have one."""
    row = db.execute("SELECT token FROM calendar_tokens WHERE user_id = ?", [user_id]).fetchone()
    return row[0] if row else None


def keep_token(db: Database, user_id: str, token: str, now: datetime) -> str:
    """Store ``token`` unless the person already has one; return the one they have now.

    Two requests at once both get the same, first stored, token.
    """
    with write(db):
        db.execute(
            "INSERT INTO calendar_tokens (user_id, token, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO NOTHING",
            [user_id, token, iso(now)],
        )
        return db.execute(
            "SELECT token FROM calendar_tokens WHERE user_id = ?", [user_id]
        ).fetchone()[0]


def replace_token(db: Database, user_id: str, token: str, now: datetime) -> None:
    """Give the person ``token``; their previous one stops working at once."""
    with write(db):
        db.execute(
            "INSERT INTO calendar_tokens (user_id, token, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET token = excluded.token,"
            " created_at = excluded.created_at",
            [user_id, token, iso(now)],
        )


def owner_of(db: Database, token: str) -> str | None:
    """Return whose calendar ``token`` opens, or None when no one's (wrong or revoked)."""
    row = db.execute("SELECT user_id FROM calendar_tokens WHERE token = ?", [token]).fetchone()
    return row[0] if row else None
