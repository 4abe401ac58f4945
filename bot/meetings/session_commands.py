"""`/session` subcommands: add, list, show, agenda, move, cancel and the corrections (rename,
place, remove a point, restore), reminders and minutes (French words, English aliases)."""

from __future__ import annotations

from sqlite_utils import Database

from bot.core.i18n import t
from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext, Subcommand, fold
from bot.meetings import sessions as domain
from bot.meetings.minutes import render_minutes_slack
from bot.meetings.modals import build_session_modal
from bot.meetings.personal_calendar import calendar_address, calendar_path, own_token
from bot.meetings.recording import announce_change, create_session
from bot.meetings.render import (
    blocks_for,
    render_agenda,
    render_decision_line,
    render_session_line,
    session_fields,
    user_text,
)
from bot.meetings.schedule import describe_session_reminders, describe_upcoming_reminders
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
        sight = ctx.sight(db)  # who sees what (bot/core/visibility)
        sessions = [m for m in domain.upcoming_and_recent(db, now) if sight.allows(m.channel_id)]
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
        meeting = visible_session(ctx, db, domain.parse_id(args, ctx.lang))
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


def visible_session(ctx: CommandContext, db: Database, meeting_id: int) -> Meeting:
    """Return the session if the person may see it; one they may not reads as missing."""
    meeting = domain.get_session(db, meeting_id, ctx.lang)
    if not ctx.sees(meeting.channel_id):
        raise UserError(t("meetings.error.not_found", ctx.lang, id=meeting_id))
    return meeting


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
        visible_session(ctx, db, meeting_id)
        point = domain.add_agenda_point(db, meeting_id, text, ctx.lang)
    return Reply(
        t("meetings.point_added", ctx.lang, position=point.position, id=meeting_id,
          text=user_text(point.text))
    )  # fmt: skip


def move_command(ctx: CommandContext, args: str) -> Reply:
    """Move a session; reminders follow the new time and never fire at the old one."""
    meeting_id, when = _split_id(args, "meetings.usage_move", ctx.lang)
    with connect(ctx.db_path) as db:
        visible_session(ctx, db, meeting_id)
        meeting = domain.move_session(db, meeting_id, when, now=ctx.now(), tz=ctx.tz, lang=ctx.lang)
    text = t("meetings.moved", ctx.lang, **session_fields(meeting, ctx.lang, ctx.tz))
    return announce_change(ctx, meeting, text)


def cancel_command(ctx: CommandContext, args: str) -> Reply:
    """Cancel a session: no more reminders."""
    with connect(ctx.db_path) as db:
        meeting_id = visible_session(ctx, db, domain.parse_id(args, ctx.lang)).id
        meeting = domain.cancel_session(db, meeting_id, ctx.lang)
    text = t("meetings.cancelled_notice", ctx.lang, **session_fields(meeting, ctx.lang, ctx.tz))
    return announce_change(ctx, meeting, text)


def rename_command(ctx: CommandContext, args: str) -> Reply:
    """Give a session a new title, announced once in its channel."""
    meeting_id, title = _split_id(args, "meetings.usage_rename", ctx.lang)
    with connect(ctx.db_path) as db:
        visible_session(ctx, db, meeting_id)
        meeting, old = domain.rename_session(db, meeting_id, title, ctx.lang)
    fields = session_fields(meeting, ctx.lang, ctx.tz)
    text = t("meetings.renamed", ctx.lang, **fields, old=user_text(old, 150))
    return announce_change(ctx, meeting, text)


def place_command(ctx: CommandContext, args: str) -> Reply:
    """Change a session's place (« aucun » clears it), announced once in its channel."""
    meeting_id, place = _split_id(args, "meetings.usage_place", ctx.lang)
    with connect(ctx.db_path) as db:
        visible_session(ctx, db, meeting_id)
        meeting, _old = domain.set_place(db, meeting_id, place, ctx.lang)
    fields = session_fields(meeting, ctx.lang, ctx.tz)
    key = "meetings.place_changed" if meeting.place else "meetings.place_cleared"
    return announce_change(
        ctx, meeting, t(key, ctx.lang, **fields, new=user_text(meeting.place, 100))
    )


def remove_point_command(ctx: CommandContext, args: str) -> Reply:
    """Remove an agenda point, named by its number or its text; the next ones move up."""
    meeting_id, typed = _split_id(args, "meetings.usage_remove", ctx.lang)
    with connect(ctx.db_path) as db:
        visible_session(ctx, db, meeting_id)
        point = domain.remove_agenda_point(db, meeting_id, typed, ctx.lang)
        meeting = domain.get_session(db, meeting_id, ctx.lang)
    text = t(
        "meetings.point_removed", ctx.lang, **session_fields(meeting, ctx.lang, ctx.tz),
        position=point.position, text=user_text(point.text),
    )  # fmt: skip
    return announce_change(ctx, meeting, text)


def restore_command(ctx: CommandContext, args: str) -> Reply:
    """Undo a cancellation: the session is back, with its next reminders."""
    with connect(ctx.db_path) as db:
        meeting_id = visible_session(ctx, db, domain.parse_id(args, ctx.lang)).id
        meeting = domain.restore_session(db, meeting_id, now=ctx.now(), lang=ctx.lang)
    text = t("meetings.restored", ctx.lang, **session_fields(meeting, ctx.lang, ctx.tz))
    return announce_change(ctx, meeting, text)


def reminders_command(ctx: CommandContext, args: str) -> Reply:
    """Say which reminders will be sent, and when: of one session, or every one still to come."""
    with connect(ctx.db_path) as db:
        if args.strip():
            meeting = visible_session(ctx, db, domain.parse_id(args, ctx.lang))
            return Reply(describe_session_reminders(db, meeting, ctx.now(), ctx.lang, ctx.tz))
        seen = ctx.sight(db).channels  # who sees what (bot/core/visibility)
        return Reply(describe_upcoming_reminders(db, ctx.now(), ctx.lang, ctx.tz, seen))


def minutes_command(ctx: CommandContext, args: str) -> Reply:
    """Show a session's minutes in Slack: privately, or to the channel with « public »."""
    words = args.split()
    public = bool(words) and fold(words[-1]) in ("public", "publique")
    if public:
        words = words[:-1]
    if not words:
        raise UserError(t("meetings.usage_minutes", ctx.lang))
    with connect(ctx.db_path) as db:
        meeting = visible_session(ctx, db, domain.parse_id(words[0], ctx.lang))
        if public and not _all_members_may_see(ctx, meeting.channel_id):
            raise UserError(t("meetings.minutes_private_elsewhere", ctx.lang,
                              channel=meeting.channel_id))  # fmt: skip
        text = render_minutes_slack(db, meeting.id, ctx.lang, ctx.tz)
    return Reply(text, blocks=blocks_for(text), public=public)


def _all_members_may_see(ctx: CommandContext, channel: str) -> bool:
    """Tell whether everyone in the channel typed in may see ``channel``'s content (posting)."""
    shared = ctx.visibility.shared_channels(ctx.channel_id, [channel])
    return shared.allows(channel)


RENEW_WORDS = {"nouveau", "nouvelle", "new", "renouveler", "renew"}


def calendar_command(ctx: CommandContext, args: str) -> Reply:
    """Give the person their own calendar address; `nouveau` replaces it (the old one stops)."""
    word = fold(args.strip())
    if word and word not in RENEW_WORDS:
        raise UserError(t("calendar.usage", ctx.lang))
    token = own_token(ctx.db_path, ctx.user_id, ctx.now(), renew=bool(word))
    address = calendar_address(ctx.config, token)
    if address is None:
        return Reply(t("calendar.no_public_url", ctx.lang, path=calendar_path(token)))
    return Reply(t("calendar.renewed" if word else "calendar.personal", ctx.lang, url=address))


COMMANDS = (
    Subcommand("/session", "ajouter", add_command, ("add",)),
    Subcommand("/session", "liste", list_command, ("list",)),
    Subcommand("/session", "voir", show_command, ("show", "view")),
    Subcommand("/session", "ordre", agenda_command, ("agenda",)),
    Subcommand("/session", "deplacer", move_command, ("move", "déplacer")),
    Subcommand("/session", "annuler", cancel_command, ("cancel",)),
    Subcommand("/session", "rétablir", restore_command, ("restore", "retablir")),
    Subcommand("/session", "renommer", rename_command, ("rename",)),
    Subcommand("/session", "lieu", place_command, ("place",)),
    Subcommand("/session", "retirer", remove_point_command, ("remove",)),
    Subcommand("/session", "rappels", reminders_command, ("reminders",)),
    Subcommand("/session", "compte-rendu", minutes_command, ("minutes", "cr")),
    Subcommand("/session", "calendrier", calendar_command, ("calendar",)),
)
