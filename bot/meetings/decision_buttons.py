"""The controls on a decision's confirmation: « Annuler » (undo) and the session select (move).

Slack-free: the handler passes the clicked value; the outcome says what the clicked message
becomes and what to tell the clicker privately (a refusal, or « trop tard »).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext
from bot.meetings.recording import move_to_session, undo_recording
from bot.meetings.render import UNFILED_VALUE
from bot.meetings.sessions import MAX_ID


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
    try:
        return ButtonOutcome(replace=undo_recording(ctx, _number(value)))
    except UserError as error:
        return ButtonOutcome(tell=str(error))


def on_move(ctx: CommandContext, value: str) -> ButtonOutcome:
    """File the decision under the chosen session; the confirmation says where it is now."""
    decision_part, _, session_part = value.partition(":")
    decision_id = _number(decision_part)
    meeting_id = None if session_part == UNFILED_VALUE else _number(session_part)
    try:
        return ButtonOutcome(replace=move_to_session(ctx, decision_id, meeting_id))
    except UserError as error:
        return ButtonOutcome(tell=str(error))
