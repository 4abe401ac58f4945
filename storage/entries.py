"""Queries behind a poll's new entries: the seen-set per feed, items and their sources.

What counts as new, filtered or the same story is decided in ``bot/watch/dedup.py``; these
functions only read and write the rows it asks for.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from sqlite_utils import Database

from storage.db import iso
from storage.feeds import Feed

_INSERT_SOURCE = (
    "INSERT OR IGNORE INTO item_sources (item_id, feed_id, entry_key, link, seen_at)"
    " VALUES (?, ?, ?, ?, ?)"
)
_INSERT_SEARCH = "INSERT INTO items_fts (rowid, title, summary, notes) VALUES (?, ?, ?, '')"


class StoredEntry(Protocol):
    """The fields of a parsed feed entry that are stored (``bot.watch.parse.Entry`` has them)."""

    key: str
    title: str
    link: str
    canonical_url: str
    summary: str
    published: datetime | None


def seen_keys(db: Database, feed_id: int) -> set[str]:
    """Return the entry keys this feed has already had."""
    sql = "SELECT entry_key FROM seen_entries WHERE feed_id = ?"
    return {row[0] for row in db.execute(sql, [feed_id]).fetchall()}


def mark_seen(db: Database, feed_id: int, keys: Iterable[str], stamp: str) -> None:
    """Remember these entry keys for the feed (already known ones are left as they are)."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO seen_entries (feed_id, entry_key, seen_at) VALUES (?, ?, ?)",
        [(feed_id, key, stamp) for key in keys],
    )


def item_with_url(db: Database, channel_id: str, canonical_url: str) -> int | None:
    """Return the id of the channel's item at this canonical URL, if any."""
    sql = "SELECT id FROM items WHERE channel_id = ? AND canonical_url = ? LIMIT 1"
    row = db.conn.execute(sql, (channel_id, canonical_url)).fetchone()
    return row[0] if row else None


def item_with_title(db: Database, channel_id: str, title_key: str, since: datetime) -> int | None:
    """Return the id of the channel's oldest item seen since ``since`` with this title key."""
    sql = (
        "SELECT id FROM items WHERE channel_id = ? AND title_key = ? AND first_seen_at >= ?"
        " ORDER BY id LIMIT 1"
    )
    row = db.conn.execute(sql, (channel_id, title_key, iso(since))).fetchone()
    return row[0] if row else None


def create_item(db: Database, feed: Feed, entry: StoredEntry, key: str, stamp: str) -> int:
    """Insert a new pending item with its first source and its search row."""
    item_id = insert_item(db, feed, entry, stamp, key)
    db.conn.execute(_INSERT_SOURCE, (item_id, feed.id, entry.key, entry.link, stamp))
    db.conn.execute(_INSERT_SEARCH, (item_id, entry.title, entry.summary))
    return item_id


def insert_item(db: Database, feed: Feed, entry: StoredEntry, stamp: str, key: str) -> int:
    """Insert a new pending item (its source and search rows are the caller's)."""
    cursor = db.conn.execute(
        "INSERT INTO items (channel_id, title, link, canonical_url, title_key, summary,"
        " published_at, first_seen_at, post_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
        (
            feed.channel_id,
            entry.title,
            entry.link,
            entry.canonical_url,
            key,
            entry.summary,
            iso(entry.published) if entry.published else None,
            stamp,
        ),
    )
    return cursor.lastrowid


def add_source(db: Database, item_id: int, feed_id: int, entry: StoredEntry, stamp: str) -> None:
    """Record that a feed's entry is this item."""
    db.conn.execute(_INSERT_SOURCE, (item_id, feed_id, entry.key, entry.link, stamp))
