"""Turn a Slack payload plus Bolt's context into the domain's CommandContext."""

from __future__ import annotations

from typing import Any

from bot.core.router import CommandContext


def command_context(body: dict[str, Any], context: dict[str, Any]) -> CommandContext:
    """Build the domain context for a slash command, action, shortcut or view submission."""
    user = body.get("user_id") or (body.get("user") or {}).get("id", "")
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id", "")
    return CommandContext(
        user_id=user,
        channel_id=channel,
        config=context["config"],
        messenger=context["messenger"],
        clock=context["clock"],
        trigger_id=body.get("trigger_id", ""),
    )
