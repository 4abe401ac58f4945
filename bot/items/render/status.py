"""The state line of an item message: status, owner, newsletter flag, number of notes."""

from __future__ import annotations

from datetime import datetime

from bot.core.dates import format_datetime
from bot.core.i18n import t
from bot.core.mrkdwn import is_user_id
from bot.core.plural import tn
from bot.items.states import ItemStatus
from storage.items import Item


def status_line(item: Item, note_count: int, lang: str) -> str:
    """Return e.g. "👀 Pris par <@U1> · 📰 Pour la lettre · 2 notes" (the same on every view).

    Who has the item (or « Libre ») always comes first, and the notes after it, so one glance
    tells both.
    """
    if item.status == ItemStatus.OPEN:
        parts = [t("items.status.open", lang)]
    elif is_user_id(item.owner):  # only a Slack user id becomes a mention
        parts = [t(f"items.status.{item.status}", lang, owner=item.owner)]
    else:
        parts = [t(f"items.status.{item.status}.nobody", lang)]
    if item.newsletter:
        parts.append(t("items.status.newsletter", lang))
    if note_count:
        parts.append(tn("items.notes_count", lang, note_count))
    return " · ".join(parts)


def when(stamp: str, lang: str, tz: str) -> str:
    """Format a stored ISO-8601 UTC time for display in the team's time zone."""
    return format_datetime(datetime.fromisoformat(stamp), lang, tz)
