"""Show an item's state on its Slack message after every change (chat.update).

The change is already committed when this runs: a Slack failure here is logged and leaves the
message stale until the next change, it never undoes or loses the change.
"""

from __future__ import annotations

import logging
import threading

from sqlite_utils import Database

from bot.core.messenger import MessengerError
from bot.items.render.message import build_item_message
from bot.items.render.status import status_line
from storage import claims

logger = logging.getLogger(__name__)
# A lock per item (striped, so memory stays bounded) so that the last chat.update always carries
# the latest committed state: whoever refreshes reads the state inside the lock, after every
# earlier refresh of that item finished.
_LOCKS = tuple(threading.Lock() for _ in range(64))


def build_item_update(db: Database, item_id: int, lang: str, tz: str):
    """Return (channel, ts, text, blocks) for the item's message, or None if never posted."""
    item = claims.get_item(db, item_id)
    if item is None or not item.message_ts:
        return None
    text, blocks = build_item_message(item, claims.list_sources(db, item_id), lang, tz)
    state = status_line(item, item.note_count, lang)  # notifications show the new state too
    return item.channel_id, item.message_ts, f"{text} — {state}", blocks


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
