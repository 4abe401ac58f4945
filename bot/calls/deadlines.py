"""Give an item a deadline, take it away, confirm the one read from its text; list coming ones.

Each change is committed, then the item's message is redrawn (a Slack failure there leaves
the message stale, never the change undone). Who sees what (``bot/core/visibility``): only a
person who may see the item's channel changes its deadline (another reads as « introuvable »),
and the coming deadlines are those of the channels the current viewer may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.calls.render import proposed_deadline
from bot.core.messenger import Messenger
from bot.core.visibility import viewer_channels, visibility_of
from bot.items.sync import refresh_item_message
from storage import calls as call_store
from storage import claims
from storage.items import Item


@dataclass(frozen=True)
class Change:
    """What a deadline change did: the item after it (None if there is no such item)."""

    item: Item | None
    changed: bool


def set_deadline(
    db: Database, messenger: Messenger, item_id: int, day: date, user: str, now: datetime,
    lang: str, tz: str,
) -> Change:  # fmt: skip
    """Give item ``item_id`` this deadline and redraw its message."""
    if not _may_change(db, messenger, item_id, user):
        return Change(None, False)
    if not call_store.set_deadline(db, item_id, day, user, now):
        return Change(None, False)
    refresh_item_message(db, messenger, item_id, lang, tz)
    return Change(claims.get_item(db, item_id), True)


def remove_deadline(
    db: Database, messenger: Messenger, item_id: int, user: str, now: datetime, lang: str, tz: str
) -> Change:
    """Say item ``item_id`` has no deadline (nor a proposed one) and redraw its message."""
    if not _may_change(db, messenger, item_id, user):
        return Change(None, False)
    if not call_store.clear_deadline(db, item_id, user, now):
        return Change(None, False)
    refresh_item_message(db, messenger, item_id, lang, tz)
    return Change(claims.get_item(db, item_id), True)


def confirm_deadline(
    db: Database, messenger: Messenger, item_id: int, shown: date, user: str, now: datetime,
    lang: str, tz: str,
) -> Change:  # fmt: skip
    """Confirm the proposed deadline the person saw; nothing if the proposal is no longer it."""
    item = claims.get_item(db, item_id)
    if item is None or not visibility_of(messenger).can_see(user, item.channel_id):
        return Change(None, False)
    if proposed_deadline(item, tz) != shown:
        return Change(item, False)
    return set_deadline(db, messenger, item_id, shown, user, now, lang, tz)


def _may_change(db: Database, messenger: Messenger, item_id: int, user: str) -> bool:
    """Tell whether the item exists and ``user`` may see (so act on) its channel."""
    item = claims.get_item(db, item_id)
    return item is not None and visibility_of(messenger).can_see(user, item.channel_id)


def coming_deadlines(
    db: Database, now: datetime, tz: str | ZoneInfo, days: int | None = None
) -> list[Item]:
    """Return open items whose deadline is today or later (within ``days`` if given).

    Only items of the channels the current viewer may see (the App Home's viewer, the person
    typing a command; every item for a job or the command line).
    """
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    today = now.astimezone(zone).date()
    last = today + timedelta(days=days) if days is not None else None
    items = call_store.list_deadlines(db, today, last)
    seen = viewer_channels()
    return items if seen is None else [item for item in items if item.channel_id in seen]
