"""`veilleur porteurs export --format csv|markdown [--annee 2027] [-o FILE]`: the yearly record."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TextIO
from zoneinfo import ZoneInfo

import click

from bot.core.cli import CliContext, pass_cli
from bot.holders.export import FORMATS, Record, render_export
from storage.db import connect
from storage.holders import actions_between
from storage.people import known_names


@click.group("porteurs")
def holders() -> None:
    """Project holders: the yearly record of the support given to them."""


@holders.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--annee", "--year", "year", type=click.IntRange(2000, 2100), default=None,
              help="Year of the support actions (default: this year).")  # fmt: skip
@click.option("--output", "-o", type=click.File("w", encoding="utf-8", lazy=True), default="-",
              help="File to write (default: stdout).")  # fmt: skip
@pass_cli
def export(cli: CliContext, fmt: str, year: int | None, output: TextIO) -> None:
    """Export every support action of the year, per holder, network and team member."""
    config = cli.migrated_config()
    year = year or datetime.now(UTC).astimezone(ZoneInfo(config.tz)).year
    with connect(config.db_path) as db:
        rows = actions_between(db, f"{year}-01-01", f"{year}-12-31")
        names = known_names(db)
    output.write(render_export(Record(year, rows, names), fmt, config.lang))
