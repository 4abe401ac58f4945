"""Thread replies as notes: a reply in an item's thread is a note; editing or deleting it follows.

The note is committed before the caller does anything with Slack, so a failing Slack call
afterwards loses nothing.
"""

from __future__ import annotations

from sqlite_utils import Database

from bot.core.i18n import t
from bot.items.actions import Actor, Outcome, note_item
from storage import claims, notes
from storage.db import DatabaseBusy


def note_from_reply(
    db: Database, actor: Actor, channel_id: str, thread_ts: str, message_ts: str, text: str
) -> Outcome | None:
    """Store a reply in an item's thread as a note; None if the thread is not an item's."""
    try:
        item = claims.find_item_by_message(db, channel_id, thread_ts)
    except DatabaseBusy:  # pragma: no cover - reads do not wait for writers under WAL
        return Outcome(False, False, t("items.busy", actor.lang), busy=True)
    if item is None:
        return None
    return note_item(db, actor, item.id, text, message_ts)


def edit_reply_note(db: Database, actor: Actor, message_ts: str, text: str) -> Outcome | None:
    """Follow an edited thread reply; None if that reply is not a note."""
    try:
        if not text.strip():
            item_id = notes.delete_note_by_message(db, message_ts, actor.now)
            return None if item_id is None else _changed(db, item_id)
        note = notes.edit_note_by_message(db, message_ts, text.strip(), actor.now)
    except DatabaseBusy:
        return Outcome(False, False, t("items.busy", actor.lang), busy=True)
    return None if note is None else _changed(db, note.item_id)


def delete_reply_note(db: Database, actor: Actor, message_ts: str) -> Outcome | None:
    """Follow a deleted thread reply; None if that reply was not a note."""
    try:
        item_id = notes.delete_note_by_message(db, message_ts, actor.now)
    except DatabaseBusy:
        return Outcome(False, False, t("items.busy", actor.lang), busy=True)
    return None if item_id is None else _changed(db, item_id)


def _changed(db: Database, item_id: int) -> Outcome:
    return Outcome(True, True, "", claims.get_item(db, item_id))
