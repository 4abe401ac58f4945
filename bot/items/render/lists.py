"""Lists of items (`/veille liste`, `/veille chercher`) and the App Home sections, as Block Kit.

One item that cannot be rendered never breaks the list (or the App Home) for the others: its
row becomes a one-line « article n° 12 : affichage impossible ».
"""

from __future__ import annotations

import logging

from bot.core.i18n import t
from bot.core.mrkdwn import link, safe_text
from bot.core.plural import tn
from bot.items.render.status import status_line
from bot.items.states import CLAIM_BUTTON, SHOW_BUTTON, ItemStatus
from storage.items import Item
from storage.search import Page

logger = logging.getLogger(__name__)

TITLE_LIMIT = 300
LIST_TITLE_LIMIT = 300


def item_row(item: Item, lang: str, note_count: int = 0) -> dict:
    """Return one section for an item: number, title (linked), state, and a button."""
    title = link(item.link, item.title or "?", TITLE_LIMIT)
    text = f"*#{item.id}* {title}\n{status_line(item, note_count, lang)}"
    if item.status == ItemStatus.OPEN:
        button = _button("items.button.claim", CLAIM_BUTTON.action_id, item.id, lang, "primary")
    else:
        button = _button(SHOW_BUTTON.label_key, SHOW_BUTTON.action_id, item.id, lang)
    return {"type": "section", "text": _mrkdwn(text), "accessory": button}


def safe_row(item: Item, lang: str) -> dict:
    """Return the item's row, or a one-line fallback if rendering it fails."""
    try:
        return item_row(item, lang)
    except Exception:  # one odd item must not break the list for everyone
        logger.exception("cannot render item %s", getattr(item, "id", "?"))
        return _context(t("items.row.broken", lang, n=getattr(item, "id", "?")))


def _button(key: str, action_id: str, item_id: int, lang: str, style: str = "") -> dict:
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": t(key, lang)},
        "action_id": action_id,
        "value": str(item_id),
    }
    if style:
        button["style"] = style
    return button


def build_item_list(page: Page, title: str, lang: str, next_command: str) -> tuple[str, list[dict]]:
    """Return fallback text and blocks for one page of items, with how to get the next one."""
    shown_title = safe_text(title, LIST_TITLE_LIMIT)
    if not page.items:
        empty = t("items.list.empty", lang)
        return f"{shown_title} : {empty}", [_text(f"*{shown_title}*\n{empty}")]
    span = t(
        "items.list.page_capped" if page.capped else "items.list.page",
        lang,
        first=page.offset + 1,
        last=page.offset + len(page.items),
        total=page.total,
    )
    blocks = [_text(f"*{shown_title}* ({span})")]
    blocks += [safe_row(item, lang) for item in page.items]
    if page.has_more:
        command = safe_text(next_command, 500)
        blocks.append(_context(t("items.list.more", lang, command=command)))
    return f"{shown_title} ({span})", blocks


def build_home_sections(sections: list[tuple[str, Page]], lang: str) -> list[dict]:
    """Return the App Home blocks: each (heading key, page) as a titled list and a divider."""
    blocks: list[dict] = []
    for heading_key, page in sections:
        blocks.append(_text(t(heading_key, lang)))
        if not page.items:
            blocks.append(_context(t("items.home.empty", lang)))
        blocks += [safe_row(item, lang) for item in page.items]
        if page.capped:
            blocks.append(_context(t("items.home.more_capped", lang)))
        elif page.total > len(page.items):
            blocks.append(_context(tn("items.home.more", lang, page.total - len(page.items))))
        blocks.append({"type": "divider"})
    return blocks


def _mrkdwn(text: str) -> dict:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _text(text: str) -> dict:
    return {"type": "section", "text": _mrkdwn(text)}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [_mrkdwn(text)]}
