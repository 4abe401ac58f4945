"""Demo data for ``veilleur shell --demo``.

Each domain adds a loader with :func:`register_demo_loader`; a loader gets an open database and
the current time, and must be idempotent (the shell may be started with --demo again).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlite_utils import Database

DemoLoader = Callable[[Database, datetime], None]
DEMO_LOADERS: list[DemoLoader] = []


def register_demo_loader(loader: DemoLoader) -> DemoLoader:
    """Add ``loader`` to what ``--demo`` loads."""
    DEMO_LOADERS.append(loader)
    return loader


def load_demo(db: Database, now: datetime) -> int:
    """Run every registered loader; return how many ran."""
    for loader in DEMO_LOADERS:
        loader(db, now)
    return len(DEMO_LOADERS)
