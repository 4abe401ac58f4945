"""A recording Messenger and a command context for testing bot/ code without Slack."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tests.items.conftest import NOW


class RecordingMessenger:
    """Record every call; optionally fail updates with an exception."""

    def __init__(self, fail_update: Exception | None = None) -> None:
        self.calls: list[tuple] = []
        self.fail_update = fail_update

    def update(self, channel, ts, text, blocks=None):
        self.calls.append(("update", channel, ts, text, blocks))
        if self.fail_update:
            raise self.fail_update

    def ephemeral(self, channel, user, text, blocks=None):
        self.calls.append(("ephemeral", channel, user, text, blocks))

    def post(self, channel, text, blocks=None, *, thread_ts=None, metadata=None):
        self.calls.append(("post", channel, text, blocks, thread_ts))
        return "1800000099.000001"

    def publish_home(self, user, view):
        self.calls.append(("publish_home", user, view))

    def open_modal(self, trigger_id, view):
        self.calls.append(("open_modal", trigger_id, view))

    def updates(self) -> list[tuple]:
        return [call for call in self.calls if call[0] == "update"]


@dataclass(frozen=True)
class Settings:
    admins: tuple[str, ...] = ()


@dataclass(frozen=True)
class FakeContext:
    user_id: str
    db_path: str
    messenger: RecordingMessenger
    channel_id: str = "CVEILLE"
    lang: str = "fr"
    tz: str = "Europe/Paris"
    config: Settings = field(default_factory=Settings)
    at: datetime = NOW

    def now(self) -> datetime:
        return self.at

    def is_admin(self, user_id: str) -> bool:
        return not self.config.admins or user_id in self.config.admins
