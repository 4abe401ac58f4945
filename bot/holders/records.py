"""The holders' use-cases: add, change, log support, link an item, erase — shared by commands and forms.

Visibility: a holder belongs to the channel it was added in. Every look-up goes through
:func:`visible_channels`, the one place where the channel rule plugs in (``None``: all channels).
A holder the person may not see reads exactly like a missing one.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from bot.core.config import Config
from bot.core.i18n import t
from bot.core.messenger import Messenger
from bot.core.mrkdwn import safe_text
from bot.core.reply import UserError
from bot.core.router import fold
from bot.core.visibility import Visibility
from storage import holders as store
from storage.channels import known_channels
from storage.db import connect
from storage.holders import Holder
from storage.items import get_item

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    """Who acts, where, and the settings they act under."""

    user_id: str
    channel_id: str
    config: Config
    now: datetime
    visibility: Visibility | None = None  # None: no Slack to ask (the shell's single channel)

    @property
    def lang(self) -> str:
        return self.config.lang


def visible_channels(person: Person) -> Collection[str] | None:
    """Return the channels whose holders ``person`` may see (``None``: every channel).

    The workspace-wide rule of ``bot.core.visibility``: public channels for all, a private
    channel's holders (and the items kept for them) for its members only.
    """
    if person.visibility is None:
        return None
    with connect(person.config.db_path) as db:
        channels = known_channels(db)
    return person.visibility.visible_channels(person.user_id, channels).channels


def _sees(person: Person, user: str, channel: str) -> bool:
    """Tell whether ``user`` may see content of ``channel`` (always, without Slack to ask)."""
    return person.visibility is None or person.visibility.can_see(user, channel)


def find_holder(person: Person, holder_id: int) -> Holder:
    """Return the holder or raise the French « no such holder » error."""
    with connect(person.config.db_path) as db:
        holder = store.get_holder(db, holder_id, visible_channels(person))
    if holder is None:
        raise UserError(t("holders.error.not_found", person.lang, id=holder_id))
    return holder


def may_erase(person: Person, holder: Holder) -> bool:
    """Tell whether ``person`` may erase the holder: its referent, or a listed admin.

    Unlike feed settings, an empty VEILLEUR_ADMINS makes nobody an admin here: erasing personal
    data someone else follows is not for everyone.
    """
    return person.user_id == holder.referent or person.user_id in person.config.admins


def erase(person: Person, holder_id: int) -> Holder:
    """Erase the holder with its log and links, if ``person`` may; return what was erased."""
    holder = find_holder(person, holder_id)
    if not may_erase(person, holder):
        raise UserError(
            t("holders.error.erase_refused", person.lang, id=holder.id, referent=holder.referent)
        )
    with connect(person.config.db_path) as db:
        store.erase_holder(db, holder.id)
    logger.info("holder %s erased by %s", holder.id, person.user_id)
    return holder


def log_action(person: Person, holder_id: int, text: str, day: date, kind: str) -> Holder:
    """Add a support action to the holder's log."""
    holder = find_holder(person, holder_id)
    with connect(person.config.db_path) as db:
        store.add_action(
            db, holder.id, author=person.user_id, kind=kind, text=text, day=day.isoformat(),
            now=person.now,
        )  # fmt: skip
    return holder


@dataclass(frozen=True)
class Linked:
    """What linking an item to a holder did, and what to tell the person who did it."""

    holder: Holder
    item_id: int
    item_channel: str
    message: str
    new: bool


def link_item(person: Person, messenger: Messenger, holder_id: int, item_id: int) -> Linked:
    """Keep the item for the holder, then tell the holder's referent by DM (once per link)."""
    holder = find_holder(person, holder_id)
    with connect(person.config.db_path) as db:
        item = get_item(db, item_id)
        if item is None or not _sees(person, person.user_id, item.channel_id):
            raise UserError(t("holders.error.no_item", person.lang, n=item_id))
        new = store.link_item(db, holder.id, item.id, user=person.user_id, now=person.now)
    title = safe_text(item.title or item.link or str(item.id), 200)
    names = {"id": holder.id, "name": safe_text(holder.name, 200), "n": item.id, "title": title}
    if not new:
        message = t("holders.link.already", person.lang, **names)
        return Linked(holder, item.id, item.channel_id, message, False)
    if holder.referent != person.user_id and _sees(person, holder.referent, item.channel_id):
        # a referent outside the item's private channel is not told its title
        _tell_referent(messenger, holder, person, names)
    message = t("holders.link.done", person.lang, referent=holder.referent, **names)
    return Linked(holder, item.id, item.channel_id, message, True)


def _tell_referent(messenger: Messenger, holder: Holder, person: Person, names: dict) -> None:
    """DM the referent; the link is stored already, so a Slack failure is only logged."""
    text = t("holders.link.dm", person.lang, user=person.user_id, **names)
    try:
        messenger.direct_message(holder.referent, text)
    except Exception as error:
        logger.warning(
            "could not tell referent %s of holder %s: %s", holder.referent, holder.id, error
        )


def holder_choices(person: Person, limit: int = 100) -> list[Holder]:
    """Return the holders ``person`` may link an item to (a select shows at most 100)."""
    with connect(person.config.db_path) as db:
        found = store.list_holders(db, channels=visible_channels(person), limit=limit)
    return by_name(found)


def by_name(holders: list[Holder]) -> list[Holder]:
    """Sort holders as a French reader expects: « École » between « Denis » and « Fanny »."""
    return sorted(holders, key=lambda holder: (fold(holder.name), holder.id))
