"""What scheduled jobs and services share: settings, the Slack port and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.config import Config
from bot.core.messenger import Messenger


@dataclass(frozen=True)
class Runtime:
    config: Config
    messenger: Messenger
    clock: Callable[[], datetime]

    def now(self) -> datetime:
        return self.clock()
