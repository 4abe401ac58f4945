"""Decide what a poll's entries become: new items, extra sources of a story, or nothing.

Identity is the entry key (guid, else link, else hash): an entry whose key the feed already
had is never stored again, whatever its date or content (F11, F12). The same story from
several feeds of a channel (same canonical URL, or same folded title within 7 days) becomes
one item with several sources. Entries that miss the feed's keywords are only marked seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.watch.normalise import matches_keywords, title_key
from bot.watch.parse import Entry
from storage import entries as entry_store
from storage.db import iso
from storage.feeds import Feed

SAME_TITLE_WINDOW = timedelta(days=7)
MIN_TITLE_KEY = 12  # shorter titles ("Actualités") are too generic to merge stories on
SEED_POSTS = 3


@dataclass
class StoreReport:
    """What storing one feed's entries did."""

    new_items: list[int] = field(default_factory=list)
    merged_items: list[int] = field(default_factory=list)
    seen: int = 0
    filtered: int = 0


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
    that pass the keyword filter become items; the rest are only marked seen. Entries are
    handled oldest-first (feeds list the newest first) so item numbers follow publication order.
    """
    report = StoreReport()
    known = entry_store.seen_keys(db, feed.id)
    fresh = [entry for entry in reversed(entries) if entry.key not in known]
    wanted = [e for e in fresh if matches_keywords(feed.keywords, e.title, e.summary)]
    report.filtered = len(fresh) - len(wanted)
    keep = newest_keys(wanted, seed_posts, now) if seed else None
    stamp = iso(now)
    entry_store.mark_seen(db, feed.id, (entry.key for entry in fresh), stamp)
    report.seen = len(fresh)
    for entry in wanted:
        if keep is not None and entry.key not in keep:
            continue
        key = entry_title_key(entry)
        existing = find_same_story(db, feed.channel_id, entry, now, key)
        if existing is not None:
            entry_store.add_source(db, existing, feed.id, entry, stamp)
            report.merged_items.append(existing)
        else:
            report.new_items.append(entry_store.create_item(db, feed, entry, key, stamp))
    return report


def entry_title_key(entry: Entry) -> str:
    """Return the entry's title key: the one its parser worker computed, else computed here."""
    key = getattr(entry, "title_key", None)
    return title_key(entry.title) if key is None else key


def find_same_story(
    db: Database, channel_id: str, entry: Entry, now: datetime, key: str | None = None
) -> int | None:
    """Return the id of an item of the channel that is the same story, if any."""
    if entry.canonical_url:
        found = entry_store.item_with_url(db, channel_id, entry.canonical_url)
        if found is not None:
            return found
    key = entry_title_key(entry) if key is None else key
    if len(key) >= MIN_TITLE_KEY:
        return entry_store.item_with_title(db, channel_id, key, now - SAME_TITLE_WINDOW)
    return None
