"""Modal submissions for a new session or decision: ack (with field errors if any), then reply."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App

from bot.modal_submissions import submit_decision, submit_session
from bot.render.modals import DECISION_MODAL, SESSION_MODAL, modal_metadata, submitted_values
from handlers.context import command_context


def _context(body: dict[str, Any], context: dict[str, Any]):
    """Return the command context with the channel the modal was opened from."""
    channel, key = modal_metadata(body["view"])
    return replace(command_context(body, context), channel_id=channel), key


def handle_session_submission(ack: Ack, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Record the session, or show what to fix in the form."""
    ctx, key = _context(body, context)
    outcome = submit_session(ctx, submitted_values(body["view"]), key)
    if outcome.errors:
        ack(response_action="errors", errors=outcome.errors)
        return
    ack()
    ctx.messenger.ephemeral(ctx.channel_id, ctx.user_id, outcome.reply.text)


def handle_decision_submission(ack: Ack, body: dict[str, Any], context: dict[str, Any]) -> None:
    """Record the decision and say in the channel which session it went to."""
    ctx, key = _context(body, context)
    outcome = submit_decision(ctx, submitted_values(body["view"]), key)
    if outcome.errors:
        ack(response_action="errors", errors=outcome.errors)
        return
    ack()
    if outcome.reply.public:
        ctx.messenger.post(ctx.channel_id, outcome.reply.text)
    else:
        ctx.messenger.ephemeral(ctx.channel_id, ctx.user_id, outcome.reply.text)


def register(app: App) -> None:
    app.view(SESSION_MODAL)(handle_session_submission)
    app.view(DECISION_MODAL)(handle_decision_submission)
