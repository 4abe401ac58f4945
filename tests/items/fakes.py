"""A recording Messenger and a command context for testing bot/ code without Slack."""

from __future__ import annotations

from bot.commands import CommandContext
from bot.config import Config
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


def command_context(
    db_path: str, messenger: RecordingMessenger, user: str = "UALICE", admins=(), lang="fr"
) -> CommandContext:
    """Return the router's real context for ``user`` on a test database."""
    config = Config(db_path=db_path, admins=frozenset(admins), lang=lang)
    return CommandContext(user, "CVEILLE", config, messenger, clock=lambda: NOW)
