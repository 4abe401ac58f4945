"""Reactions on item messages (claim / done / dismiss / newsletter) — logic arrives with the claim feature."""

from __future__ import annotations

from slack_bolt import App


def handle_reaction() -> None:
    """Acknowledge reactions until claiming by reaction is built."""


def register(app: App) -> None:
    app.event("reaction_added")(handle_reaction)
    app.event("reaction_removed")(handle_reaction)
