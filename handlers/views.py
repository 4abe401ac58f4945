"""Modal submissions: the "Noter" modal of an item."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.core.config import Config
from bot.core.i18n import t
from bot.core.messenger import Messenger
from bot.core.mrkdwn import plain
from bot.core.reply import answer_privately
from bot.core.runtime import Now
from bot.items.flow import make_actor, on_note
from bot.items.render.note_modal import NOTE_BLOCK, NOTE_MODAL_CALLBACK, note_text
from handlers.acks import Background
from handlers.context import item_id
from handlers.people import learn_actor


def handle_note_submission(
    ack: Ack, body: dict[str, Any], context: dict[str, Any], config: Config,
    messenger: Messenger, clock: Now, background: Background,
) -> None:  # fmt: skip
    """Refuse an empty note inside the modal; otherwise close it, store the note, confirm."""
    view = body["view"]
    item = item_id(view.get("private_metadata"))
    text = note_text(view.get("state") or {})
    if not text.strip():
        ack(
            response_action="errors",
            errors={NOTE_BLOCK: plain(t("items.note.empty", config.lang, n=item))},
        )
        return
    ack()
    user = body["user"]["id"]

    def run() -> None:
        learn_actor(context, user)
        outcome = on_note(
            config, messenger, make_actor(config, user, clock(), messenger), item, text
        )
        if outcome.item is not None:
            answer_privately(messenger, outcome.item.channel_id, user, outcome.message)

    background.run(body, context, run)


def register(app: App) -> None:
    app.view(NOTE_MODAL_CALLBACK)(handle_note_submission)
