"""Record a session or a decision and say so: the use-cases the commands and the forms share.

``/session ajouter`` and the session form both call :func:`create_session`; ``/decision`` and the
decision form both call :func:`record_decision`. Each commits first, then tells Slack.
"""

from __future__ import annotations

import logging

from sqlite_utils import Database

from bot.core.i18n import t
from bot.core.messenger import MessengerError, post_joining
from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext
from bot.meetings import decisions as decide
from bot.meetings.decisions import DecisionRequest
from bot.meetings.decisions import record_decision as store_decision
from bot.meetings.render import (
    MOVED,
    render_announcement,
    render_decision_confirmation,
    session_fields,
    user_text,
)
from bot.meetings.sessions import SessionRequest, add_session
from storage import decisions as decision_store
from storage import meetings as meeting_store
from storage.db import connect
from storage.meetings import Meeting

logger = logging.getLogger(__name__)


def describe_offsets(offsets: str, lang: str) -> str:
    """Return "7 j avant, 1 j avant, 1 h avant"."""
    parts = [t(f"meetings.offset.{key[-1]}", lang, n=key[:-1]) for key in offsets.split()]
    return ", ".join(parts) or t("meetings.offsets_none", lang)


def notify_channel(ctx: CommandContext, meeting: Meeting, text: str, blocks=None) -> str | None:
    """Post to the session's channel; return the error code if Slack refused."""
    try:
        ts = post_joining(ctx.messenger, meeting.channel_id, text, blocks)
    except MessengerError as error:
        logger.warning("could not post about session %s: %s", meeting.id, error.code)
        return error.code
    if blocks is not None:
        with connect(ctx.db_path) as db:
            meeting_store.update_meeting(db, meeting.id, announced_ts=ts)
    return None


def create_session(
    ctx: CommandContext, request: SessionRequest, idempotency_key: str | None = None
) -> Reply:
    """Record the session, announce it in its channel and confirm with the date spelled out."""
    with connect(ctx.db_path) as db:
        meeting = add_session(
            db, request, channel_id=ctx.channel_id, user_id=ctx.user_id, now=ctx.now(),
            idempotency_key=idempotency_key,
        )  # fmt: skip
        agenda = meeting_store.list_agenda(db, meeting.id)
    problem = None
    if meeting.announced_ts is None:
        text, blocks = render_announcement(meeting, agenda, ctx.lang, ctx.tz)
        problem = notify_channel(ctx, meeting, text, blocks)
    offsets = describe_offsets(meeting.reminder_offsets, ctx.lang)
    fields = session_fields(meeting, ctx.lang, ctx.tz)
    reply = t("meetings.created", ctx.lang, **fields, offsets=offsets)
    if problem:
        reply += "\n" + t("meetings.not_announced", ctx.lang, code=problem)
    return Reply(reply)


def movable_sessions(db, channel_id: str, now) -> list[Meeting]:
    """Return the channel's sessions a decision may move to: upcoming first, then the latest past."""
    sessions = [
        m for m in meeting_store.list_meetings(db, channel_id=channel_id) if not m.cancelled
    ]
    upcoming = [m for m in sessions if m.starts_at >= now]
    past = [m for m in sessions if m.starts_at < now][::-1]
    return upcoming + past


def confirmation(ctx: CommandContext, db, decision, meeting, rule: str) -> Reply:
    """Return the public confirmation of a decision with its move select and undo button."""
    channel = meeting.channel_id if meeting else ctx.channel_id
    sessions = movable_sessions(db, channel, ctx.now())
    text, blocks = render_decision_confirmation(decision, meeting, rule, sessions, ctx.lang, ctx.tz)
    return Reply(text, blocks=blocks, public=True)


def record_decision(
    ctx: CommandContext, request: DecisionRequest, idempotency_key: str | None = None
) -> Reply:
    """Record the decision in its session and say which (and why), in the channel.

    A session named with ``session:<n°>`` must be one the person may see (a member of its
    channel, when private); another reads as missing.
    """
    with connect(ctx.db_path) as db:
        named = request.session_id and meeting_store.get_meeting(db, request.session_id)
        if named and not ctx.sees(named.channel_id):
            raise UserError(t("meetings.error.not_found", ctx.lang, id=request.session_id))
        found, placement, created = store_decision(
            db, request, channel_id=ctx.channel_id, user_id=ctx.user_id, now=ctx.now(),
            lang=ctx.lang, idempotency_key=idempotency_key,
        )  # fmt: skip
        if not created:
            return Reply(t("decisions.already", ctx.lang, id=found.id))
        return confirmation(ctx, db, found, placement.meeting, placement.rule)


def announce_change(ctx: CommandContext, meeting: Meeting, text: str) -> Reply:
    """Say a session changed, once: in its channel, and not again to the person who changed it.

    Typed in the session's channel, the answer itself is the public notice (a separate post
    plus an ephemeral copy showed the same notice twice); typed elsewhere, the notice is posted
    in the session's channel and the author is told where.
    """
    if ctx.channel_id == meeting.channel_id:
        return Reply(text, public=True)
    problem = notify_channel(ctx, meeting, text)
    if problem:
        return Reply(text + "\n" + t("meetings.not_announced", ctx.lang, code=problem))
    return Reply(t("meetings.announced_in", ctx.lang, channel=meeting.channel_id))


def visible_decision(ctx: CommandContext, db: Database, decision_id: int) -> None:
    """Refuse a decision typed in a channel the person may not see, as if it did not exist."""
    found = decision_store.get_decision(db, decision_id)
    if found is not None and found.channel_id and not ctx.sees(found.channel_id):
        raise UserError(t("meetings.error.decision_not_found", ctx.lang, id=decision_id))


def undo_recording(ctx: CommandContext, decision_id: int) -> Reply:
    """Undo the recording of a decision (the command and the « Annuler » button); say so publicly."""
    with connect(ctx.db_path) as db:
        visible_decision(ctx, db, decision_id)
        found = decide.undo_decision(
            db, decision_id, user_id=ctx.user_id, is_admin=ctx.is_admin(), now=ctx.now(),
            lang=ctx.lang,
        )  # fmt: skip
    text = t(
        "decisions.undone", ctx.lang, id=found.id, user=ctx.user_id, text=user_text(found.text)
    )
    return Reply(text, public=True)


def move_to_session(ctx: CommandContext, decision_id: int, meeting_id: int | None) -> Reply:
    """File a decision under another session, or none (the command and the select)."""
    with connect(ctx.db_path) as db:
        visible_decision(ctx, db, decision_id)
        found, meeting = decide.move_decision(
            db, decision_id, meeting_id, user_id=ctx.user_id, is_admin=ctx.is_admin(),
            now=ctx.now(), lang=ctx.lang,
        )  # fmt: skip
        return confirmation(ctx, db, found, meeting, MOVED)
