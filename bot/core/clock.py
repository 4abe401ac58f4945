"""A clock that the shell can move forward (``:avancer 2j``) and tests can replace."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class Clock:
    """Return the current UTC time, shifted by however far it was moved forward."""

    def __init__(self) -> None:
        self._offset = timedelta()
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward by ``delta`` and return the new time."""
        with self._lock:
            self._offset += delta
        return self()
