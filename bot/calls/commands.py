"""`/veille échéance <n> <date|aucune>`, `/veille échéances`, `/veille ajouter <url> [note]`."""

from __future__ import annotations

import re

from bot.calls.deadlines import coming_deadlines, remove_deadline, set_deadline
from bot.calls.extract import fold, parse_due_date
from bot.calls.links import LinkRefused, add_link, added_text
from bot.calls.render import deadline_list
from bot.core.dates import format_date
from bot.core.i18n import t
from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext, Subcommand
from bot.meetings.dates import DateError
from bot.watch.fetch import FetchLimits
from storage.db import connect

_NUMBER = re.compile(r"^#?([0-9]+)$")
MAX_ID = 2**63 - 1
NONE_WORDS = {"aucune", "aucun", "rien", "none", "no", "non", "supprimer", "retirer", "remove"}
LIST_DAYS = None  # every coming deadline


def _number(ctx: CommandContext, word: str) -> int:
    match = _NUMBER.match(word)
    if not match:
        raise UserError(t("calls.usage", ctx.lang))
    number = int(match.group(1))
    if number > MAX_ID:
        raise UserError(t("calls.not_found", ctx.lang, id=match.group(1)))
    return number


def deadline_command(ctx: CommandContext, args: str) -> Reply:
    """Set, change or remove an item's deadline: `/veille échéance 12 15/01/2027` / `… aucune`."""
    first, _, rest = args.strip().partition(" ")
    if not first or not rest.strip():
        raise UserError(t("calls.usage", ctx.lang))
    item_id = _number(ctx, first)
    rest = rest.strip()
    now = ctx.now()
    with connect(ctx.db_path) as db:
        if fold(rest) in NONE_WORDS:
            change = remove_deadline(db, ctx.messenger, item_id, ctx.user_id, now, ctx.lang, ctx.tz)
            if change.item is None:
                raise UserError(t("calls.not_found", ctx.lang, id=item_id))
            return Reply(t("calls.removed", ctx.lang, id=item_id))
        try:
            day = parse_due_date(rest, now=now, tz=ctx.tz, lang=ctx.lang)
        except DateError as error:
            raise UserError(t("calls.bad_date", ctx.lang, error=str(error), id=item_id)) from error
        change = set_deadline(db, ctx.messenger, item_id, day, ctx.user_id, now, ctx.lang, ctx.tz)
    if change.item is None:
        raise UserError(t("calls.not_found", ctx.lang, id=item_id))
    closed = change.item.status not in ("open", "claimed")
    key = "calls.set.closed" if closed else "calls.set"
    return Reply(t(key, ctx.lang, id=item_id, date=format_date(day, ctx.lang)))


def deadlines_command(ctx: CommandContext, args: str) -> Reply:
    """List the coming deadlines of open items the person may see, soonest first."""
    with connect(ctx.db_path) as db:
        seen = ctx.sight(db).channels  # who sees what (bot/core/visibility)
        items = coming_deadlines(db, ctx.now(), ctx.tz, LIST_DAYS, seen)
    return Reply(deadline_list(items, ctx.lang, "calls.list.title", "calls.list.empty"))


def add_command(ctx: CommandContext, args: str) -> Reply:
    """Add a link to the watch of this channel: `/veille ajouter <url> [note]`."""
    url, _, note = args.strip().partition(" ")
    if not url:
        raise UserError(t("calls.add.usage", ctx.lang))
    url = url.strip("<>").split("|", 1)[0]
    try:
        added = add_link(
            ctx.db_path, ctx.messenger, url, note, channel_id=ctx.channel_id, user=ctx.user_id,
            now=ctx.now(), limits=FetchLimits(allow_private=ctx.config.allow_private_urls),
            lang=ctx.lang, tz=ctx.tz,
        )  # fmt: skip
    except LinkRefused as error:
        raise UserError(str(error)) from error
    return Reply(added_text(added, ctx.lang, bool(note.strip())))


COMMANDS = (
    Subcommand("/veille", "ajouter", add_command, ("add",)),
    Subcommand("/veille", "échéance", deadline_command, ("deadline", "echeance")),
    Subcommand("/veille", "échéances", deadlines_command, ("deadlines", "echeances")),
)
