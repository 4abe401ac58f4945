"""The ``send_reminders`` scheduler job: an interval tick that reads what is due from the DB.

It does not rely on APScheduler's misfire grace (one second by default): whatever a late or
skipped tick missed is found again by the next one, because "due" is computed from the sessions
and the sent-log. The job has its own single-thread executor so that slow feed polls filling the
default pool never delay it (R7); ``max_instances=1`` and ``coalesce=True`` stop overlapping ticks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor

from bot.messenger import Messenger
from bot.reminder_delivery import TickReport, send_due_reminders

JOB_ID = "send_reminders"
EXECUTOR = "reminders"
INTERVAL_SECONDS = 30


def run_reminder_tick(
    db_path: str | Path, messenger: Messenger, lang: str = "fr", tz: str = "Europe/Paris"
) -> TickReport:
    """Send what is due at the current time (the scheduler's entry point)."""
    return send_due_reminders(db_path, messenger, now=datetime.now(UTC), lang=lang, tz=tz)


def register_reminder_job(
    scheduler,
    db_path: str | Path,
    messenger_factory: Callable[[], Messenger],
    *,
    lang: str = "fr",
    tz: str = "Europe/Paris",
    seconds: int = INTERVAL_SECONDS,
) -> None:
    """Add the reminder job with a stable id and its own executor (safe to call on every start)."""
    if EXECUTOR not in scheduler._executors:  # no public accessor in APScheduler 3.x
        scheduler.add_executor(ThreadPoolExecutor(max_workers=1), alias=EXECUTOR)
    if scheduler.get_job(JOB_ID) is not None:
        # Before start(), APScheduler 3 queues jobs without applying replace_existing.
        scheduler.remove_job(JOB_ID)
    scheduler.add_job(
        _tick,
        "interval",
        seconds=seconds,
        args=[str(db_path), messenger_factory, lang, tz],
        id=JOB_ID,
        name="Send due session reminders and decision DMs",
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        executor=EXECUTOR,
        next_run_time=datetime.now(UTC),
    )


def _tick(db_path: str, messenger_factory: Callable[[], Messenger], lang: str, tz: str) -> None:
    """Build a messenger and run one tick."""
    run_reminder_tick(db_path, messenger_factory(), lang, tz)
