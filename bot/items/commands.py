"""`/veille` subcommands for posted items: take, release, close, flag, note, show, list, search."""

from __future__ import annotations

from bot.core.i18n import t
from bot.core.mrkdwn import escape
from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext, Subcommand, fold
from bot.items.acting import item_number, run_action
from bot.items.actions import (
    claim_item,
    close_item,
    note_item,
    release_item,
    reopen_item,
)
from bot.items.lists import list_page
from bot.items.render.detail import build_item_detail
from bot.items.render.lists import build_item_list
from bot.items.states import ItemList, ItemStatus
from storage import claims, notes
from storage.db import connect
from storage.search import search_items

PAGE_SIZE = 10
# The words people type for each list; the first one is shown in "next page" hints.
LIST_WORDS = {
    ItemList.FREE: ("libres", "libre", "free", "open"),
    ItemList.MINE: ("miennes", "mienne", "mes", "mine"),
    ItemList.ALL: ("toutes", "tous", "all"),
    ItemList.NEWSLETTER: ("lettre", "newsletter"),
}
# What the "next page" hint shows in English: the aliases, not the French words.
ENGLISH_WORDS = {"liste": "list", "chercher": "search", ItemList.FREE: "free", ItemList.MINE: "mine",
                 ItemList.ALL: "all", ItemList.NEWSLETTER: "newsletter"}  # fmt: skip
LIST_BY_WORD = {word: which for which, words in LIST_WORDS.items() for word in words}


def claim_command(ctx: CommandContext, args: str) -> Reply:
    """Take item n: `/veille prendre <n>`."""
    return run_action(ctx, args, "prendre", claim_item)


def release_command(ctx: CommandContext, args: str) -> Reply:
    """Give item n back: `/veille lâcher <n>`."""
    return run_action(ctx, args, "lâcher", release_item)


def done_command(ctx: CommandContext, args: str) -> Reply:
    """Mark item n done: `/veille fait <n>`."""
    return run_action(ctx, args, "fait", lambda db, a, n: close_item(db, a, n, ItemStatus.DONE))


def dismiss_command(ctx: CommandContext, args: str) -> Reply:
    """Dismiss item n as not relevant: `/veille écarter <n>`."""
    return run_action(
        ctx, args, "écarter", lambda db, a, n: close_item(db, a, n, ItemStatus.DISMISSED)
    )


def reopen_command(ctx: CommandContext, args: str) -> Reply:
    """Re-open a done or dismissed item: `/veille rouvrir <n>`."""
    return run_action(ctx, args, "rouvrir", reopen_item)


def note_command(ctx: CommandContext, args: str) -> Reply:
    """Add a note to item n: `/veille note <n> <texte>`."""
    _, text = item_number(args, "note", ctx.lang)
    return run_action(ctx, args, "note", lambda db, a, n: note_item(db, a, n, text))


def show_command(ctx: CommandContext, args: str) -> Reply:
    """Show item n with its sources, status, history and notes: `/veille voir <n>`."""
    item_id, _ = item_number(args, "voir", ctx.lang)
    with connect(ctx.db_path) as db:
        item = claims.get_item(db, item_id)
        if item is None or not ctx.sees(item.channel_id):  # refused reads as missing
            raise UserError(t("items.not_found", ctx.lang, n=item_id))
        text, blocks = build_item_detail(
            item, claims.list_sources(db, item_id), claims.list_events(db, item_id),
            notes.list_notes(db, item_id), ctx.lang, ctx.tz,
        )  # fmt: skip
    return Reply(text, blocks)


def _page_number(words: list[str]) -> tuple[list[str], int]:
    """Take a trailing "page 2" off the words."""
    if len(words) >= 2 and fold(words[-2]) == "page" and words[-1].isdigit():
        return words[:-2], max(int(words[-1]), 1)
    return words, 1


def _word(word: str, lang: str) -> str:
    """Return the command word people of ``lang`` type: "liste" or "list", "libres" or "free"."""
    if lang == "en":
        return ENGLISH_WORDS.get(word, word)
    return LIST_WORDS[word][0] if word in LIST_WORDS else word


def list_command(ctx: CommandContext, args: str) -> Reply:
    """List items: `/veille liste [libres|miennes|toutes|lettre] [page]`, newest first."""
    words, page_number = _page_number(args.split())  # "lettre page 2" as well as "lettre 2"
    which = ItemList.FREE
    if words and not words[0].isdigit():
        found = LIST_BY_WORD.get(fold(words[0]))
        if found is None:
            raise UserError(t("items.list.unknown", ctx.lang, kind=words[0]))
        which, words = found, words[1:]
    if words and words[0].isdigit():
        page_number = int(words[0])
    with connect(ctx.db_path) as db:
        page = list_page(
            db, which, ctx.user_id, limit=PAGE_SIZE, offset=(max(page_number, 1) - 1) * PAGE_SIZE,
            channels=ctx.sight(db).channels,
        )  # fmt: skip
    title = t(f"items.list.title.{which}", ctx.lang)
    next_command = f"/veille {_word('liste', ctx.lang)} {_word(which, ctx.lang)} {page_number + 1}"
    text, blocks = build_item_list(page, title, ctx.lang, next_command)
    return Reply(text, blocks)


def search_command(ctx: CommandContext, args: str) -> Reply:
    """Search titles, summaries and notes: `/veille chercher <mots> [page n]`."""
    words, page_number = _page_number(args.split())
    query = " ".join(words)
    if not query.strip():
        raise UserError(t("items.search.usage", ctx.lang))
    with connect(ctx.db_path) as db:
        page = search_items(
            db, query, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE,
            channels=ctx.sight(db).channels,
        )  # fmt: skip
    if not page.total:
        return Reply(t("items.search.none", ctx.lang, query=escape(query)))
    title = t("items.search.title", ctx.lang, query=query)
    next_command = f"/veille {_word('chercher', ctx.lang)} {query} page {page_number + 1}"
    text, blocks = build_item_list(page, title, ctx.lang, next_command)
    return Reply(text, blocks)


COMMANDS = (
    Subcommand("/veille", "liste", list_command, ("list",)),
    Subcommand("/veille", "voir", show_command, ("show", "view")),
    Subcommand("/veille", "prendre", claim_command, ("claim", "take")),
    Subcommand("/veille", "lâcher", release_command, ("release",)),
    Subcommand("/veille", "fait", done_command, ("done",)),
    Subcommand("/veille", "écarter", dismiss_command, ("dismiss",)),
    Subcommand("/veille", "rouvrir", reopen_command, ("reopen",)),
    Subcommand("/veille", "note", note_command),
    Subcommand("/veille", "chercher", search_command, ("search",)),
)
