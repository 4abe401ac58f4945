"""Whether Slack still accepts our token: stop posting and scheduling when it does not.

Slack tells us in two ways: the ``tokens_revoked`` / ``app_uninstalled`` events, and
``token_revoked`` / ``invalid_auth`` / ``account_inactive`` errors from any Web API call. Either
marks the installation revoked (logged once as an operator alert, however many times and in
whatever order Slack repeats it). Scheduled jobs then stop, and every few minutes one cheap
``auth.test`` checks whether the app was re-installed; when it answers, everything resumes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from storage.app_state import get_state, set_state
from storage.db import connect

logger = logging.getLogger(__name__)

STATE_KEY = "installation"
PROBE_EVERY = timedelta(minutes=5)


def mark_revoked(db_path: str, reason: str, now: datetime) -> bool:
    """Record that Slack refused us; return True (and alert) only on the first notice."""
    with connect(db_path) as db:
        previous = set_state(db, STATE_KEY, f"revoked:{reason}", now)
    newly = not (previous or "").startswith("revoked:")
    if newly:
        logger.error(
            "ALERT: Slack access lost (%s): posting and scheduled jobs are stopped until the "
            "app is re-installed",
            reason,
        )
    return newly


def mark_active(db_path: str, now: datetime) -> None:
    """Record that Slack accepts our token again."""
    with connect(db_path) as db:
        previous = set_state(db, STATE_KEY, "active", now)
    if (previous or "").startswith("revoked:"):
        logger.warning("Slack access is back: resuming posting and scheduled jobs")


def is_revoked(db_path: str) -> bool:
    """Tell whether the installation is currently marked revoked."""
    with connect(db_path) as db:
        return (get_state(db, STATE_KEY) or "").startswith("revoked:")


def jobs_allowed(db_path: str, now: datetime, probe: Callable[[], bool]) -> bool:
    """Allow jobs while the installation works; when revoked, probe at most every few minutes."""
    with connect(db_path) as db:
        state = get_state(db, STATE_KEY) or "active"
        last_probe = get_state(db, "installation_probe_at")
    if not state.startswith("revoked:"):
        return True
    if last_probe and now - datetime.fromisoformat(last_probe) < PROBE_EVERY:
        return False
    with connect(db_path) as db:
        set_state(db, "installation_probe_at", now.isoformat(), now)
    if probe():
        mark_active(db_path, now)
        return True
    return False
