"""CLI exports: ``veilleur minutes <id>`` (Markdown) and ``veilleur sessions ics`` (iCalendar)."""

from __future__ import annotations

import sys

import click

from bot.core.cli import CliContext, pass_cli
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
        click.echo(f"Impossible d'écrire {output} : {error.strerror or error}.", err=True)
        sys.exit(1)


@click.command()
@click.argument("session_id", type=int)
@click.option("-o", "--output", default="-", help="File to write (default: standard output).")
@pass_cli
def minutes(cli: CliContext, session_id: int, output: str) -> None:
    """Write the minutes of session SESSION_ID in Markdown."""
    config = cli.migrated_config()
    with connect(config.db_path) as db:
        try:
            text = render_minutes(db, session_id, config.lang, config.tz, known_names(db))
        except UserError as error:
            raise click.ClickException(str(error)) from error
    _write(text.encode(), output)


@click.group()
def sessions() -> None:
    """Sessions exports."""


@sessions.command("ics")
@click.option("-o", "--output", default="-", help="File to write (default: standard output).")
@pass_cli
def sessions_ics(cli: CliContext, output: str) -> None:
    """Write every session as an iCalendar file (subscribe or import it in a calendar)."""
    config = cli.migrated_config()
    with connect(config.db_path) as db:
        data = build_calendar(db, config.lang, config.tz)
    _write(data, output)


COMMANDS = (minutes, sessions)
