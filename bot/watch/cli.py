"""`veilleur feeds import <file.opml> --channel C…` and `veilleur feeds export` (OPML)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import NoReturn

import click

from bot.core.cli import CliContext, pass_cli
from bot.core.i18n import t
from bot.core.plural import tn
from bot.watch.errors import FetchError
from bot.watch.opml import MAX_DEPTH, OpmlError, OpmlList, load_opml, write_opml
from bot.watch.urls import UrlRejected, canonical_url, check_url
from storage.db import connect, write
from storage.feed_state import poll_at
from storage.feeds import add_feed, find_feed, list_feeds


@click.group("feeds")
def feeds() -> None:
    """Import or export the watched feeds (OPML)."""


BULK_LIMIT = 500  # more feeds than this in one file is likely a mistake: ask for --yes

_OPML_ERRORS = {
    "syntax": "fichier OPML illisible : {detail}",
    "not_opml": "fichier OPML illisible : ce n'est pas un document OPML (il faut <opml> et <body>)",
    "too_deep": f"fichier OPML trop imbriqué (plus de {MAX_DEPTH} niveaux de dossiers)",
    "doctype": "fichier OPML refusé : il déclare une DTD (<!DOCTYPE …>), qui peut cacher une"
    " attaque par entités",
}
_SKIPPED = {
    "include": "liste OPML incluse, pas un flux (importez-la à part)",
    "link": "lien vers une autre liste ou une page, pas un flux",
    "source": "sous-liste d'abonnements d'un tiers, pas un flux (importez-la à part)",
}


def _fail(message: str) -> NoReturn:
    """Print one French line on stderr and exit with status 1."""
    click.echo(message, err=True)
    raise click.exceptions.Exit(1)


def _read(data: bytes) -> OpmlList:
    """Return the file's outlines, or exit with a French line saying why it cannot be read."""
    try:
        found = load_opml(data)
    except OpmlError as error:
        _fail(_OPML_ERRORS[error.code].format(detail=error.detail))
    if found.unescaped_ampersands:
        click.echo("attention : le fichier contenait des & non échappés : lu quand même", err=True)
    for skipped in found.skipped:
        click.echo(f"  ignoré : {skipped.url or skipped.title} : {_SKIPPED[skipped.kind]}")
    return found


@feeds.command("import")
@click.argument("opml_file", type=click.File("rb"))
@click.option("--channel", required=True, help="Slack channel id (C…) to post the items in.")
@click.option("--origin", default="", help="Origin shown on items (default: the OPML folders).")
@click.option("--added-by", default="", help="Slack user id to notify if a feed is paused.")
@click.option("--yes", "-y", is_flag=True, help=f"Import even more than {BULK_LIMIT} feeds.")
@pass_cli
def import_feeds(
    cli: CliContext, opml_file, channel: str, origin: str, added_by: str, yes: bool
) -> None:
    """Subscribe CHANNEL to every feed of an OPML file; their backlog is not posted.

    Fetches nothing: the URLs are checked by the guard, and the feeds' first polls are spread
    over one poll interval so that a big import does not fall due all at once.
    """
    config = cli.migrated_config()
    db_path, allow_private, lang = config.db_path, config.allow_private_urls, config.lang
    interval = timedelta(minutes=config.poll_minutes)
    found = _read(opml_file.read())
    outlines = found.outlines
    if len(outlines) > BULK_LIMIT and not yes:
        _fail(
            f"le fichier liste {len(outlines)} flux (plus de {BULK_LIMIT}) : rien n'a été"
            " ajouté ; relancez avec --yes pour les importer tous"
        )
    counts: Counter[str] = Counter()
    refused: list[str] = []
    now = datetime.now(UTC)
    with connect(db_path) as db, click.progressbar(outlines, label="Import des flux") as bar:
        for index, outline in enumerate(bar):
            try:
                url = check_url(outline.url, allow_private=allow_private)
            except UrlRejected as error:
                refused.append(f"{outline.url} : {FetchError(error.code).describe(lang)}")
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


@feeds.command("export")
@click.option("--output", "-o", type=click.File("wb"), default="-", help="File (default: stdout).")
@click.option("--channel", default=None, help="Only this channel's feeds.")
@pass_cli
def export_feeds(cli: CliContext, output, channel: str | None) -> None:
    """Write the watched feeds as OPML (FreshRSS and Miniflux import it)."""
    with connect(cli.migrated_config().db_path) as db:
        output.write(write_opml(list_feeds(db, channel)))
