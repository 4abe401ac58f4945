"""Run one item action for a typed command: read the number, act, refresh the message, answer.

Shared by the ``/veille`` subcommands of items and of the digest (`/veille lettre <n>`), which
may not import each other's command modules.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlite_utils import Database

from bot.core.i18n import t
from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext
from bot.items.actions import Actor, Outcome
from bot.items.flow import make_actor
from bot.items.sync import refresh_item_message
from storage.db import connect

_NUMBER = re.compile(r"^#?([0-9]+)$")  # ASCII digits only: int("²") fails
MAX_ID = 2**63 - 1


def actor_for(ctx: CommandContext) -> Actor:
    """Build the acting person from the command context (only listed admins override owners)."""
    return make_actor(ctx.config, ctx.user_id, ctx.now(), ctx.messenger)


def item_number(args: str, command: str, lang: str) -> tuple[int, str]:
    """Split "12 rest…" into (12, "rest…"); a missing or bad number is a UserError."""
    first, _, rest = args.strip().partition(" ")
    match = _NUMBER.match(first)
    if not match:
        raise UserError(t("items.usage.number", lang, command=command))
    number = int(match.group(1))
    if number > MAX_ID:  # SQLite stores at most 2**63 - 1: a bigger number names no item
        raise UserError(t("items.not_found", lang, n=match.group(1)))
    return number, rest.strip()


def run_action(
    ctx: CommandContext, args: str, command: str, act: Callable[[Database, Actor, int], Outcome]
):
    """Apply one action to item n, refresh its message if it changed, answer the person."""
    item_id, _ = item_number(args, command, ctx.lang)
    with connect(ctx.db_path) as db:
        outcome = act(db, actor_for(ctx), item_id)
        if outcome.changed:
            refresh_item_message(db, ctx.messenger, item_id, ctx.lang, ctx.tz)
    if not outcome.ok:
        raise UserError(outcome.message)
    return Reply(outcome.message)
