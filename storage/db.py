"""Open SQLite the way every unit of work needs it: WAL, busy timeout, one connection per thread.

A sqlite-utils ``Database`` must not be shared by threads at once, and Bolt listeners and
APScheduler jobs run on their own threads, so callers take one with :func:`connect` for each
unit of work and give it back straight after. Given-back connections are kept idle for the next
unit of work: a new connection re-reads the whole schema (FTS tables included) on its first
statement, about 3 ms, which every Slack ack would otherwise pay. Writes go through :func:`write`, which starts the
transaction with ``BEGIN IMMEDIATE``: under WAL a deferred transaction that reads then writes
fails at once with "database is locked" when another writer committed in between, whereas an
immediate one waits for the busy timeout like any other writer.
"""

from __future__ import annotations

import collections
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


class FileDatabase(Database):
    """A sqlite-utils Database that knows its file and busy timeout (for the per-file write lock)."""

    def __init__(self, conn: sqlite3.Connection, real_path: str, busy_timeout: float):
        super().__init__(conn)
        self.real_path = real_path
        self.busy_timeout = busy_timeout


def _write_lock(db: Database) -> threading.RLock | None:
    path = db.real_path if isinstance(db, FileDatabase) else None
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
    real_path = os.path.realpath(path) if str(path) != ":memory:" else ":memory:"
    return FileDatabase(conn, real_path, busy_timeout)


IDLE_CONNECTIONS = 16
_IDLE: collections.deque[tuple[str, int, Database]] = collections.deque()
_IDLE_GUARD = threading.Lock()


def _take_idle(path: str, busy_timeout: float) -> Database | None:
    """Return an idle connection to ``path`` opened by this process, set to ``busy_timeout``."""
    with _IDLE_GUARD:
        for index in range(len(_IDLE) - 1, -1, -1):
            idle_path, pid, db = _IDLE[index]
            if idle_path == path and pid == os.getpid():
                del _IDLE[index]
                break
        else:
            return None
    if isinstance(db, FileDatabase) and db.busy_timeout != busy_timeout:
        db.conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        db.busy_timeout = busy_timeout
    return db


def _give_back(path: str, db: Database) -> None:
    """Keep ``db`` idle for the next unit of work (closing the oldest beyond the limit)."""
    if db.conn.in_transaction:
        db.conn.rollback()
    with _IDLE_GUARD:
        _IDLE.append((path, os.getpid(), db))
        surplus = [_IDLE.popleft() for _ in range(len(_IDLE) - IDLE_CONNECTIONS)]
    for _, pid, old in surplus:
        if pid == os.getpid():
            old.close()


def close_idle_connections() -> None:
    """Close every idle connection (tests that swap how connections are opened call this)."""
    with _IDLE_GUARD:
        idle = list(_IDLE)
        _IDLE.clear()
    for _, pid, db in idle:
        if pid == os.getpid():
            db.close()


@contextlib.contextmanager
def connect(path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> Iterator[Database]:
    """Yield a connection for one unit of work, then keep it idle for the next one.

    A unit of work that fails closes its connection instead, so a broken one is never reused.
    """
    key = os.path.realpath(path) if str(path) != ":memory:" else None
    db = (_take_idle(key, busy_timeout) if key and os.path.exists(key) else None) or open_database(
        path, busy_timeout=busy_timeout
    )
    try:
        yield db
    except BaseException:
        db.close()
        raise
    if key is None:
        db.close()
    else:
        _give_back(key, db)


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
        timeout=db.busy_timeout if isinstance(db, FileDatabase) else BUSY_TIMEOUT_SECONDS
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


def ping(path: str | Path, *, busy_timeout: float = 2) -> None:
    """Raise unless the database at ``path`` answers a query (for the health check)."""
    with connect(path, busy_timeout=busy_timeout) as db:
        db.execute("SELECT 1").fetchone()
