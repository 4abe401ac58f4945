"""Slack deliveries already taken in hand, so a retry or a replay is not processed twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database

from storage.db import write

KEEP_FOR = timedelta(days=2)


def claim_delivery(db: Database, key: str, now: datetime) -> bool:
    """Record ``key``; return False when it was already recorded (a duplicate)."""
    with write(db):
        cursor = db.execute(
            "INSERT OR IGNORE INTO slack_events_seen (event_key, seen_at) VALUES (?, ?)",
            [key, now.isoformat()],
        )
    return cursor.rowcount == 1


def forget_delivery(db: Database, key: str) -> None:
    """Drop ``key`` after a failure, so that Slack's retry is processed."""
    with write(db):
        db.execute("DELETE FROM slack_events_seen WHERE event_key = ?", [key])


def purge_deliveries(db: Database, now: datetime) -> int:
    """Forget deliveries older than Slack's retry window (with a wide margin)."""
    with write(db):
        cursor = db.execute(
            "DELETE FROM slack_events_seen WHERE seen_at < ?", [(now - KEEP_FOR).isoformat()]
        )
    return cursor.rowcount
