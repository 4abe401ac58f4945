"""Online backup of the live database (safe while the bot writes)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path


def backup_database(source: str | Path, destination: str | Path) -> None:
    """Copy ``source`` to ``destination`` with SQLite's online backup API.

    The source is opened read-only, so a wrong path raises instead of creating (and backing up)
    a new empty database. The copy is written beside the destination and renamed over it at the
    end: an interrupted backup never leaves a half-written file under the destination's name.
    """
    uri = Path(source).resolve().as_uri() + "?mode=ro"
    partial = Path(f"{destination}.partial")
    partial.unlink(missing_ok=True)  # left by a crash: SQLite would refuse to write into it
    try:
        with (
            contextlib.closing(sqlite3.connect(uri, uri=True, timeout=10)) as src,
            contextlib.closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst, pages=256)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)


def _read_only(path: str | Path) -> sqlite3.Connection:
    return sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, timeout=10)


def integrity_problem(path: str | Path) -> str | None:
    """Return why ``path`` is not a sound Veilleur database (None when it is one).

    ``PRAGMA integrity_check`` reads every page; a file that is not SQLite at all fails on its
    first statement. A sound database without the ``items`` table is some other program's.
    """
    try:
        with contextlib.closing(_read_only(path)) as conn:
            found = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
            if found != ["ok"]:
                return "; ".join(found[:3])
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        return str(error)
    return None if "items" in tables else "no Veilleur tables (items is missing)"


def restore_database(source: str | Path, destination: str | Path) -> None:
    """Make ``destination`` an exact copy of ``source``, all at once or not at all.

    Into an existing database the copy goes through SQLite's backup API in a single step: it is
    one write transaction on the destination, so a crash halfway leaves the old content, and its
    WAL and journal stay consistent (renaming a file over it would not: a stale ``-wal`` beside
    it would be replayed onto the new content). A missing destination is written beside and
    renamed, as a backup is.
    """
    if not Path(destination).exists():
        backup_database(source, destination)
        return
    with (
        contextlib.closing(_read_only(source)) as src,
        contextlib.closing(sqlite3.connect(destination, timeout=10)) as dst,
    ):
        src.backup(dst, pages=-1)
