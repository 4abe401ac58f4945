"""What people do with a posted item: claim, release, done, dismiss, newsletter, re-open, note.

Every action is one ``BEGIN IMMEDIATE`` transaction holding a conditional UPDATE, its history row
and, when it fails, the read that explains why — so the explanation ("déjà pris par @X") is
about the state that made it fail. A lock held longer than the busy timeout becomes the
outcome "base occupée, réessayez" with nothing changed; "database is locked" never reaches a user.

Reaction policy (README):

- 👀 added claims; ✅ marks done; 🚫 dismisses; 📰 flags for the newsletter (names configurable).
- Removing 👀 releases the item only when the remover is its owner. A non-owner removing their
  own 👀 (typically one that lost the race) changes nothing and gets no message.
- Removing ✅ or 🚫 re-opens the item only when the remover is the one who closed it.
- Removing 📰 unflags the item only when nobody else still has a 📰 on it.
- Out of order: for each (item, person, emoji) the Slack ``event_ts`` of the latest event applied
  is stored; an event that is not newer (a repeat, or an ``added`` delivered after the
  ``removed`` that followed it) is ignored. So the final state matches what Slack shows: if
  ``reaction_removed`` arrives before its ``reaction_added``, the item stays as the removal left
  it (not claimed by that person).
- Reactions on messages that are not items, and unmapped emoji, are ignored; so are the bot's own.
- Emoji names are configurable: ``VEILLEUR_REACTIONS="claim=eyes done=white_check_mark
  dismiss=no_entry_sign newsletter=newspaper"`` (any subset; the rest keep their defaults).

Ownership: releasing an item, closing an item someone else has taken, or re-opening an item
someone else closed is refused with the owner's name ("seul·e @X ou un·e admin peut …"),
unless the person is listed in ``VEILLEUR_ADMINS``. (Unlike feed management, an empty list does
not make everyone an admin here: nobody can then take an item from a colleague.)
A lock held longer than the busy timeout answers "La base est occupée, réessayez" and changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlite_utils import Database

from bot.core.i18n import t
from bot.items.states import CLOSED, CLOSES, DEFAULT_REACTIONS, ItemAction, ItemStatus
from storage import claims, notes
from storage.db import DatabaseBusy, write
from storage.items import Item


@dataclass(frozen=True)
class Outcome:
    """Result of an action: did it happen, did the item change, what to tell the person."""

    ok: bool
    changed: bool
    message: str
    item: Item | None = None
    busy: bool = False


@dataclass(frozen=True)
class Actor:
    """Who acts, in which language, whether they may override owners, and when."""

    user: str
    now: datetime
    lang: str = "fr"
    admin: bool = False
    reactions: dict[str, ItemAction] = field(default_factory=lambda: dict(DEFAULT_REACTIONS))
    # Whether the actor may see a channel's content (bot/core/visibility); None: Slack showed
    # them the item already (a reaction or a thread reply comes from inside its channel).
    sees: Callable[[str], bool] | None = None


def _guarded(db: Database, actor: Actor, item_id: int, body: Callable[[Item], Outcome]) -> Outcome:
    """Run ``body`` on the item in one write transaction; map a long lock to 'busy'.

    An item the actor may not see reads exactly as a missing one, so numbers leak nothing;
    that check asks Slack (cached), so it runs before the transaction takes the write lock.
    """
    if actor.sees is not None:
        found = claims.get_item(db, item_id)
        if found is not None and not actor.sees(found.channel_id):
            return Outcome(False, False, t("items.not_found", actor.lang, n=item_id))
    try:
        with write(db):
            item = claims.get_item(db, item_id)
            if item is None:
                return Outcome(False, False, t("items.not_found", actor.lang, n=item_id))
            return body(item)
    except DatabaseBusy:
        return Outcome(False, False, t("items.busy", actor.lang), busy=True)


def _done(db: Database, actor: Actor, item_id: int, key: str, **params: object) -> Outcome:
    item = claims.get_item(db, item_id)
    title = item.title if item else ""
    message = t(key, actor.lang, n=item_id, title=title, **params)
    return Outcome(True, True, message, item)


def _said(actor: Actor, item: Item, key: str, ok: bool = False) -> Outcome:
    message = t(key, actor.lang, n=item.id, owner=item.owner or "", title=item.title)
    return Outcome(ok, False, message, item)


def claim_item(db: Database, actor: Actor, item_id: int) -> Outcome:
    """Take an open item; tell who has it when someone was faster."""

    def body(item: Item) -> Outcome:
        if claims.claim(db, item_id, actor.user, actor.now):
            return _done(db, actor, item_id, "items.claimed")
        if item.status == ItemStatus.CLAIMED and item.owner == actor.user:
            return _said(actor, item, "items.claim.yours", ok=True)
        if item.status == ItemStatus.CLAIMED:
            return _said(actor, item, "items.claim.taken")
        return _said(actor, item, f"items.claim.closed_{item.status}")

    return _guarded(db, actor, item_id, body)


def release_item(db: Database, actor: Actor, item_id: int) -> Outcome:
    """Give back an item; only its owner or an admin may."""

    def body(item: Item) -> Outcome:
        if claims.release(db, item_id, actor.user, actor.now, as_admin=actor.admin):
            return _done(db, actor, item_id, "items.released")
        if item.status == ItemStatus.OPEN:
            return _said(actor, item, "items.release.not_claimed")
        if item.status == ItemStatus.CLAIMED:
            return _said(actor, item, "items.release.not_owner")
        return _said(actor, item, "items.release.closed")

    return _guarded(db, actor, item_id, body)


def close_item(db: Database, actor: Actor, item_id: int, status: ItemStatus) -> Outcome:
    """Close an item (done, dismissed…): open, or claimed by the actor (or an admin acts)."""
    if status not in CLOSED:
        raise ValueError(f"{status} does not close an item")

    def body(item: Item) -> Outcome:
        if claims.close(db, item_id, actor.user, status, actor.now, as_admin=actor.admin):
            return _done(db, actor, item_id, f"items.{status}")
        if item.status == status:
            return _said(actor, item, f"items.close.same_{status}", ok=True)
        if item.status == ItemStatus.CLAIMED:
            return _said(actor, item, "items.close.not_owner")
        return _said(actor, item, "items.close.other")

    return _guarded(db, actor, item_id, body)


def reopen_item(db: Database, actor: Actor, item_id: int) -> Outcome:
    """Put a closed item back to free; only whoever closed it, or an admin."""

    def body(item: Item) -> Outcome:
        if claims.reopen(db, item_id, actor.user, actor.now, closed=CLOSED, as_admin=actor.admin):
            return _done(db, actor, item_id, "items.reopened")
        if item.status in CLOSED:
            return _said(actor, item, "items.reopen.not_owner")
        return _said(actor, item, "items.reopen.not_closed")

    return _guarded(db, actor, item_id, body)


def flag_item(db: Database, actor: Actor, item_id: int, flag: bool = True) -> Outcome:
    """Keep an item for the newsletter (or stop keeping it)."""

    def body(item: Item) -> Outcome:
        if claims.set_newsletter(db, item_id, actor.user, flag, actor.now):
            return _done(db, actor, item_id, "items.flagged" if flag else "items.unflagged")
        return _said(actor, item, "items.flag.already" if flag else "items.unflag.already", True)

    return _guarded(db, actor, item_id, body)


def toggle_flag(db: Database, actor: Actor, item_id: int) -> Outcome:
    """Flag the item for the newsletter, or unflag it if it is flagged (button, command)."""

    def body(item: Item) -> Outcome:
        flag = not item.newsletter
        if claims.set_newsletter(db, item_id, actor.user, flag, actor.now):
            return _done(db, actor, item_id, "items.flagged" if flag else "items.unflagged")
        return _said(actor, item, "items.flag.already" if flag else "items.unflag.already", True)

    return _guarded(db, actor, item_id, body)


def note_item(
    db: Database, actor: Actor, item_id: int, text: str, message_ts: str | None = None
) -> Outcome:
    """Store a note on an item (committed before anything else is attempted)."""
    text = text.strip()
    if not text:
        return Outcome(False, False, t("items.note.empty", actor.lang, n=item_id))

    def body(item: Item) -> Outcome:
        if notes.add_note(db, item_id, actor.user, text, actor.now, message_ts) is None:
            return Outcome(True, False, "", item)  # the same Slack reply, delivered again
        return _done(db, actor, item_id, "items.noted")

    return _guarded(db, actor, item_id, body)


def _closing(status: ItemStatus) -> Callable[[Database, Actor, int], Outcome]:
    return lambda db, actor, item_id: close_item(db, actor, item_id, status)


ACTIONS: dict[ItemAction, Callable[[Database, Actor, int], Outcome]] = {
    ItemAction.CLAIM: claim_item,
    ItemAction.NEWSLETTER: flag_item,
    **{action: _closing(status) for action, status in CLOSES.items()},
}
"""What each reaction does to an item (📰 added always flags: removing it unflags)."""

BUTTON_ACTIONS: dict[ItemAction, Callable[[Database, Actor, int], Outcome]] = {
    **ACTIONS,
    ItemAction.RELEASE: release_item,
    ItemAction.REOPEN: reopen_item,
    ItemAction.NEWSLETTER: toggle_flag,
}
"""What each button does: the « Pour la lettre » button toggles, like `/veille lettre <n>`."""
