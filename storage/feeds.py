"""Feed subscriptions and their poll state: due times, back-off, pause and resume."""

from __future__ import annotations

import shlex
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from storage.channels import in_channels
from storage.db import iso

POLL_INTERVAL = timedelta(minutes=15)
MAX_BACKOFF = timedelta(hours=24)
MAX_RETRY_AFTER = timedelta(hours=6)
MAX_FAILURES = 8


@dataclass(frozen=True)
class Feed:
    """One subscription: a feed URL watched for one channel."""

    id: int
    url: str
    canonical_url: str
    channel_id: str
    title: str
    origin: str
    keywords: tuple[str, ...]
    added_by: str
    added_at: str
    etag: str | None
    last_modified: str | None
    last_polled_at: str | None
    last_success_at: str | None
    last_error: str | None
    error_count: int
    next_poll_at: str | None
    paused: bool
    paused_reason: str | None
    entry_count: int
    removed_at: str | None = None
    pause_notified: bool = False

    @property
    def name(self) -> str:
        """Return the title people know the feed by (its URL when it has none)."""
        return self.title or self.url


class FeedExists(Exception):
    """The same feed (canonical URL) is already watched in that channel."""

    def __init__(self, feed: Feed) -> None:
        super().__init__(feed.id)
        self.feed = feed


def _feed(row: dict) -> Feed:
    values = {name: row[name] for name in Feed.__dataclass_fields__ if name in row}
    values["keywords"] = decode_words(row["keywords"])
    values["paused"] = bool(row["paused"])
    values["pause_notified"] = bool(row.get("pause_notified", 0))
    return Feed(**values)


def get_feed(db: Database, feed_id: int, *, include_removed: bool = False) -> Feed | None:
    """Return the feed with this id, or None."""
    rows = list(db.query("SELECT * FROM feeds WHERE id = ?", [feed_id]))
    if not rows or (rows[0]["removed_at"] and not include_removed):
        return None
    return _feed(rows[0])


def find_feed(db: Database, canonical: str, channel_id: str) -> Feed | None:
    """Return the subscription (even removed) for a canonical URL in a channel."""
    sql = "SELECT * FROM feeds WHERE canonical_url = ? AND channel_id = ?"
    rows = list(db.query(sql, [canonical, channel_id]))
    return _feed(rows[0]) if rows else None


def list_feeds(
    db: Database, channel_id: str | None = None, *, channels: Collection[str] | None = None
) -> list[Feed]:
    """Return the active subscriptions, of one channel or all (of ``channels``), by id."""
    seen, params = in_channels("channel_id", channels)  # who sees what (bot/core/visibility)
    sql = f"SELECT * FROM feeds WHERE removed_at IS NULL AND {seen}"
    if channel_id:
        sql += " AND channel_id = ?"
        params.append(channel_id)
    return [_feed(row) for row in db.query(sql + " ORDER BY id", params)]


def add_feed(
    db: Database,
    url: str,
    canonical: str,
    channel_id: str,
    *,
    now: datetime,
    title: str = "",
    origin: str = "",
    keywords: tuple[str, ...] = (),
    added_by: str = "",
) -> Feed:
    """Subscribe a channel to a feed; raise :class:`FeedExists` when it already is.

    A feed removed earlier is revived with its seen entries, so its backlog is not posted again.
    """
    existing = find_feed(db, canonical, channel_id)
    if existing and not existing.removed_at:
        raise FeedExists(existing)
    values = {
        "url": url,
        "title": title,
        "origin": origin,
        "keywords": encode_words(keywords),
        "added_by": added_by,
        "added_at": iso(now),
        "next_poll_at": iso(now + POLL_INTERVAL),
        "paused": 0,
        "paused_reason": None,
        "removed_at": None,
        "error_count": 0,
        "last_error": None,
        "pause_notified": 0,
    }
    if existing:
        db["feeds"].update(existing.id, values)
        feed_id = existing.id
    else:
        values |= {"canonical_url": canonical, "channel_id": channel_id}
        feed_id = db["feeds"].insert(values).last_pk
    feed = get_feed(db, feed_id)
    assert feed is not None
    return feed


def encode_words(words: tuple[str, ...]) -> str:
    """Store a word list in one column: space-separated, "quoted" when a word has a space."""
    return " ".join(f'"{word}"' if " " in word else word for word in words)


def decode_words(text: str | None) -> tuple[str, ...]:
    """Read back what :func:`encode_words` stored (and rows of older releases)."""
    try:
        return tuple(shlex.split(text or ""))
    except ValueError:  # an apostrophe in an unquoted word (« l'eau »)
        return tuple((text or "").replace('"', " ").split())


def set_keywords(db: Database, feed_id: int, words: tuple[str, ...]) -> None:
    """Replace the feed's keyword filter (no words: no filter)."""
    db.execute("UPDATE feeds SET keywords = ? WHERE id = ?", [encode_words(words), feed_id])


def remove_feed(db: Database, feed_id: int, now: datetime) -> None:
    """Stop watching a feed; its items keep their sources."""
    db.execute("UPDATE feeds SET removed_at = ? WHERE id = ?", [iso(now), feed_id])


def due_feeds(db: Database, now: datetime) -> list[Feed]:
    """Return the active, unpaused feeds whose next poll time has come.

    Feeds that failed last time come first: they are the likeliest to hold a worker until
    their timeout, and starting them early keeps them from stretching the end of the round.
    """
    sql = (
        "SELECT * FROM feeds WHERE removed_at IS NULL AND paused = 0 "
        "AND (next_poll_at IS NULL OR next_poll_at <= ?) "
        "ORDER BY last_error IS NULL, next_poll_at, id"
    )
    return [_feed(row) for row in db.query(sql, [iso(now)])]
