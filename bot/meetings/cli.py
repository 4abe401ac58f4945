"""CLI exports: ``veilleur minutes <id>`` (Markdown) and ``veilleur sessions ics`` (iCalendar)."""

from __future__ import annotations

import sys

import click

from bot.core.cli import (
    USAGE,
    Argument,
    CliContext,
    Command,
    Group,
    fail,
    fail_with,
    os_reason,
    pass_cli,
)  # fmt: skip
from bot.core.reply import UserError
from bot.meetings.calendar import build_calendar
from bot.meetings.minutes import render_minutes
from storage.db import connect
from storage.people import known_names


def _write(data: bytes, output: str) -> None:
    """Write to a file, or to stdout for "-"."""
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        with open(output, "wb") as handle:
            handle.write(data)
    except OSError as error:
        fail("cli.cannot_write", USAGE, path=output, error=os_reason(error))


@click.command(cls=Command, help="cli.minutes.help")
@click.argument("session_id", cls=Argument, type=int, metavar="cli.minutes.session_metavar")
@click.option("-o", "--output", default="-", help="cli.minutes.output")
@pass_cli
def minutes(cli: CliContext, session_id: int, output: str) -> None:
    """Write the minutes of session ``session_id`` in Markdown."""
    config = cli.migrated_config()
    with connect(config.db_path) as db:
        try:
            text = render_minutes(db, session_id, config.lang, config.tz, known_names(db))
        except UserError as error:  # no such session: a bad argument
            fail_with(str(error), USAGE)
    _write(text.encode(), output)


@click.group(cls=Group, help="cli.sessions.help")
def sessions() -> None:
    """Group the sessions' exports."""


@sessions.command("ics", help="cli.sessions.ics.help")
@click.option("-o", "--output", default="-", help="cli.sessions.ics.output")
@pass_cli
def sessions_ics(cli: CliContext, output: str) -> None:
    """Write every session as an iCalendar file."""
    config = cli.migrated_config()
    with connect(config.db_path) as db:
        data = build_calendar(db, config.lang, config.tz)
    _write(data, output)


COMMANDS = (minutes, sessions)
