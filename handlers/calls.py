"""Deadline buttons on item messages (Confirmer / Modifier) and the « Ajouter à la veille » shortcut."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.calls.deadlines import confirm_answer, edit_hint
from bot.calls.links import LinkRefused, add_link, added_text, first_link
from bot.calls.render import CONFIRM_ACTION, EDIT_ACTION
from bot.core.config import Config
from bot.core.i18n import t
from bot.core.messenger import Messenger
from bot.core.reply import answer_privately
from bot.core.runtime import Now
from bot.watch.fetch import FetchLimits
from handlers.acks import Background, MalformedPayload
from handlers.context import item_id
from storage.db import connect

SHORTCUT_CALLBACK = "add_to_watch"


def _confirm_value(value: Any) -> tuple[int, date]:
    """Split a confirm button's "12:2027-01-15" into the item and the date it showed."""
    number, _, day = (value if isinstance(value, str) else "").partition(":")
    try:
        return item_id(number), date.fromisoformat(day)
    except (MalformedPayload, ValueError) as error:
        raise ValueError(f"not a deadline button value: {str(value)[:40]!r}") from error


def _say(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)


def handle_confirm(
    ack: Ack, body: dict[str, Any], respond: Respond, config: Config, messenger: Messenger,
    clock: Now,
) -> None:  # fmt: skip
    """Confirm the deadline the message proposed; say so to the clicker."""
    ack()
    number, shown = _confirm_value(body["actions"][0].get("value"))
    user = body["user"]["id"]
    with connect(config.db_path) as db:
        text = confirm_answer(db, messenger, number, shown, user, clock(), config.lang, config.tz)
    _say(respond, text)


def handle_edit(
    ack: Ack, body: dict[str, Any], respond: Respond, config: Config, messenger: Messenger
) -> None:
    """Tell the clicker how to type the deadline (an item they may not see reads as missing)."""
    ack()
    number = item_id(body["actions"][0].get("value"))
    with connect(config.db_path) as db:
        text = edit_hint(db, messenger, number, body["user"]["id"], config.lang)
    _say(respond, text)


def message_links(message: dict[str, Any]) -> str:
    """Return the message's text, plus the links its rich-text blocks hold."""
    urls: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "link" and isinstance(node.get("url"), str):
                urls.append(f"<{node['url']}>")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message.get("blocks") or [])
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    return " ".join([text, *urls])


def handle_add_shortcut(
    ack: Ack, body: dict[str, Any], context: dict[str, Any], config: Config,
    messenger: Messenger, clock: Now, background: Background,
) -> None:  # fmt: skip
    """Add the first link of the message to the watch of its channel; answer the person there."""
    ack()
    user = (body.get("user") or {}).get("id", "")
    channel = (body.get("channel") or {}).get("id", "")
    url = first_link(message_links(body.get("message") or {}))

    def run() -> None:
        if url is None:
            answer_privately(messenger, channel, user, t("calls.add.no_link", config.lang))
            return
        try:
            added = add_link(
                config.db_path, messenger, url, "", channel_id=channel, user=user, now=clock(),
                limits=FetchLimits(allow_private=config.allow_private_urls), lang=config.lang,
                tz=config.tz,
            )  # fmt: skip
            text = added_text(added, config.lang, with_note=False)
        except LinkRefused as error:
            text = str(error)
        answer_privately(messenger, channel, user, text, or_by_dm=True)

    background.run(body, context, run)


def register(app: App) -> None:
    app.action(CONFIRM_ACTION)(handle_confirm)
    app.action(EDIT_ACTION)(handle_edit)
    app.shortcut(SHORTCUT_CALLBACK)(handle_add_shortcut)
