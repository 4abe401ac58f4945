"""Show an item's state on its Slack message after every change (chat.update).

The change is already committed when this runs: a Slack failure here is logged and leaves the
message stale until the next change, it never undoes or loses the change.
"""

from __future__ import annotations

import logging
import threading

from sqlite_utils import Database

from bot.messenger import MessengerError
from bot.render.item_status import status_line
from bot.render.items import build_item_message
from storage import claims

logger = logging.getLogger(__name__)
STATE_BLOCK_ID = "item_state"
# A lock per item (striped, so memory stays bounded) so that the last chat.update always carries
# the latest committed state: whoever refreshes reads the state inside the lock, after every
# earlier refresh of that item finished.
_LOCKS = tuple(threading.Lock() for _ in range(64))


def with_state(blocks: list[dict], line: str) -> list[dict]:
    """Return the blocks with our state line just above the buttons.

    The state line replaces a context block already standing right above the buttons (the
    watch part's renderer puts its own status there) or ours from an earlier update, so the
    message never shows two states; otherwise it is inserted there.
    """
    state = {
        "type": "context",
        "block_id": STATE_BLOCK_ID,
        "elements": [{"type": "mrkdwn", "text": line}],
    }
    ours = [n for n, block in enumerate(blocks) if block.get("block_id") == STATE_BLOCK_ID]
    if ours:
        return [state if n == ours[0] else b for n, b in enumerate(blocks) if n not in ours[1:]]
    kept = list(blocks)
    position = next(
        (n for n, block in enumerate(kept) if block.get("type") == "actions"), len(kept)
    )
    if position > 0 and kept[position - 1].get("type") == "context" and position < len(kept):
        position -= 1
        kept.pop(position)
    return [*kept[:position], state, *kept[position:]]


def build_item_update(db: Database, item_id: int, lang: str, tz: str):
    """Return (channel, ts, text, blocks) for the item's message, or None if never posted."""
    item = claims.get_item(db, item_id)
    if item is None or not item.message_ts:
        return None
    text, blocks = build_item_message(item, claims.list_sources(db, item_id), lang, tz)
    line = status_line(item, item.note_count, lang)
    return item.channel_id, item.message_ts, f"{text} — {line}", with_state(blocks, line)


def refresh_item_message(db: Database, messenger, item_id: int, lang: str, tz: str) -> bool:
    """Update the item's message with its current state; False if Slack refused."""
    with _LOCKS[item_id % len(_LOCKS)]:
        update = build_item_update(db, item_id, lang, tz)
        if update is None:
            return False
        channel, ts, text, blocks = update
        try:
            messenger.update(channel, ts, text, blocks)
        except MessengerError as error:  # the change is committed anyway
            logger.warning("could not update the message of item %s: %s", item_id, error.code)
            return False
        except Exception:
            logger.exception("could not update the message of item %s", item_id)
            return False
    return True
