"""One item interaction from start to finish, Slack-free: change, commit, then tell Slack.

Handlers call these with the Messenger port. Order is always: the change (or note) is
committed, then the item message is updated (chat.update), then the person is answered — a
Slack failure after the commit loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.core.config import Config
from bot.core.messenger import Messenger, MessengerError
from bot.core.reply import answer_privately
from bot.core.visibility import visibility_of
from bot.items.actions import BUTTON_ACTIONS, Actor, Outcome, note_item
from bot.items.notes import delete_reply_note, edit_reply_note, note_from_reply
from bot.items.reactions import react
from bot.items.render.detail_modal import build_detail_modal, build_notice_modal
from bot.items.states import ACTION_BUTTONS, DEFAULT_REACTIONS, ItemAction, parse_reactions
from bot.items.sync import refresh_item_message
from storage.db import connect

logger = logging.getLogger(__name__)

REPLY_SUBTYPES = (None, "thread_broadcast", "file_share")


def reaction_map(config: Config) -> dict[str, ItemAction]:
    """Return {emoji: action} from VEILLEUR_REACTIONS ("claim=eyes done=…"), else the defaults."""
    text = config.reactions
    return parse_reactions(text) if text.strip() else dict(DEFAULT_REACTIONS)


def make_actor(config: Config, user: str, now, messenger: Messenger | None = None) -> Actor:
    """Build the acting person; only users listed in VEILLEUR_ADMINS override owners.

    With ``messenger``, the person may act only on items of channels they may see.
    """
    sees = None
    if messenger is not None:
        visibility = visibility_of(messenger)
        sees = lambda channel: visibility.can_see(user, channel)  # noqa: E731
    return Actor(
        user, now, config.lang, admin=user in config.admins, reactions=reaction_map(config),
        sees=sees,
    )  # fmt: skip


def on_button(config, messenger, actor: Actor, action_id: str, item_id: int) -> Outcome:
    """Apply an item button (claim, release, done, dismiss, reopen, newsletter), refresh it."""
    with connect(config.db_path) as db:
        outcome = BUTTON_ACTIONS[ACTION_BUTTONS[action_id]](db, actor, item_id)
        if outcome.changed:
            refresh_item_message(db, messenger, item_id, config.lang, config.tz)
    return outcome


def on_note(config, messenger, actor: Actor, item_id: int, text: str) -> Outcome:
    """Store a note from the modal or a command, then refresh the item message."""
    with connect(config.db_path) as db:
        outcome = note_item(db, actor, item_id, text)
        if outcome.changed:
            refresh_item_message(db, messenger, item_id, config.lang, config.tz)
    return outcome


def on_reaction(
    config, messenger, actor: Actor, event: dict, added: bool,
    learn: Callable[[], None] | None = None,
) -> Outcome | None:  # fmt: skip
    """Apply a reaction event on an item message; answer the reactor if there is news.

    ``learn`` (the reactor's name) runs only when the item changed, before Slack is told:
    reactions on other messages cost no Slack call at all.
    """
    item = event.get("item") or {}
    if item.get("type") != "message":
        return None
    channel, ts = item.get("channel", ""), item.get("ts", "")
    event_ts = str(event.get("event_ts") or "0")
    with connect(config.db_path) as db:
        outcome = react(db, actor, channel, ts, event.get("reaction", ""), event_ts, added)
        if outcome and outcome.changed:
            if learn is not None:
                learn()
            refresh_item_message(db, messenger, outcome.item.id, config.lang, config.tz)
    if outcome:
        answer_privately(messenger, channel, actor.user, outcome.message)
    return outcome


def _note_change(event: dict):
    """Return how a message event touches notes: a callable on (db, actor), or None."""
    subtype = event.get("subtype")
    if subtype == "message_changed":
        message = event.get("message") or {}
        return lambda db, actor: edit_reply_note(
            db, actor, message.get("ts", ""), message.get("text", "")
        )
    if subtype == "message_deleted":
        return lambda db, actor: delete_reply_note(db, actor, event.get("deleted_ts", ""))
    thread_ts = event.get("thread_ts")
    if subtype in REPLY_SUBTYPES and thread_ts and thread_ts != event.get("ts"):
        return lambda db, actor: note_from_reply(
            db, actor, event.get("channel", ""), thread_ts, event.get("ts", ""),
            event.get("text", ""),
        )  # fmt: skip
    return None


def on_message(config, messenger, actor: Actor, event: dict) -> Outcome | None:
    """Follow thread replies under item messages: new → note, edited → edit, deleted → remove."""
    change = _note_change(event)
    if change is None:  # most channel messages: no database work at all
        return None
    with connect(config.db_path) as db:
        outcome = change(db, actor)
        if outcome and outcome.changed and outcome.item:
            refresh_item_message(db, messenger, outcome.item.id, config.lang, config.tz)
    if outcome and outcome.busy:
        answer_privately(messenger, event.get("channel", ""), actor.user, outcome.message)
    return outcome


def show_to_clicker(
    messenger: Messenger, trigger_id: str, user: str, view: dict, text: str,
    blocks: list[dict] | None = None,
) -> bool:  # fmt: skip
    """Open ``view`` for the person who clicked; if Slack refuses, send ``text`` by DM instead.

    A click in the App Home has no ``response_url``, so there is no ephemeral answer; a modal
    shows up where the person is looking. Its ``trigger_id`` lives 3 s only (a slow database
    can outlast it), so the DM keeps the sentence from being lost. Never raises.
    """
    try:
        messenger.open_modal(trigger_id, view)
        return True
    except MessengerError as error:
        logger.warning("could not open a modal for %s: %s", user, error.code)
    except Exception:
        logger.exception("could not open a modal for %s", user)
    try:
        messenger.direct_message(user, text, blocks)
        return True
    except Exception:
        logger.exception("could not answer %s by direct message", user)
        return False


def tell_clicker(messenger: Messenger, trigger_id: str, user: str, text: str, lang: str) -> bool:
    """Tell a Home clicker one sentence (« déjà pris par @X ») in a small modal, else by DM."""
    if not (text and user):
        return False
    return show_to_clicker(messenger, trigger_id, user, build_notice_modal(text, lang), text)


def show_item_modal(
    messenger: Messenger, trigger_id: str, user: str, item_id: int, text: str,
    blocks: list[dict], lang: str,
) -> bool:  # fmt: skip
    """Show item ``item_id``'s detail (``/veille voir n``'s text and blocks) in a modal."""
    view = build_detail_modal(item_id, blocks, lang)
    return show_to_clicker(messenger, trigger_id, user, view, text, blocks[:50])
