"""Turn a submitted session or decision modal into a record, or into per-field French errors.

Slack-free: the handler passes the flattened values and the idempotency key from the modal's
``private_metadata``; a second delivery of the same submission finds the first record (M1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.i18n import t
from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext
from bot.meetings import decisions as decision_domain
from bot.meetings import sessions as meeting_domain
from bot.meetings.dates import parse_date, parse_datetime
from bot.meetings.recording import create_session, record_decision
from bot.meetings.reminders import parse_offsets
from storage.meetings import DEFAULT_OFFSETS


@dataclass(frozen=True)
class Submission:
    """Either field errors to show in the modal, or the reply once recorded."""

    errors: dict[str, str] | None = None
    reply: Reply | None = None


def submit_session(ctx: CommandContext, values: dict[str, str], key: str) -> Submission:
    """Validate and record a session from the modal."""
    errors: dict[str, str] = {}
    if not values.get("title"):
        errors["title"] = t("meetings.error.no_title", ctx.lang)
    try:
        when = parse_datetime(values.get("when", ""), now=ctx.now(), tz=ctx.tz, lang=ctx.lang)
    except UserError as error:
        errors["when"] = str(error)
    offsets = DEFAULT_OFFSETS
    try:
        if values.get("offsets"):
            offsets = parse_offsets(values["offsets"], ctx.lang)
    except UserError as error:
        errors["offsets"] = str(error)
    if errors:
        return Submission(errors=errors)
    request = meeting_domain.SessionRequest(values["title"], when, values.get("place", ""), offsets)
    return Submission(reply=create_session(ctx, request, key))


def _due(values: dict[str, str], ctx: CommandContext) -> date | None:
    """Read the datepicker (YYYY-MM-DD) or a typed date."""
    typed = values.get("due", "")
    return parse_date(typed, now=ctx.now(), tz=ctx.tz, lang=ctx.lang) if typed else None


def submit_decision(ctx: CommandContext, values: dict[str, str], key: str) -> Submission:
    """Validate and record a decision from the modal."""
    errors: dict[str, str] = {}
    if not values.get("text"):
        errors["text"] = t("meetings.error.empty_decision", ctx.lang)
    due = session_id = None
    try:
        due = _due(values, ctx)
    except UserError as error:
        errors["due"] = str(error)
    try:
        if values.get("session"):
            session_id = meeting_domain.parse_id(values["session"], ctx.lang)
    except UserError as error:
        errors["session"] = str(error)
    if errors:
        return Submission(errors=errors)
    owner = values.get("owner") or None
    request = decision_domain.DecisionRequest(values["text"], owner, due, session_id)
    try:
        return Submission(reply=record_decision(ctx, request, key))
    except UserError as error:
        return Submission(errors={"session": str(error)})
