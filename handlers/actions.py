"""Buttons on item messages — until claiming is built they say so plainly."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.i18n import t

ITEM_ACTIONS = re.compile(r"^item_(claim|done|dismiss|newsletter|note)$")


def handle_item_button(
    ack: Ack, body: dict[str, Any], context: dict[str, Any], respond: Respond
) -> None:
    """Tell the clicker that the button is not wired yet."""
    ack()
    action = body["actions"][0]["action_id"]
    respond(
        text=t("error.not_built", context["config"].lang, command="bouton", word=action),
        response_type="ephemeral",
        replace_original=False,
    )


def register(app: App) -> None:
    app.action(ITEM_ACTIONS)(handle_item_button)
