"""CLI exports: ``veilleur minutes <id>`` (Markdown) and ``veilleur sessions ics`` (iCalendar)."""

from __future__ import annotations

import sys

import click

from bot.core.reply import UserError


def _open_db():
    """Return the settings and a connection context on the migrated database."""
    from bot.config import ConfigError, load_config
    from storage.db import connect
    from storage.migrations import apply_migrations

    try:
        config = load_config()
    except ConfigError as error:
        raise click.ClickException("; ".join(error.problems)) from error
    with connect(config.db_path) as db:
        apply_migrations(db)
    return config, connect(config.db_path)


def _write(data: bytes, output: str) -> None:
    """Write to a file, or to stdout for "-"."""
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        with open(output, "wb") as handle:
            handle.write(data)


@click.command()
@click.argument("session_id", type=int)
@click.option("-o", "--output", default="-", help="File to write (default: standard output).")
def minutes(session_id: int, output: str) -> None:
    """Write the minutes of session SESSION_ID in Markdown."""
    from bot.meetings.minutes import render_minutes

    config, connection = _open_db()
    with connection as db:
        try:
            text = render_minutes(db, session_id, config.lang, config.tz)
        except UserError as error:
            raise click.ClickException(str(error)) from error
    _write(text.encode(), output)


@click.group()
def sessions() -> None:
    """Sessions exports."""


@sessions.command("ics")
@click.option("-o", "--output", default="-", help="File to write (default: standard output).")
def sessions_ics(output: str) -> None:
    """Write every session as an iCalendar file (subscribe or import it in a calendar)."""
    from bot.meetings.calendar import build_calendar

    config, connection = _open_db()
    with connection as db:
        data = build_calendar(db, config.lang, config.tz)
    _write(data, output)


def register(cli: click.Group) -> None:
    """Add the meetings commands to the ``veilleur`` group."""
    cli.add_command(minutes)
    cli.add_command(sessions)
