"""« Pour un porteur » on an item message: a form to pick the holder, then the link and the DM."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.core.config import Config
from bot.core.i18n import t
from bot.core.messenger import Messenger
from bot.core.mrkdwn import plain
from bot.core.reply import UserError, answer_privately
from bot.core.runtime import Now
from bot.core.visibility import visibility_of
from bot.holders.records import Person, holder_choices, link_item
from bot.holders.render import LINK_BLOCK, LINK_MODAL_CALLBACK, build_link_modal, picked_holder
from handlers.acks import Background
from handlers.context import item_id

FOR_HOLDER_BUTTON = "item_for_holder"  # bot.items.states.BUTTONS


def _person(body: dict[str, Any], config: Config, clock: Now, messenger: Messenger) -> Person:
    channel = (
        (body.get("channel") or {}).get("id", "") if isinstance(body.get("channel"), dict) else ""
    )
    return Person(body["user"]["id"], channel, config, clock(), visibility_of(messenger))


def handle_for_holder_button(
    ack: Ack, body: dict[str, Any], config: Config, messenger: Messenger, clock: Now
) -> None:
    """Open the form listing the holders the clicker may see (or say there is none yet)."""
    ack()
    item = item_id(body["actions"][0].get("value"))
    person = _person(body, config, clock, messenger)
    choices = holder_choices(person)
    if not choices:
        answer_privately(messenger, person.channel_id, person.user_id,
                         t("holders.link.no_holders", config.lang), or_by_dm=True)  # fmt: skip
        return
    messenger.open_modal(body["trigger_id"], build_link_modal(item, choices, config.lang))


def handle_link_submission(
    ack: Ack, body: dict[str, Any], context: dict[str, Any], config: Config,
    messenger: Messenger, clock: Now, background: Background,
) -> None:  # fmt: skip
    """Refuse an empty choice inside the form; otherwise close it, link, tell both people."""
    view = body["view"]
    item = item_id(view.get("private_metadata"))
    picked = picked_holder(view.get("state") or {})
    if not (picked.isascii() and picked.isdigit()):
        ack(response_action="errors",
            errors={LINK_BLOCK: plain(t("holders.link.pick", config.lang))})  # fmt: skip
        return
    ack()
    person = _person(body, config, clock, messenger)

    def run() -> None:
        try:
            linked = link_item(person, messenger, int(picked), item)
        except UserError as error:  # the holder or the item went away meanwhile
            answer_privately(messenger, None, person.user_id, str(error), or_by_dm=True)
            return
        answer_privately(messenger, linked.item_channel, person.user_id, linked.message,
                         or_by_dm=True)  # fmt: skip

    background.run(body, context, run)


def register(app: App) -> None:
    app.action(FOR_HOLDER_BUTTON)(handle_for_holder_button)
    app.view(LINK_MODAL_CALLBACK)(handle_link_submission)
