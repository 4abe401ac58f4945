"""Slash-command routing, independent of Slack.

Each top command (``/veille``, ``/session``, ``/decision``) gets a :class:`Router`, built by
:func:`build_routers` from the :class:`Subcommand` lists the features declare (``bot/features.py``
says which). Words match case- and accent-insensitively, so ``/veille LÂCHER 3`` and
``/veille lacher 3`` are the same; ``aide``/``help`` always lists every subcommand.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlite_utils import Database

from bot.core.config import Config
from bot.core.i18n import has, t
from bot.core.messenger import Messenger
from bot.core.reply import Reply, UserError
from bot.core.visibility import Sight, Visibility, viewing_lazily, visibility_of
from storage.channels import known_channels
from storage.db import connect

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

    @property
    def visibility(self) -> Visibility:
        return visibility_of(self.messenger)

    def sight(self, db: Database) -> Sight:
        """Return the channels whose stored content the person may see (bot/core/visibility)."""
        return self.visibility.visible_channels(self.user_id, known_channels(db))

    def sees(self, channel: str) -> bool:
        """Tell whether the person may see (and act on) content of ``channel``."""
        return self.visibility.can_see(self.user_id, channel)

    def require_member(self, channel: str) -> None:
        """Raise a friendly error unless the person may manage content of ``channel``."""
        problem = self.visibility.member_problem(self.user_id, channel)
        if problem:
            raise UserError(t(problem, self.lang, channel=channel))

    def require_admin(self) -> None:
        """Raise a friendly error unless the author may manage shared settings."""
        if not self.is_admin():
            raise UserError(t("error.admin_only", self.lang))


@dataclass(frozen=True)
class Subcommand:
    """One word of a slash command: ``/veille prendre 12`` runs ``handler(ctx, "12")``.

    ``default`` marks the subcommand that takes text naming no subcommand (``/decision <texte>``).
    """

    command: str
    name: str
    handler: Handler
    aliases: tuple[str, ...] = ()
    help_key: str = ""
    default: bool = False

    @property
    def help(self) -> str:
        return self.help_key or f"{self.command.strip('/')}.help.{fold(self.name)}"


@dataclass
class Router:
    """The subcommands of one slash command; ``fallback`` takes text that names none."""

    command: str
    fallback: str | None = None
    subcommands: dict[str, Subcommand] = field(default_factory=dict)

    def add(self, sub: Subcommand) -> None:
        """Route ``sub.name`` and its aliases to ``sub.handler``."""
        if fold(sub.name) in self.subcommands:
            raise ValueError(f"{self.command} {sub.name} is declared twice")
        self.subcommands[fold(sub.name)] = sub
        if sub.default:
            self.fallback = fold(sub.name)

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
        try:
            with viewing_lazily(lambda: _sight_of(ctx)):
                reply = sub.handler(ctx, rest)
        except UserError as error:
            reply = Reply(str(error))
        return with_retry_notice(ctx, reply)

    def help(self, lang: str) -> Reply:
        """List every subcommand with one line each, then the examples and the less visible syntax.

        ``<command>.help.intro``, ``.examples`` and ``.more`` are optional catalogue lines.
        """
        name = self.command.strip("/")
        lines = [t("help.title", lang, command=self.command)]
        lines += [t(f"{name}.help.intro", lang)] if has(f"{name}.help.intro", lang) else []
        lines.append(t(f"{name}.help.aide", lang))
        lines += [t(sub.help, lang) for sub in self.subcommands.values()]
        lines += [t(f"{name}.help.{part}", lang) for part in ("examples", "more")
                  if has(f"{name}.help.{part}", lang)]  # fmt: skip
        return Reply("\n".join(lines))


def _sight_of(ctx: CommandContext) -> Sight:
    """Return what the person typing may see (asked only by reads that need it)."""
    with connect(ctx.db_path) as db:
        return ctx.sight(db)


def with_retry_notice(ctx: CommandContext, reply: Reply) -> Reply:
    """Say « réessayez » when Slack could not tell who may see private content a moment ago."""
    if not ctx.visibility.degraded:
        return reply
    notice = t("visibility.retry", ctx.lang)
    blocks = reply.blocks
    if blocks is not None:
        blocks = [*blocks, {"type": "context", "elements": [{"type": "mrkdwn", "text": notice}]}]
    return Reply(f"{reply.text}\n{notice}", blocks, reply.public)


def build_routers(subcommands: Iterable[Subcommand]) -> dict[str, Router]:
    """Return one router per slash command, its subcommands in the order given."""
    routers: dict[str, Router] = {}
    for sub in subcommands:
        routers.setdefault(sub.command, Router(sub.command)).add(sub)
    return routers
