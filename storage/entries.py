"""Store a poll's new entries: seen-set per feed, one item per story per channel, backlog seeding.

Identity is the entry key (guid, else link, else hash): an entry whose key the feed already
had is never stored again, whatever its date or content (F11, F12). The same story from
several feeds of a channel (same canonical URL, or same folded title within 7 days) becomes
one item with several sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.watch.normalise import matches_keywords, title_key
from bot.watch.parse import Entry
from storage.db import iso
from storage.feeds import Feed

SAME_TITLE_WINDOW = timedelta(days=7)
MIN_TITLE_KEY = 12  # shorter titles ("Actualités") are too generic to merge stories on
SEED_POSTS = 3
_INSERT_SOURCE = (
    "INSERT OR IGNORE INTO item_sources (item_id, feed_id, entry_key, link, seen_at)"
    " VALUES (?, ?, ?, ?, ?)"
)
_INSERT_SEARCH = "INSERT INTO items_fts (rowid, title, summary, notes) VALUES (?, ?, ?, '')"


@dataclass
class StoreReport:
    """What storing one feed's entries did."""

    new_items: list[int] = field(default_factory=list)
    merged_items: list[int] = field(default_factory=list)
    seen: int = 0
    filtered: int = 0


def seen_keys(db: Database, feed_id: int) -> set[str]:
    """Return the entry keys this feed has already had."""
    sql = "SELECT entry_key FROM seen_entries WHERE feed_id = ?"
    return {row[0] for row in db.execute(sql, [feed_id]).fetchall()}


def newest_keys(entries: Sequence[Entry], count: int, now: datetime) -> set[str]:
    """Return the keys of the ``count`` newest of oldest-first entries (future dates count as none)."""
    limit = now + timedelta(days=2)

    def rank(pair: tuple[int, Entry]) -> tuple[bool, float, int]:
        index, entry = pair
        good = entry.published is not None and entry.published <= limit
        # ``entries`` run oldest-first here (feeds list the newest first): later = newer.
        return (not good, -(entry.published.timestamp() if good else 0), -index)

    return {entry.key for _, entry in sorted(enumerate(entries), key=rank)[:count]}


def store_entries(
    db: Database,
    feed: Feed,
    entries: Sequence[Entry],
    now: datetime,
    *,
    seed: bool = False,
    seed_posts: int = SEED_POSTS,
) -> StoreReport:
    """Store a feed's unseen entries as items (or as extra sources of existing items).

    With ``seed`` (first fetch of a new subscription) only the ``seed_posts`` newest entries
    that pass the keyword filter become items; the rest are only marked seen. Entries are handled oldest-first (feeds list the
    newest first) so item numbers follow publication order.
    """
    report = StoreReport()
    known = seen_keys(db, feed.id)
    fresh = [entry for entry in reversed(entries) if entry.key not in known]
    wanted = [e for e in fresh if matches_keywords(feed.keywords, e.title, e.summary)]
    report.filtered = len(fresh) - len(wanted)
    keep = newest_keys(wanted, seed_posts, now) if seed else None
    stamp = iso(now)
    db.conn.executemany(
        "INSERT OR IGNORE INTO seen_entries (feed_id, entry_key, seen_at) VALUES (?, ?, ?)",
        [(feed.id, entry.key, stamp) for entry in fresh],
    )
    report.seen = len(fresh)
    for entry in wanted:
        if keep is not None and entry.key not in keep:
            continue
        key = title_key(entry.title)
        existing = find_same_story(db, feed.channel_id, entry, now, key)
        if existing is not None:
            db.conn.execute(_INSERT_SOURCE, (existing, feed.id, entry.key, entry.link, stamp))
            report.merged_items.append(existing)
        else:
            report.new_items.append(create_item(db, feed, entry, now, key, stamp))
    return report


def find_same_story(
    db: Database, channel_id: str, entry: Entry, now: datetime, key: str | None = None
) -> int | None:
    """Return the id of an item of the channel that is the same story, if any."""
    if entry.canonical_url:
        sql = "SELECT id FROM items WHERE channel_id = ? AND canonical_url = ? LIMIT 1"
        row = db.conn.execute(sql, (channel_id, entry.canonical_url)).fetchone()
        if row:
            return row[0]
    key = title_key(entry.title) if key is None else key
    if len(key) >= MIN_TITLE_KEY:
        sql = (
            "SELECT id FROM items WHERE channel_id = ? AND title_key = ? AND first_seen_at >= ?"
            " ORDER BY id LIMIT 1"
        )
        row = db.conn.execute(sql, (channel_id, key, iso(now - SAME_TITLE_WINDOW))).fetchone()
        if row:
            return row[0]
    return None


def create_item(
    db: Database,
    feed: Feed,
    entry: Entry,
    now: datetime,
    key: str | None = None,
    stamp: str | None = None,
) -> int:
    """Insert a new pending item with its first source and its search row."""
    stamp = stamp or iso(now)
    item_id = insert_item(db, feed, entry, stamp, title_key(entry.title) if key is None else key)
    db.conn.execute(_INSERT_SOURCE, (item_id, feed.id, entry.key, entry.link, stamp))
    db.conn.execute(_INSERT_SEARCH, (item_id, entry.title, entry.summary))
    return item_id


def insert_item(db: Database, feed: Feed, entry: Entry, stamp: str, key: str) -> int:
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


def add_source(db: Database, item_id: int, feed_id: int, entry: Entry, now: datetime) -> None:
    """Record that a feed's entry is this item."""
    db.conn.execute(_INSERT_SOURCE, (item_id, feed_id, entry.key, entry.link, iso(now)))
