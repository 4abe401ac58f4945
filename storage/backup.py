"""Online backup of the live database (safe while the bot writes)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def backup_database(source: str | Path, destination: str | Path) -> None:
    """Copy ``source`` to ``destination`` with SQLite's online backup API."""
    with sqlite3.connect(str(source), timeout=10) as src, sqlite3.connect(str(destination)) as dst:
        src.backup(dst, pages=256)
