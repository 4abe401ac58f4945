"""Minimal item message (stand-in until the watch branch's build_item_message is on main).

Same signature and action ids as the watch part's renderer, so the claim side can update the
message the same way: buttons item_claim / item_done / item_dismiss / item_newsletter / item_note
with value = str(item id).
"""

from __future__ import annotations

from bot.i18n import t
from bot.render.item_status import escape

BUTTONS = (
    ("item_claim", "items.button.claim"),
    ("item_done", "items.button.done"),
    ("item_dismiss", "items.button.dismiss"),
    ("item_newsletter", "items.button.newsletter"),
    ("item_note", "items.button.note"),
)


def build_item_message(item, sources, lang: str, tz: str) -> tuple[str, list[dict]]:
    """Return fallback text and blocks for an item's channel message."""
    title = escape(item.title or "?")
    if item.link and item.link.startswith(("http://", "https://")) and "|" not in item.link:
        title = f"<{escape(item.link)}|{title}>"
    text = f"*#{item.id}* {title}"
    if item.summary:
        text += f"\n{escape(item.summary[:500])}"
    actions = [
        {
            "type": "button",
            "text": {"type": "plain_text", "text": t(key, lang)},
            "action_id": action_id,
            "value": str(item.id),
        }
        for action_id, key in BUTTONS
    ]
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {"type": "actions", "block_id": "item_actions", "elements": actions},
    ]
    return f"#{item.id} {escape(item.title)}", blocks
