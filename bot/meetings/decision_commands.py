"""`/decision` subcommands: record (default), list, done, search, and the corrections.

Every subcommand word, French or English, is reserved: `/decision supprimer …` is never
recorded as a decision, even when what follows is not a number (issue 12, point 1).
"""

from __future__ import annotations

import re

from bot.core.i18n import t
from bot.core.mrkdwn import escape
from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext, Subcommand, fold
from bot.meetings import decisions as domain
from bot.meetings.modals import build_decision_modal
from bot.meetings.recording import (
    move_to_session,
    record_decision,
    undo_recording,
    visible_decision,
)  # fmt: skip
from bot.meetings.render import render_decision_line, user_text
from bot.meetings.sessions import parse_id
from storage import decisions as decision_store
from storage.db import connect

# One word and a number ("effacer 5", "rouvrir #5") is a command someone expected to exist:
# recorded as a decision it would be posted publicly and end up in the minutes.
COMMAND_LIKE = re.compile(r"^\S+\s+(?:n°|#)?\d+$", re.IGNORECASE)
UNFILED_WORDS = ("hors-session", "hors", "aucune", "none", "unfiled")


def _reserved() -> set[str]:
    """Return every subcommand word and alias of `/decision`, folded."""
    return {fold(word) for sub in COMMANDS for word in (sub.name, *sub.aliases)}


def _refuse_command_like(ctx: CommandContext, text: str) -> None:
    """Refuse text that is a command people expect rather than a decision."""
    words = text.split()
    looks_like_command = COMMAND_LIKE.match(text) or (
        len(words) > 1 and fold(words[0]) in _reserved() and words[1].lstrip("#n°").isdigit()
    )
    if looks_like_command:
        raise UserError(t("decisions.not_a_decision", ctx.lang, word=escape(words[0])))


def add_command(ctx: CommandContext, args: str) -> Reply:
    """Record "<texte> [@responsable] [échéance <date>] [session:<n°>]", or open the form."""
    if not args.strip() and ctx.trigger_id:
        ctx.messenger.open_modal(ctx.trigger_id, build_decision_modal(ctx.channel_id, ctx.lang))
        return Reply(t("meetings.modal_opened", ctx.lang))
    _refuse_command_like(ctx, args.strip())
    request = domain.parse_decision_request(args, now=ctx.now(), tz=ctx.tz, lang=ctx.lang)
    return record_decision(ctx, request)


def _decision_id(ctx: CommandContext, word: str, typed: str) -> int:
    """Read the decision number after a reserved word; anything else is refused, not recorded."""
    first = typed.split()[0] if typed.split() else ""
    try:
        return parse_id(first, ctx.lang, noun="decisions")
    except UserError:
        if not first:
            raise
        text = user_text(first, 40)
        raise UserError(t("decisions.reserved_word", ctx.lang, word=word, text=text)) from None


def _split(ctx: CommandContext, word: str, args: str, usage_key: str) -> tuple[int, str]:
    """Split "<n°> <rest>", the rest required."""
    decision_id = _decision_id(ctx, word, args)
    rest = args.strip().partition(" ")[2].strip()
    if not rest:
        raise UserError(t(usage_key, ctx.lang))
    return decision_id, rest


def list_command(ctx: CommandContext, args: str) -> Reply:
    """List open decisions, mine, a session's, or those filed under no session."""
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
        elif word in UNFILED_WORDS or fold(word) == "hors-seance":
            found = decision_store.list_decisions(db, unfiled=True, channels=seen)
            which = t("decisions.which_unfiled", ctx.lang)
        else:
            meeting_id = parse_id(word.removeprefix("session:"), ctx.lang)
            found = decision_store.list_decisions(db, meeting_id=meeting_id, channels=seen)
            which = t("decisions.which_session", ctx.lang, id=meeting_id)
    if not found:
        return Reply(t("decisions.list_empty", ctx.lang))
    lines = [t("decisions.list_title", ctx.lang, which=which)]
    return Reply("\n".join(lines + [f"• {render_decision_line(d, ctx.lang)}" for d in found[:50]]))


def done_command(ctx: CommandContext, args: str) -> Reply:
    """Mark a decision done."""
    decision_id = _decision_id(ctx, "fait", args)
    with connect(ctx.db_path) as db:
        visible_decision(ctx, db, decision_id)
        found = domain.mark_decision_done(
            db, decision_id, user_id=ctx.user_id, now=ctx.now(), lang=ctx.lang
        )
    return Reply(
        t(
            "decisions.done",
            ctx.lang,
            id=found.id,
            line=render_decision_line(found, ctx.lang, False),
        ),
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


def edit_command(ctx: CommandContext, args: str) -> Reply:
    """Replace a decision's text (author, owner or admin); the old text stays in the minutes."""
    decision_id, text = _split(ctx, "modifier", args, "decisions.usage_edit")
    with connect(ctx.db_path) as db:
        visible_decision(ctx, db, decision_id)
        found = domain.edit_decision(
            db, decision_id, text, user_id=ctx.user_id, is_admin=ctx.is_admin(), now=ctx.now(),
            tz=ctx.tz, lang=ctx.lang,
        )  # fmt: skip
    line = render_decision_line(found, ctx.lang, numbered=False)
    return Reply(
        t("decisions.edited", ctx.lang, id=found.id, user=ctx.user_id, line=line), public=True
    )


def delete_command(ctx: CommandContext, args: str) -> Reply:
    """Delete a decision (author, owner or admin); the minutes keep who did it."""
    decision_id = _decision_id(ctx, "supprimer", args)
    with connect(ctx.db_path) as db:
        visible_decision(ctx, db, decision_id)
        found = domain.delete_decision(
            db, decision_id, user_id=ctx.user_id, is_admin=ctx.is_admin(), now=ctx.now(),
            lang=ctx.lang,
        )  # fmt: skip
    text = t(
        "decisions.deleted", ctx.lang, id=found.id, user=ctx.user_id, text=user_text(found.text)
    )
    return Reply(text, public=True)


def reopen_command(ctx: CommandContext, args: str) -> Reply:
    """Reopen a done or deleted decision (author, owner or admin)."""
    decision_id = _decision_id(ctx, "rouvrir", args)
    with connect(ctx.db_path) as db:
        visible_decision(ctx, db, decision_id)
        found = domain.reopen_decision(
            db, decision_id, user_id=ctx.user_id, is_admin=ctx.is_admin(), now=ctx.now(),
            lang=ctx.lang,
        )  # fmt: skip
    line = render_decision_line(found, ctx.lang, numbered=False)
    return Reply(
        t("decisions.reopened", ctx.lang, id=found.id, user=ctx.user_id, line=line), public=True
    )


def undo_command(ctx: CommandContext, args: str) -> Reply:
    """Undo the recording of a decision, as the « Annuler » button does."""
    decision_id = _decision_id(ctx, "annuler", args)
    return undo_recording(ctx, decision_id)


def move_command(ctx: CommandContext, args: str) -> Reply:
    """File a decision under another session: "<n°> <session>" or "<n°> hors-session"."""
    decision_id, target = _split(ctx, "deplacer", args, "decisions.usage_move")
    target = target.removeprefix("session:").strip()
    unfiled = target.lower() in UNFILED_WORDS or fold(target) == "hors-seance"
    meeting_id = None if unfiled else parse_id(target, ctx.lang)
    return move_to_session(ctx, decision_id, meeting_id)


COMMANDS = (
    Subcommand("/decision", "ajouter", add_command, ("add",), default=True),
    Subcommand("/decision", "liste", list_command, ("list",)),
    Subcommand("/decision", "fait", done_command, ("done",)),
    Subcommand("/decision", "chercher", search_command, ("search",)),
    Subcommand("/decision", "modifier", edit_command, ("edit",)),
    Subcommand("/decision", "deplacer", move_command, ("move", "déplacer")),
    Subcommand("/decision", "supprimer", delete_command, ("delete",)),
    Subcommand("/decision", "rouvrir", reopen_command, ("reopen",)),
    Subcommand("/decision", "annuler", undo_command, ("undo",)),
)
