"""Installation events, and subscribed events that need no logic (so Slack never gets a 404)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.core.config import Config
from bot.core.installation import mark_revoked
from bot.core.messenger import Messenger
from bot.core.runtime import Now
from bot.core.visibility import visibility_of

# Handled elsewhere: reaction_added/removed (reactions.py), message (messages.py),
# app_home_opened (home.py).
logger = logging.getLogger(__name__)

NO_OP_EVENTS: tuple[str, ...] = ()
# Who is in a channel, or whether it is private, changed: forget what Slack told us of it.
VISIBILITY_EVENTS = (
    "member_joined_channel", "member_left_channel", "channel_left", "group_left",
    "channel_archive", "channel_unarchive", "group_archive", "group_unarchive",
    "channel_rename", "group_rename", "channel_shared", "channel_unshared",
    "group_open", "group_close", "channel_deleted",
)  # fmt: skip
REVOKING_EVENTS = ("tokens_revoked", "app_uninstalled")


def ignore_event() -> None:
    """Do nothing: Bolt acknowledges the event for us."""


def handle_visibility_change(body: dict[str, Any], messenger: Messenger) -> None:
    """Drop the cached kind and members of the channel the event names (all, if it names none)."""
    channel = body["event"].get("channel")
    if isinstance(channel, dict):  # channel_rename, group_rename: the channel object
        channel = channel.get("id")
    visibility_of(messenger).forget(channel if isinstance(channel, str) and channel else None)


def handle_access_lost(
    body: dict[str, Any], context: dict[str, Any], config: Config, clock: Now
) -> None:
    """Stop posting and scheduling until Slack accepts our token again (O6)."""
    event = body["event"]
    if event["type"] == "tokens_revoked" and not names_our_bot(event, _bot_user(body, context)):
        logger.info("tokens_revoked for other tokens only: nothing to stop")
        return
    mark_revoked(config.db_path, event["type"], clock())


def _bot_user(body: dict[str, Any], context: dict[str, Any]) -> str | None:
    """Return our bot user id: Bolt skips auth.test for this event, the body usually says it."""
    for authorization in body.get("authorizations") or []:
        if isinstance(authorization, dict) and authorization.get("is_bot"):
            return authorization.get("user_id")
    return context.get("bot_user_id")


def names_our_bot(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """Tell whether a tokens_revoked event lists a bot token or our bot user's token."""
    tokens = event.get("tokens") if isinstance(event.get("tokens"), dict) else {}
    bots, users = tokens.get("bot") or [], tokens.get("oauth") or []
    return bool(bots) or bool(bot_user_id and isinstance(users, list) and bot_user_id in users)


def register(app: App) -> None:
    for event in NO_OP_EVENTS:
        app.event(event)(ignore_event)
    for event in VISIBILITY_EVENTS:
        app.event(event)(handle_visibility_change)
    for event in REVOKING_EVENTS:
        app.event(event)(handle_access_lost)
