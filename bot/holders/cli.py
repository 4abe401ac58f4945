"""`veilleur porteurs export --format csv|markdown [--annee 2027] [-o FILE]`: the yearly record."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TextIO
from zoneinfo import ZoneInfo

import click

from bot.core.cli import CliContext, File, Group, pass_cli
from bot.holders.export import FORMATS, Record, render_export
from storage.db import connect
from storage.holders import actions_between
from storage.people import known_names


@click.group("porteurs", cls=Group, help="cli.holders.help")
def holders() -> None:
    """Group the project holders' commands."""


@holders.command("export", help="cli.holders.export.help")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--annee", "--year", "year", type=click.IntRange(2000, 2100), default=None,
              help="cli.holders.export.year")  # fmt: skip
@click.option("--output", "-o", type=File("w", encoding="utf-8", lazy=True), default="-",
              help="cli.holders.export.output")  # fmt: skip
@pass_cli
def export(cli: CliContext, fmt: str, year: int | None, output: TextIO) -> None:
    """Write the year's support actions, as CSV or Markdown."""
    config = cli.migrated_config()
    year = year or datetime.now(UTC).astimezone(ZoneInfo(config.tz)).year
    with connect(config.db_path) as db:
        rows = actions_between(db, f"{year}-01-01", f"{year}-12-31")
        names = known_names(db)
    output.write(render_export(Record(year, rows, names), fmt, config.lang))
