"""Fixtures for the items part: a migrated SQLite file and items inserted as rows."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlite_utils import Database

from storage.db import connect
from storage.migrations import apply_migrations
from storage.notes import sync_item_fts

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
CHANNEL = "CVEILLE"


@pytest.fixture
def db_path(tmp_path) -> str:
    """Return the path of a fresh database with every migration applied."""
    path = str(tmp_path / "veilleur.db")
    with connect(path) as db:
        apply_migrations(db)
    return path


@pytest.fixture
def db(db_path) -> Iterator[Database]:
    """Yield one connection to the test database."""
    with connect(db_path) as database:
        yield database


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
