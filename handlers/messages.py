"""Thread replies under item messages become notes — logic arrives with the claim feature."""

from __future__ import annotations

from slack_bolt import App


def handle_message() -> None:
    """Acknowledge messages until thread notes are built."""


def register(app: App) -> None:
    app.event("message")(handle_message)
