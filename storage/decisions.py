"""Queries for decisions, their full-text index (accents folded) and idempotent insertion."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlite_utils import Database

from storage.channels import in_channels
from storage.db import iso, write


@dataclass(frozen=True)
class Decision:
    """A decision taken in a session, with its owner and due date."""

    id: int
    meeting_id: int | None
    text: str
    owner: str | None
    due_date: date | None
    status: str
    created_by: str
    created_at: datetime
    done_at: datetime | None
    done_by: str | None
    channel_id: str | None = None  # where it was typed: who may see it (bot/core/visibility)

    @property
    def done(self) -> bool:
        """Return whether the decision was carried out."""
        return self.status == "done"

    @property
    def deleted(self) -> bool:
        """Return whether the decision was deleted (or its recording undone)."""
        return self.status == "deleted"


@dataclass(frozen=True)
class DecisionEvent:
    """One correction of a decision: who did what, when; ``detail`` keeps what it replaced."""

    id: int
    decision_id: int
    actor: str
    action: str  # edited, moved, deleted, undone, reopened, done
    detail: str
    at: datetime


def _decision(row: dict) -> Decision:
    """Turn a row into a Decision."""
    return Decision(
        id=row["id"],
        meeting_id=row["meeting_id"],
        text=row["text"],
        owner=row["owner"],
        due_date=date.fromisoformat(row["due_date"]) if row["due_date"] else None,
        status=row["status"],
        created_by=row["created_by"],
        created_at=datetime.fromisoformat(row["created_at"]),
        done_at=datetime.fromisoformat(row["done_at"]) if row["done_at"] else None,
        done_by=row["done_by"],
        channel_id=row.get("channel_id"),
    )


def add_decision(
    db: Database,
    *,
    meeting_id: int | None,
    text: str,
    owner: str | None,
    due_date: date | None,
    created_by: str,
    now: datetime,
    idempotency_key: str | None = None,
    channel_id: str | None = None,
) -> tuple[Decision, bool]:
    """Record a decision once per idempotency key; return it and whether it is new (M1).

    ``channel_id`` is the channel it was typed in; by default its session's channel.
    """
    with write(db):
        if idempotency_key is not None:
            existing = db.execute(
                "SELECT id FROM decisions WHERE idempotency_key = ?", [idempotency_key]
            ).fetchone()
            if existing:
                return get_decision(db, existing[0]), False  # type: ignore[return-value]
        cursor = db.execute(
            "INSERT INTO decisions (meeting_id, text, owner, due_date, created_by, created_at,"
            " idempotency_key, channel_id) VALUES (?, ?, ?, ?, ?, ?, ?,"
            " COALESCE(?, (SELECT channel_id FROM meetings WHERE id = ?)))",
            [
                meeting_id,
                text,
                owner,
                due_date.isoformat() if due_date else None,
                created_by,
                iso(now),
                idempotency_key,
                channel_id,
                meeting_id,
            ],
        )
        db.execute(
            "INSERT INTO decisions_fts (rowid, text) VALUES (?, ?)", [cursor.lastrowid, text]
        )
    return get_decision(db, cursor.lastrowid), True  # type: ignore[return-value]


def _event(db: Database, decision_id: int, actor: str, action: str, detail: str, now) -> None:
    """Append one line to a decision's history (inside the caller's write)."""
    db.execute(
        "INSERT INTO decision_events (decision_id, actor, action, detail, at) VALUES (?, ?, ?, ?, ?)",
        [decision_id, actor, action, detail, iso(now)],
    )


def list_events(db: Database, decision_id: int) -> list[DecisionEvent]:
    """Return a decision's history, oldest first."""
    rows = db.query(
        "SELECT * FROM decision_events WHERE decision_id = ? ORDER BY at, id", [decision_id]
    )
    return [
        DecisionEvent(r["id"], r["decision_id"], r["actor"], r["action"], r["detail"],
                      datetime.fromisoformat(r["at"]))
        for r in rows
    ]  # fmt: skip


def update_decision(
    db: Database,
    decision_id: int,
    *,
    by: str,
    now: datetime,
    text: str | None = None,
    owner: str | None = None,
    due_date: date | None = None,
) -> Decision | None:
    """Change a decision's text (and owner or due date if given), keeping the old text."""
    with write(db):
        before = get_decision(db, decision_id)
        if before is None:
            return None
        new_text = before.text if text is None else text
        db.execute(
            "UPDATE decisions SET text = ?, owner = ?, due_date = ? WHERE id = ?",
            [
                new_text,
                owner if owner is not None else before.owner,
                (due_date or before.due_date).isoformat()
                if (due_date or before.due_date)
                else None,
                decision_id,
            ],
        )
        db.execute("UPDATE decisions_fts SET text = ? WHERE rowid = ?", [new_text, decision_id])
        _event(db, decision_id, by, "edited", before.text, now)
    return get_decision(db, decision_id)


def move_decision(
    db: Database, decision_id: int, meeting_id: int | None, *, by: str, now: datetime
) -> Decision | None:
    """File a decision under another session (None: « hors session »), keeping where it was."""
    with write(db):
        before = get_decision(db, decision_id)
        if before is None:
            return None
        db.execute("UPDATE decisions SET meeting_id = ? WHERE id = ?", [meeting_id, decision_id])
        previous = "" if before.meeting_id is None else str(before.meeting_id)
        _event(db, decision_id, by, "moved", previous, now)
    return get_decision(db, decision_id)


def delete_decision(
    db: Database, decision_id: int, *, by: str, now: datetime, action: str = "deleted"
) -> Decision | None:
    """Mark a decision deleted (``action="undone"`` for the undo button); the row stays."""
    with write(db):
        before = get_decision(db, decision_id)
        if before is None:
            return None
        db.execute("UPDATE decisions SET status = 'deleted' WHERE id = ?", [decision_id])
        _event(db, decision_id, by, action, before.status, now)
    return get_decision(db, decision_id)


def reopen_decision(db: Database, decision_id: int, *, by: str, now: datetime) -> Decision | None:
    """Put a done or deleted decision back to open."""
    with write(db):
        before = get_decision(db, decision_id)
        if before is None:
            return None
        db.execute(
            "UPDATE decisions SET status = 'open', done_at = NULL, done_by = NULL WHERE id = ?",
            [decision_id],
        )
        _event(db, decision_id, by, "reopened", before.status, now)
    return get_decision(db, decision_id)


def get_decision(db: Database, decision_id: int) -> Decision | None:
    """Return the decision with this id, or None."""
    rows = list(db.query("SELECT * FROM decisions WHERE id = ?", [decision_id]))
    return _decision(rows[0]) if rows else None


def list_decisions(
    db: Database,
    *,
    meeting_id: int | None = None,
    status: str | None = None,
    owner: str | None = None,
    include_deleted: bool = False,
    unfiled: bool = False,
    channels: Collection[str] | None = None,
) -> list[Decision]:
    """Return decisions filtered by session (``unfiled``: none), status, owner and channels.

    Oldest first; deleted decisions only with ``include_deleted`` or an explicit ``status``.
    """
    clauses, params = _of_channels(channels)
    if not include_deleted and status is None:
        clauses.append("status != 'deleted'")
    if unfiled:
        clauses.append("meeting_id IS NULL")
    for column, value in (("meeting_id", meeting_id), ("status", status), ("owner", owner)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = db.query(f"SELECT * FROM decisions {where} ORDER BY id", params)
    return [_decision(row) for row in rows]


def list_open_due_by(db: Database, channel_id: str, day: date) -> list[Decision]:
    """Return open decisions of the channel's sessions due on or before ``day``."""
    rows = db.query(
        "SELECT d.* FROM decisions d JOIN meetings m ON m.id = d.meeting_id"
        " WHERE m.channel_id = ? AND d.status = 'open' AND d.due_date IS NOT NULL"
        " AND d.due_date <= ? ORDER BY d.due_date, d.id",
        [channel_id, day.isoformat()],
    )
    return [_decision(row) for row in rows]


def list_open_with_owner_and_due(db: Database, since: date) -> list[Decision]:
    """Return open decisions that have an owner and a due date on or after ``since``.

    The reminders job passes a day a week back, so that an overdue decision is still found.
    """
    rows = db.query(
        "SELECT * FROM decisions WHERE status = 'open' AND owner IS NOT NULL"
        " AND due_date IS NOT NULL AND due_date >= ? ORDER BY due_date, id",
        [since.isoformat()],
    )
    return [_decision(row) for row in rows]


def mark_done(db: Database, decision_id: int, *, by: str, now: datetime) -> Decision | None:
    """Mark a decision done (idempotent) and return it."""
    with write(db):
        cursor = db.execute(
            "UPDATE decisions SET status = 'done', done_at = ?, done_by = ?"
            " WHERE id = ? AND status = 'open'",
            [iso(now), by, decision_id],
        )
        if cursor.rowcount == 1:
            _event(db, decision_id, by, "done", "", now)
    return get_decision(db, decision_id)


def _of_channels(channels: Collection[str] | None) -> tuple[list[str], list]:
    """Return the condition keeping decisions typed in ``channels`` (None: all)."""
    if channels is None:
        return [], []
    seen, params = in_channels("channel_id", channels)  # who sees what (bot/core/visibility)
    return [seen], params


def search_decisions(
    db: Database, words: str, *, limit: int = 20, channels: Collection[str] | None = None
) -> list[Decision]:
    """Full-text search, accents folded; every word must match (as a prefix)."""
    terms = [w.replace('"', '""') for w in words.split() if w.strip()]
    if not terms:
        return []
    query = " ".join(f'"{term}"*' for term in terms)
    clauses, params = _of_channels(channels)
    extra = "".join(f" AND d.{clause}" for clause in clauses)
    rows = db.query(
        "SELECT d.* FROM decisions_fts f JOIN decisions d ON d.id = f.rowid"
        f" WHERE decisions_fts MATCH ? AND d.status != 'deleted'{extra} ORDER BY rank LIMIT ?",
        [query, *params, limit],
    )
    return [_decision(row) for row in rows]
