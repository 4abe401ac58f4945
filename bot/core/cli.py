"""What the features' ``veilleur`` subcommands share: the settings, and help in the team's language.

``bot/__main__.py`` hands a :class:`CliContext` to every subcommand as click's ``obj``, so the
features never read the environment themselves.

Click reads ``help=`` strings when a module is imported, before the catalogues are installed and
before the language is known. So the features give catalogue keys (``help="cli.backup.help"``) and
use :class:`Command` and :class:`Group` (``cls=Command`` / ``@group(cls=Group)``), which resolve
them when the help is printed. Click's own words (« Usage: », « Options », its error lines) are
translated for the time of one run by :func:`click_speaks`.
"""

from __future__ import annotations

import copy
import errno
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, NoReturn

import click

from bot.core.config import Config
from bot.core.i18n import has, t
from bot.core.plural import plural_form
from storage.db import connect
from storage.migrations import apply_migrations

_LANG: ContextVar[str] = ContextVar("veilleur_cli_lang", default="fr")
USAGE, FAILURE = 2, 1


@dataclass(frozen=True)
class CliContext:
    load_config: Callable[[], Config]

    def migrated_config(self) -> Config:
        """Return the settings, once the database is at the current schema."""
        config = self.load_config()
        with connect(config.db_path) as db:
            apply_migrations(db)
        return config


pass_cli = click.make_pass_decorator(CliContext)


def cli_lang() -> str:
    """Return the language of this ``veilleur`` run (VEILLEUR_LANG, French by default)."""
    return _LANG.get()


def say(key: str, **params: object) -> str:
    """Return the message ``key`` in the language of this run."""
    return t(key, cli_lang(), **params)


def fail(key: str, status: int = FAILURE, **params: object) -> NoReturn:
    """Print message ``key`` on stderr, in the run's language, and exit (no traceback)."""
    fail_with(say(key, **params), status)


def fail_with(message: str, status: int = FAILURE) -> NoReturn:
    """Print an already worded ``message`` on stderr and exit (no traceback)."""
    click.echo(message, err=True)
    sys.exit(status)


def _text(value: Any) -> Any:
    """Resolve a help string that is a catalogue key; leave any other value as it is."""
    if isinstance(value, str) and value and has(value, cli_lang()):
        return t(value, cli_lang())
    return value


def _translated(param: click.Parameter) -> click.Parameter:
    """Return a copy of ``param`` whose help and metavar are in the run's language."""
    shown = copy.copy(param)
    if isinstance(shown, click.Option):
        shown.help = _text(shown.help)
    if shown.metavar:
        shown.metavar = _text(shown.metavar)
    elif isinstance(shown, click.Option) and not shown.is_flag:
        for kind, key in TYPE_METAVARS.items():
            if type(shown.type) is kind or (kind is click.File and isinstance(shown.type, kind)):
                shown.metavar = say(key)
                break
    return shown


# What a value of each click type is called in the help (click says TEXT, INTEGER RANGE...).
TYPE_METAVARS: dict[type, str] = {
    click.types.StringParamType: "cli.metavar.text",
    click.types.IntParamType: "cli.metavar.number",
    click.IntRange: "cli.metavar.number",
    click.File: "cli.metavar.file",
    click.Path: "cli.metavar.file",
    click.DateTime: "cli.metavar.day",
}


@contextmanager
def _shown(ctx: click.Context) -> Iterator[None]:
    """Mark ``ctx`` as being printed: its parameters are shown translated meanwhile."""
    before = getattr(ctx, "_veilleur_formatting", False)
    ctx._veilleur_formatting = True  # type: ignore[attr-defined]
    try:
        yield
    finally:
        ctx._veilleur_formatting = before  # type: ignore[attr-defined]


class _Formatter(click.HelpFormatter):
    """Headings with French typography in French (« Options : »)."""

    def write_heading(self, heading: str) -> None:
        colon = " :" if cli_lang() == "fr" else ":"
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")


class _Context(click.Context):
    formatter_class = _Formatter


def os_reason(error: OSError) -> str:
    """Return why a file could not be opened or written, in the run's language."""
    key = OS_REASONS.get(error.errno or 0)
    return say(key) if key else str(error.strerror or error)


OS_REASONS = {
    errno.ENOENT: "cli.os.not_found",
    errno.EACCES: "cli.os.denied",
    errno.EPERM: "cli.os.denied",
    errno.EISDIR: "cli.os.is_dir",
    errno.ENOTDIR: "cli.os.not_dir",
    errno.ENOSPC: "cli.os.no_space",
    errno.EROFS: "cli.os.read_only",
}


class Argument(click.Argument):
    """A click argument whose metavar may be a catalogue key (« FICHIER_OPML »)."""

    def make_metavar(self, ctx: click.Context) -> str:
        return str(_text(super().make_metavar(ctx)))


class File(click.File):
    """``click.File`` whose refusal says why in the run's language, not the system's English."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as error:
            cause = error.__context__
            if not isinstance(cause, OSError):
                raise
            reason = os_reason(cause)
            self.fail(say("cli.cannot_open", path=value, error=reason), param, ctx)


class _Translating:
    """Resolve the catalogue keys given as help, short help and option help, at format time."""

    help: str | None
    short_help: str | None

    def get_short_help_str(self, limit: int = 45) -> str:
        saved = self.help, self.short_help
        self.help, self.short_help = _text(self.help), _text(self.short_help)
        try:
            return super().get_short_help_str(limit)  # type: ignore[misc]
        finally:
            self.help, self.short_help = saved

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        saved = self.help
        self.help = _text(self.help)
        try:
            super().format_help_text(ctx, formatter)  # type: ignore[misc]
        finally:
            self.help = saved

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)  # type: ignore[misc]
        if ctx.resilient_parsing or not getattr(ctx, "_veilleur_formatting", False):
            return params
        return [_translated(param) for param in params]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _shown(ctx):
            super().format_help(ctx, formatter)  # type: ignore[misc]

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        saved = vars(self).get("subcommand_metavar")
        if saved:  # "[COMMAND] [ARGS]..." in the run's language
            self.subcommand_metavar = saved.replace("COMMAND", say("cli.usage.command")).replace(
                "ARGS", say("cli.usage.args")
            )
        try:
            with _shown(ctx):
                super().format_usage(ctx, formatter)  # type: ignore[misc]
        finally:
            if saved:
                self.subcommand_metavar = saved

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "cli.click.help_option"
        return option


class Command(_Translating, click.Command):
    """A click command whose help texts are catalogue keys."""

    context_class = _Context


class Group(_Translating, click.Group):
    """A click group whose help texts are catalogue keys; its subcommands are :class:`Command`."""

    context_class = _Context
    command_class = Command
    group_class = type  # subgroups made by ``@group.group`` are of this same class


class RootGroup(Group):
    """The ``veilleur`` group: each run speaks the language ``language()`` returns."""

    def __init__(
        self, *args: Any, language: Callable[[], str], prepare: Callable[[], None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.language = language
        self.prepare = prepare

    def main(self, *args: Any, **kwargs: Any) -> Any:
        self.prepare()  # the catalogues, before anything is printed (--help included)
        token = _LANG.set(self.language())
        try:
            with click_speaks():
                return super().main(*args, **kwargs)
        finally:
            _LANG.reset(token)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.FileError as error:  # an output file opened late: say why in our words
            if isinstance(error.__cause__, OSError):
                error.message = os_reason(error.__cause__)
            error.exit_code = USAGE  # a bad path is a bad argument (exit 2), as everywhere else
            raise


# Click's own sentences, by the English text it asks gettext for: the catalogue key that says it.
CLICK_WORDS = {
    "Usage:": "cli.click.usage",
    "Options": "cli.click.options",
    "Commands": "cli.click.commands",
    "Show this message and exit.": "cli.click.help_option",
    "Error: {message}": "cli.click.error",
    "Try '{command} {option}' for help.": "cli.click.try",
    "Missing argument": "cli.click.missing_argument",
    "Missing option": "cli.click.missing_option",
    "Missing parameter": "cli.click.missing_parameter",
    "Missing command.": "cli.click.missing_command",
    "No such command {name!r}.": "cli.click.no_command",
    "No such option {name!r}.": "cli.click.no_option",
    "Invalid value for {param_hint}: {message}": "cli.click.invalid_for",
    "Invalid value: {message}": "cli.click.invalid",
    "default: {default}": "cli.click.default",
    "required": "cli.click.required",
    "{value!r} is not a valid {number_type}.": "cli.click.not_number",
    "{value} is not in the range {range}.": "cli.click.range",
    "{name} {filename!r} does not exist.": "cli.click.path_missing",
    "{name} {filename!r} is a directory.": "cli.click.path_directory",
    "{name} {filename!r} is a file.": "cli.click.path_file",
    "{name} {filename!r} is not writable.": "cli.click.path_not_writable",
    "{name} {filename!r} is not readable.": "cli.click.path_not_readable",
    "Could not open file {filename!r}: {message}": "cli.click.cannot_open",
    "file": "cli.click.file",
    "directory": "cli.click.directory",
    "path": "cli.click.path",
    "Aborted!": "cli.click.aborted",
    "Option {name!r} does not take a value.": "cli.click.no_value",
}
# The counted ones, by their singular English text (the catalogue has .one and .other).
CLICK_COUNTED = {
    "Got unexpected extra argument ({args})": "cli.click.extra",
    "Option {name!r} requires an argument.": "cli.click.needs_value",
    "{value!r} is not {choice}.": "cli.click.not_choice",
    "{value!r} does not match the format {format}.": "cli.click.not_format",
    "Did you mean {possibility}?": "cli.click.did_you_mean",
}
_CLICK_MODULES = ("core", "exceptions", "types", "parser", "formatting", "decorators", "termui")


def _gettext(message: str) -> str:
    key = CLICK_WORDS.get(message)
    return t(key, cli_lang()) if key and has(key, cli_lang()) else message


def _ngettext(singular: str, plural: str, count: int) -> str:
    key = CLICK_COUNTED.get(singular)
    if key is None or not has(f"{key}.one", cli_lang()):
        return singular if count == 1 else plural
    # Unformatted: click fills in its own placeholders ({args}, {name!r}...) afterwards.
    return t(f"{key}.{plural_form(count, cli_lang())}", cli_lang())


@contextmanager
def click_speaks() -> Iterator[None]:
    """Have click say its own words in the run's language, for the time of one run."""
    modules = [
        sys.modules[f"click.{name}"] for name in _CLICK_MODULES if f"click.{name}" in sys.modules
    ]
    saved = [(module, vars(module).get("_"), vars(module).get("ngettext")) for module in modules]
    for module, gettext, ngettext in saved:
        if gettext is not None:
            module._ = _gettext  # type: ignore[attr-defined]
        if ngettext is not None:
            module.ngettext = _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module, gettext, ngettext in saved:
            if gettext is not None:
                module._ = gettext  # type: ignore[attr-defined]
            if ngettext is not None:
                module.ngettext = ngettext  # type: ignore[attr-defined]
