"""Modal submissions: the "Noter" modal of an item."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.core.i18n import t
from bot.items.flow import make_actor, on_note, tell
from bot.items.render.note_modal import NOTE_BLOCK, NOTE_MODAL_CALLBACK, note_text


def handle_note_submission(ack: Ack, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Refuse an empty note inside the modal; otherwise close it, store the note, confirm."""
    config = context["config"]
    view = body["view"]
    text = note_text(view.get("state") or {})
    if not text.strip():
        item = view.get("private_metadata", "")
        ack(
            response_action="errors",
            errors={NOTE_BLOCK: t("items.note.empty", config.lang, n=item)},
        )
        return
    ack()
    user = body["user"]["id"]
    actor = make_actor(config, user, context["clock"]())
    outcome = on_note(config, context["messenger"], actor, int(view["private_metadata"]), text)
    if outcome.item is not None:
        tell(context["messenger"], outcome.item.channel_id, user, outcome.message)


def register(app: App) -> None:
    app.view(NOTE_MODAL_CALLBACK)(handle_note_submission)
