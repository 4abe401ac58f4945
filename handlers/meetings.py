"""Modal submissions for a new session or decision, and the controls on a decision's confirmation."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.core.messenger import MessengerError
from bot.core.mrkdwn import plain
from bot.core.reply import answer_privately
from bot.core.router import CommandContext
from bot.meetings.decision_buttons import ButtonOutcome, on_move, on_undo
from bot.meetings.modals import DECISION_MODAL, SESSION_MODAL, modal_metadata, submitted_values
from bot.meetings.render import DECISION_MOVE, DECISION_UNDO
from bot.meetings.submissions import submit_decision, submit_session
from handlers.acks import Background, MalformedPayload
from handlers.context import command_context


def _context(body: dict[str, Any], context: dict[str, Any]) -> tuple[CommandContext, str]:
    """Return the command context with the channel the modal was opened from."""
    try:
        channel, key = modal_metadata(body["view"])
    except (AttributeError, TypeError, ValueError) as error:  # metadata that is not our object
        raise MalformedPayload(f"modal metadata: {error}") from error
    if not isinstance(channel, str):
        raise MalformedPayload("modal metadata: channel is not a string")
    return replace(command_context(body, context), channel_id=channel), key


def handle_session_submission(
    ack: Ack, body: dict[str, Any], context: dict[str, Any], background: Background
) -> None:
    """Record the session, or show what to fix in the form."""
    ctx, key = _context(body, context)
    outcome = submit_session(ctx, submitted_values(body["view"]), key)
    if outcome.errors:
        ack(response_action="errors", errors=form_errors(outcome.errors))
        return
    ack()
    background.run(body, context, lambda: tell(ctx, outcome.reply.text))


def tell(ctx: CommandContext, text: str, *, public: bool = False, blocks=None) -> None:
    """Answer in the channel (public) or to the submitter; fall back to a DM if Slack refuses."""
    if public:
        try:
            ctx.messenger.post(ctx.channel_id, text, blocks)
            return
        except MessengerError:
            pass
    answer_privately(ctx.messenger, ctx.channel_id, ctx.user_id, text, or_by_dm=True)


def handle_decision_submission(
    ack: Ack, body: dict[str, Any], context: dict[str, Any], background: Background
) -> None:
    """Record the decision and say in the channel which session it went to."""
    ctx, key = _context(body, context)
    outcome = submit_decision(ctx, submitted_values(body["view"]), key)
    if outcome.errors:
        ack(response_action="errors", errors=form_errors(outcome.errors))
        return
    ack()
    reply = outcome.reply
    background.run(
        body, context, lambda: tell(ctx, reply.text, public=reply.public, blocks=reply.blocks)
    )


def _control_value(body: dict[str, Any]) -> str:
    """Return the clicked button's value or the chosen option's value."""
    action = body["actions"][0]
    value = action.get("value") or (action.get("selected_option") or {}).get("value")
    if not isinstance(value, str):
        raise MalformedPayload("decision control without a value")
    return value


def _show(outcome: ButtonOutcome, respond: Respond) -> None:
    """Replace the clicked confirmation, or answer the clicker alone."""
    if outcome.replace is not None:
        reply = outcome.replace
        respond(text=reply.text, blocks=reply.blocks or [], response_type="in_channel",
                replace_original=True)  # fmt: skip
    if outcome.tell:
        respond(text=outcome.tell, response_type="ephemeral", replace_original=False)


def handle_decision_undo(
    ack: Ack, body: dict[str, Any], context: dict[str, Any], respond: Respond
) -> None:
    """« Annuler » on a decision's confirmation: undo it within a few minutes."""
    ack()
    _show(on_undo(command_context(body, context), _control_value(body)), respond)


def handle_decision_move(
    ack: Ack, body: dict[str, Any], context: dict[str, Any], respond: Respond
) -> None:
    """The session select on a decision's confirmation: file it elsewhere."""
    ack()
    _show(on_move(command_context(body, context), _control_value(body)), respond)


def register(app: App) -> None:
    app.view(SESSION_MODAL)(handle_session_submission)
    app.view(DECISION_MODAL)(handle_decision_submission)
    app.action(DECISION_UNDO)(handle_decision_undo)
    app.action(DECISION_MOVE)(handle_decision_move)


def form_errors(errors: dict[str, str]) -> dict[str, str]:
    """Return the field errors as Slack shows them under a form's fields: plain text."""
    return {field: plain(message) for field, message in errors.items()}
