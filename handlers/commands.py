"""Slash commands: /veille, /session, /decision — ack at once, then answer through the router."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.core.router import ROUTERS, dispatch
from handlers.context import command_context


def handle_command(
    ack: Ack, body: dict[str, Any], context: dict[str, Any], respond: Respond
) -> None:
    """Acknowledge within Slack's 3 s, run the subcommand, answer (ephemeral unless public)."""
    ack()
    reply = dispatch(body["command"], command_context(body, context), body.get("text", ""))
    respond(
        text=reply.text,
        blocks=reply.blocks,
        response_type="in_channel" if reply.public else "ephemeral",
        replace_original=False,
    )


def register(app: App) -> None:
    for command in ROUTERS:
        app.command(command)(handle_command)
