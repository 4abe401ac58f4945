"""Fixtures for the meetings part: a real SQLite file with migrations, and a recording messenger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from storage.db import connect
from storage.migrations import apply_migrations
from tests.meetings.fakes import RecordingMessenger


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Return the path of a migrated database file."""
    path = tmp_path / "veilleur.db"
    with connect(path) as db:
        apply_migrations(db)
    return path


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """Yield a connection to the migrated database."""
    with connect(db_path) as database:
        yield database


@pytest.fixture
def messenger() -> RecordingMessenger:
    """Return a messenger that records every call."""
    return RecordingMessenger()
