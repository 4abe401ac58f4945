"""App Home — arrives with the claim feature."""

from __future__ import annotations

from slack_bolt import App


def handle_home_opened() -> None:
    """Acknowledge app_home_opened until the App Home is built."""


def register(app: App) -> None:
    app.event("app_home_opened")(handle_home_opened)
