"""The ``send_deadline_reminders`` job: a tick that works out from the database what is due.

It runs on the scheduler's ``reminders`` executor, next to the session reminders, so slow feed
polls never delay it.
"""

from __future__ import annotations

from bot.calls.reminders import TickReport, send_due_deadline_reminders
from bot.core.feature import Job
from bot.core.runtime import Runtime

JOB_ID = "send_deadline_reminders"
INTERVAL_SECONDS = 60


def send_deadline_reminders(runtime: Runtime) -> TickReport:
    """Send the deadline reminders due at the runtime's current time."""
    config = runtime.config
    return send_due_deadline_reminders(
        config.db_path, runtime.messenger, now=runtime.now(), lang=config.lang, tz=config.tz
    )


JOBS = (Job(JOB_ID, send_deadline_reminders, seconds=INTERVAL_SECONDS, executor="reminders"),)
