"""Turn a Slack payload plus Bolt's context into the domain's CommandContext."""

from __future__ import annotations

from typing import Any

from bot.core.router import CommandContext
from handlers.acks import MalformedPayload

MAX_ID = 2**63 - 1  # SQLite's largest integer


def command_context(body: dict[str, Any], context: dict[str, Any]) -> CommandContext:
    """Build the domain context for a slash command, action, shortcut or view submission."""
    user = body.get("user_id") or _object(body.get("user")).get("id", "")
    channel = body.get("channel_id") or _object(body.get("channel")).get("id", "")
    return CommandContext(
        user_id=user,
        channel_id=channel,
        config=context["config"],
        messenger=context["messenger"],
        clock=context["clock"],
        trigger_id=body.get("trigger_id", ""),
    )


def item_id(value: Any) -> int:
    """Return the item number a modal or button carries; anything else is a malformed payload.

    A number past SQLite's largest integer is capped, so it reads as a missing item, never
    as an overflow (as commands do).
    """
    text = value if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit()):
        raise MalformedPayload(f"not an item number: {str(value)[:40]!r}")
    return min(int(text), MAX_ID)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
