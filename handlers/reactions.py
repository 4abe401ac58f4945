"""Reactions on item messages: 👀 claim, ✅ done, 🚫 dismiss, 📰 newsletter (policy in bot.items.actions)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.items.flow import make_actor, on_reaction


def handle_reaction_added(event: dict[str, Any], context: dict[str, Any]) -> None:
    """Apply an added reaction if it is on an item's message (Bolt acks events itself)."""
    _react(event, context, added=True)


def handle_reaction_removed(event: dict[str, Any], context: dict[str, Any]) -> None:
    """Apply a removed reaction if it is on an item's message."""
    _react(event, context, added=False)


def _react(event: dict[str, Any], context: dict[str, Any], added: bool) -> None:
    user = event.get("user")
    if not user or user == context.get("bot_user_id"):  # our own reactions never loop (S7)
        return
    actor = make_actor(context["config"], user, context["clock"]())
    on_reaction(context["config"], context["messenger"], actor, event, added)


def register(app: App) -> None:
    app.event("reaction_added")(handle_reaction_added)
    app.event("reaction_removed")(handle_reaction_removed)
