"""`/porteur` subcommands: add, list, view, log support, edit, search, link an item, erase."""

from __future__ import annotations

from bot.core.dates import format_date
from bot.core.i18n import t
from bot.core.mrkdwn import escape, safe_text
from bot.core.reply import Reply, UserError
from bot.core.router import CommandContext, Subcommand, fold
from bot.holders import fields, records
from bot.holders.log_dates import read_log_day, split_trailing_day
from bot.holders.records import Person
from bot.holders.render import build_detail, holder_line, kind_label
from storage import holders as store
from storage.db import connect

ADD_FIELDS = {"structure", "territory", "network"}
EDIT_FIELDS = {"name", "structure", "territory", "network", "referent"}
LOG_FIELDS = {"kind", "day"}
LIST_MINE, LIST_ALL = ("miens", "mine", "mes", "miennes"), ("tous", "all", "toutes", "")


def person(ctx: CommandContext) -> Person:
    """Return who typed the command, where and when."""
    return Person(ctx.user_id, ctx.channel_id, ctx.config, ctx.now(), ctx.visibility)


def add_command(ctx: CommandContext, args: str) -> Reply:
    """Add a holder: « <nom> [structure:…] [territoire:…] [réseau:…] »; its author is the referent."""
    text, given = fields.split_fields(args, ADD_FIELDS)
    name = fields.checked_name(text, ctx.lang)
    network = fields.parse_network(given["network"], ctx.lang) if given.get("network") else ""
    territory = fields.checked_value(given.get("territory", ""), ctx.lang)
    with connect(ctx.db_path) as db:
        holder_id = store.add_holder(
            db, name=name, structure=fields.checked_value(given.get("structure", ""), ctx.lang),
            territory=territory, territory_key=fields.territory_key(territory), network=network,
            referent=ctx.user_id, channel_id=ctx.channel_id, now=ctx.now(),
        )  # fmt: skip
    return Reply(t("holders.added", ctx.lang, id=holder_id, name=safe_text(name, 200)))


def list_command(ctx: CommandContext, args: str) -> Reply:
    """List all holders, mine, or a territory's."""
    word = " ".join(args.split())
    channels = records.visible_channels(person(ctx))
    with connect(ctx.db_path) as db:
        if fold(word) in LIST_MINE:
            found = store.list_holders(db, referent=ctx.user_id, channels=channels)
            which = t("holders.which_mine", ctx.lang)
        elif fold(word) in LIST_ALL:
            found = store.list_holders(db, channels=channels)
            which = t("holders.which_all", ctx.lang)
        else:
            key = fields.territory_key(word)
            found = store.list_holders(db, territory_key=key, channels=channels)
            which = t("holders.which_territory", ctx.lang, territory=safe_text(word, 100))
    if not found:
        return Reply(t("holders.list_empty", ctx.lang, which=which))
    lines = [t("holders.list_title", ctx.lang, which=which, count=len(found))]
    shown = records.by_name(found)[:50]
    return Reply("\n".join(lines + [f"• {holder_line(h, ctx.lang)}" for h in shown]))


def show_command(ctx: CommandContext, args: str) -> Reply:
    """Show a holder: details, linked items, follow-up log."""
    who = person(ctx)
    holder = records.find_holder(who, fields.parse_number(args, ctx.lang))
    seen = records.visible_channels(who)
    with connect(ctx.db_path) as db:
        items, log = store.linked_items(db, holder.id), store.list_actions(db, holder.id)
    items = [item for item in items if seen is None or item.channel_id in seen]
    return Reply(build_detail(holder, items, log, ctx.lang))


def log_command(ctx: CommandContext, args: str) -> Reply:
    """Log a support action: « <n> <texte> [date] [type:rendez-vous|conseil|…] »."""
    number, _, rest = args.strip().partition(" ")
    holder_id = fields.parse_number(number, ctx.lang)
    text, given = fields.split_fields(rest, LOG_FIELDS)
    kind = fields.parse_kind(given["kind"], ctx.lang) if given.get("kind") else "autre"
    now, tz = ctx.now(), ctx.tz
    if given.get("day"):
        day = read_log_day(given["day"], now=now, tz=tz, lang=ctx.lang)
    else:
        text, found = split_trailing_day(text, now=now, tz=tz, lang=ctx.lang)
        day = found or read_log_day("aujourd'hui", now=now, tz=tz, lang=ctx.lang)
    text = " ".join(text.split())
    if not text:
        raise UserError(t("holders.error.empty_log", ctx.lang))
    if len(text) > fields.TEXT_LIMIT:
        raise UserError(t("holders.error.too_long", ctx.lang, limit=fields.TEXT_LIMIT))
    holder = records.log_action(person(ctx), holder_id, text, day, kind)
    return Reply(
        t(
            "holders.logged",
            ctx.lang,
            id=holder.id,
            name=safe_text(holder.name, 200),
            day=format_date(day, ctx.lang),
            kind=kind_label(kind, ctx.lang),
        )
    )


def edit_command(ctx: CommandContext, args: str) -> Reply:
    """Change fields: « <n> <champ>:<valeur> … » (nom, structure, territoire, réseau, référent)."""
    number, _, rest = args.strip().partition(" ")
    holder = records.find_holder(person(ctx), fields.parse_number(number, ctx.lang))
    free, given = fields.split_fields(rest, EDIT_FIELDS)
    if free or not given:
        raise UserError(t("holders.usage_edit", ctx.lang))
    changes = _checked_changes(given, ctx.lang)
    if "referent" in changes and not records.may_erase(person(ctx), holder):
        raise UserError(t("holders.error.referent_refused", ctx.lang, referent=holder.referent))
    key = fields.territory_key(changes["territory"]) if "territory" in changes else None
    with connect(ctx.db_path) as db:
        store.update_holder(db, holder.id, changes, ctx.now(), territory_key=key)
    words = ", ".join(t(f"holders.word.{field}", ctx.lang) for field in changes)
    return Reply(t("holders.edited", ctx.lang, id=holder.id, fields=words))


def _checked_changes(given: dict[str, str], lang: str) -> dict[str, str]:
    """Return the new values, each checked as when the holder was added."""
    checks = {
        "name": fields.checked_name,
        "structure": fields.checked_value,
        "territory": fields.checked_value,
        "network": fields.parse_network,
        "referent": fields.parse_referent,
    }
    return {field: checks[field](value, lang) for field, value in given.items()}


def search_command(ctx: CommandContext, args: str) -> Reply:
    """Search holders by name, structure, territory and log, accents folded."""
    if not args.strip():
        raise UserError(t("holders.usage_search", ctx.lang))
    with connect(ctx.db_path) as db:
        found = store.search_holders(db, args, records.visible_channels(person(ctx)))
    words = escape(" ".join(args.split())[:100])
    if not found:
        return Reply(t("holders.search_empty", ctx.lang, words=words))
    lines = [t("holders.search_title", ctx.lang, words=words)]
    return Reply("\n".join(lines + [f"• {holder_line(h, ctx.lang)}" for h in found]))


def link_command(ctx: CommandContext, args: str) -> Reply:
    """Keep an item of the watch for a holder: « <n> <n° de l'article> »."""
    words = args.split()
    if len(words) != 2:
        raise UserError(t("holders.usage_link", ctx.lang))
    holder_id = fields.parse_number(words[0], ctx.lang)
    item_id = fields.parse_number(words[1], ctx.lang)
    return Reply(records.link_item(person(ctx), ctx.messenger, holder_id, item_id).message)


def erase_command(ctx: CommandContext, args: str) -> Reply:
    """Erase a holder and its log (its referent or an admin)."""
    holder = records.erase(person(ctx), fields.parse_number(args, ctx.lang))
    return Reply(t("holders.erased", ctx.lang, id=holder.id, name=safe_text(holder.name, 200)))


COMMANDS = (
    Subcommand("/porteur", "ajouter", add_command, ("add",)),
    Subcommand("/porteur", "liste", list_command, ("list",)),
    Subcommand("/porteur", "voir", show_command, ("view", "show")),
    Subcommand("/porteur", "suivi", log_command, ("log",)),
    Subcommand("/porteur", "modifier", edit_command, ("edit",)),
    Subcommand("/porteur", "chercher", search_command, ("search",)),
    Subcommand("/porteur", "lier", link_command, ("link",)),
    Subcommand("/porteur", "supprimer", erase_command, ("delete",)),
)
