"""Slack listeners: thin translations between Slack payloads and bot/ (table of contents)."""

from __future__ import annotations

from slack_bolt import App

from handlers import actions, commands, events, home, meetings, messages, reactions, views

MODULES = (commands, actions, reactions, messages, home, views, events, meetings)


def register(app: App) -> None:
    """Register every listener module on ``app``."""
    for module in MODULES:
        module.register(app)
