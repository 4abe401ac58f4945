"""`veilleur feeds import <file.opml> --channel C…` and `veilleur feeds export` (OPML)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import NoReturn

import click

from bot.core.cli import Argument, CliContext, File, Group, pass_cli, say
from bot.core.i18n import t
from bot.core.plural import tn
from bot.watch.errors import FetchError
from bot.watch.opml import MAX_DEPTH, OpmlError, OpmlList, load_opml, write_opml
from bot.watch.urls import UrlRejected, canonical_url, check_url
from storage.db import connect, write
from storage.feed_state import poll_at
from storage.feeds import add_feed, find_feed, list_feeds


@click.group("feeds", cls=Group, help="cli.feeds.help")
def feeds() -> None:
    """Group the OPML commands."""


BULK_LIMIT = 500  # more feeds than this in one file is likely a mistake: ask for --yes


def _fail(message: str) -> NoReturn:
    """Print one line on stderr (in the run's language) and exit with status 1."""
    click.echo(message, err=True)
    raise click.exceptions.Exit(1)


def _read(data: bytes) -> OpmlList:
    """Return the file's outlines, or exit with a line saying why it cannot be read."""
    try:
        found = load_opml(data)
    except OpmlError as error:
        _fail(say(f"watch.opml.{error.code}", detail=error.detail, depth=MAX_DEPTH))
    if found.unescaped_ampersands:
        click.echo(say("watch.opml.ampersands"), err=True)
    for skipped in found.skipped:
        why = say(f"watch.opml.skipped.{skipped.kind}")
        click.echo(
            "  " + say("watch.opml.skipped_line", what=skipped.url or skipped.title, why=why)
        )
    return found


@feeds.command("import", help="cli.feeds.import.help")
@click.argument("opml_file", cls=Argument, type=File("rb"), metavar="cli.feeds.import.file_metavar")
@click.option("--channel", required=True, help="cli.feeds.import.channel")
@click.option("--origin", default="", help="cli.feeds.import.origin")
@click.option("--added-by", default="", help="cli.feeds.import.added_by")
@click.option("--yes", "-y", is_flag=True, help="cli.feeds.import.yes")
@pass_cli
def import_feeds(
    cli: CliContext, opml_file, channel: str, origin: str, added_by: str, yes: bool
) -> None:
    """Subscribe ``channel`` to every feed of an OPML file, without posting their backlog.

    Fetches nothing: the URLs are checked by the guard, and the feeds' first polls are spread
    over one poll interval so that a big import does not fall due all at once.
    """
    config = cli.migrated_config()
    db_path, allow_private, lang = config.db_path, config.allow_private_urls, config.lang
    interval = timedelta(minutes=config.poll_minutes)
    found = _read(opml_file.read())
    outlines = found.outlines
    if len(outlines) > BULK_LIMIT and not yes:
        _fail(say("watch.opml.too_many", count=len(outlines), limit=BULK_LIMIT))
    counts: Counter[str] = Counter()
    refused: list[str] = []
    now = datetime.now(UTC)
    with (
        connect(db_path) as db,
        click.progressbar(outlines, label=say("cli.feeds.import.progress")) as bar,
    ):
        for index, outline in enumerate(bar):
            try:
                url = check_url(outline.url, allow_private=allow_private)
            except UrlRejected as error:
                reason = FetchError(error.code).describe(lang)
                refused.append(t("watch.import.url_reason", lang, url=outline.url, reason=reason))
                continue
            with write(db):
                existing = find_feed(db, canonical_url(url), channel)
                if existing and not existing.removed_at:
                    counts["there"] += 1
                    continue
                feed = add_feed(
                    db,
                    url,
                    canonical_url(url),
                    channel,
                    now=now,
                    title=outline.title,
                    origin=origin or outline.category,
                    added_by=added_by,
                )
                poll_at(db, feed.id, now + interval * index / len(outlines))
            counts["added"] += 1
    click.echo(
        import_summary(lang, counts["added"], counts["there"], len(refused), len(found.skipped))
    )
    for line in refused:
        click.echo("  " + t("watch.import.refused_line", lang, line=line))
    if refused:
        raise click.exceptions.Exit(1)


def import_summary(lang: str, added: int, there: int, refused: int, skipped: int) -> str:
    """Return "2 ajoutés, 1 déjà suivi, 0 refusé" (and how many were skipped, if any)."""
    parts = [tn("watch.import.added", lang, added), tn("watch.import.there", lang, there)]
    parts.append(tn("watch.import.refused", lang, refused))
    if skipped:
        parts.append(tn("watch.import.skipped", lang, skipped))
    return ", ".join(parts)


@feeds.command("export", help="cli.feeds.export.help")
@click.option("--output", "-o", type=File("wb"), default="-", help="cli.feeds.export.output")
@click.option("--channel", default=None, help="cli.feeds.export.channel")
@pass_cli
def export_feeds(cli: CliContext, output, channel: str | None) -> None:
    """Write the watched feeds as OPML."""
    with connect(cli.migrated_config().db_path) as db:
        output.write(write_opml(list_feeds(db, channel)))
