"""`/veille résumé` (alias `digest`): the weekly digest, for you or (`public`) for the channel;
`/veille lettre <n>` (keep an item for the newsletter, or not) and `/veille lettre brouillon`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core.i18n import t
from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext, Subcommand, fold
from bot.digest.build import build_digest, newsletter_entries_between
from bot.digest.draft import build_draft_message
from bot.digest.period import parse_period
from bot.digest.render import build_digest_message
from bot.items.acting import run_action
from bot.items.actions import toggle_flag
from storage.channels import known_channels
from storage.db import connect

PUBLIC_WORDS = frozenset({"public", "publier", "canal", "channel", "post"})
DRAFT_WORDS = frozenset({"brouillon", "draft"})


def digest_command(ctx: CommandContext, args: str) -> Reply:
    """Answer the digest of the last 7 days; `public` posts it in the channel."""
    words = [fold(word) for word in args.split()]
    if len(words) > 1 or (words and words[0] not in PUBLIC_WORDS):
        raise UserError(t("digest.usage", ctx.lang))
    with connect(ctx.db_path) as db:
        sight = ctx.sight(db)  # who sees what (bot/core/visibility)
        if words:  # posted: only what every member of this channel may see too
            shared = ctx.visibility.shared_channels(ctx.channel_id, known_channels(db))
            sight = sight.both(shared)
        digest = build_digest(db, ctx.now(), ctx.tz, sight=sight)
    text, blocks = build_digest_message(digest, ctx.lang, ctx.tz)
    return Reply(text, blocks, public=bool(words))


def newsletter_command(ctx: CommandContext, args: str) -> Reply:
    """`/veille lettre <n>` toggles item n's flag; `/veille lettre brouillon […]` shows the draft."""
    word, _, rest = args.strip().partition(" ")
    if fold(word) in DRAFT_WORDS:
        return draft_command(ctx, rest)
    return run_action(ctx, args, "lettre", toggle_flag)


def draft_command(ctx: CommandContext, args: str) -> Reply:
    """Answer the newsletter draft, `[du <date> au <date>]` (default: the last 7 days), privately."""
    zone = ZoneInfo(ctx.tz)
    since, until = parse_period(args, ctx.now(), zone, ctx.lang)
    with connect(ctx.db_path) as db:
        entries = newsletter_entries_between(db, since, until, ctx.sight(db))
    text, blocks = build_draft_message(entries, since, until, ctx.lang, zone)
    return Reply(text, blocks)


COMMANDS = (
    Subcommand("/veille", "lettre", newsletter_command, ("newsletter",)),
    Subcommand("/veille", "résumé", digest_command, ("digest", "summary")),
)
