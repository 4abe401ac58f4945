"""`/veille résumé` (alias `digest`): the weekly digest, for you or (`public`) for the channel."""

from __future__ import annotations

import bot.digest.job  # noqa: F401  (registers the weekly_digest job with the scheduler)
from bot.core.i18n import t
from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext, fold, veille
from bot.digest.build import build_digest
from bot.digest.render import build_digest_message
from storage.db import connect

PUBLIC_WORDS = frozenset({"public", "publier", "canal", "channel", "post"})


@veille.subcommand("résumé", aliases=("digest",), help_key="veille.help.resume")
def digest_command(ctx: CommandContext, args: str) -> Reply:
    """Answer the digest of the last 7 days; `public` posts it in the channel."""
    words = [fold(word) for word in args.split()]
    if len(words) > 1 or (words and words[0] not in PUBLIC_WORDS):
        raise UserError(t("digest.usage", ctx.lang))
    with connect(ctx.db_path) as db:
        digest = build_digest(db, ctx.now(), ctx.tz)
    text, blocks = build_digest_message(digest, ctx.lang, ctx.tz)
    return Reply(text, blocks, public=bool(words))
