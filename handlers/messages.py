"""Thread replies under item messages are notes; edits and deletions of those replies follow."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.core.config import Config
from bot.core.messenger import Messenger
from bot.core.runtime import Now
from bot.items.flow import make_actor, on_message
from handlers.people import learn_actor


def _author(event: dict[str, Any]) -> str:
    """Return who wrote the message, including for message_changed / message_deleted."""
    return (
        event.get("user")
        or (event.get("message") or {}).get("user")
        or (event.get("previous_message") or {}).get("user")
        or ""
    )


def _from_a_bot(event: dict[str, Any], bot_user_id: str | None) -> bool:
    message = event.get("message") or event.get("previous_message") or event
    return bool(
        event.get("bot_id")
        or message.get("bot_id")
        or event.get("subtype") == "bot_message"
        or _author(event) == bot_user_id
    )


def handle_message(
    event: dict[str, Any], context: dict[str, Any], config: Config, messenger: Messenger,
    clock: Now,
) -> None:  # fmt: skip
    """Store, edit or remove the note behind a thread reply (committed before any Slack call)."""
    user = _author(event)
    if not user or _from_a_bot(event, context.get("bot_user_id")):
        return
    if event.get("thread_ts") or event.get("subtype") in ("message_changed", "message_deleted"):
        learn_actor(context, user)  # a possible note: most channel messages cost nothing
    on_message(config, messenger, make_actor(config, user, clock()), event)


def register(app: App) -> None:
    app.event("message")(handle_message)
