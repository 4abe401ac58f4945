"""What scheduled jobs and services share: settings, the Slack port and the clock.

The clock is movable so that the shell can jump ahead (``:avancer 2j``) and tests can replace it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.core.config import Config
from bot.core.messenger import Messenger

Now = Callable[[], datetime]
"""What tells the time: a :class:`Clock`, or any function a test hands in."""


@dataclass(frozen=True)
class Runtime:
    config: Config
    messenger: Messenger
    clock: Now

    def now(self) -> datetime:
        return self.clock()


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
