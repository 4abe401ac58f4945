"""Queries for sessions (the ``meetings`` table), their numbered agenda points and decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from storage.db import iso, write

DEFAULT_OFFSETS = "7d 1d 1h"


@dataclass(frozen=True)
class Meeting:
    """A session of the team: when, where, in which channel, and its reminder offsets."""

    id: int
    title: str
    starts_at: datetime
    place: str
    channel_id: str
    created_by: str
    created_at: datetime
    status: str
    reminder_offsets: str
    announced_ts: str | None
    rescheduled_at: datetime | None
    sequence: int = 0
    updated_at: datetime | None = None

    @property
    def cancelled(self) -> bool:
        """Return whether the session was cancelled."""
        return self.status == "cancelled"


@dataclass(frozen=True)
class AgendaPoint:
    """One numbered point of a session's agenda."""

    id: int
    meeting_id: int
    position: int
    text: str


def _dt(value: str | None) -> datetime | None:
    """Parse a stored ISO-8601 timestamp."""
    return datetime.fromisoformat(value) if value else None


def _meeting(row: dict) -> Meeting:
    """Turn a row into a Meeting."""
    return Meeting(
        id=row["id"],
        title=row["title"],
        starts_at=datetime.fromisoformat(row["starts_at"]),
        place=row["place"],
        channel_id=row["channel_id"],
        created_by=row["created_by"],
        created_at=datetime.fromisoformat(row["created_at"]),
        status=row["status"],
        reminder_offsets=row["reminder_offsets"],
        announced_ts=row["announced_ts"],
        rescheduled_at=_dt(row.get("rescheduled_at")),
        sequence=row.get("sequence") or 0,
        updated_at=_dt(row.get("updated_at")),
    )


def add_meeting(
    db: Database,
    *,
    title: str,
    starts_at: datetime,
    place: str,
    channel_id: str,
    created_by: str,
    now: datetime,
    reminder_offsets: str = DEFAULT_OFFSETS,
    idempotency_key: str | None = None,
) -> Meeting:
    """Insert a scheduled session once per idempotency key and return it."""
    with write(db):
        if idempotency_key is not None:
            existing = db.execute(
                "SELECT id FROM meetings WHERE idempotency_key = ?", [idempotency_key]
            ).fetchone()
            if existing:
                return get_meeting(db, existing[0])  # type: ignore[return-value]
        cursor = db.execute(
            "INSERT INTO meetings (title, starts_at, place, channel_id, created_by, created_at,"
            " reminder_offsets, rescheduled_at, idempotency_key, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [title, iso(starts_at), place, channel_id, created_by, iso(now), reminder_offsets,
             iso(now), idempotency_key, iso(now)],
        )  # fmt: skip
    return get_meeting(db, cursor.lastrowid)  # type: ignore[return-value]


def get_meeting(db: Database, meeting_id: int) -> Meeting | None:
    """Return the session with this id, or None."""
    rows = list(db.query("SELECT * FROM meetings WHERE id = ?", [meeting_id]))
    return _meeting(rows[0]) if rows else None


def list_meetings(db: Database, *, channel_id: str | None = None) -> list[Meeting]:
    """Return all sessions (of one channel if given), earliest first."""
    if channel_id is None:
        rows = db.query("SELECT * FROM meetings ORDER BY starts_at, id")
    else:
        rows = db.query(
            "SELECT * FROM meetings WHERE channel_id = ? ORDER BY starts_at, id", [channel_id]
        )
    return [_meeting(row) for row in rows]


def list_scheduled_since(db: Database, since: datetime) -> list[Meeting]:
    """Return the non-cancelled sessions starting at or after ``since``."""
    rows = db.query(
        "SELECT * FROM meetings WHERE status = 'scheduled' AND starts_at >= ? ORDER BY starts_at",
        [iso(since)],
    )
    return [_meeting(row) for row in rows]


def update_meeting(db: Database, meeting_id: int, **fields: object) -> Meeting:
    """Set some columns of a session (datetimes stored as UTC ISO) and return it.

    Triggers (migration 0035) bump ``sequence`` and ``updated_at`` when time, place, title or
    status change; pass ``updated_at=now`` to stamp the change with the caller's clock.
    """
    values = {k: iso(v) if isinstance(v, datetime) else v for k, v in fields.items()}
    assignments = ", ".join(f"{name} = ?" for name in values)
    with write(db):
        db.execute(
            f"UPDATE meetings SET {assignments} WHERE id = ?", [*values.values(), meeting_id]
        )
    return get_meeting(db, meeting_id)  # type: ignore[return-value]


def add_agenda_point(db: Database, meeting_id: int, text: str) -> AgendaPoint:
    """Append a point to the session's agenda with the next number."""
    with write(db):
        (position,) = db.execute(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_points WHERE meeting_id = ?",
            [meeting_id],
        ).fetchone()
        cursor = db.execute(
            "INSERT INTO agenda_points (meeting_id, position, text) VALUES (?, ?, ?)",
            [meeting_id, position, text],
        )
    return AgendaPoint(cursor.lastrowid, meeting_id, position, text)


def list_agenda(db: Database, meeting_id: int) -> list[AgendaPoint]:
    """Return the session's agenda points in order."""
    rows = db.query(
        "SELECT * FROM agenda_points WHERE meeting_id = ? ORDER BY position", [meeting_id]
    )
    return [AgendaPoint(r["id"], r["meeting_id"], r["position"], r["text"]) for r in rows]


def remove_agenda_point(db: Database, meeting_id: int, position: int) -> AgendaPoint | None:
    """Delete one agenda point and renumber the following ones; return the removed point."""
    with write(db):
        row = db.execute(
            "SELECT id, text FROM agenda_points WHERE meeting_id = ? AND position = ?",
            [meeting_id, position],
        ).fetchone()
        if row is None:
            return None
        db.execute("DELETE FROM agenda_points WHERE id = ?", [row[0]])
        # two steps: UNIQUE (meeting_id, position) is checked row by row during an UPDATE
        db.execute(
            "UPDATE agenda_points SET position = -position WHERE meeting_id = ? AND position > ?",
            [meeting_id, position],
        )
        db.execute(
            "UPDATE agenda_points SET position = -position - 1"
            " WHERE meeting_id = ? AND position < 0",
            [meeting_id],
        )
    return AgendaPoint(row[0], meeting_id, position, row[1])
