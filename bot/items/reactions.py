"""Turn a reaction added to or removed from an item's message into an item action.

The policy (owner-only release, out-of-order events, 📰 shared by several people) is described
in :mod:`bot.items.actions`; this module applies it in one transaction with the reaction's record.
"""

from __future__ import annotations

from dataclasses import replace

from sqlite_utils import Database

from bot.core.i18n import t
from bot.items.actions import (
    CLAIM,
    DISMISS,
    DONE_ACTION,
    NEWSLETTER,
    Actor,
    Outcome,
    claim_item,
    close_item,
    flag_item,
    release_item,
    reopen_item,
)
from storage import claims
from storage.claims import CLAIMED, DISMISSED, DONE
from storage.db import DatabaseBusy, write
from storage.items import Item

IGNORED = Outcome(True, False, "")


def react(
    db: Database,
    actor: Actor,
    channel_id: str,
    message_ts: str,
    reaction: str,
    event_ts: str,
    added: bool,
) -> Outcome | None:
    """Apply a reaction event; None when it is not about an item or not a mapped emoji."""
    action = actor.reactions.get(reaction.split("::")[0])
    if action is None:
        return None
    # Which item a message is never changes, so look it up before taking the write lock.
    found = claims.find_item_by_message(db, channel_id, message_ts)
    if found is None:
        return None
    try:
        with write(db):
            item = claims.get_item(db, found.id) or found
            if not claims.mark_reaction(db, item.id, actor.user, reaction, event_ts, added):
                return IGNORED  # repeated, or older than an event already applied
            if added:
                return _on_added(db, actor, item, action)
            outcome = _on_removed(db, actor, item, action, reaction)
            return outcome if outcome.changed else IGNORED
    except DatabaseBusy:
        return Outcome(False, False, t("items.busy", actor.lang), busy=True)


def _on_added(db: Database, actor: Actor, item: Item, action: str) -> Outcome:
    if action == CLAIM:
        return claim_item(db, actor, item.id)
    if action == DONE_ACTION:
        return close_item(db, actor, item.id, DONE)
    if action == DISMISS:
        return close_item(db, actor, item.id, DISMISSED)
    return flag_item(db, actor, item.id, True)


def _on_removed(db: Database, actor: Actor, item: Item, action: str, reaction: str) -> Outcome:
    # A removal never uses admin rights: taking one's own emoji off is not a decision
    # about somebody else's item.
    actor = replace(actor, admin=False)
    if action == CLAIM:
        if item.status == CLAIMED and item.owner == actor.user:
            return release_item(db, actor, item.id)
        return IGNORED
    if action in (DONE_ACTION, DISMISS):
        wanted = DONE if action == DONE_ACTION else DISMISSED
        if item.status == wanted and item.owner == actor.user:
            return reopen_item(db, actor, item.id)
        return IGNORED
    if action == NEWSLETTER and not _others_keep(db, item.id, actor.user, reaction):
        return flag_item(db, actor, item.id, False)
    return IGNORED


def _others_keep(db: Database, item_id: int, user: str, reaction: str) -> bool:
    """Tell whether someone else still has this emoji on the item."""
    row = db.execute(
        "SELECT 1 FROM reaction_marks WHERE item_id = ? AND reaction = ? AND user_id != ? "
        "AND present = 1 LIMIT 1",
        [item_id, reaction, user],
    ).fetchone()
    return row is not None
