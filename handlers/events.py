"""Installation events, and subscribed events that need no logic (so Slack never gets a 404)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.core.config import Config
from bot.core.installation import mark_revoked
from bot.core.runtime import Now

# Handled elsewhere: reaction_added/removed (reactions.py), message (messages.py),
# app_home_opened (home.py).
NO_OP_EVENTS = ("member_joined_channel",)
REVOKING_EVENTS = ("tokens_revoked", "app_uninstalled")


def ignore_event() -> None:
    """Do nothing: Bolt acknowledges the event for us."""


def handle_access_lost(body: dict[str, Any], config: Config, clock: Now) -> None:
    """Stop posting and scheduling until Slack accepts our token again (O6)."""
    mark_revoked(config.db_path, body["event"]["type"], clock())


def register(app: App) -> None:
    for event in NO_OP_EVENTS:
        app.event(event)(ignore_event)
    for event in REVOKING_EVENTS:
        app.event(event)(handle_access_lost)
