"""`/session` subcommands: add, list, show, agenda, move, cancel (French words, English aliases)."""

from __future__ import annotations

from bot.core.i18n import t
from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext, Subcommand
from bot.meetings import sessions as domain
from bot.meetings.modals import build_session_modal
from bot.meetings.recording import create_session, notify_channel
from bot.meetings.render import (
    render_agenda,
    render_decision_line,
    render_session_line,
    session_fields,
    user_text,
)
from storage import decisions as decision_store
from storage import meetings as meeting_store
from storage.db import connect
from storage.meetings import Meeting


def add_command(ctx: CommandContext, args: str) -> Reply:
    """Create a session from "<titre> <date> [à <lieu>] [rappels …]", or open the form."""
    if not args.strip():
        if ctx.trigger_id:
            ctx.messenger.open_modal(ctx.trigger_id, build_session_modal(ctx.channel_id, ctx.lang))
            return Reply(t("meetings.modal_opened", ctx.lang))
        raise UserError(t("meetings.usage_add", ctx.lang))
    request = domain.parse_session_request(args, now=ctx.now(), tz=ctx.tz, lang=ctx.lang)
    return create_session(ctx, request)


def list_command(ctx: CommandContext, args: str) -> Reply:
    """List upcoming sessions, then the last few."""
    now = ctx.now()
    with connect(ctx.db_path) as db:
        sessions = domain.upcoming_and_recent(db, now)
    if not sessions:
        return Reply(t("meetings.list_empty", ctx.lang))
    upcoming = [m for m in sessions if m.starts_at >= now]
    past = [m for m in sessions if m.starts_at < now]
    lines = []
    if upcoming:
        lines += [t("meetings.list_upcoming", ctx.lang)]
        lines += [render_session_line(m, ctx.lang, ctx.tz) for m in upcoming]
    if past:
        lines += [t("meetings.list_past", ctx.lang)]
        lines += [render_session_line(m, ctx.lang, ctx.tz) for m in past]
    return Reply("\n".join(lines))


def show_command(ctx: CommandContext, args: str) -> Reply:
    """Show a session with its agenda and decisions."""
    with connect(ctx.db_path) as db:
        meeting = domain.get_session(db, domain.parse_id(args, ctx.lang), ctx.lang)
        agenda = meeting_store.list_agenda(db, meeting.id)
        decisions = decision_store.list_decisions(db, meeting_id=meeting.id)
    lines = [
        render_session_line(meeting, ctx.lang, ctx.tz),
        render_agenda(meeting, agenda, ctx.lang),
    ]
    if decisions:
        lines.append(t("meetings.detail_decisions", ctx.lang))
        lines += [f"• {render_decision_line(d, ctx.lang)}" for d in decisions]
    return Reply("\n".join(lines))


def _split_id(args: str, usage_key: str, lang: str) -> tuple[int, str]:
    """Split "<id> <rest>"."""
    first, _, rest = args.strip().partition(" ")
    if not first or not rest.strip():
        raise UserError(t(usage_key, lang))
    return domain.parse_id(first, lang), rest.strip()


def agenda_command(ctx: CommandContext, args: str) -> Reply:
    """Add a numbered point to a session's agenda."""
    meeting_id, text = _split_id(args, "meetings.usage_agenda", ctx.lang)
    with connect(ctx.db_path) as db:
        point = domain.add_agenda_point(db, meeting_id, text, ctx.lang)
    return Reply(
        t("meetings.point_added", ctx.lang, position=point.position, id=meeting_id,
          text=user_text(point.text))
    )  # fmt: skip


def move_command(ctx: CommandContext, args: str) -> Reply:
    """Move a session; reminders follow the new time and never fire at the old one."""
    meeting_id, when = _split_id(args, "meetings.usage_move", ctx.lang)
    with connect(ctx.db_path) as db:
        meeting = domain.move_session(db, meeting_id, when, now=ctx.now(), tz=ctx.tz, lang=ctx.lang)
    text = t("meetings.moved", ctx.lang, **session_fields(meeting, ctx.lang, ctx.tz))
    return announce_once(ctx, meeting, text)


def cancel_command(ctx: CommandContext, args: str) -> Reply:
    """Cancel a session: no more reminders."""
    with connect(ctx.db_path) as db:
        meeting = domain.cancel_session(db, domain.parse_id(args, ctx.lang), ctx.lang)
    text = t("meetings.cancelled_notice", ctx.lang, **session_fields(meeting, ctx.lang, ctx.tz))
    return announce_once(ctx, meeting, text)


def announce_once(ctx: CommandContext, meeting: Meeting, text: str) -> Reply:
    """Post the notice in the session's channel and only point to it, so nobody reads it twice."""
    problem = notify_channel(ctx, meeting, text)
    if problem:
        return Reply(text + "\n" + t("meetings.not_announced", ctx.lang, code=problem))
    return Reply(t("meetings.announced", ctx.lang, channel=meeting.channel_id))


COMMANDS = (
    Subcommand("/session", "ajouter", add_command, ("add",)),
    Subcommand("/session", "liste", list_command, ("list",)),
    Subcommand("/session", "voir", show_command, ("show", "view")),
    Subcommand("/session", "ordre", agenda_command, ("agenda",)),
    Subcommand("/session", "deplacer", move_command, ("move", "déplacer")),
    Subcommand("/session", "annuler", cancel_command, ("cancel",)),
)
