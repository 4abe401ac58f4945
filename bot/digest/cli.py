"""`veilleur digest [--format markdown|html] [-o FILE] [--days 7 | --since D --until D]`.

The newsletter export: the items kept "pour la lettre", with their summaries, sources and
notes signed with their authors' names (stored from Slack; an unknown author shows as the ID).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

import click

from bot.core.cli import CliContext, Command, File, pass_cli, say
from bot.digest.build import newsletter_entries_between
from bot.digest.newsletter import FORMATS, render_newsletter
from storage.db import connect
from storage.people import known_names

DAY = click.DateTime(["%Y-%m-%d"])


def _period(
    days: int, since: datetime | None, until: datetime | None, now: datetime, zone: ZoneInfo
) -> tuple[datetime, datetime]:
    """Return the export's period: --since/--until days (team time zone), else the last ``days``."""
    if since is None and until is None:
        return now - timedelta(days=days), now
    end = now
    if until is not None:
        next_day = datetime.combine(until.date() + timedelta(days=1), time(0), tzinfo=zone)
        end = (next_day - timedelta(microseconds=1)).astimezone(UTC)
    start = end - timedelta(days=days)
    if since is not None:
        start = datetime.combine(since.date(), time(0), tzinfo=zone).astimezone(UTC)
    if end < start:
        raise click.BadParameter(say("cli.digest.until_before_since"), param_hint="--until")
    return start, end


@click.command("digest", cls=Command, help="cli.digest.help")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="markdown", show_default=True)
@click.option("--output", "-o", type=File("w", encoding="utf-8"), default="-",
              help="cli.digest.output")  # fmt: skip
@click.option("--days", type=click.IntRange(1, 366), default=7, show_default=True,
              help="cli.digest.days")  # fmt: skip
@click.option("--since", type=DAY, default=None, help="cli.digest.since")
@click.option("--until", type=DAY, default=None, help="cli.digest.until")
@pass_cli
def digest(
    cli: CliContext, fmt: str, output: TextIO, days: int, since: datetime | None,
    until: datetime | None,
) -> None:  # fmt: skip
    """Write the newsletter draft of the period, in Markdown or HTML."""
    config = cli.migrated_config()
    zone = ZoneInfo(config.tz)
    start, end = _period(days, since, until, datetime.now(UTC), zone)
    with connect(config.db_path) as db:
        entries = newsletter_entries_between(db, start, end)
        names = known_names(db)
    output.write(render_newsletter(entries, start, end, fmt, config.lang, zone, names))
