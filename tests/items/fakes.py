"""A command context for testing the items part's commands without Slack."""

from __future__ import annotations

from bot.core.config import Config
from bot.core.router import CommandContext
from tests.fakes import RecordingMessenger
from tests.items.conftest import NOW


def command_context(
    db_path: str, messenger: RecordingMessenger, user: str = "UALICE", admins=(), lang="fr"
) -> CommandContext:
    """Return the router's real context for ``user`` on a test database."""
    config = Config(db_path=db_path, admins=frozenset(admins), lang=lang)
    return CommandContext(user, "CVEILLE", config, messenger, clock=lambda: NOW)
