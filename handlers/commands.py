"""Slash commands: /veille, /session, /decision — ack at once, then answer through the router."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.core.reply import Reply
from bot.core.router import Router
from handlers.acks import Background
from handlers.context import command_context
from handlers.people import learn_actor


def handle_command(
    ack: Ack, body: dict[str, Any], context: dict[str, Any], respond: Respond,
    routers: dict[str, Router], background: Background,
) -> None:  # fmt: skip
    """Acknowledge within Slack's 3 s, run the subcommand in the background, answer."""
    router = routers[body["command"]]
    text = body.get("text") or ""
    if not body.get("response_url"):
        # nowhere to answer later: the answer goes in the ack's HTTP body
        ack(**_answer(router.dispatch(command_context(body, context), text)))
        return
    ack()

    def run() -> None:
        learn_actor(context, body.get("user_id"))
        respond(
            **_answer(router.dispatch(command_context(body, context), text)), replace_original=False
        )

    background.run(body, context, run)


def _answer(reply: Reply) -> dict[str, Any]:
    """Return the fields of an answer: ephemeral unless the reply is public."""
    return {
        "text": reply.text,
        "blocks": reply.blocks,
        "response_type": "in_channel" if reply.public else "ephemeral",
    }


def register(app: App, routers: dict[str, Router]) -> None:
    for command in routers:
        app.command(command)(handle_command)
