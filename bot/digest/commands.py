"""`/veille résumé` (alias `digest`): the weekly digest, for you or (`public`) for the channel."""

from __future__ import annotations

from bot.core.i18n import t
from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext, Subcommand, fold
from bot.digest.build import build_digest
from bot.digest.render import build_digest_message
from storage.channels import known_channels
from storage.db import connect

PUBLIC_WORDS = frozenset({"public", "publier", "canal", "channel", "post"})


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


COMMANDS = (Subcommand("/veille", "résumé", digest_command, ("digest", "summary")),)
