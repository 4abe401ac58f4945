"""Slack listeners: thin translations between Slack payloads and bot/ (table of contents).

Listeners get the bot's ports as parameters that Bolt fills from the context ``bot/app.py``
sets: ``config``, ``messenger``, ``clock``, ``routers``, ``home_parts``.
"""

from __future__ import annotations

from slack_bolt import App

from bot.core.router import Router
from handlers import (
    actions,
    calls,
    commands,
    events,
    holders,
    home,
    meetings,
    messages,
    reactions,
    views,
)  # fmt: skip

MODULES = (actions, reactions, messages, home, views, events, meetings, holders, calls)


def register(app: App, routers: dict[str, Router]) -> None:
    """Register every listener module on ``app``; ``routers`` name the slash commands."""
    commands.register(app, routers)
    for module in MODULES:
        module.register(app)
