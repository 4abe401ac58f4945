"""Buttons on item messages, lists and the App Home: Je prends / C'est fait / Pas pertinent /
Pour la lettre / Noter (opens a modal) / Voir."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.core.config import Config
from bot.core.home import HomePart, publish_home
from bot.core.messenger import Messenger
from bot.core.reply import UserError
from bot.core.runtime import Now
from bot.items.commands import show_command
from bot.items.flow import make_actor, on_button, show_item_modal, tell_clicker
from bot.items.render.note_modal import build_note_modal
from bot.items.states import ACTION_BUTTONS, NOTE_BUTTON, SHOW_BUTTON
from handlers.acks import MalformedPayload
from handlers.context import command_context, item_id
from handlers.people import learn_actor

ITEM_ACTIONS = re.compile("^(" + "|".join(map(re.escape, ACTION_BUTTONS)) + ")$")


def _item_id(body: dict[str, Any]) -> int:
    """Return the button's item number (too big a number reads as a missing item).

    A value that is no number at all cannot come from a button the bot drew: the error
    handler apologises to the clicker, as for any failure after the ack.
    """
    value = body["actions"][0].get("value")
    try:
        return item_id(value)
    except MalformedPayload as error:
        raise ValueError(str(error)) from error


def _in_a_view(body: dict[str, Any]) -> bool:
    """Tell whether the click came from a view (the App Home) rather than a message."""
    return (body.get("container") or {}).get("type") == "view" or bool(body.get("view"))


def _answer(body: dict[str, Any], respond: Respond, text: str, blocks=None) -> None:
    """Answer the clicker privately next to the message (only messages have a response_url)."""
    if text and body.get("response_url"):
        respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)


def handle_item_button(
    ack: Ack, body: dict[str, Any], context: dict[str, Any], respond: Respond, config: Config,
    messenger: Messenger, clock: Now, home_parts: tuple[HomePart, ...],
) -> None:  # fmt: skip
    """Acknowledge at once, apply the action, update the item message, answer the clicker."""
    ack()
    user = body["user"]["id"]
    learn_actor(context, user)
    actor = make_actor(config, user, clock(), messenger)
    action = body["actions"][0]["action_id"]
    outcome = on_button(config, messenger, actor, action, _item_id(body))
    if body.get("response_url"):
        _answer(body, respond, outcome.message)
    elif not outcome.ok:
        # From the Home a success shows in the re-published tab; a refusal needs saying.
        tell_clicker(messenger, body.get("trigger_id", ""), user, outcome.message, config.lang)
    if _in_a_view(body):
        publish_home(home_parts, config, messenger, user, actor.now)


def handle_note_button(
    ack: Ack, body: dict[str, Any], config: Config, messenger: Messenger
) -> None:
    """Open the note modal for the item."""
    ack()
    messenger.open_modal(body["trigger_id"], build_note_modal(_item_id(body), config.lang))


def handle_show_button(
    ack: Ack, body: dict[str, Any], context: dict[str, Any], respond: Respond
) -> None:
    """Show the item's detail: next to a list or search result, in a modal from the Home."""
    ack()
    ctx = command_context(body, context)
    number = _item_id(body)
    try:
        reply = show_command(ctx, str(number))
    except UserError as error:  # the item is gone: say so rather than stay silent
        if body.get("response_url"):
            _answer(body, respond, str(error))
        else:
            tell_clicker(ctx.messenger, ctx.trigger_id, ctx.user_id, str(error), ctx.lang)
        return
    if body.get("response_url") and not _in_a_view(body):
        _answer(body, respond, reply.text, reply.blocks)
        return
    show_item_modal(
        ctx.messenger, ctx.trigger_id, ctx.user_id, number, reply.text, reply.blocks or [],
        ctx.lang,
    )  # fmt: skip


def register(app: App) -> None:
    app.action(ITEM_ACTIONS)(handle_item_button)
    app.action(NOTE_BUTTON.action_id)(handle_note_button)
    app.action(SHOW_BUTTON.action_id)(handle_show_button)
