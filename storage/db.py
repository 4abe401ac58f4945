"""Open SQLite the way every unit of work needs it: WAL, busy timeout, one connection per thread.

A sqlite-utils ``Database`` is tied to the thread that created it, and Bolt listeners and
APScheduler jobs run on their own threads, so callers open one with :func:`connect` for each
unit of work and close it straight after. Writes go through :func:`write`, which starts the
transaction with ``BEGIN IMMEDIATE``: under WAL a deferred transaction that reads then writes
fails at once with "database is locked" when another writer committed in between, whereas an
immediate one waits for the busy timeout like any other writer.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

BUSY_TIMEOUT_SECONDS = 10.0


def iso(moment: datetime) -> str:
    """Return the storage form of an aware datetime: ISO-8601 in UTC ("2027-01-11T09:00:00+00:00").

    Stored times are compared as strings in SQL, so every writer must use this one form.
    """
    return moment.astimezone(UTC).isoformat()


# One writer at a time per database file within this process. SQLite allows one writer anyway;
# queueing on a Python lock wakes the next writer as soon as the lock frees, whereas SQLite's busy
# handler sleeps in growing steps (up to 100 ms) and lengthens the tail of every Slack ack.
_WRITE_LOCKS: dict[str, threading.RLock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock(db: Database) -> threading.RLock | None:
    path = getattr(db, "veilleur_path", None)
    if path is None or path == ":memory:":
        return None
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(path, threading.RLock())


class DatabaseBusy(Exception):
    """The database stayed locked by another writer for longer than the busy timeout."""


def open_database(path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> Database:
    """Open a connection in WAL mode with a busy timeout; the caller closes it."""
    conn = sqlite3.connect(str(path), timeout=busy_timeout, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    db = Database(conn)
    db.veilleur_path = os.path.realpath(path) if str(path) != ":memory:" else ":memory:"  # type: ignore[attr-defined]
    db.veilleur_busy_timeout = busy_timeout  # type: ignore[attr-defined]
    return db


@contextlib.contextmanager
def connect(path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> Iterator[Database]:
    """Yield a fresh connection for one unit of work and close it afterwards."""
    db = open_database(path, busy_timeout=busy_timeout)
    try:
        yield db
    finally:
        db.close()


@contextlib.contextmanager
def write(db: Database) -> Iterator[Database]:
    """Run the block in a ``BEGIN IMMEDIATE`` transaction: commit on success, roll back on error.

    Nested calls become savepoints. A lock that outlives the busy timeout is raised as
    :class:`DatabaseBusy` so that handlers can tell the user to try again.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    lock = _write_lock(db)
    if lock is not None and not lock.acquire(
        timeout=getattr(db, "veilleur_busy_timeout", BUSY_TIMEOUT_SECONDS)
    ):
        raise DatabaseBusy("another writer of this process held the database too long")
    try:
        with _transaction(conn):
            yield db
    finally:
        if lock is not None:
            lock.release()


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, rolling back on error, with busy errors as DatabaseBusy."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise DatabaseBusy(str(error)) from error
        raise
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.OperationalError as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if "locked" in str(error) or "busy" in str(error):
            raise DatabaseBusy(str(error)) from error
        raise
