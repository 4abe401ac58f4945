"""The reminders sent-log: one row per (kind, ref_id, offset_key, due_at), claimed before sending.

Life of a row: ``sending`` (claimed, the post is in flight) → ``sent``; on a transient failure
back to ``pending`` with ``attempts + 1`` and a ``retry_at``; ``failed`` when Slack refuses for
good; ``skipped`` when a reminder could no longer be useful (logged with the reason). The claim is
an INSERT (or a pending→sending UPDATE) inside ``BEGIN IMMEDIATE`` guarded by the UNIQUE key, so
two processes on one database can never both own the same reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from storage.db import iso, write

# The session reminders and decision DMs; other users of the sent-log (the weekly digest, kind
# "digest") settle their own rows, so the reminders tick must not see them as lost reminders.
REMINDER_KINDS = ("session", "decision")


@dataclass(frozen=True)
class ReminderKey:
    """What makes a reminder unique: the due time is part of it, so a move gives new keys."""

    kind: str
    ref_id: int
    offset_key: str
    due_at: datetime

    def as_text(self) -> str:
        """Return a stable string form, used as the Slack message metadata value."""
        return f"{self.kind}:{self.ref_id}:{self.offset_key}:{iso(self.due_at)}"


@dataclass(frozen=True)
class SentLogRow:
    """One row of the sent-log."""

    id: int
    key: ReminderKey
    status: str
    attempts: int
    claimed_at: datetime | None
    sent_at: datetime | None
    retry_at: datetime | None
    detail: str
    message_ts: str | None


def _row(row: dict) -> SentLogRow:
    """Turn a row into a SentLogRow."""

    def when(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    key = ReminderKey(
        row["kind"], row["ref_id"], row["offset_key"], datetime.fromisoformat(row["due_at"])
    )
    return SentLogRow(
        id=row["id"],
        key=key,
        status=row["status"],
        attempts=row["attempts"],
        claimed_at=when(row["claimed_at"]),
        sent_at=when(row["sent_at"]),
        retry_at=when(row["retry_at"]),
        detail=row["detail"],
        message_ts=row["message_ts"],
    )


_KEY_WHERE = "kind = ? AND ref_id = ? AND offset_key = ? AND due_at = ?"


def _key_params(key: ReminderKey) -> list:
    """Return the SQL parameters of a key."""
    return [key.kind, key.ref_id, key.offset_key, iso(key.due_at)]


def claim(db: Database, key: ReminderKey, now: datetime) -> SentLogRow | None:
    """Take ownership of a reminder (new, or pending and due for retry); None if not ours."""
    with write(db):
        cursor = db.execute(
            "INSERT INTO reminders_sent (kind, ref_id, offset_key, due_at, status, claimed_at)"
            " VALUES (?, ?, ?, ?, 'sending', ?) ON CONFLICT DO NOTHING",
            [*_key_params(key), iso(now)],
        )
        if cursor.rowcount != 1:
            cursor = db.execute(
                f"UPDATE reminders_sent SET status = 'sending', claimed_at = ? WHERE {_KEY_WHERE}"
                " AND status = 'pending' AND (retry_at IS NULL OR retry_at <= ?)",
                [iso(now), *_key_params(key), iso(now)],
            )
            if cursor.rowcount != 1:
                return None
        return get(db, key)


def record(db: Database, key: ReminderKey, status: str, detail: str, now: datetime) -> bool:
    """Insert a final row (e.g. ``skipped``) unless the key exists; return whether inserted."""
    with write(db):
        cursor = db.execute(
            "INSERT INTO reminders_sent (kind, ref_id, offset_key, due_at, status, claimed_at,"
            " detail) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [*_key_params(key), status, iso(now), detail],
        )
        return cursor.rowcount == 1


def get(db: Database, key: ReminderKey) -> SentLogRow | None:
    """Return the sent-log row of a key, or None."""
    rows = list(db.query(f"SELECT * FROM reminders_sent WHERE {_KEY_WHERE}", _key_params(key)))
    return _row(rows[0]) if rows else None


def mark_sent(db: Database, row_id: int, now: datetime, message_ts: str | None) -> None:
    """Confirm a claimed reminder as sent."""
    with write(db):
        db.execute(
            "UPDATE reminders_sent SET status = 'sent', sent_at = ?, message_ts = ?,"
            " attempts = attempts + 1 WHERE id = ?",
            [iso(now), message_ts, row_id],
        )


def mark_retry(db: Database, row_id: int, retry_at: datetime, detail: str) -> None:
    """Put a claimed reminder back to ``pending`` after a transient failure (R6)."""
    with write(db):
        db.execute(
            "UPDATE reminders_sent SET status = 'pending', attempts = attempts + 1,"
            " retry_at = ?, detail = ? WHERE id = ?",
            [iso(retry_at), detail, row_id],
        )


def mark_failed(db: Database, row_id: int, detail: str) -> None:
    """Give up on a reminder that Slack refuses for good."""
    with write(db):
        db.execute(
            "UPDATE reminders_sent SET status = 'failed', attempts = attempts + 1, detail = ?"
            " WHERE id = ?",
            [detail, row_id],
        )


def _kinds_clause(kinds: tuple[str, ...]) -> str:
    """Return ``kind IN (?, …)`` for the given kinds."""
    return f"kind IN ({', '.join('?' for _ in kinds)})"


def list_stale_sending(
    db: Database, claimed_before: datetime, kinds: tuple[str, ...] = REMINDER_KINDS
) -> list[SentLogRow]:
    """Return rows left in ``sending`` since before ``claimed_before`` (a crash in flight, R1)."""
    rows = db.query(
        "SELECT * FROM reminders_sent WHERE status = 'sending' AND claimed_at < ?"
        f" AND {_kinds_clause(kinds)} ORDER BY id",
        [iso(claimed_before), *kinds],
    )
    return [_row(row) for row in rows]


def list_retryable(
    db: Database, now: datetime, kinds: tuple[str, ...] = REMINDER_KINDS
) -> list[SentLogRow]:
    """Return pending rows (of these kinds) whose retry time has come."""
    rows = db.query(
        "SELECT * FROM reminders_sent WHERE status = 'pending'"
        f" AND (retry_at IS NULL OR retry_at <= ?) AND {_kinds_clause(kinds)} ORDER BY id",
        [iso(now), *kinds],
    )
    return [_row(row) for row in rows]


def list_rows(db: Database, kind: str | None = None) -> list[SentLogRow]:
    """Return every sent-log row (of one kind if given), for tests and the shell."""
    if kind is None:
        rows = db.query("SELECT * FROM reminders_sent ORDER BY id")
    else:
        rows = db.query("SELECT * FROM reminders_sent WHERE kind = ? ORDER BY id", [kind])
    return [_row(row) for row in rows]


def mark_skipped(db: Database, row_id: int, detail: str) -> None:
    """Close a reminder that can no longer be useful (session moved, cancelled or started)."""
    with write(db):
        db.execute(
            "UPDATE reminders_sent SET status = 'skipped', detail = ? WHERE id = ?",
            [detail, row_id],
        )
