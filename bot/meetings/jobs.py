"""The ``send_reminders`` job: an interval tick that works out from the database what is due.

It does not rely on APScheduler's misfire grace (one second by default): whatever a late or
skipped tick missed is found again by the next one, because "due" is computed from the sessions
and the sent-log. It runs on the scheduler's ``reminders`` executor so that slow feed polls
filling the default pool never delay it (R7); the foundation's scheduler gives every job a stable
id, ``max_instances=1`` and ``coalesce=True``.
"""

from __future__ import annotations

from bot.core.feature import Job
from bot.core.runtime import Runtime
from bot.meetings.delivery import TickReport, send_due_reminders

JOB_ID = "send_reminders"
EXECUTOR = "reminders"
INTERVAL_SECONDS = 30


def send_reminders(runtime: Runtime) -> TickReport:
    """Send the reminders and decision DMs due at the runtime's current time."""
    config = runtime.config
    return send_due_reminders(
        config.db_path, runtime.messenger, now=runtime.now(), lang=config.lang, tz=config.tz
    )


JOBS = (Job(JOB_ID, send_reminders, seconds=INTERVAL_SECONDS, executor=EXECUTOR),)
