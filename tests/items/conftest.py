"""Fixtures for the items part: items inserted as rows (``db_path``/``db`` come from tests/conftest.py)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlite_utils import Database

from storage.notes import sync_item_fts

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
CHANNEL = "CVEILLE"


_ts = itertools.count(1)


def insert_item(
    db: Database,
    title: str = "Appel à projets coopération décentralisée",
    summary: str = "",
    *,
    channel_id: str = CHANNEL,
    message_ts: str | None = None,
    first_seen_at: datetime = NOW,
    status: str = "open",
    owner: str | None = None,
    newsletter: bool = False,
) -> int:
    """Insert a posted item as the watch part would, and index it; return its id."""
    ts = message_ts or f"1799990000.{next(_ts):06d}"
    cursor = db.execute(
        "INSERT INTO items (channel_id, title, link, summary, first_seen_at, status, owner, "
        "newsletter, post_state, message_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'posted', ?)",
        [
            channel_id,
            title,
            f"https://example.org/{next(_ts)}",
            summary,
            first_seen_at.isoformat(),
            status,
            owner,
            int(newsletter),
            ts,
        ],
    )
    item_id = cursor.lastrowid
    sync_item_fts(db, item_id)
    db.conn.commit()
    return item_id


@pytest.fixture
def make_item(db) -> Callable[..., int]:
    """Insert an item row (see :func:`insert_item`) and return its id."""
    return lambda *args, **kwargs: insert_item(db, *args, **kwargs)


def later(minutes: int) -> datetime:
    """Return NOW plus some minutes."""
    return NOW + timedelta(minutes=minutes)
