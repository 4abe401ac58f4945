"""`/veille flux …`: add, list, remove, filter and resume the watched feeds."""

from __future__ import annotations

import re
import shlex
from datetime import datetime, timedelta

from bot.core.dates import format_datetime
from bot.core.i18n import t
from bot.core.mrkdwn import safe_text
from bot.core.plural import tn
from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext, Subcommand, fold
from bot.watch.fetch import FetchLimits
from bot.watch.normalise import parse_keywords
from bot.watch.notices import pause_reason
from bot.watch.poller import parser_pool
from bot.watch.posting import PostingSettings, post_pending
from bot.watch.subscribe import SubscribeError, Subscription, subscribe
from storage.db import connect, write
from storage.feed_state import resume_feed
from storage.feeds import Feed, get_feed, list_feeds, remove_feed, set_keywords
from storage.items import count_items

CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
ACTIONS = {
    "ajouter": "add",
    "add": "add",
    "retirer": "remove",
    "remove": "remove",
    "supprimer": "remove",
    "mots-cles": "keywords",
    "motscles": "keywords",
    "keywords": "keywords",
    "reprendre": "resume",
    "resume": "resume",
    "liste": "list",
    "list": "list",
    "aide": "help",
    "help": "help",
}


def feeds_command(ctx: CommandContext, args: str) -> Reply:
    """Dispatch `/veille flux <action> …`."""
    word, _, rest = args.strip().partition(" ")
    action = ACTIONS.get(fold(word).replace("é", "e")) if word else "list"
    if action is None:
        return Reply(t("watch.unknown", ctx.lang, word=safe_text(word, 50)))
    if action == "help":
        return Reply(t("watch.help", ctx.lang))
    if action == "list":
        return list_command(ctx)
    ctx.require_admin()
    handler = {"add": add_command, "remove": remove_command, "keywords": keywords_command}
    return handler.get(action, resume_command)(ctx, rest.strip())


def split_words(text: str) -> list[str]:
    """Split on spaces, keeping "quoted phrases" together."""
    try:
        return shlex.split(text.replace("«", '"').replace("»", '"'))
    except ValueError:
        return text.split()


def add_command(ctx: CommandContext, args: str) -> Reply:
    """Subscribe the channel (or the #channel named) to a feed and post its newest items."""
    words = split_words(args)
    if not words:
        raise UserError(t("watch.add.usage", ctx.lang))
    url = words[0].strip("<>").split("|", 1)[0]
    channel, origin, keywords = ctx.channel_id, "", []
    for word in words[1:]:
        match = CHANNEL.match(word)
        if match:
            channel = match.group(1)
        elif word.startswith("#"):
            raise UserError(t("watch.add.bad_channel", ctx.lang))
        elif fold(word).startswith(("origine:", "origin:")):
            origin = word.split(":", 1)[1].strip()
        else:
            keywords.append(f'"{word}"' if " " in word else word)
    ctx.require_member(channel)  # admins too: only into channels they are members of
    limits = FetchLimits(allow_private=ctx.config.allow_private_urls)
    try:
        added = subscribe(
            ctx.db_path,
            url,
            channel,
            now=ctx.now(),
            added_by=ctx.user_id,
            origin=origin,
            keywords=parse_keywords(" ".join(keywords)),
            limits=limits,
            parser=parser_pool(),
            lang=ctx.lang,
            interval=timedelta(minutes=ctx.config.poll_minutes),
        )
    except SubscribeError as error:
        raise UserError(str(error)) from error
    settings = PostingSettings(lang=ctx.lang, tz=ctx.tz)
    report = post_pending(ctx.db_path, ctx.messenger, ctx.now(), settings)
    posted = len(set(report.posted) & set(added.new_ids))
    title = safe_text(added.feed.name, 200)
    text = tn(
        "watch.add.done",
        ctx.lang,
        added.entry_count,
        id=added.feed.id,
        title=title,
        channel=channel,
    )
    return Reply(text + posted_sentence(ctx.lang, added, posted))


def posted_sentence(lang: str, added: Subscription, posted: int) -> str:
    """Say how many of the first items were really posted (nothing when none was)."""
    if posted and posted >= added.entry_count:
        return " " + tn("watch.add.posted.all", lang, posted)
    if posted:
        return " " + tn("watch.add.posted", lang, posted)
    if not added.new_items and added.feed.keywords:
        return " " + t("watch.add.nothing", lang)
    return ""


def list_command(ctx: CommandContext) -> Reply:
    """List every watched feed with its health."""
    with connect(ctx.db_path) as db:
        seen = ctx.sight(db).channels  # who sees what (bot/core/visibility)
        feeds = [(feed, count_items(db, feed.id)) for feed in list_feeds(db, channels=seen)]
    if not feeds:
        return Reply(t("watch.list.empty", ctx.lang))
    lines = [t("watch.list.title", ctx.lang, count=len(feeds))]
    lines += [feed_line(feed, count, ctx.lang, ctx.tz) for feed, count in feeds]
    return Reply("\n".join(lines))


def feed_line(feed: Feed, count: int, lang: str, tz: str) -> str:
    """Return one line of the feed list."""
    success = t("watch.list.never", lang)
    if feed.last_success_at:
        success = format_datetime(datetime.fromisoformat(feed.last_success_at), lang, tz)
    if feed.paused:
        error = t("watch.list.paused", lang, reason=pause_reason(feed, lang), id=feed.id)
    elif feed.last_error:
        error = t("watch.list.error", lang, reason=pause_reason(feed, lang))
    else:
        error = ""
    words = ", ".join(feed.keywords)
    return t(
        "watch.list.line",
        lang,
        id=feed.id,
        title=safe_text(feed.name, 120),
        origin=safe_text(feed.origin, 60) + " · " if feed.origin else "",
        channel=feed.channel_id,
        keywords=t("watch.list.keywords", lang, words=safe_text(words, 200)) if words else "",
        articles=tn("watch.list.articles", lang, count),
        success=success,
        error=error,
    )


def _feed_arg(ctx: CommandContext, args: str, word: str) -> tuple[Feed, str]:
    """Return the feed numbered by the first word of ``args`` and the rest of the text."""
    number, _, rest = args.strip().lstrip("n°#").strip().partition(" ")
    if not (number.isascii() and number.isdigit()):
        raise UserError(t("watch.id.usage", ctx.lang, word=word))
    feed = None
    if int(number) <= 2**63 - 1:  # SQLite stores no bigger number: such a feed is missing
        with connect(ctx.db_path) as db:
            feed = get_feed(db, int(number))
    if feed is None or not ctx.sees(feed.channel_id):  # refused reads as missing
        raise UserError(t("watch.id.unknown", ctx.lang, id=number))
    return feed, rest


def remove_command(ctx: CommandContext, args: str) -> Reply:
    """Stop watching a feed."""
    feed, _ = _feed_arg(ctx, args, "retirer")
    with connect(ctx.db_path) as db, write(db):
        remove_feed(db, feed.id, ctx.now())
    return Reply(t("watch.remove.done", ctx.lang, id=feed.id, title=safe_text(feed.name, 200)))


def keywords_command(ctx: CommandContext, args: str) -> Reply:
    """Replace a feed's keyword filter (no words: no filter)."""
    feed, rest = _feed_arg(ctx, args, "mots-clés")
    words = parse_keywords(rest)
    with connect(ctx.db_path) as db, write(db):
        set_keywords(db, feed.id, words)
    if not words:
        return Reply(t("watch.keywords.cleared", ctx.lang, id=feed.id))
    shown = safe_text(", ".join(words), 500)
    return Reply(t("watch.keywords.done", ctx.lang, id=feed.id, words=shown))


def resume_command(ctx: CommandContext, args: str) -> Reply:
    """Un-pause a feed (and its channel's other feeds paused for the same channel problem)."""
    feed, _ = _feed_arg(ctx, args, "reprendre")
    if not feed.paused:
        return Reply(t("watch.resume.not_paused", ctx.lang, id=feed.id))
    with connect(ctx.db_path) as db, write(db):
        for other in list_feeds(db, feed.channel_id):
            if other.id == feed.id or (other.paused and other.paused_reason == feed.paused_reason):
                resume_feed(db, other.id, ctx.now())
    return Reply(t("watch.resume.done", ctx.lang, id=feed.id, title=safe_text(feed.name, 200)))


COMMANDS = (Subcommand("/veille", "flux", feeds_command, ("feeds", "feed")),)
