"""Reactions on item messages: 👀 claim, ✅ done, 🚫 dismiss, 📰 newsletter (policy in bot.items)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.core.config import Config
from bot.core.messenger import Messenger
from bot.core.runtime import Now
from bot.items.flow import make_actor, on_reaction
from handlers.people import learn_actor


def handle_reaction_added(
    event: dict[str, Any], context: dict[str, Any], config: Config, messenger: Messenger,
    clock: Now,
) -> None:  # fmt: skip
    """Apply an added reaction if it is on an item's message (Bolt acks events itself)."""
    _react(event, context, config, messenger, clock, added=True)


def handle_reaction_removed(
    event: dict[str, Any], context: dict[str, Any], config: Config, messenger: Messenger,
    clock: Now,
) -> None:  # fmt: skip
    """Apply a removed reaction if it is on an item's message."""
    _react(event, context, config, messenger, clock, added=False)


def _react(
    event: dict[str, Any], context: dict[str, Any], config: Config, messenger: Messenger,
    clock: Now, added: bool,
) -> None:  # fmt: skip
    user = event.get("user")
    if not user or user == context.get("bot_user_id"):  # our own reactions never loop (S7)
        return
    actor = make_actor(config, user, clock())
    on_reaction(config, messenger, actor, event, added, learn=lambda: learn_actor(context, user))


def register(app: App) -> None:
    app.event("reaction_added")(handle_reaction_added)
    app.event("reaction_removed")(handle_reaction_removed)
