"""Know whether a bot runs on a database: every bot process holds ``<db>.run.lock`` shared.

``veilleur restore`` takes the same lock exclusively, so it is refused while any bot process
(leader or follower, Socket Mode, HTTP mode or shell) is up, and a bot started during a
restore waits for it to end. The leader's ``<db>.scheduler.lock`` is checked too. The kernel
drops these locks with the process, so a killed bot never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from typing import IO

WAIT_SECONDS = 60.0


class RunLockBusy(Exception):
    """A restore held the database for longer than the bot was ready to wait."""


def lock_path(db_path: str) -> str:
    return f"{db_path}.run.lock"


def _try(handle: IO[str], mode: int) -> bool:
    try:
        fcntl.flock(handle, mode | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def hold_run_lock(db_path: str, wait: float = WAIT_SECONDS) -> IO[str] | None:
    """Take the shared run lock for the life of this process; return the file that holds it."""
    if db_path == ":memory:":
        return None
    handle = open(lock_path(db_path), "a+")  # noqa: SIM115  (held until the process ends)
    deadline = time.monotonic() + wait
    while not _try(handle, fcntl.LOCK_SH):
        if time.monotonic() > deadline:
            handle.close()
            raise RunLockBusy(lock_path(db_path))
        time.sleep(0.2)
    return handle


def leader_pid(db_path: str) -> int | None:
    """Return the pid of the process that runs the jobs on ``db_path``, if one does."""
    path = f"{db_path}.scheduler.lock"
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        if _try(handle, fcntl.LOCK_SH):
            return None
        text = handle.read().strip()
    return int(text) if text.isdigit() else 0


class ExclusiveRun:
    """Hold the run lock exclusively (no bot may run) for a restore; ``acquired`` says if it did."""

    def __init__(self, db_path: str):
        self.db_path = db_path
        self.acquired = False
        self._handle: IO[str] | None = None

    def __enter__(self) -> ExclusiveRun:
        self._handle = open(lock_path(self.db_path), "a+")
        self.acquired = _try(self._handle, fcntl.LOCK_EX) and leader_pid(self.db_path) is None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle:
            self._handle.close()  # closing releases the lock
