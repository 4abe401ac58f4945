"""Give an item a deadline, take it away, confirm the one read from its text; list coming ones.

Each change is committed, then the item's message is redrawn (a Slack failure there leaves
the message stale, never the change undone). Who sees what (``bot/core/visibility``): a person
changes only the deadlines of items they may see; any other item reads as missing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.calls.render import proposed_deadline
from bot.core.dates import format_date
from bot.core.i18n import t
from bot.core.messenger import Messenger
from bot.core.visibility import visibility_of
from bot.items.sync import refresh_item_message
from storage import calls as call_store
from storage import claims
from storage.items import Item


@dataclass(frozen=True)
class Change:
    """What a deadline change did: the item after it (None if there is no such item)."""

    item: Item | None
    changed: bool


def visible_item(db: Database, messenger: Messenger, item_id: int, user: str) -> Item | None:
    """Return the item if it exists and ``user`` may see its channel, else None (as missing)."""
    item = claims.get_item(db, item_id)
    if item is None or not visibility_of(messenger).can_see(user, item.channel_id):
        return None
    return item


def set_deadline(
    db: Database, messenger: Messenger, item_id: int, day: date, user: str, now: datetime,
    lang: str, tz: str,
) -> Change:  # fmt: skip
    """Give item ``item_id`` this deadline and redraw its message."""
    if visible_item(db, messenger, item_id, user) is None:
        return Change(None, False)
    if not call_store.set_deadline(db, item_id, day, user, now):
        return Change(None, False)
    refresh_item_message(db, messenger, item_id, lang, tz)
    return Change(claims.get_item(db, item_id), True)


def remove_deadline(
    db: Database, messenger: Messenger, item_id: int, user: str, now: datetime, lang: str, tz: str
) -> Change:
    """Say item ``item_id`` has no deadline (nor a proposed one) and redraw its message."""
    if visible_item(db, messenger, item_id, user) is None:
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
    item = visible_item(db, messenger, item_id, user)
    if item is None:
        return Change(None, False)
    if proposed_deadline(item, tz) != shown:
        return Change(item, False)
    return set_deadline(db, messenger, item_id, shown, user, now, lang, tz)


def coming_deadlines(
    db: Database,
    now: datetime,
    tz: str | ZoneInfo,
    days: int | None = None,
    channels: Collection[str] | None = None,
) -> list[Item]:
    """Return open items whose deadline is today or later (within ``days`` if given).

    ``channels`` keeps the items of those channels only (who sees what; None: every channel).
    """
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    today = now.astimezone(zone).date()
    last = today + timedelta(days=days) if days is not None else None
    items = call_store.list_deadlines(db, today, last)
    if channels is None:
        return items
    return [item for item in items if item.channel_id in channels]


def confirm_answer(
    db: Database, messenger: Messenger, item_id: int, shown: date, user: str, now: datetime,
    lang: str, tz: str,
) -> str:  # fmt: skip
    """Confirm the deadline a message proposed (the « Confirmer » button); return what to say."""
    change = confirm_deadline(db, messenger, item_id, shown, user, now, lang, tz)
    if change.item is None:
        return t("calls.not_found", lang, id=item_id)
    if not change.changed:
        return t("calls.confirm.gone", lang, id=item_id)
    return t("calls.set", lang, id=item_id, date=format_date(shown, lang))


def edit_hint(db: Database, messenger: Messenger, item_id: int, user: str, lang: str) -> str:
    """Say how to type the deadline (the « Modifier » button); another channel's item is missing."""
    found = visible_item(db, messenger, item_id, user) is not None
    return t("calls.edit.hint" if found else "calls.not_found", lang, id=item_id)
