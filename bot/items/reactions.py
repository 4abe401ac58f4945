"""Turn a reaction added to or removed from an item's message into an item action.

The policy (owner-only release, out-of-order events, 📰 shared by several people) is described
in :mod:`bot.items.actions`; this module applies it in one transaction with the reaction's record.
"""

from __future__ import annotations

from dataclasses import replace

from sqlite_utils import Database

from bot.core.i18n import t
from bot.items.actions import (
    ACTIONS,
    Actor,
    Outcome,
    flag_item,
    release_item,
    reopen_item,
)
from bot.items.states import CLOSES, ItemAction, ItemStatus
from storage import claims
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


def _on_added(db: Database, actor: Actor, item: Item, action: ItemAction) -> Outcome:
    return ACTIONS[action](db, actor, item.id)


def _on_removed(
    db: Database, actor: Actor, item: Item, action: ItemAction, reaction: str
) -> Outcome:
    # A removal never uses admin rights: taking one's own emoji off is not a decision
    # about somebody else's item.
    actor = replace(actor, admin=False)
    if action == ItemAction.CLAIM:
        if item.status == ItemStatus.CLAIMED and item.owner == actor.user:
            return release_item(db, actor, item.id)
        return IGNORED
    if action in CLOSES:
        if item.status == CLOSES[action] and item.owner == actor.user:
            return reopen_item(db, actor, item.id)
        return IGNORED
    if action != ItemAction.NEWSLETTER:
        return IGNORED
    if claims.others_keep_reaction(db, item.id, actor.user, reaction):
        return IGNORED
    return flag_item(db, actor, item.id, False)
