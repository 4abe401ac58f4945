"""Listeners for subscribed events that need no logic, so that Slack never gets a 404."""

from __future__ import annotations

from slack_bolt import App

# Events of the manifest handled elsewhere: reaction_added/removed (reactions.py),
# message (messages.py), app_home_opened (home.py). The rest are acknowledged and ignored.
NO_OP_EVENTS = ("member_joined_channel", "app_uninstalled", "tokens_revoked")


def ignore_event() -> None:
    """Do nothing: Bolt acknowledges the event for us."""


def register(app: App) -> None:
    for event in NO_OP_EVENTS:
        app.event(event)(ignore_event)
