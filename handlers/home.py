"""App Home: each feature's part (items, then sessions and decisions), top to bottom."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.core.config import Config
from bot.core.home import HomePart, publish_home
from bot.core.messenger import Messenger
from bot.core.runtime import Now


def handle_home_opened(
    event: dict[str, Any], config: Config, messenger: Messenger, clock: Now,
    home_parts: tuple[HomePart, ...],
) -> None:  # fmt: skip
    """Publish the Home tab when someone opens it."""
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    publish_home(home_parts, config, messenger, event["user"], clock())


def register(app: App) -> None:
    app.event("app_home_opened")(handle_home_opened)
