"""Small builders shared by the watch tests."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.watch.dedup import store_entries
from bot.watch.parse import Entry
from bot.watch.urls import canonical_url
from storage.db import connect, write
from storage.feeds import Feed, add_feed

NOW = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)


def rss(items: str, title: str = "Veille") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://ex.org/</link>{items}</channel></rss>"
    ).encode()


def rss_item(guid: str, title: str = "", link: str = "", summary: str = "") -> str:
    parts = [f"<guid>{guid}</guid>", f"<title>{title or 'Article ' + guid}</title>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if summary:
        parts.append(f"<description>{summary}</description>")
    return "<item>" + "".join(parts) + "</item>"


def entry(key: str, title: str = "", link: str | None = None, summary: str = "") -> Entry:
    return Entry(
        key=key,
        title=title or f"Article {key}",
        link=link,
        canonical_url=canonical_url(link) if link else None,
        summary=summary,
        published=None,
    )


def make_feed(
    db_path: str,
    url: str = "https://ex.org/feed",
    channel: str = "C1",
    *,
    title: str = "RESACOOP",
    origin: str = "Lyon",
    added_by: str = "U1",
) -> Feed:
    with connect(db_path) as db, write(db):
        return add_feed(
            db,
            url,
            canonical_url(url),
            channel,
            now=NOW,
            title=title,
            origin=origin,
            added_by=added_by,
        )


def add_items(db_path: str, feed: Feed, count: int, prefix: str = "e") -> list[int]:
    """Store ``count`` new entries (oldest last in the list, as feeds list them)."""
    entries = [entry(f"{prefix}{n}", f"Article {prefix}{n}") for n in reversed(range(count))]
    with connect(db_path) as db, write(db):
        return store_entries(db, feed, entries, NOW).new_items
