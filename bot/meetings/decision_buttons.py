"""The controls on a decision's confirmation: « Annuler » (undo) and the session select (move).

Slack-free: the handler passes the clicked value; the outcome says what the clicked message
becomes and what to tell the clicker privately (a refusal, or « trop tard »).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.i18n import t
from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext
from bot.meetings import decisions as domain
from bot.meetings.recording import confirmation, visible_decision
from bot.meetings.render import MOVED, UNFILED_VALUE, user_text
from bot.meetings.sessions import MAX_ID
from storage.db import connect


@dataclass(frozen=True)
class ButtonOutcome:
    """What the clicked message becomes (``replace``), and what only the clicker reads."""

    replace: Reply | None = None
    tell: str = ""


def _number(text: str) -> int:
    """Read a number the bot itself wrote into a control; anything else is a bad payload."""
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"not a number: {text[:40]!r}")
    return min(int(text), MAX_ID)


def on_undo(ctx: CommandContext, value: str) -> ButtonOutcome:
    """Undo the recording: the confirmation becomes « annulée », the history keeps it."""
    decision_id = _number(value)
    try:
        with connect(ctx.db_path) as db:
            visible_decision(ctx, db, decision_id)
            found = domain.undo_decision(
                db, decision_id, user_id=ctx.user_id, is_admin=ctx.is_admin(), now=ctx.now(),
                lang=ctx.lang,
            )  # fmt: skip
    except UserError as error:
        return ButtonOutcome(tell=str(error))
    text = t(
        "decisions.undone", ctx.lang, id=found.id, user=ctx.user_id, text=user_text(found.text)
    )
    return ButtonOutcome(replace=Reply(text, public=True))


def on_move(ctx: CommandContext, value: str) -> ButtonOutcome:
    """File the decision under the chosen session; the confirmation says where it is now."""
    decision_part, _, session_part = value.partition(":")
    decision_id = _number(decision_part)
    meeting_id = None if session_part == UNFILED_VALUE else _number(session_part)
    try:
        with connect(ctx.db_path) as db:
            visible_decision(ctx, db, decision_id)
            found, meeting = domain.move_decision(
                db, decision_id, meeting_id, user_id=ctx.user_id, is_admin=ctx.is_admin(),
                now=ctx.now(), lang=ctx.lang,
            )  # fmt: skip
            return ButtonOutcome(replace=confirmation(ctx, db, found, meeting, MOVED))
    except UserError as error:
        return ButtonOutcome(tell=str(error))
