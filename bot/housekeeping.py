"""Jobs that keep the database small: forget Slack deliveries older than the retry window."""

from __future__ import annotations

import logging

from bot.core.feature import Job
from bot.core.runtime import Runtime
from storage.db import connect
from storage.deliveries import purge_deliveries

logger = logging.getLogger(__name__)
PURGE_JOB_ID = "purge_deliveries"


def purge_old_deliveries(runtime: Runtime) -> None:
    """Drop delivery records Slack can no longer retry (they only guard against duplicates)."""
    with connect(runtime.config.db_path) as db:
        removed = purge_deliveries(db, runtime.now())
    if removed:
        logger.info("forgot %d old Slack deliveries", removed)


JOBS = (Job(PURGE_JOB_ID, purge_old_deliveries, seconds=3600),)
