"""Slash commands: /veille, /session, /decision — ack at once, then answer through the router."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.core.router import Router
from handlers.context import command_context


def handle_command(
    ack: Ack, body: dict[str, Any], context: dict[str, Any], respond: Respond,
    routers: dict[str, Router],
) -> None:  # fmt: skip
    """Acknowledge within Slack's 3 s, run the subcommand, answer (ephemeral unless public)."""
    ack()
    router = routers[body["command"]]
    reply = router.dispatch(command_context(body, context), body.get("text", ""))
    respond(
        text=reply.text,
        blocks=reply.blocks,
        response_type="in_channel" if reply.public else "ephemeral",
        replace_original=False,
    )


def register(app: App, routers: dict[str, Router]) -> None:
    for command in routers:
        app.command(command)(handle_command)
