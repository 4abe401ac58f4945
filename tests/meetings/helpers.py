"""Small builders shared by the meetings tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from storage import meetings
from storage.db import connect

CREATED = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def make_session(
    db_path: Path,
    starts_at: datetime,
    *,
    offsets: str = "7d 1d 1h",
    created: datetime = CREATED,
    channel: str = "C1",
    title: str = "Temps de travail",
    agenda: tuple[str, ...] = (),
) -> meetings.Meeting:
    """Create a session (and its agenda) directly in storage."""
    with connect(db_path) as db:
        meeting = meetings.add_meeting(
            db, title=title, starts_at=starts_at, place="Lyon", channel_id=channel,
            created_by="U1", now=created, reminder_offsets=offsets,
        )  # fmt: skip
        for point in agenda:
            meetings.add_agenda_point(db, meeting.id, point)
    return meeting


def sent_log_statuses(db_path: Path) -> list[tuple[str, str, int]]:
    """Return (offset_key, status, attempts) of every sent-log row."""
    from storage import reminders

    with connect(db_path) as db:
        return [(r.key.offset_key, r.status, r.attempts) for r in reminders.list_rows(db)]
