"""App Home: my items, free items of the last 7 days, newsletter items (+ other parts' sections)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.items.flow import publish_home


def handle_home_opened(event: dict[str, Any], context: dict[str, Any]) -> None:
    """Publish the Home tab when someone opens it."""
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    publish_home(context["config"], context["messenger"], event["user"], context["clock"]())


def register(app: App) -> None:
    app.event("app_home_opened")(handle_home_opened)
