"""The "Noter" modal: one multiline input; the item id travels in private_metadata."""

from __future__ import annotations

from bot.core.i18n import t

NOTE_MODAL_CALLBACK = "item_note_modal"
NOTE_BLOCK, NOTE_INPUT = "note", "text"


def build_note_modal(item_id: int, lang: str) -> dict:
    """Return the modal view asking for a note on item ``item_id``."""
    return {
        "type": "modal",
        "callback_id": NOTE_MODAL_CALLBACK,
        "private_metadata": str(item_id),
        "title": {"type": "plain_text", "text": t("items.modal.title", lang, n=item_id)[:24]},
        "submit": {"type": "plain_text", "text": t("items.modal.submit", lang)},
        "close": {"type": "plain_text", "text": t("items.modal.cancel", lang)},
        "blocks": [
            {
                "type": "input",
                "block_id": NOTE_BLOCK,
                "label": {"type": "plain_text", "text": t("items.modal.label", lang)},
                "element": {
                    "type": "plain_text_input",
                    "action_id": NOTE_INPUT,
                    "multiline": True,
                    "max_length": 3000,
                },
            }
        ],
    }


def note_text(view_state: dict) -> str:
    """Return the note typed in the modal's submitted state."""
    return (view_state.get("values", {}).get(NOTE_BLOCK, {}).get(NOTE_INPUT, {}) or {}).get(
        "value"
    ) or ""
