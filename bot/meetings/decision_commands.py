"""`/decision` subcommands: record (default), list, done, search."""

from __future__ import annotations

import re

from sqlite_utils import Database

from bot.core.i18n import t
from bot.core.mrkdwn import escape
from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext, Subcommand
from bot.meetings import decisions as domain
from bot.meetings.modals import build_decision_modal
from bot.meetings.recording import record_decision
from bot.meetings.render import render_decision_line, user_text
from bot.meetings.sessions import parse_id
from storage import decisions as decision_store
from storage import meetings as meeting_store
from storage.db import connect

# One word and a number ("supprimer 5", "rouvrir #5") is a command someone expected to exist:
# recorded as a decision it would be posted publicly and end up in the minutes.
COMMAND_LIKE = re.compile(r"^\S+\s+(?:n°|#)?\d+$", re.IGNORECASE)


def add_command(ctx: CommandContext, args: str) -> Reply:
    """Record "<texte> [@responsable] [échéance <date>] [session:<n°>]", or open the form."""
    if not args.strip() and ctx.trigger_id:
        ctx.messenger.open_modal(ctx.trigger_id, build_decision_modal(ctx.channel_id, ctx.lang))
        return Reply(t("meetings.modal_opened", ctx.lang))
    if COMMAND_LIKE.match(args.strip()):  # "supprimer 5": a command people expect, not a decision
        word = args.split()[0]
        raise UserError(t("decisions.not_a_decision", ctx.lang, word=escape(word)))
    request = domain.parse_decision_request(args, now=ctx.now(), tz=ctx.tz, lang=ctx.lang)
    return record_decision(ctx, request)


def list_command(ctx: CommandContext, args: str) -> Reply:
    """List open decisions, mine, or a session's."""
    word = args.strip().lower()
    with connect(ctx.db_path) as db:
        seen = ctx.sight(db).channels  # who sees what (bot/core/visibility)
        if word in ("miennes", "mine", "mes"):
            found = decision_store.list_decisions(
                db, owner=ctx.user_id, status="open", channels=seen
            )
            which = t("decisions.which_mine", ctx.lang)
        elif word in ("", "ouvertes", "open"):
            found = decision_store.list_decisions(db, status="open", channels=seen)
            which = t("decisions.which_open", ctx.lang)
        else:
            meeting_id = parse_id(word.removeprefix("session:"), ctx.lang)
            found = decision_store.list_decisions(db, meeting_id=meeting_id, channels=seen)
            which = t("decisions.which_session", ctx.lang, id=meeting_id)
    if not found:
        return Reply(t("decisions.list_empty", ctx.lang))
    lines = [t("decisions.list_title", ctx.lang, which=which)]
    return Reply("\n".join(lines + [f"• {render_decision_line(d, ctx.lang)}" for d in found[:50]]))


def require_visible_decision(ctx: CommandContext, db: Database, decision_id: int) -> None:
    """Refuse a decision of a session the person may not see, as if it did not exist."""
    found = decision_store.get_decision(db, decision_id)
    meeting = (
        meeting_store.get_meeting(db, found.meeting_id) if found and found.meeting_id else None
    )
    if meeting is not None and not ctx.sees(meeting.channel_id):
        raise UserError(t("meetings.error.decision_not_found", ctx.lang, id=decision_id))


def done_command(ctx: CommandContext, args: str) -> Reply:
    """Mark a decision done."""
    decision_id = parse_id(args, ctx.lang, noun="decisions")
    with connect(ctx.db_path) as db:
        require_visible_decision(ctx, db, decision_id)
        found = domain.mark_decision_done(
            db, decision_id, user_id=ctx.user_id, now=ctx.now(), lang=ctx.lang
        )
    return Reply(
        t("decisions.done", ctx.lang, id=found.id, line=render_decision_line(found, ctx.lang)),
        public=True,
    )


def search_command(ctx: CommandContext, args: str) -> Reply:
    """Full-text search in decisions, accents folded."""
    if not args.strip():
        raise UserError(t("decisions.usage_search", ctx.lang))
    with connect(ctx.db_path) as db:
        found = decision_store.search_decisions(db, args, channels=ctx.sight(db).channels)
    words = user_text(args, 100)
    if not found:
        return Reply(t("decisions.search_empty", ctx.lang, words=words))
    lines = [t("decisions.search_title", ctx.lang, words=words)]
    return Reply("\n".join(lines + [f"• {render_decision_line(d, ctx.lang)}" for d in found]))


COMMANDS = (
    Subcommand("/decision", "ajouter", add_command, ("add",), default=True),
    Subcommand("/decision", "liste", list_command, ("list",)),
    Subcommand("/decision", "fait", done_command, ("done",)),
    Subcommand("/decision", "chercher", search_command, ("search",)),
)
