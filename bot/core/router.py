"""Slash-command routing, independent of Slack.

Each top command (``/veille``, ``/session``, ``/decision``) has a :class:`Router`. Domain modules
register subcommands with ``@veille.subcommand("flux", aliases=("feeds",))`` on a function
``(ctx: CommandContext, args: str) -> Reply``. Words match case- and accent-insensitively, so
``/veille LÂCHER 3`` and ``/veille lacher 3`` are the same. Every subcommand of the contract is
declared up front: one whose module has not registered it answers plainly that it is not built yet.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.config import Config
from bot.core.i18n import t
from bot.core.messenger import Messenger
from bot.core.reply import Reply, UserError

Handler = Callable[["CommandContext", str], Reply]


def utcnow() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


def fold(word: str) -> str:
    """Lower-case and strip accents: "Lâcher" → "lacher"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class CommandContext:
    """Who typed what where, plus the ports a subcommand may use."""

    user_id: str
    channel_id: str
    config: Config
    messenger: Messenger
    clock: Callable[[], datetime] = utcnow
    trigger_id: str = ""

    @property
    def lang(self) -> str:
        return self.config.lang

    @property
    def tz(self) -> str:
        return self.config.tz

    @property
    def db_path(self) -> str:
        return self.config.db_path

    def now(self) -> datetime:
        return self.clock()

    def is_admin(self, user_id: str | None = None) -> bool:
        return self.config.is_admin(user_id or self.user_id)

    def require_admin(self) -> None:
        """Raise a friendly error unless the author may manage shared settings."""
        if not self.is_admin():
            raise UserError(t("error.admin_only", self.lang))


@dataclass
class Subcommand:
    name: str
    aliases: tuple[str, ...]
    help_key: str
    handler: Handler | None = None


@dataclass
class Router:
    """The subcommands of one slash command; ``fallback`` takes text that names none."""

    command: str
    fallback: str | None = None
    subcommands: dict[str, Subcommand] = field(default_factory=dict)

    def declare(
        self, name: str, aliases: tuple[str, ...] = (), help_key: str | None = None
    ) -> None:
        """Declare a contract subcommand (listed in help even before it is built)."""
        key = help_key or f"{self.command.strip('/')}.help.{fold(name)}"
        self.subcommands[fold(name)] = Subcommand(name, aliases, key)

    def subcommand(
        self, name: str, aliases: tuple[str, ...] = (), help_key: str | None = None
    ) -> Callable[[Handler], Handler]:
        """Register ``handler`` for ``name`` and its aliases (replacing the declaration)."""

        def decorator(handler: Handler) -> Handler:
            existing = self.subcommands.get(fold(name))
            if existing is None:
                self.declare(name, aliases, help_key)
                existing = self.subcommands[fold(name)]
            existing.aliases = tuple(dict.fromkeys(existing.aliases + aliases))
            if help_key:
                existing.help_key = help_key
            existing.handler = handler
            return handler

        return decorator

    def find(self, word: str) -> Subcommand | None:
        """Return the subcommand named or aliased ``word``, if any."""
        folded = fold(word)
        for sub in self.subcommands.values():
            if folded == fold(sub.name) or folded in (fold(a) for a in sub.aliases):
                return sub
        return None

    def dispatch(self, ctx: CommandContext, text: str) -> Reply:
        """Run the subcommand the text names; unknown words get the help, ephemerally."""
        word, _, rest = text.strip().partition(" ")
        rest = rest.strip()
        if not word or fold(word) in ("aide", "help", "?"):
            return self.help(ctx.lang)
        sub = self.find(word)
        if sub is None and self.fallback:
            sub, rest = self.subcommands[self.fallback], text.strip()
        if sub is None:
            intro = t("error.unknown_subcommand", ctx.lang, command=self.command, word=word)
            return Reply(intro + "\n" + self.help(ctx.lang).text)
        if sub.handler is None:
            return Reply(t("error.not_built", ctx.lang, command=self.command, word=sub.name))
        try:
            return sub.handler(ctx, rest)
        except UserError as error:
            return Reply(str(error))

    def help(self, lang: str) -> Reply:
        """List every subcommand with one line each."""
        lines = [t("help.title", lang, command=self.command)]
        lines += [t(sub.help_key, lang) for sub in self.subcommands.values()]
        return Reply("\n".join(lines))


veille = Router("/veille")
session = Router("/session")
decision = Router("/decision", fallback="ajouter")
ROUTERS = {r.command: r for r in (veille, session, decision)}

for _name, _aliases in [
    ("aide", ("help",)),
    ("flux", ("feeds", "feed")),
    ("liste", ("list",)),
    ("voir", ("show",)),
    ("prendre", ("claim",)),
    ("lâcher", ("release",)),
    ("fait", ("done",)),
    ("écarter", ("dismiss",)),
    ("lettre", ("newsletter",)),
    ("note", ()),
    ("chercher", ("search",)),
    ("résumé", ("digest",)),
]:
    veille.declare(_name, _aliases)
for _name, _aliases in [
    ("aide", ("help",)),
    ("ajouter", ("add",)),
    ("liste", ("list",)),
    ("voir", ("show",)),
    ("ordre", ("agenda",)),
    ("deplacer", ("move", "déplacer")),
    ("annuler", ("cancel",)),
]:
    session.declare(_name, _aliases)
for _name, _aliases in [
    ("aide", ("help",)),
    ("ajouter", ("add",)),
    ("liste", ("list",)),
    ("fait", ("done",)),
    ("chercher", ("search",)),
]:
    decision.declare(_name, _aliases)


def dispatch(command: str, ctx: CommandContext, text: str) -> Reply:
    """Route ``/command text`` to its subcommand."""
    return ROUTERS[command].dispatch(ctx, text)


def load_subcommands() -> None:
    """Import the domain command modules so that they register themselves."""
    from bot.digest import commands as _digest  # noqa: F401
    from bot.items import commands as _items  # noqa: F401
    from bot.meetings import decision_commands as _decisions  # noqa: F401
    from bot.meetings import session_commands as _sessions  # noqa: F401
    from bot.watch import commands as _watch  # noqa: F401
