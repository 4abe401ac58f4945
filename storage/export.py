"""Read the team's records for ``veilleur export``: one query per exported table, rows as dicts.

Times come back as stored (ISO-8601, UTC); the caller turns them into local times and Slack IDs
into names. ``since`` is an ISO UTC instant compared as a string, as every stored time is.
Columns that other migrations may add to ``items`` (a deadline, for one) come along through
``items.*``: the export keeps what it knows and what it finds.
"""

from __future__ import annotations

from sqlite_utils import Database

NO_LIMIT = "0000"  # compares below every stored ISO time


def _rows(db: Database, sql: str, params: list) -> list[dict]:
    return list(db.query(sql, params))


def table_columns(db: Database, table: str) -> list[str]:
    """Return the column names of ``table`` (empty when it does not exist)."""
    return [row[1] for row in db.execute(f"PRAGMA table_info([{table}])").fetchall()]


def export_items(db: Database, since: str = NO_LIMIT) -> list[dict]:
    """Return the items first seen since ``since``, oldest first, with their live note count."""
    return _rows(
        db,
        "SELECT items.*, (SELECT count(*) FROM notes WHERE notes.item_id = items.id"
        " AND notes.deleted = 0) AS note_count FROM items WHERE first_seen_at >= ? ORDER BY id",
        [since],
    )


def export_sources(db: Database, since: str = NO_LIMIT) -> list[dict]:
    """Return where the exported items were seen: feed, title, origin, link, when."""
    return _rows(
        db,
        "SELECT s.item_id, s.feed_id, f.title AS feed_title, f.url AS feed_url, f.origin,"
        " s.link, s.seen_at FROM item_sources s JOIN items i ON i.id = s.item_id"
        " LEFT JOIN feeds f ON f.id = s.feed_id WHERE i.first_seen_at >= ? ORDER BY s.item_id, s.id",
        [since],
    )


def export_notes(db: Database, since: str = NO_LIMIT) -> list[dict]:
    """Return the live notes written since ``since`` (deleted ones are left out)."""
    return _rows(
        db,
        "SELECT id, item_id, author, text, created_at, updated_at FROM notes"
        " WHERE deleted = 0 AND created_at >= ? ORDER BY id",
        [since],
    )


def export_sessions(db: Database, since: str = NO_LIMIT) -> list[dict]:
    """Return the sessions starting since ``since``, in time order."""
    return _rows(
        db,
        "SELECT id, title, starts_at, place, channel_id, status, created_by, created_at"
        " FROM meetings WHERE starts_at >= ? ORDER BY starts_at, id",
        [since],
    )


def export_agenda(db: Database, since: str = NO_LIMIT) -> list[dict]:
    """Return the agenda points of the exported sessions, in order."""
    return _rows(
        db,
        "SELECT a.meeting_id, a.position, a.text FROM agenda_points a"
        " JOIN meetings m ON m.id = a.meeting_id WHERE m.starts_at >= ?"
        " ORDER BY a.meeting_id, a.position",
        [since],
    )


def export_decisions(db: Database, since: str = NO_LIMIT) -> list[dict]:
    """Return the decisions recorded since ``since``, with their session's title."""
    return _rows(
        db,
        "SELECT d.id, d.meeting_id, m.title AS session_title, d.text, d.owner, d.due_date,"
        " d.status, d.created_by, d.created_at, d.done_at, d.done_by FROM decisions d"
        " LEFT JOIN meetings m ON m.id = d.meeting_id WHERE d.created_at >= ? ORDER BY d.id",
        [since],
    )


def export_history(db: Database, since: str = NO_LIMIT) -> list[dict]:
    """Return what happened to items since ``since`` (claimed, done, noted…), oldest first."""
    return _rows(
        db,
        "SELECT id, item_id, actor, action, detail, at FROM item_events WHERE at >= ?"
        " ORDER BY at, id",
        [since],
    )
