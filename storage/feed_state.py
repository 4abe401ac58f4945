"""Record the outcome of each poll on a feed: success, 304, failure with back-off, pause."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database

from storage.db import iso
from storage.feeds import MAX_BACKOFF, MAX_FAILURES, MAX_RETRY_AFTER, POLL_INTERVAL


def record_success(
    db: Database,
    feed_id: int,
    now: datetime,
    *,
    etag: str | None,
    last_modified: str | None,
    title: str | None = None,
    entry_count: int | None = None,
    interval: timedelta = POLL_INTERVAL,
) -> None:
    """Note a good fetch (200 or 304): clear errors, keep validators, schedule the next poll."""
    db.execute(
        "UPDATE feeds SET etag = ?, last_modified = ?, last_polled_at = ?, last_success_at = ?,"
        " last_error = NULL, error_count = 0, next_poll_at = ?,"
        " title = CASE WHEN ? IS NOT NULL AND ? != '' THEN ? ELSE title END,"
        " entry_count = COALESCE(?, entry_count) WHERE id = ?",
        [
            etag,
            last_modified,
            iso(now),
            iso(now),
            iso(now + interval),
            title,
            title,
            title,
            entry_count,
            feed_id,
        ],
    )


def record_unchanged(
    db: Database,
    validators: dict[int, tuple[str | None, str | None]],
    now: datetime,
    interval: timedelta = POLL_INTERVAL,
) -> list[int]:
    """Note a batch of 304s (feed id: new ETag, Last-Modified; None keeps the stored one).

    Feeds removed or paused meanwhile are left as they are. Return the ids recorded. One
    SELECT and one ``executemany`` for the whole batch instead of two statements per feed.
    """
    if not validators:
        return []
    ids = list(validators)
    marks = ", ".join("?" * len(ids))
    sql = f"SELECT id FROM feeds WHERE id IN ({marks}) AND removed_at IS NULL AND paused = 0"
    live = [row[0] for row in db.conn.execute(sql, ids).fetchall()]
    stamp, next_at = iso(now), iso(now + interval)
    db.conn.executemany(
        "UPDATE feeds SET etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified),"
        " last_polled_at = ?, last_success_at = ?, last_error = NULL, error_count = 0,"
        " next_poll_at = ? WHERE id = ?",
        [(*validators[feed_id], stamp, stamp, next_at, feed_id) for feed_id in live],
    )
    return live


def backoff_delay(
    error_count: int, retry_after: float | None, interval: timedelta = POLL_INTERVAL
) -> timedelta:
    """Return the wait after ``error_count`` failures in a row, honouring Retry-After (capped)."""
    delay = min(interval * (2 ** max(0, error_count - 1)), MAX_BACKOFF)
    if retry_after:
        delay = max(delay, min(timedelta(seconds=retry_after), MAX_RETRY_AFTER))
    return delay


def record_failure(
    db: Database,
    feed_id: int,
    now: datetime,
    *,
    code: str,
    retry_after: float | None = None,
    permanent: bool = False,
    interval: timedelta = POLL_INTERVAL,
    max_failures: int = MAX_FAILURES,
) -> bool:
    """Note a failed poll and back off; pause after ``max_failures`` or a permanent error.

    Return True when this failure paused the feed. ``last_error`` holds the error code, turned
    into plain words when shown.
    """
    row = db.execute("SELECT error_count FROM feeds WHERE id = ?", [feed_id]).fetchone()
    count = (row[0] if row else 0) + 1
    pause = permanent or count >= max_failures
    db.execute(
        "UPDATE feeds SET last_polled_at = ?, last_error = ?, error_count = ?, next_poll_at = ?,"
        " paused = CASE WHEN ? THEN 1 ELSE paused END,"
        " paused_reason = CASE WHEN ? THEN ? ELSE paused_reason END WHERE id = ?",
        [
            iso(now),
            code,
            count,
            iso(now + backoff_delay(count, retry_after, interval)),
            pause,
            pause,
            code,
            feed_id,
        ],
    )
    return pause


def pause_feeds(db: Database, feed_ids: list[int], reason: str) -> None:
    """Pause feeds for a reason (e.g. the bot cannot post in their channel)."""
    for feed_id in feed_ids:
        db.execute(
            "UPDATE feeds SET paused = 1, paused_reason = ?, pause_notified = 0"
            " WHERE id = ? AND paused = 0",
            [reason, feed_id],
        )


def resume_feed(db: Database, feed_id: int, now: datetime) -> None:
    """Un-pause a feed and poll it at the next round."""
    db.execute(
        "UPDATE feeds SET paused = 0, paused_reason = NULL, error_count = 0, last_error = NULL,"
        " pause_notified = 0, next_poll_at = ? WHERE id = ?",
        [iso(now), feed_id],
    )


def feeds_to_notify(db: Database) -> list[int]:
    """Return ids of paused feeds whose owner has not yet been told."""
    sql = "SELECT id FROM feeds WHERE paused = 1 AND pause_notified = 0 AND removed_at IS NULL"
    return [row[0] for row in db.execute(sql).fetchall()]


def mark_notified(db: Database, feed_id: int) -> None:
    """Remember that the pause of this feed was announced."""
    db.execute("UPDATE feeds SET pause_notified = 1 WHERE id = ?", [feed_id])


def poll_at(db: Database, feed_id: int, moment: datetime) -> None:
    """Make the feed due at ``moment`` (an import spreads its feeds' first polls)."""
    db.execute("UPDATE feeds SET next_poll_at = ? WHERE id = ?", [iso(moment), feed_id])
