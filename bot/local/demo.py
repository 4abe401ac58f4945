"""Demo data for ``veilleur shell --demo``.

The loaders come from the features (``Feature.demo`` in ``bot/features.py``); each gets an open
database and the current time, and must be idempotent (the shell may be started with --demo
again).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlite_utils import Database

from bot.core.feature import DemoLoader


def load_demo(db: Database, now: datetime, loaders: Sequence[DemoLoader]) -> int:
    """Run every loader; return how many ran."""
    for loader in loaders:
        loader(db, now)
    return len(loaders)
