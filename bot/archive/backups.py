"""The optional daily backup job: one file a day in VEILLEUR_BACKUP_DIR, the last N kept.

Restart-safe by construction: the day's file *is* the record that the day is done (it only
appears under its name once complete, renamed from ``.partial``), so the hourly check after a
restart, or a second process, finds it and does nothing; a crash mid-copy leaves a ``.partial``
that the next run overwrites. Only files named like ours are ever deleted.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.core.feature import Job
from bot.core.runtime import Runtime
from storage.backup import backup_database

logger = logging.getLogger(__name__)
BACKUP_JOB_ID = "daily_backup"
DAILY = re.compile(r"^veilleur-\d{4}-\d{2}-\d{2}\.db$")
STALE_PARTIAL_SECONDS = 3600


def daily_name(now: datetime, zone: ZoneInfo) -> str:
    """Return the file name of ``now``'s local day (names sort by date)."""
    return f"veilleur-{now.astimezone(zone).date().isoformat()}.db"


def daily_backups(folder: Path) -> list[Path]:
    """Return the daily backups in ``folder``, oldest first."""
    return sorted(p for p in folder.iterdir() if DAILY.match(p.name) and p.is_file())


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` daily backups, and stale partial copies; return them."""
    removed = daily_backups(folder)[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink(missing_ok=True)
    for partial in folder.glob("veilleur-*.db.partial"):
        if time.time() - partial.stat().st_mtime > STALE_PARTIAL_SECONDS:
            partial.unlink(missing_ok=True)
            removed.append(partial)
    return removed


def back_up_today(
    db_path: str, folder: Path, keep: int, now: datetime, zone: ZoneInfo
) -> Path | None:
    """Write today's backup unless it exists, then keep the last ``keep``; return the new file."""
    target = folder / daily_name(now, zone)
    written = None
    if not target.exists():
        backup_database(db_path, target)
        written = target
        logger.info("daily backup written: %s", target)
    prune(folder, keep)
    return written


def run_daily_backup(runtime: Runtime) -> None:
    """The job: back up today's database when VEILLEUR_BACKUP_DIR is set."""
    config = runtime.config
    if not config.backup_dir or config.db_path == ":memory:":
        return
    back_up_today(
        config.db_path, Path(config.backup_dir).expanduser(), config.backup_keep,
        runtime.now(), config.zone,
    )  # fmt: skip


JOBS = (Job(BACKUP_JOB_ID, run_daily_backup, seconds=3600),)
