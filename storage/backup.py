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
    try:
        with (
            contextlib.closing(sqlite3.connect(uri, uri=True, timeout=10)) as src,
            contextlib.closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst, pages=256)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
