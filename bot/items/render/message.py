"""The Block Kit message of an item: linked title, sources, date, summary, status, buttons.

Everything that comes from a feed goes through :mod:`bot.core.mrkdwn` and sits in mrkdwn objects
with ``verbatim: true`` (F14); the buttons' action ids (``bot.items.states.BUTTONS``) are the contract with the handlers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.dates import format_date
from bot.core.i18n import t
from bot.core.item_parts import item_part_blocks
from bot.core.mrkdwn import fit_lines, link, safe_text
from bot.core.plural import tn
from bot.items.render.status import status_line
from bot.items.states import NEWSLETTER_BUTTON, Button, buttons_for
from storage.items import Item, Source

TITLE_LIMIT = 300
SUMMARY_LIMIT = 500
FALLBACK_LIMIT = 300


STATE_BLOCK_ID = "item_state"


def mrkdwn(text: str) -> dict:
    """Return a mrkdwn text object that Slack will not auto-link (feed text inside)."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def build_item_message(
    item: Item, sources: list[Source], lang: str = "fr", tz: str = "Europe/Paris"
) -> tuple[str, list[dict]]:
    """Return the notification text and the blocks of an item's message."""
    number = t("item.number", lang, id=item.id)
    title = item.title or item.link or number
    headline = "*" + link(item.link, title, TITLE_LIMIT) + "*"
    blocks: list[dict] = [
        {"type": "section", "text": mrkdwn(headline)},
        {"type": "context", "elements": [mrkdwn(_context_line(item, sources, lang, tz))]},
    ]
    if item.summary:
        blocks.append({"type": "section", "text": mrkdwn(safe_text(item.summary, SUMMARY_LIMIT))})
    state = status_line(item, item.note_count, lang)
    blocks.append({"type": "context", "block_id": STATE_BLOCK_ID, "elements": [mrkdwn(state)]})
    blocks += item_part_blocks(item, lang, tz)  # e.g. a call's deadline (bot/calls)
    blocks.append(action_block(item, lang))
    text = safe_text(f"{number} — {title}", FALLBACK_LIMIT)
    return text, blocks


def _context_line(item: Item, sources: list[Source], lang: str, tz: str) -> str:
    names = list(dict.fromkeys(source.feed_title for source in sources))
    origins = list(dict.fromkeys(source.origin for source in sources if source.origin))
    parts = []
    if names:
        parts.append(safe_text(t("item.seen_in", lang, sources=", ".join(names)), 1000))
    if origins:
        parts.append(safe_text(t("item.origin", lang, origins=", ".join(origins)), 500))
    parts.append(format_date(shown_date(item), lang, tz))
    parts.append(t("item.number", lang, id=item.id))
    return " · ".join(parts)


def shown_date(item: Item) -> datetime:
    """Return the publication date, or when the bot first saw the item if that is odd (F12)."""
    seen = datetime.fromisoformat(item.first_seen_at)
    try:
        published = datetime.fromisoformat(item.published_at or "")
    except ValueError:
        return seen
    return published if published <= seen + timedelta(days=1) else seen


def action_block(item: Item, lang: str = "fr") -> dict:
    """Return the buttons that fit the item's state; each carries the item id as its value."""
    return {
        "type": "actions",
        "block_id": f"item_actions_{item.id}",
        "elements": [_button(button, item, lang) for button in buttons_for(item.status)],
    }


def _button(button: Button, item: Item, lang: str) -> dict:
    key = button.label_key
    if button == NEWSLETTER_BUTTON and item.newsletter:
        key = "item.button.unflag"  # the same button takes it back out
    return {
        "type": "button",
        "action_id": button.action_id,
        "value": str(item.id),
        "text": {"type": "plain_text", "text": t(key, lang), "emoji": True},
    }


def build_group_message(items: list[Item], lang: str = "fr", shown: int = 10) -> tuple[str, list]:
    """Return the message that stands for many new items; the items go in its thread."""
    text = tn("item.group.text", lang, len(items))
    lines = ["• " + link(item.link, item.title or str(item.id), 150) for item in items[:shown]]
    more = t("item.group.more", lang, count="{count}")
    body = fit_lines("", lines, 2900, more, total=len(items))
    blocks = [
        {"type": "section", "text": mrkdwn(text)},
        {"type": "section", "text": mrkdwn(body)},
    ]
    return text, blocks
