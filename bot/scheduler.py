"""APScheduler jobs, run by exactly one process per database.

The features hand in their jobs (``bot.features.jobs()``); :func:`start_scheduler` adds them with
stable ids, ``max_instances=1`` and ``coalesce=True``. Reminders get their own executor so that
slow feed polls can never starve them, and no job relies on APScheduler's misfire grace: each
job works out from the database what is due, so a run that was skipped loses nothing.

A second process on the same database does not start a scheduler: it holds no lock on
``<db>.scheduler.lock`` and logs that it is a follower (handy for a ``web`` + ``worker`` pair).
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Sequence
from typing import IO

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from bot.core.feature import Job
from bot.core.installation import jobs_allowed
from bot.core.runtime import Runtime

logger = logging.getLogger(__name__)


def _run_job(job: Job, runtime: Runtime) -> None:
    """Run one job and log (never propagate) its failure: one broken job never stops the others."""
    try:
        probe = getattr(runtime.messenger, "auth_ok", lambda: True)
        if not jobs_allowed(runtime.config.db_path, runtime.now(), probe):
            logger.debug("job %s skipped: Slack access is revoked", job.id)
            return
        job.run(runtime)
    except Exception:
        logger.exception("job %s failed", job.id)


class SchedulerLock:
    """An advisory file lock that makes one process the scheduler for a database."""

    def __init__(self, db_path: str):
        self.path = f"{db_path}.scheduler.lock" if db_path != ":memory:" else None
        self._file: IO[str] | None = None

    def acquire(self) -> bool:
        if self.path is None:
            return True
        handle = open(self.path, "a+")  # noqa: SIM115  (held for the life of the process)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle
        return True

    def release(self) -> None:
        if self._file:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


class Scheduler(BackgroundScheduler):
    """APScheduler's background scheduler, holding the lock that makes it the only one."""

    def __init__(self, lock: SchedulerLock, **options: object):
        super().__init__(**options)
        self.lock = lock

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait=wait)
        self.lock.release()


def start_scheduler(runtime: Runtime, jobs: Sequence[Job]) -> Scheduler | None:
    """Start ``jobs`` unless another process already runs them; return the scheduler."""
    lock = SchedulerLock(runtime.config.db_path)
    if not lock.acquire():
        logger.warning(
            "another Veilleur process runs the scheduler for this database: follower mode"
        )
        return None
    scheduler = Scheduler(
        lock,
        timezone="UTC",
        executors={"default": ThreadPoolExecutor(4), "reminders": ThreadPoolExecutor(2)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    for job in jobs:
        scheduler.add_job(
            _run_job,
            "interval",
            seconds=job.seconds,
            args=[job, runtime],
            id=job.id,
            replace_existing=True,
            executor=job.executor,
        )
    scheduler.start()
    logger.info("scheduler started with jobs: %s", ", ".join(sorted(j.id for j in jobs)) or "none")
    return scheduler


def stop_scheduler(scheduler: Scheduler | None, timeout: float) -> bool:
    """Take no new job run, wait up to ``timeout`` s for the running ones; True if they ended.

    APScheduler's own wait has no limit, so it waits on a thread of its own; the lock is
    released when it returns, or with the process.
    """
    if scheduler is None or not scheduler.running:
        return True
    scheduler.pause()  # nothing new starts while the running jobs finish
    waiter = threading.Thread(
        target=scheduler.shutdown, kwargs={"wait": True}, name="scheduler-stop", daemon=True
    )
    waiter.start()
    waiter.join(timeout)
    if waiter.is_alive():
        logger.warning("scheduler: jobs still running after %.0f s", timeout)
        return False
    return True


def run_due_jobs(runtime: Runtime, jobs: Sequence[Job]) -> None:
    """Run every job once, now (the shell uses this after moving the clock)."""
    for job in jobs:
        _run_job(job, runtime)
